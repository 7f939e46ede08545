import { describe, expect, it } from 'vitest';
import { settlesWithin } from './readiness.js';
import { workerRetryDelayMs } from './worker.js';

describe('settlesWithin', () => {
  it('is true for a check that answers in time', async () => {
    expect(await settlesWithin(Promise.resolve(1), 50)).toBe(true);
  });
  it('is false for a check slower than the limit', async () => {
    expect(await settlesWithin(new Promise((r) => setTimeout(r, 200)), 20)).toBe(false);
  });
  it('rejects with the check', async () => {
    await expect(settlesWithin(Promise.reject(new Error('down')), 50)).rejects.toThrow('down');
  });
});

describe('workerRetryDelayMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 10_000],
    [50, 10_000],
  ])('after failure %i: %i ms', (failures, ms) => {
    expect(workerRetryDelayMs(failures)).toBe(ms);
  });
});
