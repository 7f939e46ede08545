// The kiosk patient token: who was identified, on which device, until when — sealed with
// AES-256-GCM under a key derived from SESSION_SECRET, so it reads as random bytes (no
// patient id visible) and cannot be forged or moved to another device. It lives only in
// the kiosk page's memory and in the x-kiosk-patient header.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface KioskPatientClaims {
  deviceId: string;
  patientId: string;
  expiresAtMs: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const keys = new Map<string, Buffer>();

function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'priyom', 'kiosk-patient-token', 32));
    keys.set(secret, key);
  }
  return key;
}

export function sealPatientToken(secret: string, claims: KioskPatientClaims): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv);
  const body = JSON.stringify({ d: claims.deviceId, p: claims.patientId, e: claims.expiresAtMs });
  const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The claims of a genuine token (expired or not), or null for anything else. */
export function openPatientToken(secret: string, token: string): KioskPatientClaims | null {
  if (!/^[A-Za-z0-9_-]{40,400}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const body = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    const parsed = JSON.parse(body.toString('utf8')) as { d?: unknown; p?: unknown; e?: unknown };
    if (typeof parsed.d !== 'string' || typeof parsed.p !== 'string' || typeof parsed.e !== 'number') return null;
    return { deviceId: parsed.d, patientId: parsed.p, expiresAtMs: parsed.e };
  } catch {
    return null;
  }
}
