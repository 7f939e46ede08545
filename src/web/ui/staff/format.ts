// Formatting for staff pages: instants in the organisation's (else the region's) zone, person details.
import { eventZone, formatInstantLong } from '../datetime.js';
import { formatDate } from '../format.js';

/** '2026-11-25T09:00:00.000Z' -> '25 ноября 2026, 13:00' in the organisation's zone, else the region's (not the browser's). */
export function formatInstant(iso: string, organisationZone: string | null = null): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatInstantLong(iso, eventZone(organisationZone));
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
