// The HTTP contract of «Schedules in» (issue 17): a clinic's information system (an API key of
// channel `mis`) registers its doctors and maps its specialty codes by its own ids, puts a
// doctor's slots for a range of dates (idempotent by its slot ids), and puts the doctor's
// template and exceptions in the same model as the clinic's own schedule pages.
import { z } from 'zod';
import { calendarDate } from '../dates.js';
import { idNumber } from '../ids.js';
import { freeText } from '../text.js';
import { instant } from './common.js';
import { doctorBody } from './catalogue-admin.js';
import { scheduleConflict, slotChannel } from './schedule-admin.js';

/** A clinic system's own id (of a doctor, a slot, a specialty code): what it may be. */
export function clinicId(what: string) {
  return z
    .string({ message: `Укажите ${what}` })
    .trim()
    .min(1, `Укажите ${what}`)
    .max(100, 'Не длиннее 100 символов')
    .regex(/^[A-Za-z0-9._:-]+$/, 'Латинские буквы, цифры и знаки . _ : -');
}

export const doctorExternalIdParam = z.object({ externalId: clinicId('идентификатор врача в вашей системе') });
export const specialtyCodeParam = z.object({ code: clinicId('код специальности в вашей системе') });

// ---------- specialty codes ----------

/** PUT /specialty-codes/:code: the region's specialty this code of the clinic means. */
export const specialtyCodeBody = z.object({
  specialtyId: idNumber('Неверный идентификатор специальности', 'Укажите specialtyId — специальность портала'),
});
export type SpecialtyCodeBody = z.infer<typeof specialtyCodeBody>;

export const specialtyCodeView = z.object({
  code: z.string(),
  specialtyId: z.number(),
  specialtyName: z.string(),
});
export type SpecialtyCodeView = z.infer<typeof specialtyCodeView>;

/** The region's specialties to map to, and the organisation's codes mapped so far. */
export const specialtyCodesResponse = z.object({
  specialties: z.array(z.object({ id: z.number(), name: z.string() })),
  codes: z.array(specialtyCodeView),
});
export type SpecialtyCodesResponse = z.infer<typeof specialtyCodesResponse>;

// ---------- doctors ----------

/** PUT /doctors/external/:externalId: the whole doctor as the clinic's system knows them (the clinic's own form, with its specialty code). */
export const externalDoctorBody = doctorBody.omit({ specialtyId: true }).extend({
  /** The clinic's specialty code, mapped beforehand with PUT /specialty-codes/:code. */
  specialtyCode: clinicId('код специальности (specialtyCode)'),
  position: freeText({ field: 'Должность', max: 120, min: 0 }).default(''),
  /** False: inactive (refused while the doctor has future visits or held times). */
  active: z.boolean({ message: 'active: true или false' }).default(true),
});
export type ExternalDoctorBody = z.infer<typeof externalDoctorBody>;
export type ExternalDoctorInput = z.input<typeof externalDoctorBody>;

export const externalDoctorView = z.object({
  id: z.number(),
  externalId: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  specialtyId: z.number(),
  specialtyName: z.string(),
  position: z.string(),
  room: z.string(),
  active: z.boolean(),
});
export type ExternalDoctorView = z.infer<typeof externalDoctorView>;

// ---------- slots ----------

/** A pushed range: local dates of the organisation, inclusive, at most 31 days. */
export const MAX_PUSH_DAYS = 31;
export const slotRangeQuery = z.object({ from: calendarDate, to: calendarDate }).superRefine((q, issue) => {
  const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) issue.addIssue({ code: 'custom', path: ['to'], message: 'Дата «to» раньше даты «from»' });
  else if (days >= MAX_PUSH_DAYS)
    issue.addIssue({ code: 'custom', path: ['to'], message: `Не больше ${MAX_PUSH_DAYS} дней за один запрос` });
});
export type SlotRangeQuery = z.infer<typeof slotRangeQuery>;

