// Formatting of dates and times for people: Russian, 24-hour clock, in the organisation's zone.
import { zoneLabel } from '../../shared/zones.js';

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
const weekdays = ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'];
const weekdaysShort = ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'];

/** '2026-11-26' -> '26 ноября 2026' */
export function formatDate(localDate: string): string {
  const [y, m, d] = localDate.slice(0, 10).split('-').map(Number);
  return `${d} ${months[m - 1]} ${y}`;
}

/** '2026-11-26' -> 'четверг, 26 ноября' */
export function formatDayLong(localDate: string): string {
  const [y, m, d] = localDate.slice(0, 10).split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${weekdays[wd]}, ${d} ${months[m - 1]}`;
}

/** '2026-11-26' -> 'чт 26.11' */
export function formatDayShort(localDate: string): string {
  const [y, m, d] = localDate.slice(0, 10).split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${weekdaysShort[wd]} ${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}`;
}

/** '2026-11-26T09:30' -> '26 ноября 2026, 09:30' */
export function formatLocalDateTime(local: string): string {
  return `${formatDate(local.slice(0, 10))}, ${local.slice(11, 16)}`;
}

/**
 * Whose clock the page's times are on, as a person says it: «Время указано по времени Ижевска
 * (МСК+1)» — the organisation's town (from its address) or the zone's main city, and the offset
 * from Moscow. Only shown when the zone differs from the browser's.
 */
export function zoneNote(timeZone: string, address: string | null = null): string | null {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (browser === timeZone) return null;
  return `Время указано ${zoneLabel(timeZone, address)}`;
}

/** Russian plural: plural(3, ['запись', 'записи', 'записей']) -> 'записи'. */
export function plural(n: number, forms: [string, string, string]): string {
  const rules = new Intl.PluralRules('ru-RU');
  const r = rules.select(n);
  return r === 'one' ? forms[0] : r === 'few' ? forms[1] : forms[2];
}
