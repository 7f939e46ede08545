// Pure booking rules. No I/O, no clock: the caller passes `now` and the time zone.
import { addDays, localDateOf, zonedToInstant } from '../../../shared/time.js';

/**
 * The last instant an appointment can be cancelled online: the cut-off wall time on the
 * day before the visit, in the organisation's zone.
 */
export function cancellationDeadline(startAt: Date, timeZone: string, cutoff: string): Date {
  const visitDay = localDateOf(startAt, timeZone);
  return zonedToInstant(addDays(visitDay, -1), cutoff, timeZone);
}

/** Whether `now` is still before the cancellation cut-off of a visit. */
export function isBeforeCutoff(now: Date, startAt: Date, timeZone: string, cutoff: string): boolean {
  return now.getTime() < cancellationDeadline(startAt, timeZone, cutoff).getTime();
}

/** The last local date open for booking: today plus horizonDays - 1, in the zone. */
export function lastBookableDate(now: Date, timeZone: string, horizonDays: number): string {
  return addDays(localDateOf(now, timeZone), horizonDays - 1);
}

/** Why a slot's time is not bookable now, or null: never in the past, never beyond the horizon. */
export function timeRefusal(
  now: Date,
  startAt: Date,
  timeZone: string,
  horizonDays: number,
): 'SLOT_IN_PAST' | 'SLOT_BEYOND_HORIZON' | null {
  if (startAt.getTime() <= now.getTime()) return 'SLOT_IN_PAST';
  if (localDateOf(startAt, timeZone) > lastBookableDate(now, timeZone, horizonDays)) return 'SLOT_BEYOND_HORIZON';
  return null;
}
