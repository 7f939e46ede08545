// Where the rate limits and the kiosk's attempt counters are counted: in Redis when REDIS_URL
// is set, so that behind a balancer a client gets the limit once and not once per instance;
// otherwise in this process (the embedded default needs nothing more). @fastify/rate-limit's
// own Redis store (its Lua script) keeps the counters; this wraps it only to tell an outage
// apart. When Redis cannot be reached the limits fail open (the portal keeps booking and
// reading) except those guarding sign-in and guessing (login, ЕСИА, e-mail link tokens, the
// kiosk's identification), which fail closed with 503 LIMITS_UNAVAILABLE; the outage is
// logged once when it starts and once when Redis answers again.
import { createRequire } from 'node:module';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { AppError } from './errors.js';

/** A store as @fastify/rate-limit calls it (`read` serves `{ increment: false }` checks). */
interface RateLimitStore extends FastifyRateLimitStore {
  read?(key: string, cb: StoreCallback, timeWindow: number, max: number): void;
}
type StoreCallback = Parameters<FastifyRateLimitStore['incr']>[1];
type RouteInfo = Parameters<FastifyRateLimitStore['child']>[0];
type RedisStoreCtor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => RateLimitStore;

// The package exports its Redis store only by file (CommonJS, no typings of its own).
const RedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as RedisStoreCtor;

/** Thrown in place of a Redis failure: the limit could not be checked. */
export class LimitsUnavailableError extends AppError {
  constructor() {
    super('LIMITS_UNAVAILABLE');
  }
}

/** Whether Redis is reachable, logged once per change (never per request). */
export class RedisHealth {
  private down = false;
  constructor(private readonly log: Pick<FastifyBaseLogger, 'warn' | 'info'>) {}

  /** A command or the connection failed. */
  failed(): void {
    if (this.down) return;
    this.down = true;
    this.log.warn(
      { code: 'LIMITS_UNAVAILABLE' },
      'Redis unavailable: rate limits fail open, sign-in and the kiosk identification are refused until it answers',
    );
  }

  /** The connection is ready again. */
  ready(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({}, 'Redis reachable again: shared rate limits resumed');
  }

  get isDown(): boolean {
    return this.down;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    sharedLimits: SharedLimits;
  }
}

export interface SharedLimits {
  /** null: counted in this process. */
  redis: Redis | null;
  health: RedisHealth | null;
  /** The `store` option for @fastify/rate-limit (undefined: its in-process store). */
  rateLimitStore: FastifyRateLimitStoreCtor | undefined;
  close(): Promise<void>;
}

/**
 * Opens the Redis connection of REDIS_URL (if set). Commands never wait for a connection
 * (no offline queue) and time out after half a second, so a Redis outage costs a request
 * nothing but the limit check; the client reconnects by itself.
 */
export function openSharedLimits(config: Config, log: Pick<FastifyBaseLogger, 'warn' | 'info'>): SharedLimits {
  if (!config.redisUrl) return { redis: null, health: null, rateLimitStore: undefined, close: async () => {} };
  const redis = new Redis(config.redisUrl, {
    keyPrefix: config.redisKeyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 1_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  const health = new RedisHealth(log);
  // The connection's errors (refused, reset) arrive here on every reconnect attempt.
  redis.on('error', () => health.failed());
  redis.on('ready', () => health.ready());
  return {
    redis,
    health,
    rateLimitStore: outageAwareStore(redis, health),
    async close() {
      redis.disconnect();
    },
  };
}

/** Resolves when the connection is ready, or false after `ms` (startup and tests). */
export async function redisReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.on('ready', onReady);
  });
}

/** @fastify/rate-limit's Redis store, its failures reported to `health` and turned into LimitsUnavailableError. */
class OutageAwareStore implements RateLimitStore {
  constructor(
    private readonly inner: RateLimitStore,
    private readonly health: RedisHealth,
  ) {}

  private relay(cb: StoreCallback): StoreCallback {
    return (err, res) => {
      if (!err) return cb(null, res);
      this.health.failed();
      cb(new LimitsUnavailableError());
    };
  }

  incr(key: string, cb: StoreCallback, timeWindow: number, max: number): void {
    this.inner.incr(key, this.relay(cb), timeWindow, max);
  }

  read(key: string, cb: StoreCallback, timeWindow: number, max: number): void {
    if (!this.inner.read) throw new Error('rate-limit store without read');
    this.inner.read(key, this.relay(cb), timeWindow, max);
  }

  child(routeOptions: RouteInfo): RateLimitStore {
    return new OutageAwareStore(this.inner.child(routeOptions), this.health);
  }
}

function outageAwareStore(redis: Redis, health: RedisHealth): FastifyRateLimitStoreCtor {
  return class SharedRateLimitStore extends OutageAwareStore {
    constructor(globalParams: FastifyRateLimitOptions) {
      // What the plugin passes is its resolved settings, the two flags among them.
      const p = globalParams as { continueExceeding?: boolean; exponentialBackoff?: boolean };
      super(new RedisStore(p.continueExceeding ?? false, p.exponentialBackoff ?? false, redis, 'rate-limit:'), health);
    }
  };
}
