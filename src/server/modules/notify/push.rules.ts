// Pure rules of Web Push: which subscriptions the portal accepts, and what a push
// service's answer means for the delivery. No I/O, no clock.
import { createPublicKey } from 'node:crypto';
import { nextAttemptDelayMs } from './outbox.rules.js';

export interface SubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface CheckedSubscription {
  endpoint: string;
  /** The browser's P-256 public key, base64url without padding. */
  p256dh: string;
  /** The browser's 16-byte authentication secret, base64url without padding. */
  auth: string;
}

/** base64 or base64url (padded or not) -> bytes; null when it is neither. */
function decodeBase64Url(value: string): Buffer | null {
  const normalised = value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]+$/.test(normalised)) return null;
  return Buffer.from(normalised, 'base64url');
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[') || hostname.includes(':');
}

/**
 * The push service address. Push services are public HTTPS hosts; an address on plain
 * HTTP, on localhost or on a bare IP would make the server post to its own network, so
 * those are accepted only where `allowLocal` is on (development and tests).
 */
export function isAcceptableEndpoint(endpoint: string, allowLocal: boolean): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') {
    if (allowLocal) return true;
    const host = url.hostname.toLowerCase();
    return !isIpLiteral(host) && host !== 'localhost' && !host.endsWith('.localhost') && host.includes('.');
  }
  return allowLocal && url.protocol === 'http:';
}

/** An uncompressed point on P-256 (65 bytes, 0x04 first), as PushSubscription.getKey('p256dh') gives. */
export function isP256PublicKey(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: bytes.subarray(1, 33).toString('base64url'),
        y: bytes.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

/** The subscription normalised, or null when a browser could not have made it. */
export function checkSubscription(input: SubscriptionInput, allowLocal: boolean): CheckedSubscription | null {
  if (!isAcceptableEndpoint(input.endpoint, allowLocal)) return null;
  const p256dh = decodeBase64Url(input.keys.p256dh);
  const auth = decodeBase64Url(input.keys.auth);
  if (!p256dh || !isP256PublicKey(p256dh)) return null;
  if (!auth || auth.length !== 16) return null;
  return { endpoint: input.endpoint, p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') };
}

export type PushOutcome =
  | { kind: 'sent' }
  /** The subscription no longer exists (the browser unsubscribed, the app was removed): forget it. */
  | { kind: 'gone' }
  | { kind: 'retry'; at: Date }
  | { kind: 'failed' };

/**
 * What to do after an attempt. `status` is the push service's HTTP status, or null when
 * it could not be reached; `attempts` counts this attempt; `retryAfterSeconds` is the
 * service's Retry-After, if it sent one.
 * 2xx: delivered. 404/410: the subscription is gone. 408, 429, 5xx, no answer: try again
 * with back-off (never sooner than Retry-After) until the attempts run out. Any other
 * 4xx (a malformed request, a key the service does not accept, a payload too large)
 * will not get better by repeating it.
 */
export function pushOutcome(
  status: number | null,
  attempts: number,
  now: Date,
  retryAfterSeconds: number | null = null,
): PushOutcome {
  if (status !== null && status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 404 || status === 410) return { kind: 'gone' };
  const transient = status === null || status === 408 || status === 429 || status >= 500;
  if (!transient) return { kind: 'failed' };
  const delay = nextAttemptDelayMs(attempts);
  if (delay === null) return { kind: 'failed' };
  const wait = Math.max(delay, (retryAfterSeconds ?? 0) * 1000);
  return { kind: 'retry', at: new Date(now.getTime() + Math.min(wait, 6 * 3_600_000)) };
}

/** Retry-After as seconds (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
