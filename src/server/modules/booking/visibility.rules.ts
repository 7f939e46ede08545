// Who sees which appointment, and who may cancel it online (SPEC sections 6 and 7).
// Pure: the caller passes the session's sign-in method, the clock and the time zone.
import { cancellationDeadline } from './booking.rules.js';

export type SessionAuthMethod = 'password' | 'esia';
export type Source = 'portal' | 'electronic_queue' | 'doctor' | 'registry' | 'infomat';
export type AppointmentStatus = 'booked' | 'cancelled' | 'visited' | 'no_show';

export interface VisibilityFacts {
  /** How the current session signed in. */
  authMethod: SessionAuthMethod;
  /** Whether the appointment's person is the account's main person (the account holder). */
  isMainPerson: boolean;
  source: Source;
  /** Whether this account made the appointment (portal bookings record the account). */
  bookedByThisAccount: boolean;
}

/**
 * SPEC section 6:
 *
 * | person          | e-mail session                         | ЕСИА session                                 |
 * |-----------------|----------------------------------------|----------------------------------------------|
 * | main person     | portal appointments (of this account)  | every source; portal ones of this account    |
 * | any other person| portal appointments made by this account | portal appointments made by this account   |
 *
 * Portal appointments made from another account are never shown, whatever the session.
 */
export function isVisibleToAccount(f: VisibilityFacts): boolean {
  if (f.source === 'portal') return f.bookedByThisAccount;
  return f.authMethod === 'esia' && f.isMainPerson;
}

export type CancelRefusal = 'NOT_CANCELLABLE_HERE' | 'ALREADY_CANCELLED' | 'VISIT_IN_PAST' | 'CUTOFF_PASSED';

export interface CancelFacts {
  source: Source;
  bookedByThisAccount: boolean;
  status: AppointmentStatus;
  startAt: Date;
  /** The organisation's zone and effective cut-off wall time ('HH:MM'). */
  timeZone: string;
  cutoff: string;
}

/**
 * Whether this account may cancel the appointment online now: only its own portal
 * bookings, still booked, in the future, before the cut-off. Null when it may, else the
 * refusal code.
 */
export function canCancelOnline(f: CancelFacts, now: Date): CancelRefusal | null {
  if (f.source !== 'portal' || !f.bookedByThisAccount) return 'NOT_CANCELLABLE_HERE';
  if (f.status === 'cancelled') return 'ALREADY_CANCELLED';
  if (f.status !== 'booked' || f.startAt.getTime() <= now.getTime()) return 'VISIT_IN_PAST';
  if (now.getTime() >= cancellationDeadline(f.startAt, f.timeZone, f.cutoff).getTime()) return 'CUTOFF_PASSED';
  return null;
}

export type ReleaseRefusal = CancelRefusal | 'RELEASE_BEFORE_CUTOFF' | 'ALREADY_RELEASED';

/**
 * Whether this account may say «Не смогу прийти» now (SPEC section 8a): only its own portal
 * bookings, still booked and not started, once online cancelling has closed (before the
 * cut-off the visit is simply cancelled), and once. Null when it may, else the refusal code.
 */
export function canReleaseOnline(f: CancelFacts & { releasedAt: Date | null }, now: Date): ReleaseRefusal | null {
  const cancel = canCancelOnline(f, now);
  if (cancel === null) return 'RELEASE_BEFORE_CUTOFF';
  if (cancel !== 'CUTOFF_PASSED') return cancel;
  if (f.releasedAt !== null) return 'ALREADY_RELEASED';
  return null;
}

export interface Viewer {
  accountId: string;
  authMethod: SessionAuthMethod;
  /** The account's main person (the account holder), if entered. */
  main: { id: string; snils: string; policy: string; status: string } | null;
}

export interface AppointmentOwner {
  /** The card file (account) the appointment's person row belongs to. */
  personAccountId: string;
  personIsMain: boolean;
  personSnils: string;
  personPolicy: string;
}

/**
 * How the appointment's person relates to the viewer: a person of this card file (main or
 * other), or - in a ЕСИА session only - the same real person as the account holder (same
 * СНИЛС, which ЕСИА confirmed; never the полис, which the holder typed in) whose visit was recorded against another card file's row, e.g. by the
 * registry. Null: nothing to do with this account.
 */
export function relationToViewer(
  owner: AppointmentOwner,
  viewer: Viewer,
): 'own-main' | 'own-other' | 'linked-main' | null {
  if (owner.personAccountId === viewer.accountId) return owner.personIsMain ? 'own-main' : 'own-other';
  if (
    viewer.authMethod === 'esia' &&
    viewer.main !== null &&
    viewer.main.status === 'confirmed' &&
    viewer.main.snils === owner.personSnils
  )
    return 'linked-main';
  return null;
}

/** Whether the viewer sees the appointment at all (someone else's is "not found"). */
export function appointmentVisible(
  owner: AppointmentOwner,
  appointment: { source: Source; bookedByAccountId: string | null },
  viewer: Viewer,
): boolean {
  const relation = relationToViewer(owner, viewer);
  if (relation === null) return false;
  return isVisibleToAccount({
    authMethod: viewer.authMethod,
    isMainPerson: relation !== 'own-other',
    source: appointment.source,
    bookedByThisAccount: appointment.bookedByAccountId === viewer.accountId,
  });
}
