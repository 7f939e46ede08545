// Rate limits shared by a family of routes (README «Rate limits»): one counter per family and
// caller, whichever of the family's routes it calls, so spreading requests over the routes
// gains nothing. The caller is the signed-in account, or the client address (request.ip, as
// TRUST_PROXY derives it) before sign-in. Counted in Redis when REDIS_URL is set, else per
// process (shared-limits.ts); the sign-in and token-check limits refuse while Redis is down,
// the others let requests through.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Config } from './config.js';

export interface RateLimitFamilies {
  /** Joining the waitlist (POST /api/waitlist). */
  waitlistJoin: onRequestAsyncHookHandler;
  /** Checking an e-mail confirmation or password-reset link's token (guessing tokens). */
  tokenCheck: onRequestAsyncHookHandler;
  /** Every other change a patient makes: card file, holds, cancelling, offers, notifications, push. */
  patientWrite: onRequestAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: RateLimitFamilies;
  }
}

/** Who a request counts against: the signed-in account, else the client address. */
export function rateLimitKey(request: FastifyRequest): string {
  const accountId = request.session?.accountId;
  return accountId ? `account:${accountId}` : `ip:${request.ip}`;
}

/**
 * The route config of the sign-in limit (login, sign-up, password recovery, ЕСИА): per client
 * address, and refused (503 LIMITS_UNAVAILABLE) rather than let through when the shared
 * counters cannot be reached.
 */
export function signInRateLimit(config: Config) {
  return { rateLimit: { max: config.rateLimit.loginPerMinute, timeWindow: '1 minute', skipOnError: false } };
}

/**
 * Adds `app.rateLimits`: an onRequest hook per family, each with its own counters. Call once,
 * after @fastify/rate-limit is registered and before the routes.
 */
export function decorateRateLimits(app: FastifyInstance, config: Config): void {
  // The family's name is in the key: in Redis the families share one key space.
  const family = (name: string, max: number, failClosed = false): onRequestAsyncHookHandler => {
    const hook = app.rateLimit({
      max,
      timeWindow: 60_000,
      keyGenerator: (request) => `${name}:${rateLimitKey(request)}`,
      skipOnError: !failClosed,
    });
    return async (request, reply) => hook.call(app, request, reply);
  };
  app.decorate('rateLimits', {
    waitlistJoin: family('waitlist', config.rateLimit.waitlistPerMinute),
    tokenCheck: family('token', config.rateLimit.tokenPerMinute, true),
    patientWrite: family('patient', config.rateLimit.patientPerMinute),
  });
}
