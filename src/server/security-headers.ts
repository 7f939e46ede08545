// Security headers (helmet's set: CSP, HSTS, nosniff, frame and referrer policies, ...,
// plus a Permissions-Policy, which helmet does not write) computed once at start and copied
// onto every reply. @fastify/helmet ran helmet's
// middleware anew for each request, parsing the CSP directives every time: measurable on
// the schedule read, the portal's hottest path. The policy has no per-request part (no
// nonces), so the same headers for every response are exactly what it would produce.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Browser features the portal's pages may use: only writing to the clipboard (copying a new
 * API key), from the portal itself. Everything else a page could ask for is switched off, so
 * injected script or a framed page cannot ask either. Web Push and notifications are not
 * governed by Permissions-Policy (the browser asks the person); the kiosk runs in the
 * browser's own kiosk mode and does not call the Fullscreen API; printing is not a feature here.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'bluetooth=()',
  'browsing-topics=()',
  'camera=()',
  'clipboard-read=()',
  'clipboard-write=(self)',
  'display-capture=()',
  'encrypted-media=()',
  'fullscreen=()',
  'gamepad=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'interest-cohort=()',
  'local-fonts=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'web-share=()',
  'xr-spatial-tracking=()',
].join(', ');

/** The headers helmet sets for `options`, by lower-case name (those it removes are absent), and the Permissions-Policy. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = { 'permissions-policy': PERMISSIONS_POLICY };
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
