// Identification attempts remembered in this process (like @fastify/rate-limit's default
// store): a sliding window per key. Keys are HMACs, never a полис itself.
import { attemptAllowed, attemptsInWindow, type AttemptLimit } from './kiosk.rules.js';

const MAX_KEYS = 50_000;

export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly limit: AttemptLimit) {}

  allowed(key: string, nowMs: number): boolean {
    return attemptAllowed(this.attempts.get(key) ?? [], nowMs, this.limit);
  }

  record(key: string, nowMs: number): void {
    if (this.attempts.size >= MAX_KEYS) this.prune(nowMs);
    const kept = attemptsInWindow(this.attempts.get(key) ?? [], nowMs, this.limit.windowMs);
    kept.push(nowMs);
    this.attempts.set(key, kept);
  }

  /** Forgets keys whose attempts are all outside the window (and, if still full, the oldest keys). */
  private prune(nowMs: number): void {
    for (const [key, times] of this.attempts) {
      if (attemptsInWindow(times, nowMs, this.limit.windowMs).length === 0) this.attempts.delete(key);
    }
    for (const key of this.attempts.keys()) {
      if (this.attempts.size < MAX_KEYS) break;
      this.attempts.delete(key);
    }
  }
}
