import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptDelayMs } from './outbox.rules.js';

describe('nextAttemptDelayMs', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
  ])('after %i failed attempts waits %i ms', (attempts, delay) => {
    expect(nextAttemptDelayMs(attempts)).toBe(delay);
  });
  it('gives up after the last attempt', () => {
    expect(nextAttemptDelayMs(MAX_ATTEMPTS)).toBeNull();
  });
});
