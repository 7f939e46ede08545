// Pure rules of integration API keys: the key's shape, the prefix shown to operators, how a
// request presents a key, and when the last use is written down. No I/O, no clock.

/** Every key starts with this marker, so a leaked key is recognisable in a scan of code or logs. */
export const KEY_MARKER = 'priyom_';
/** Characters of the key kept in the clear (the marker and a few random characters). */
export const KEY_PREFIX_LENGTH = KEY_MARKER.length + 8;
/** The last use is written at most this often per key. */
export const LAST_USED_INTERVAL_MS = 60_000;

export type ApiChannel = 'electronic_queue' | 'registry' | 'doctor' | 'infomat' | 'mis';

/** The full key from 32 random bytes in base64url (43 characters). */
export function keyFromRandom(randomBase64url: string): string {
  return `${KEY_MARKER}${randomBase64url}`;
}

/** Whether a presented value has the shape of a key (checked before any database look-up). */
export function looksLikeKey(value: string): boolean {
  return value.startsWith(KEY_MARKER) && /^[A-Za-z0-9_-]{40,60}$/.test(value.slice(KEY_MARKER.length));
}

/** The prefix kept in the clear, shown on the operator page to tell keys apart. */
export function keyPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

export type PresentedKey = { kind: 'none' } | { kind: 'malformed' } | { kind: 'key'; key: string };

/**
 * The key a request presents: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Both
 * headers with different values, another authorization scheme or a value that is not a key
 * are malformed.
 */
export function presentedKey(authorization: string | undefined, xApiKey: string | undefined): PresentedKey {
  let fromAuthorization: string | null = null;
  if (authorization !== undefined && authorization.trim() !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (!m) return { kind: 'malformed' };
    fromAuthorization = m[1];
  }
  const fromHeader = xApiKey !== undefined && xApiKey.trim() !== '' ? xApiKey.trim() : null;
  if (fromAuthorization === null && fromHeader === null) return { kind: 'none' };
  if (fromAuthorization !== null && fromHeader !== null && fromAuthorization !== fromHeader)
    return { kind: 'malformed' };
  const key = (fromAuthorization ?? fromHeader) as string;
  return looksLikeKey(key) ? { kind: 'key', key } : { kind: 'malformed' };
}

/** Whether to write the key's last use now: never written, or written more than the interval ago. */
export function shouldRecordUse(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS;
}
