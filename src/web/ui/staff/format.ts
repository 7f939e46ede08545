// Formatting for staff pages: instants in the viewer's own time zone, person details.
import { formatDate, formatLocalDateTime } from '../format.js';

/** '2026-11-25T09:00:00.000Z' -> '25 ноября 2026, 13:00' in the browser's time zone. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return formatLocalDateTime(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`);
}

/** The same instant as a machine-readable value for <time dateTime>. */
export function isoOf(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}

/** '2010-03-04' -> '4 марта 2010' */
export function formatBirthDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(date) ? formatDate(date) : date;
}

export function sexLabel(sex: 'M' | 'F'): string {
  return sex === 'M' ? 'мужской' : 'женский';
}

/** Полис ОМС in groups of four digits, easier to compare with a document. */
export function formatPolicy(policy: string): string {
  return /^\d{16}$/.test(policy) ? policy.replace(/(\d{4})(?=\d)/g, '$1 ') : policy;
}

export { fullName } from '../../../shared/person.js';
