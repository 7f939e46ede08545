// The HTTP contract of catalogue: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { calendarDate } from '../dates.js';
import { decimalId } from '../ids.js';
import { instant } from './common.js';

export const organisation = z.object({
  id: z.number(),
  name: z.string(),
  shortName: z.string(),
  address: z.string(),
  phone: z.string(),
  timeZone: z.string(),
  waitlistAllowed: z.boolean(),
});
export type Organisation = z.infer<typeof organisation>;

export const specialty = z.object({
  id: z.number(),
  name: z.string(),
  /** Human-readable restriction, e.g. "только до 18 лет", or null. */
  restriction: z.string().nullable(),
  /** When a personId is given: null if that person may see this specialist, else the Russian reason. */
  refusal: z.string().nullable(),
  /** «По направлению»: patients book it only with a referral (SPEC 8a). */
  byReferral: z.boolean(),
  /** When a personId is given: the last day of that person's latest usable referral to it (unused, not expired), else null. */
  referralValidUntil: z.string().nullable(),
});
export type Specialty = z.infer<typeof specialty>;
export const specialtiesQuery = z.object({ personId: z.uuid().optional() });

export const doctorSummary = z.object({
  id: z.number(),
  name: z.string(),
  specialty: z.object({ id: z.number(), name: z.string() }),
  organisation: organisation,
  room: z.string(),
  /** The nearest free slot inside the horizon, or null. */
  nearestFreeAt: instant.nullable(),
  freeCount: z.number(),
});
export type DoctorSummary = z.infer<typeof doctorSummary>;
export const doctorsQuery = z.object({
  specialtyId: decimalId().optional(),
  organisationId: decimalId().optional(),
});

export const slotState = z.enum(['free', 'busy', 'mine', 'blocked', 'held_by_me']);
export const scheduleSlot = z.object({
  id: z.number(),
  startAt: instant,
  endAt: instant,
  /** Local HH:MM in the organisation's zone. */
  time: z.string(),
  state: slotState,
  /** For state "mine": the appointment, so it can be cancelled from the schedule. */
  appointmentId: z.uuid().nullable(),
  cancellable: z.boolean(),
  /** Staff views only: who may book it (the portal shows only portal slots). */
  channel: z.enum(['portal', 'registry', 'referral']).optional(),
});
export type ScheduleSlot = z.infer<typeof scheduleSlot>;
export const scheduleQuery = z.object({
  from: calendarDate.optional(),
  days: z.coerce.number().int('Целое число дней').min(1, 'Не меньше 1 дня').max(31, 'Не больше 31 дня').optional(),
});
/** The portal's schedule page: with `personId`, one of the account's people (SPEC 8a, referrals). */
export const patientScheduleQuery = scheduleQuery.extend({
  /** A person with a referral to the doctor's specialty also sees the times kept for referrals. */
  personId: z.uuid('Неверный идентификатор человека').optional(),
});
export const scheduleResponse = z.object({
  doctor: doctorSummary,
  /** Local dates shown (YYYY-MM-DD), each with its slots. */
  days: z.array(z.object({ date: z.string(), slots: z.array(scheduleSlot) })),
  /** Local date of the last bookable day. */
  horizonEnd: z.string(),
  hasFreeInHorizon: z.boolean(),
});
export type ScheduleResponse = z.infer<typeof scheduleResponse>;
