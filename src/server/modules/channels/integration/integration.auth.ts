// Authentication of the integration API (JSON and FHIR): the API key in
// `Authorization: Bearer <key>` or `X-Api-Key`, never a cookie session (these routes are
// exempt from CSRF for that reason: a browser's cookies authorise nothing here). Each key
// is rate-limited on its own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { presentedKey } from './apikeys.rules.js';
import { authenticateKey, type ApiCaller } from './apikeys.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiCaller: ApiCaller | null;
  }
}

/** Paths served to API keys only (no cookie session, no CSRF token). */
export function isIntegrationPath(url: string): boolean {
  return url.startsWith('/api/integration/');
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * An onRequest hook for the integration routes of `app`: authenticates the key (401 with a
 * code otherwise), then counts the call against the key's limit per minute (429 with
 * Retry-After). The caller is in `request.apiCaller`.
 */
export type ApiKeyHook = (
  request: FastifyRequest,
  reply: { header(name: string, value: string | number): unknown },
) => Promise<void>;

export function apiKeyHook(ctx: AppContext, app: FastifyInstance): ApiKeyHook {
  const limiter = app.createRateLimit({
    max: ctx.config.rateLimit.integrationPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `api-key:${request.apiCaller?.apiKeyId ?? request.ip}`,
  });
  return async (request: FastifyRequest, reply: { header(name: string, value: string | number): unknown }) => {
    const presented = presentedKey(header(request, 'authorization'), header(request, 'x-api-key'));
    if (presented.kind === 'none') throw new AppError('API_KEY_MISSING');
    if (presented.kind === 'malformed') throw new AppError('API_KEY_INVALID');
    request.apiCaller = await authenticateKey(ctx, presented.key);
    const limit = await limiter(request);
    if (!limit.isAllowed) {
      reply.header('x-ratelimit-limit', limit.max);
      reply.header('x-ratelimit-remaining', limit.remaining);
      if (limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        throw new AppError('RATE_LIMITED');
      }
    }
  };
}

/** The authenticated caller (set by the hook). */
export function callerOf(request: FastifyRequest): ApiCaller {
  if (!request.apiCaller) throw new AppError('API_KEY_MISSING');
  return request.apiCaller;
}
