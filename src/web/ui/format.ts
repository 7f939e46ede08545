// Formatting of dates and times for people: Russian, 24-hour clock, in the organisation's zone.

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

/** Human name of a zone: only shown when it differs from the browser's. */
export function zoneNote(timeZone: string): string | null {
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (browser === timeZone) return null;
  const offset = new Intl.DateTimeFormat('ru-RU', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  return `Время местное для медицинской организации (${timeZone}${offset ? `, ${offset}` : ''})`;
}

/** Russian plural: plural(3, ['запись', 'записи', 'записей']) -> 'записи'. */
export function plural(n: number, forms: [string, string, string]): string {
  const rules = new Intl.PluralRules('ru-RU');
  const r = rules.select(n);
  return r === 'one' ? forms[0] : r === 'few' ? forms[1] : forms[2];
}
