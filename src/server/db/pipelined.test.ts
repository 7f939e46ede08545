import { describe, expect, it } from 'vitest';
import { PIPELINED_PLAN_CACHE_MODE, transactionStart } from './pipelined.js';

describe('transactionStart', () => {
  it('opens with BEGIN and the generic plan mode, then the lock timeout when there is one', () => {
    expect(transactionStart()).toEqual(['begin', `set local plan_cache_mode = ${PIPELINED_PLAN_CACHE_MODE}`]);
    expect(transactionStart(500)).toEqual([
      'begin',
      'set local plan_cache_mode = force_generic_plan',
      'set local lock_timeout = 500',
    ]);
  });

  it('refuses a lock timeout that is not a positive whole number of milliseconds', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => transactionStart(bad)).toThrow(/bad lock timeout/);
  });
});
