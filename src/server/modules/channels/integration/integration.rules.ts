// Pure rules of the integration API: what a slot's state is called outside the portal (never
// who holds it), the change feed's cursor (a position in the change log), and whether a pushed identity is the patient the
// portal already knows. No I/O, no clock (the caller passes `now`).
import type { PersonIdentity } from '../../../../shared/person.js';

export type ExternalSlotStatus = 'free' | 'busy' | 'blocked';

/**
 * free: free, or held by a booking hold that has lapsed (a lapsed waitlist-offer hold is not
 * free: the expiry worker moves it on first); blocked: the doctor does not see patients;
 * busy: booked or held for someone.
 */
export function externalSlotStatus(
  s: { status: string; heldUntil: Date | null; holdOfferId: string | null },
  now: Date,
): ExternalSlotStatus {
  if (s.status === 'free') return 'free';
  if (s.status === 'blocked') return 'blocked';
  if (s.status === 'held' && s.holdOfferId === null && s.heldUntil !== null && s.heldUntil.getTime() <= now.getTime())
    return 'free';
  return 'busy';
}

/** A place in the change log: the writing transaction's id and the row's id, as decimal digits. */
export interface FeedPosition {
  xid: string;
  id: string;
}

/**
 * A cursor issued before the change log (migration 0012): the last appointment's change in
 * microseconds since the epoch and its id. Still accepted, mapped onto the log.
 */
export interface LegacyPosition {
  us: string;
  id: string;
}

export type DecodedCursor = { kind: 'log'; position: FeedPosition } | { kind: 'legacy'; position: LegacyPosition };

/** An opaque cursor for the change feed: the log position of the last change returned. */
export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`c2.${p.xid}.${p.id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_BIGINT = 9223372036854775807n;

function bigintText(s: string): boolean {
  return /^\d{1,19}$/.test(s) && BigInt(s) <= MAX_BIGINT;
}

/** The position in a cursor (of the log, or a legacy one), or null when it is not one this API issued. */
export function decodeCursor(cursor: string): DecodedCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const log = /^c2\.(\d+)\.(\d+)$/.exec(text);
  if (log) {
    if (!bigintText(log[1]) || !bigintText(log[2])) return null;
    return { kind: 'log', position: { xid: log[1], id: log[2] } };
  }
  const m = /^(-?\d{1,19})\.(.+)$/.exec(text);
  if (!m || !UUID.test(m[2])) return null;
  return { kind: 'legacy', position: { us: m[1], id: m[2] } };
}

/** A stored person: the identity fields with the sex as the database keeps it (text). */
type StoredIdentity = Omit<PersonIdentity, 'sex'> & { sex: string };

/** Names compared the way people write them: case, ё/е and extra spaces do not matter. */
function nameKey(s: string | null): string {
  return (s ?? '').trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru-RU').replace(/ё/g, 'е');
}

/**
 * Whether the identity a clinic system pushed is the person the portal already knows under
 * the same СНИЛС or полис: every part must agree (a different полис, date of birth or name
 * means the records disagree and a person at the desk has to sort it out).
 */
export function sameIdentity(known: StoredIdentity, pushed: PersonIdentity): boolean {
  return (
    known.snils === pushed.snils &&
    known.policy === pushed.policy &&
    known.birthDate === pushed.birthDate &&
    known.sex === pushed.sex &&
    nameKey(known.lastName) === nameKey(pushed.lastName) &&
    nameKey(known.firstName) === nameKey(pushed.firstName) &&
    nameKey(known.middleName) === nameKey(pushed.middleName)
  );
}
