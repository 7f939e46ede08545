// Own data (152-ФЗ, issue 19): the pure rules of export and erasure. owndata.rules.test.ts.

/**
 * The stand-in СНИЛС and полис of the n-th erased person: '000' + 8 digits and '0000' + 12
 * digits. Unique (so the card file's unique keys and the real-person exclusion constraint on
 * past visits hold) and never a real number: СНИЛС were issued from 001-001-999 on.
 */
export function erasedIdentity(n: number): { snils: string; policy: string } {
  if (!Number.isSafeInteger(n) || n < 1 || n > 99_999_999) throw new RangeError('erased person number out of range');
  return { snils: `000${String(n).padStart(8, '0')}`, policy: `0000${String(n).padStart(12, '0')}` };
}

/** What an erased person's name reads as wherever a past visit is shown. */
export const ERASED_NAME = 'Удалено';
/** An erased person's birth date: the real one is personal data. */
export const ERASED_BIRTH_DATE = '1900-01-01';

/** A push subscription in the export: the push service's host, never the endpoint's secret path or keys. */
export function pushServiceOf(endpoint: string): string {
  try {
    return new URL(endpoint).host || 'неизвестно';
  } catch {
    return 'неизвестно';
  }
}

/** Who made an audit entry, as the holder reads it: they, the clinic's staff, or the portal itself. */
export function auditActor(actorAccountId: string | null, accountId: string): 'you' | 'staff' | 'system' {
  if (actorAccountId === null) return 'system';
  return actorAccountId === accountId ? 'you' : 'staff';
}

/** How long after an ЕСИА sign-in an account without a password may delete itself. */
export const ESIA_REAUTH_MS = 15 * 60_000;

/**
 * How the holder confirms deleting the account: the password when the account has one; an
 * account made through ЕСИА without a password, by a session signed in through ЕСИА within the
 * last ESIA_REAUTH_MS (ЕСИА does the checking, as for signing in).
 */
export function deletionConfirmation(a: {
  hasPassword: boolean;
  authMethod: 'password' | 'esia';
  sessionCreatedAt: Date | null;
  now: Date;
}): 'password' | 'ok' | 'REAUTH_REQUIRED' {
  if (a.hasPassword) return 'password';
  if (a.authMethod !== 'esia' || !a.sessionCreatedAt) return 'REAUTH_REQUIRED';
  const age = a.now.getTime() - a.sessionCreatedAt.getTime();
  return age >= 0 && age <= ESIA_REAUTH_MS ? 'ok' : 'REAUTH_REQUIRED';
}

/** The export file's name: the date only, never a name (priyom-moi-dannye-2026-12-07.json). */
export function exportFileName(localDate: string): string {
  return `priyom-moi-dannye-${localDate}.json`;
}
