// Calendar dates in requests: 'YYYY-MM-DD', and a real date (no 2026-02-30: it would roll over
// into March wherever it is turned into an instant).
import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в формате ГГГГ-ММ-ДД');

export const calendarDate = isoDate.refine((v) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}, 'Такой даты нет');

/** A wall-clock time 'HH:MM' (24-hour); `example` shows in the message. */
export function wallClockTime(example: string) {
  return z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, `Время в формате ЧЧ:ММ, например ${example}`);
}
