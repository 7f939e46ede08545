// Pure rules of accounts and the card file: one-time e-mail tokens, which people can be
// edited, moderation decisions. No I/O, no clock: callers pass `now`.

export type TokenPurpose = 'confirm' | 'reset';
export type PersonStatus = 'pending' | 'confirmed' | 'rejected';
export type ModerationDecision = 'confirm' | 'reject';

/** How long a link sent by e-mail stays valid. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  confirm: 24 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

export function tokenExpiry(purpose: TokenPurpose, now: Date): Date {
  return new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]);
}

export interface StoredToken {
  purpose: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A token works once, for its own purpose, strictly before it expires. */
export function isTokenUsable(token: StoredToken | null | undefined, purpose: TokenPurpose, now: Date): boolean {
  if (!token) return false;
  if (token.purpose !== purpose) return false;
  if (token.usedAt !== null) return false;
  return now.getTime() < token.expiresAt.getTime();
}

/** A person's data can be changed by the account only before it is confirmed. */
export function canEditPerson(status: PersonStatus): boolean {
  return status === 'pending' || status === 'rejected';
}

/** A moderator decides only on data that is waiting for a decision. */
export function canDecide(status: PersonStatus): boolean {
  return status === 'pending';
}

/** The person's state after a moderator's decision. */
export function applyDecision(
  decision: ModerationDecision,
  reason: string | null,
): { status: Exclude<PersonStatus, 'pending'>; rejectReason: string | null } {
  if (decision === 'confirm') return { status: 'confirmed', rejectReason: null };
  const trimmed = (reason ?? '').trim();
  if (!trimmed) throw new Error('a rejection needs a reason');
  return { status: 'rejected', rejectReason: trimmed };
}

/** The first person of a card file is its main person (the account holder). */
export function isMainOnCreate(hasMainPerson: boolean): boolean {
  return !hasMainPerson;
}

/** A short, non-secret tag of a token hash, for outbox deduplication keys. */
export function tokenTag(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

/**
 * The zone whose calendar runs first (UTC+14): nobody anywhere is born after today's
 * date there, so checking against it never refuses a baby born today in Kamchatka.
 */
export const EARLIEST_ZONE = 'Pacific/Kiritimati';

/** A birth date (YYYY-MM-DD) later than `latestToday` (YYYY-MM-DD) is impossible. */
export function isBirthDateInFuture(birthDate: string, latestToday: string): boolean {
  return birthDate > latestToday;
}
