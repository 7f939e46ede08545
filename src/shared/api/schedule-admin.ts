// The HTTP contract of the clinic's schedule editor (issue 16): a doctor's template (weekdays
// or odd/even dates, hours, slot length, breaks, validity, channel quotas), its preview over
// the booking horizon with the visits it would conflict with, and exceptions (day off,
// holiday, other hours) for one doctor or the whole organisation. Messages are Russian.
import { z } from 'zod';
import './common.js'; // the Russian zod locale and the "fill this field" message
import { decimalId } from '../ids.js';
import { calendarDate, wallClockTime } from '../dates.js';
import { freeText } from '../text.js';

const hhmm = wallClockTime('08:00');
const percent = (what: string) =>
  z
    .number({ message: `${what}: укажите число от 0 до 100` })
    .int(`${what}: целое число`)
    .min(0, `${what}: не меньше 0`)
    .max(100, `${what}: не больше 100`);

export const slotChannel = z.enum(['portal', 'registry', 'referral']);
export type SlotChannelName = z.infer<typeof slotChannel>;

export const timeRange = z.object({ start: hhmm, end: hhmm });

/** One rule of a doctor's template: which days, the hours, the slot length, breaks, validity, quotas. */
export const templateRule = z
  .object({
    /** weekdays: the listed ISO weekdays (1 = Monday); odd / even: the odd or even dates of the month. */
    days: z.enum(['weekdays', 'odd', 'even'], {
      message: 'Выберите дни приёма: дни недели, нечётные или чётные числа',
    }),
    weekdays: z
      .array(z.number().int().min(1, 'День недели от 1 до 7').max(7, 'День недели от 1 до 7'))
      .max(7)
      .default([]),
    startTime: hhmm,
    endTime: hhmm,
    slotMinutes: z
      .number({ message: 'Укажите длительность приёма в минутах' })
      .int('Длительность приёма: целое число минут')
      .min(5, 'Длительность приёма: не меньше 5 минут')
      .max(240, 'Длительность приёма: не больше 240 минут'),
    breaks: z.array(timeRange).max(6, 'Не больше 6 перерывов').default([]),
    validFrom: calendarDate,
    validUntil: calendarDate.nullable().default(null),
    /** Per cent of each day's slots kept for the registry / for referrals; the rest is open to the portal. */
    registryPercent: percent('Доля регистратуры').default(0),
    referralPercent: percent('Доля записи по направлению').default(0),
  })
  .superRefine((r, issue) => {
    if (r.days === 'weekdays' && r.weekdays.length === 0) {
      issue.addIssue({ code: 'custom', path: ['weekdays'], message: 'Выберите хотя бы один день недели' });
    }
    if (new Set(r.weekdays).size !== r.weekdays.length) {
      issue.addIssue({ code: 'custom', path: ['weekdays'], message: 'День недели указан дважды' });
    }
    if (r.endTime <= r.startTime)
      issue.addIssue({ code: 'custom', path: ['endTime'], message: 'Конец приёма должен быть позже начала' });
    r.breaks.forEach((b, i) => {
      if (b.end <= b.start)
        issue.addIssue({
          code: 'custom',
          path: ['breaks', i, 'end'],
          message: 'Конец перерыва должен быть позже начала',
        });
      else if (b.start < r.startTime || b.end > r.endTime) {
        issue.addIssue({
          code: 'custom',
          path: ['breaks', i, 'start'],
          message: 'Перерыв должен быть внутри часов приёма',
        });
      }
    });
    if (r.registryPercent + r.referralPercent > 100) {
      issue.addIssue({
        code: 'custom',
        path: ['referralPercent'],
        message: 'Доли регистратуры и направлений вместе — не больше 100 %',
      });
    }
    if (r.validUntil !== null && r.validUntil < r.validFrom) {
      issue.addIssue({ code: 'custom', path: ['validUntil'], message: 'Дата окончания раньше даты начала' });
    }
  });
export type TemplateRuleBody = z.infer<typeof templateRule>;

/** The whole template of a doctor: saving replaces every rule. No rules: the doctor has no template. */
export const scheduleTemplateBody = z.object({ rules: z.array(templateRule).max(14, 'Не больше 14 правил') });
export type ScheduleTemplateBody = z.infer<typeof scheduleTemplateBody>;
/** What a client may send: weekdays, breaks, validUntil and the shares may be left out. */
export type ScheduleTemplateInput = z.input<typeof scheduleTemplateBody>;

export const exceptionKind = z.enum(['day_off', 'holiday', 'other_hours'], { message: 'Выберите вид исключения' });

