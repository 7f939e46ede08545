// Pure rules of a doctor's absence (SPEC section 8): the closed range as instants, which
// visits it affects, what patients are told, whether a visit may be moved to a slot, the
// move offer's deadline, and the "all at once" assignment of new times. No I/O, no clock:
// the caller passes `now` and the organisation's time zone.
import type { AbsenceReason } from '../../../shared/api/absence.js';
import { addDays, localDateOf, zonedToInstant } from '../../../shared/time.js';
import { offerDeadline } from '../waitlist/waitlist.rules.js';

/** The longest absence closed in one go (a year); longer ones are refused as a likely typo. */
export const MAX_ABSENCE_DAYS = 366;

/** From the start of `fromDate` to the start of the day after `toDate`, local time of `timeZone`. */
export function absenceRange(fromDate: string, toDate: string, timeZone: string): { startsAt: Date; endsAt: Date } {
  return {
    startsAt: zonedToInstant(fromDate, '00:00', timeZone),
    endsAt: zonedToInstant(addDays(toDate, 1), '00:00', timeZone),
  };
}

/** The local dates an absence covers (its last day is the day before `endsAt`). */
export function absenceDates(startsAt: Date, endsAt: Date, timeZone: string): { fromDate: string; toDate: string } {
  return { fromDate: localDateOf(startsAt, timeZone), toDate: addDays(localDateOf(endsAt, timeZone), -1) };
}

/** Why a range cannot be closed: it ended before today, or is longer than a year. */
export function closeRefusal(
  fromDate: string,
  toDate: string,
  now: Date,
  timeZone: string,
): 'ABSENCE_IN_PAST' | 'ABSENCE_TOO_LONG' | null {
  if (toDate < localDateOf(now, timeZone)) return 'ABSENCE_IN_PAST';
  const days = Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > MAX_ABSENCE_DAYS) return 'ABSENCE_TOO_LONG';
  return null;
}

/** DD.MM of a local date. */
function dayMonth(localDate: string): string {
  return `${localDate.slice(8, 10)}.${localDate.slice(5, 7)}`;
}

/**
 * What patients read on the doctor's schedule. Reasons are published as clinics do («Отпуск»,
 * «Учёба»); sickness and "other" say only that the doctor does not receive — a member of
 * staff's illness is nobody's business. The comment is never shown.
 */
export function publicNotice(reason: AbsenceReason, fromDate: string, toDate: string): string {
  const why = reason === 'vacation' ? ': отпуск' : reason === 'training' ? ': учёба' : '';
  if (fromDate === toDate) return `Врач не принимает${why} ${dayMonth(fromDate)}`;
  return `Врач не принимает${why} с ${dayMonth(fromDate)} до ${dayMonth(toDate)} включительно`;
}

export interface VisitFacts {
  status: string;
  startAt: Date;
  endAt: Date;
}

/** A visit the absence affects: still booked, not yet started, overlapping the closed range. */
export function isAffected(v: VisitFacts, range: { startsAt: Date; endsAt: Date }, now: Date): boolean {
  return (
    v.status === 'booked' &&
    v.startAt.getTime() > now.getTime() &&
    v.startAt.getTime() < range.endsAt.getTime() &&
    v.endAt.getTime() > range.startsAt.getTime()
  );
}

export interface MoveTarget {
  doctorId: number;
  organisationId: number;
  specialtyId: number;
  doctorActive: boolean;
  /** free, or a booking hold that lapsed (free to take) */
  free: boolean;
  startAt: Date;
}

/** Why a visit cannot go to this slot: another doctor of the same specialty and organisation, free, in the future. */
export function moveRefusal(
  from: { doctorId: number; organisationId: number; specialtyId: number },
  to: MoveTarget,
  now: Date,
): 'SLOT_NOT_FOUND' | 'MOVE_SAME_DOCTOR' | 'MOVE_OTHER_SPECIALTY' | 'SLOT_IN_PAST' | 'SLOT_TAKEN' | null {
  if (to.organisationId !== from.organisationId) return 'SLOT_NOT_FOUND';
  if (to.doctorId === from.doctorId) return 'MOVE_SAME_DOCTOR';
  if (to.specialtyId !== from.specialtyId || !to.doctorActive) return 'MOVE_OTHER_SPECIALTY';
  if (to.startAt.getTime() <= now.getTime()) return 'SLOT_IN_PAST';
  if (!to.free) return 'SLOT_TAKEN';
  return null;
}

/**
 * The move offer's deadline: the waitlist offer's rule (the operator's response window,
 * default 24 h, but never after the cancel cut-off before the new visit); null when less
 * than an hour would remain — then the patient cannot be asked, and the desk phones them.
 */
export function moveDeadline(
  now: Date,
  newStart: Date,
  timeZone: string,
  cutoff: string,
  windowHours: number,
): Date | null {
  return offerDeadline(now, newStart, timeZone, cutoff, windowHours);
}

export interface FreeTime {
  slotId: number;
  doctorId: number;
  startAt: Date;
  endAt: Date;
}

/**
 * "All at once": each visit, in order of its time, gets the free time nearest to its old time
 * among the chosen doctors' free times (a tie goes to the earlier time, then to the doctor
 * chosen first), each free time used once. Visits with nothing left map to null.
 */
export function assignNearest<V extends { appointmentId: string; startAt: Date }>(
  visits: readonly V[],
  free: readonly FreeTime[],
  doctorOrder: readonly number[],
): Map<string, FreeTime | null> {
  const rank = (d: number) => {
    const i = doctorOrder.indexOf(d);
    return i < 0 ? doctorOrder.length : i;
  };
  const left = [...free];
  const out = new Map<string, FreeTime | null>();
  for (const v of [...visits].sort((a, b) => a.startAt.getTime() - b.startAt.getTime())) {
    let best = -1;
    for (let i = 0; i < left.length; i++) {
      if (best < 0) {
        best = i;
        continue;
      }
      const a = left[i];
      const b = left[best];
      const da = Math.abs(a.startAt.getTime() - v.startAt.getTime());
      const db = Math.abs(b.startAt.getTime() - v.startAt.getTime());
      if (
        da < db ||
        (da === db &&
          (a.startAt.getTime() < b.startAt.getTime() ||
            (a.startAt.getTime() === b.startAt.getTime() && rank(a.doctorId) < rank(b.doctorId))))
      ) {
        best = i;
      }
    }
    out.set(v.appointmentId, best < 0 ? null : left[best]);
    if (best >= 0) left.splice(best, 1);
  }
  return out;
}