const offsetInstant = z.iso.datetime({
  offset: true,
  message: 'Время в формате ISO 8601 со смещением, например 2026-11-26T10:00:00+04:00',
});

/** Slot lengths the clinic's own templates allow. */
export const MIN_SLOT_MINUTES = 5;
export const MAX_SLOT_MINUTES = 240;

export const pushedSlot = z.object({
  externalId: clinicId('идентификатор слота в вашей системе (externalId)'),
  startAt: offsetInstant,
  endAt: offsetInstant,
  /** Who may book it: portal (patients online), registry (the desk only), referral (with a referral). */
  channel: slotChannel.default('portal'),
});
export type PushedSlotBody = z.infer<typeof pushedSlot>;

/** The full list of the doctor's slots in the range: what is missing from it is removed (when free). */
export const slotPushBody = z
  .object({ slots: z.array(pushedSlot).max(3000, 'Не больше 3000 слотов за один запрос') })
  .superRefine((b, issue) => {
    const seen = new Map<string, number>();
    const spans: { start: number; end: number; i: number }[] = [];
    b.slots.forEach((s, i) => {
      const start = Date.parse(s.startAt);
      const end = Date.parse(s.endAt);
      const minutes = (end - start) / 60_000;
      if (!(end > start)) {
        issue.addIssue({
          code: 'custom',
          path: ['slots', i, 'endAt'],
          message: 'Конец слота должен быть позже начала',
        });
      } else if (minutes < MIN_SLOT_MINUTES || minutes > MAX_SLOT_MINUTES) {
        issue.addIssue({
          code: 'custom',
          path: ['slots', i, 'endAt'],
          message: `Длительность слота от ${MIN_SLOT_MINUTES} до ${MAX_SLOT_MINUTES} минут`,
        });
      } else {
        spans.push({ start, end, i });
      }
      const first = seen.get(s.externalId);
      if (first !== undefined) {
        issue.addIssue({
          code: 'custom',
          path: ['slots', i, 'externalId'],
          message: `Идентификатор слота повторяется (как у слота № ${first + 1})`,
        });
      } else seen.set(s.externalId, i);
    });
    spans.sort((a, b) => a.start - b.start || a.i - b.i);
    for (let k = 1; k < spans.length; k++) {
      const prev = spans[k - 1];
      const cur = spans[k];
      if (cur.start < prev.end) {
        issue.addIssue({
          code: 'custom',
          path: ['slots', cur.i, 'startAt'],
          message: `Слот пересекается со слотом № ${prev.i + 1}`,
        });
      }
    }
  });
export type SlotPushBody = z.infer<typeof slotPushBody>;
export type SlotPushInput = z.input<typeof slotPushBody>;

export const pushedSlotView = z.object({
  id: z.number(),
  externalId: z.string().nullable(),
  startAt: instant,
  endAt: instant,
  /** Local 'YYYY-MM-DDTHH:MM' in the organisation's zone. */
  localStart: z.string(),
  channel: slotChannel,
  /** free; busy (booked or held for someone: never who); blocked (closed: the doctor does not see patients). */
  status: z.enum(['free', 'busy', 'blocked']),
});

export const slotPushResponse = z.object({
  doctorId: z.number(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  created: z.number(),
  updated: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  /** Listed slots that had already started: the past is never changed. */
  skippedPast: z.number(),
  /** The doctor's slots of the range after the change, in order of start. */
  slots: z.array(pushedSlotView),
});
export type SlotPushResponse = z.infer<typeof slotPushResponse>;

/** `details` of a 409 SLOTS_PUSH_CONFLICT: the booked or held times the list would remove or change. */
export const slotPushConflict = scheduleConflict.omit({ patientId: true, doctorId: true }).extend({
  externalId: z.string().nullable(),
  /** remove: missing from the list; change: listed with another time or channel. */
  change: z.enum(['remove', 'change']),
});
export type SlotPushConflict = z.infer<typeof slotPushConflict>;
