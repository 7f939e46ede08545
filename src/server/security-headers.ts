// Security headers (helmet's set: CSP, HSTS, nosniff, frame and referrer policies, ...)
// computed once at start and copied onto every reply. @fastify/helmet ran helmet's
// middleware anew for each request, parsing the CSP directives every time: measurable on
// the schedule read, the portal's hottest path. The policy has no per-request part (no
// nonces), so the same headers for every response are exactly what it would produce.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`, by lower-case name (those it removes are absent). */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err ?? null;
  });
  if (failure) throw failure;
  return headers;
}

/** Sets `securityHeaders(options)` on every reply (before the handler: a route may override one). */
export const securityHeadersPlugin = fp<{ options: HelmetOptions }>(
  async (app: FastifyInstance, { options }) => {
    const headers = securityHeaders(options);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'priyom-security-headers' },
);
