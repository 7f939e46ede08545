// Dates and times for people, beyond format.ts: instants shown in the organisation's zone.
import { localDateOf, localDateTimeOf, localTimeOf } from '../../shared/time.js';
import { REGION_TIME_ZONE } from '../../shared/zones.js';
import { formatDate } from './format.js';

const months = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** '2026-11-26' -> '26 ноября' */
export function formatDayMonth(localDate: string): string {
  const [, m, d] = localDate.slice(0, 10).split('-').map(Number);
  return `${d} ${months[m - 1]}`;
}

/** An instant in a zone -> '26 ноября, 09:30' (the year only when it is not the current one). */
export function formatInstantShort(instant: string, timeZone: string, now: Date = new Date()): string {
  const at = new Date(instant);
  const day = localDateOf(at, timeZone);
  const sameYear = day.slice(0, 4) === localDateOf(now, timeZone).slice(0, 4);
  return `${sameYear ? formatDayMonth(day) : formatDate(day)}, ${localTimeOf(at, timeZone)}`;
}

/** An instant in a zone -> '26 ноября 2026, 09:30'. */
export function formatInstantLong(instant: string, timeZone: string): string {
  const local = localDateTimeOf(new Date(instant), timeZone);
  return `${formatDate(local.slice(0, 10))}, ${local.slice(11, 16)}`;
}

/** An instant in a zone -> '10:42'. */
export function formatInstantTime(instant: string, timeZone: string): string {
  return localTimeOf(new Date(instant), timeZone);
}

/**
 * The zone an event's time (a notification, «В очереди с», a moderation, an audit entry) is shown
 * in: the organisation's when there is one, else the region's — never the browser's, which may
 * be anywhere.
 */
export function eventZone(organisationZone: string | null = null): string {
  return organisationZone ?? REGION_TIME_ZONE;
}

/** Today's local date in a zone ('YYYY-MM-DD'); the browser's zone by default. */
export function todayIn(timeZone?: string): string {
  return localDateOf(new Date(), timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
}
