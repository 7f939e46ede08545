// Calendar dates in requests: 'YYYY-MM-DD', and a real date (no 2026-02-30: it would roll over
// into March wherever it is turned into an instant).
import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в формате ГГГГ-ММ-ДД');

export const calendarDate = isoDate.refine((v) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}, 'Такой даты нет');
