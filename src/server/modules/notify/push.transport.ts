// Delivery of one Web Push message: web-push encrypts the payload for the subscription
// (RFC 8291, aes128gcm) and signs the VAPID header (RFC 8292); the request goes out over
// node's http/https, so that a test can stand in for the push service on plain HTTP.
import http from 'node:http';
import https from 'node:https';
import webpush from 'web-push';
import type { VapidKeys } from '../../config.js';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushResponse {
  /** The push service's HTTP status. */
  status: number;
  retryAfter: string | null;
}

export interface PushTransport {
  /** Sends; rejects only when the push service could not be reached. */
  send(target: PushTarget, payload: string): Promise<PushResponse>;
}

/** How long a push service keeps a message for a device that is offline: a day. */
export const PUSH_TTL_SECONDS = 24 * 3600;
const TIMEOUT_MS = 10_000;

export function createPushTransport(keys: VapidKeys): PushTransport {
  return {
    send(target, payload) {
      const details = webpush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        payload,
        {
          vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: PUSH_TTL_SECONDS,
          contentEncoding: 'aes128gcm',
        },
      );
      const url = new URL(details.endpoint);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
      const client = url.protocol === 'http:' ? http : https;
      return new Promise<PushResponse>((resolve, reject) => {
        const req = client.request(url, { method: 'POST', headers, timeout: TIMEOUT_MS }, (res) => {
          res.resume(); // the body says nothing we act on
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
          });
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error('push service timed out')));
        req.on('error', reject);
        req.end(details.body);
      });
    },
  };
}
