// POSTs one webhook event over node:http(s): a time limit on the whole request, no redirects
// followed (a 3xx is a failed attempt), the receiver's answer body never read into memory or
// logs, and (unless allowed) no connection to a loopback, private or link-local address, even
// when a public name resolves to one: the check runs on the resolved address (SSRF).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './webhooks.rules.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The receiver's HTTP status; a network failure or time-out throws. */
export type WebhookSender = (request: WebhookRequest) => Promise<{ status: number }>;

class TargetRefused extends Error {
  readonly code = 'TARGET_REFUSED';
}

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        return callback(new TargetRefused('the address is in a private network'), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error('no address'), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

export function createWebhookSender(opts: { timeoutMs: number; allowPrivateTargets: boolean }): WebhookSender {
  return (request) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      if (!opts.allowPrivateTargets && isPrivateAddress(url.hostname)) {
        reject(new TargetRefused('the address is in a private network'));
        return;
      }
      const client = url.protocol === 'https:' ? https : http;
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup: guardedLookup(opts.allowPrivateTargets),
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
        (res) => {
          res.resume(); // the answer's body is neither kept nor logged
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
}

/** A short reason for the delivery log: an error code or class, never a body or an address. */
export function failureReason(err: unknown): string {
  if (err instanceof TargetRefused) return 'TARGET_REFUSED: адрес во внутренней сети';
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (err.name === 'AbortError' || err.name === 'TimeoutError') return 'TIMEOUT';
    if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
    return err.name;
  }
  return 'ERROR';
}
