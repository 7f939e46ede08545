// Identification attempts: a sliding window per key, remembered in this process (like
// @fastify/rate-limit's default store) or, with REDIS_URL, in Redis so that every instance
// behind the balancer counts the same attempts. Keys are HMACs or device ids, never a полис.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LimitsUnavailableError, type RedisHealth } from '../../../shared-limits.js';
import { attemptAllowed, attemptsInWindow, type AttemptLimit } from './kiosk.rules.js';

/** A counter of attempts per key; `allowed` before an attempt, `record` for each one. */
export interface AttemptCounter {
  allowed(key: string, nowMs: number): boolean | Promise<boolean>;
  record(key: string, nowMs: number): void | Promise<void>;
}

const MAX_KEYS = 50_000;

export class AttemptLimiter implements AttemptCounter {
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

/**
 * The same window in Redis: one sorted set per key, scored by the attempt's time (the same
 * bounds as attemptsInWindow: after now - window, up to now). Fails closed: when Redis cannot
 * be reached the identification is refused (503 LIMITS_UNAVAILABLE), since the window is what
 * stops guessing a birth date.
 */
export class RedisAttemptLimiter implements AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly health: RedisHealth,
    /** Tells this limiter's keys apart from the other's (device, policy). */
    private readonly name: string,
    private readonly limit: AttemptLimit,
  ) {}

  private key(key: string): string {
    return `kiosk:${this.name}:${key}`;
  }

  async allowed(key: string, nowMs: number): Promise<boolean> {
    try {
      const count = await this.redis.zcount(this.key(key), `(${nowMs - this.limit.windowMs}`, nowMs);
      return count < this.limit.max;
    } catch {
      this.health.failed();
      throw new LimitsUnavailableError();
    }
  }

  async record(key: string, nowMs: number): Promise<void> {
    const k = this.key(key);
    try {
      await this.redis
        .multi()
        .zadd(k, nowMs, `${nowMs}:${randomBytes(6).toString('hex')}`)
        .zremrangebyscore(k, '-inf', nowMs - this.limit.windowMs)
        .pexpire(k, this.limit.windowMs)
        .exec();
    } catch {
      this.health.failed();
      throw new LimitsUnavailableError();
    }
  }
}