export const scheduleException = z.object({
  id: z.number(),
  /** doctor: this doctor only; organisation: every doctor of the organisation. */
  scope: z.enum(['doctor', 'organisation']),
  doctorId: z.number().nullable(),
  date: z.string(),
  kind: exceptionKind,
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  slotMinutes: z.number().nullable(),
  note: z.string(),
});
export type ScheduleExceptionView = z.infer<typeof scheduleException>;

export const scheduleExceptionBody = z
  .object({
    scope: z.enum(['doctor', 'organisation'], { message: 'Выберите, для кого исключение: врач или вся организация' }),
    date: calendarDate,
    kind: exceptionKind,
    startTime: hhmm.optional(),
    endTime: hhmm.optional(),
    slotMinutes: z
      .number()
      .int('Целое число минут')
      .min(5, 'Не меньше 5 минут')
      .max(240, 'Не больше 240 минут')
      .optional(),
    note: freeText({ field: 'Комментарий', max: 200, min: 0 }).optional(),
  })
  .superRefine((b, issue) => {
    if (b.kind !== 'other_hours') return;
    if (b.startTime === undefined)
      issue.addIssue({ code: 'custom', path: ['startTime'], message: 'Укажите начало приёма' });
    if (b.endTime === undefined) issue.addIssue({ code: 'custom', path: ['endTime'], message: 'Укажите конец приёма' });
    if (b.slotMinutes === undefined)
      issue.addIssue({ code: 'custom', path: ['slotMinutes'], message: 'Укажите длительность приёма' });
    if (b.startTime !== undefined && b.endTime !== undefined && b.endTime <= b.startTime) {
      issue.addIssue({ code: 'custom', path: ['endTime'], message: 'Конец приёма должен быть позже начала' });
    }
  });
export type ScheduleExceptionBody = z.infer<typeof scheduleExceptionBody>;

export const exceptionIdParam = z.object({ exceptionId: decimalId('Неверный идентификатор исключения') });

/** A booked or held time that the change leaves outside the template: kept, for the clinic to move or cancel. */
export const scheduleConflict = z.object({
  slotId: z.number(),
  doctorId: z.number(),
  date: z.string(),
  time: z.string(),
  startAt: z.string(),
  /** booked: a visit; held: offered to someone on the waitlist or being confirmed. */
  status: z.enum(['booked', 'held']),
  appointmentId: z.uuid().nullable(),
  reference: z.string().nullable(),
  source: z.string().nullable(),
  /** The patient's id for the desk's patient page (never a name). */
  patientId: z.uuid().nullable(),
});
export type ScheduleConflict = z.infer<typeof scheduleConflict>;

export const previewDay = z.object({
  date: z.string(),
  slots: z.array(z.object({ time: z.string(), endTime: z.string(), channel: slotChannel })),
});

/** What a template (or an exception) makes over the booking horizon and what it conflicts with. */
export const schedulePreviewResponse = z.object({
  days: z.array(previewDay),
  conflicts: z.array(scheduleConflict),
  /** Free times created, and free times removed (or retired when history refers to them). */
  created: z.number(),
  removed: z.number(),
});
export type SchedulePreviewResponse = z.infer<typeof schedulePreviewResponse>;

/** The editor's page: the doctor, the zone, the window, the rules and the exceptions ahead. */
export const scheduleTemplateResponse = z.object({
  doctor: z.object({
    id: z.number(),
    name: z.string(),
    specialty: z.string(),
    room: z.string(),
    organisationId: z.number(),
    organisationName: z.string(),
  }),
  timeZone: z.string(),
  today: z.string(),
  horizonEnd: z.string(),
  rules: z.array(templateRule),
  exceptions: z.array(scheduleException),
  /** Booked or held times outside the template now (left by earlier changes). */
  conflicts: z.array(scheduleConflict),
});
export type ScheduleTemplateResponse = z.infer<typeof scheduleTemplateResponse>;

export const scheduleExceptionResponse = z.object({
  exception: scheduleException,
  conflicts: z.array(scheduleConflict),
});
export type ScheduleExceptionResponse = z.infer<typeof scheduleExceptionResponse>;

/** The organisation's active doctors for the schedule editor's list, with whether each has a template. */
export const scheduleDoctorsResponse = z.object({
  organisationName: z.string(),
  doctors: z.array(
    z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string(), hasTemplate: z.boolean() }),
  ),
});
export type ScheduleDoctorsResponse = z.infer<typeof scheduleDoctorsResponse>;
