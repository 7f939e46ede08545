// A first ЕСИА sign-in waits for the полис between the callback and the registration
// page. Nothing is written to the database before the person completes it: ЕСИА's data
// travels in an HttpOnly cookie sealed with AES-256-GCM under a key derived from the
// session secret (unreadable and unforgeable in the browser, never in a URL or a log).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { EsiaPerson } from './esia.rules.js';
import type { EsiaKid } from './family.rules.js';

export interface PendingRegistration {
  oid: string;
  /** An existing account (linked, without a main person yet) to complete; null: a new account. */
  accountId: string | null;
  person: EsiaPerson;
  /** Verified e-mail and mobile from ЕСИА's contacts. */
  email: string | null;
  phone: string | null;
  /** ЕСИА's children, read at the callback; null when ЕСИА did not give them (absent in older cookies). */
  kids?: EsiaKid[] | null;
  returnTo: string | null;
  /** Epoch milliseconds after which the registration must start over. */
  expiresAt: number;
}

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(`priyom-esia-registration:${secret}`).digest();
}

export function seal(secret: string, value: PendingRegistration): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed value, or null when it was tampered with, sealed under another key, or expired. */
export function unseal(secret: string, sealed: string | undefined, now: Date): PendingRegistration | null {
  if (!sealed || sealed.length > 8_000) return null;
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const value = JSON.parse(text) as PendingRegistration;
    if (typeof value.expiresAt !== 'number' || value.expiresAt <= now.getTime()) return null;
    return value;
  } catch {
    return null;
  }
}
