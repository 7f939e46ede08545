// Retry policy for e-mail delivery: exponential back-off, then give up.

export const MAX_ATTEMPTS = 8;

/** Delay before attempt number `attempts + 1`, or null when the message is given up. */
export function nextAttemptDelayMs(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  // 30 s, 1 min, 2 min, 4 min ... capped at 1 hour.
  return Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
}
