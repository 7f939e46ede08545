// Two kinds of time, never mixed: instants (Date / ISO strings with offset) and wall-clock
// dates and times in an organisation's IANA zone. Conversions go through
// @internationalized/date, which knows the zones' rules (DST, historical offsets).
//
// Those conversions use Intl and cost microseconds each; the schedule and booking paths
// make thousands a second. So a zone's UTC offset is looked up once per quarter hour of UTC
// time and remembered, and the rest is arithmetic. A quarter hour whose start and end have
// different offsets (it holds a transition, or is near one) is not remembered: conversions
// in it take the exact path. The fast and exact paths agree (time.test.ts).
import { CalendarDate, fromAbsolute, parseDate, toZoned, CalendarDateTime } from '@internationalized/date';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

const BUCKET_MS = 15 * 60_000;
const MAX_OFFSETS = 200_000;
/** Per zone: offset (ms) in each quarter hour of UTC by its number; NaN when it changes inside it. */
const offsets = new Map<string, Map<number, number>>();
let remembered = 0;

/** The zone's offset for the whole quarter hour holding `ms`, or NaN if it is not constant there. */
function steadyOffsetMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const start = bucket * BUCKET_MS;
    const atStart = fromAbsolute(start, timeZone).offset;
    offset = fromAbsolute(start + BUCKET_MS - 1, timeZone).offset === atStart ? atStart : Number.NaN;
    if (remembered >= MAX_OFFSETS) {
      offsets.clear();
      remembered = 0;
      zone = new Map();
      offsets.set(timeZone, zone);
    }
    zone.set(bucket, offset);
    remembered += 1;
  }
  return offset;
}

/** The instant shifted to the zone's wall clock, read with the UTC getters; null on the exact path. */
function wallClock(ms: number, timeZone: string): Date | null {
  const offset = steadyOffsetMs(ms, timeZone);
  return Number.isNaN(offset) ? null : new Date(ms + offset);
}

/** Local calendar date 'YYYY-MM-DD' of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return localPartsOf(instant.getTime(), timeZone).date;
}

/** Local wall time 'HH:MM' of an instant in a zone. */
export function localTimeOf(instant: Date, timeZone: string): string {
  return localPartsOf(instant.getTime(), timeZone).time;
}

/** Local 'YYYY-MM-DDTHH:MM' of an instant in a zone. */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  const { date, time } = localPartsOf(instant.getTime(), timeZone);
  return `${date}T${time}`;
}

export interface LocalParts {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
}

/** Local date and wall time of an instant (epoch milliseconds) in a zone. */
export function localPartsOf(ms: number, timeZone: string): LocalParts {
  const d = wallClock(ms, timeZone);
  if (d) {
    return {
      date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
      time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    };
  }
  return exactLocalPartsOf(ms, timeZone);
}

/** localPartsOf through @internationalized/date alone (the reference the fast path is tested against). */
export function exactLocalPartsOf(ms: number, timeZone: string): LocalParts {
  const z = fromAbsolute(ms, timeZone);
  return { date: `${z.year}-${pad(z.month)}-${pad(z.day)}`, time: `${pad(z.hour)}:${pad(z.minute)}` };
}

const DAY_MS = 86_400_000;

/**
 * The instant at a wall-clock time on a local date in a zone. For a time skipped by a DST
 * jump the later interpretation is used; for a repeated one, the earlier.
 */
export function zonedToInstant(localDate: string, hhmm: string, timeZone: string): Date {
  const [y, mo, d] = localDate.split('-').map(Number);
  const [h, m] = hhmm.split(':').map(Number);
  // The wall clock read as if it were UTC. With one offset from a day before to a day after
  // (and so no transition near), the instant is that minus the offset.
  const wall = Date.UTC(y, mo - 1, d, h, m);
  const before = steadyOffsetMs(wall - DAY_MS, timeZone);
  if (!Number.isNaN(before) && before === steadyOffsetMs(wall + DAY_MS, timeZone)) {
    const instant = wall - before;
    if (steadyOffsetMs(instant, timeZone) === before) return new Date(instant);
  }
  return exactZonedToInstant(localDate, hhmm, timeZone);
}

/** zonedToInstant through @internationalized/date alone (the reference the fast path is tested against). */
export function exactZonedToInstant(localDate: string, hhmm: string, timeZone: string): Date {
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
