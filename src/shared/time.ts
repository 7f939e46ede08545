// Two kinds of time, never mixed: instants (Date / ISO strings with offset) and wall-clock
// dates and times in an organisation's IANA zone. Conversions go through
// @internationalized/date, which knows the zones' rules (DST, historical offsets).
import { CalendarDate, fromAbsolute, parseDate, toZoned, CalendarDateTime } from '@internationalized/date';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local calendar date 'YYYY-MM-DD' of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  const z = fromAbsolute(instant.getTime(), timeZone);
  return `${z.year}-${pad(z.month)}-${pad(z.day)}`;
}

/** Local wall time 'HH:MM' of an instant in a zone. */
export function localTimeOf(instant: Date, timeZone: string): string {
  const z = fromAbsolute(instant.getTime(), timeZone);
  return `${pad(z.hour)}:${pad(z.minute)}`;
}

/** Local 'YYYY-MM-DDTHH:MM' of an instant in a zone. */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  return `${localDateOf(instant, timeZone)}T${localTimeOf(instant, timeZone)}`;
}

/**
 * The instant at a wall-clock time on a local date in a zone. For a time skipped by a DST
 * jump the later interpretation is used; for a repeated one, the earlier.
 */
export function zonedToInstant(localDate: string, hhmm: string, timeZone: string): Date {
  const d = parseDate(localDate);
  const [h, m] = hhmm.split(':').map(Number);
  const z = toZoned(new CalendarDateTime(d.year, d.month, d.day, h, m), timeZone, 'compatible');
  return z.toDate();
}

/** Adds whole days to a local date. */
export function addDays(localDate: string, days: number): string {
  return parseDate(localDate).add({ days }).toString();
}

/** ISO weekday of a local date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(localDate: string): number {
  const d = parseDate(localDate);
  // 2024-01-01 was a Monday.
  const diff = d.compare(new CalendarDate(2024, 1, 1));
  return (((diff % 7) + 7) % 7) + 1;
}

/** Minutes since midnight of 'HH:MM'. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** 'HH:MM' of minutes since midnight. */
export function hhmmOf(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Full years between a birth date and a local date (both 'YYYY-MM-DD'). */
export function ageOn(birthDate: string, localDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = localDate.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
