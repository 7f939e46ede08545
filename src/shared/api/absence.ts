// The HTTP contract of a doctor's absence (SPEC section 8, «Closing a doctor's days»): the
// desk closes a doctor's days, sees the affected visits and decides each (move or cancel);
// a portal patient answers a move offer; anyone reads the public notice on a schedule.
import { z } from 'zod';
import { appointmentSource } from './common.js';
import { decimalId, idNumber } from '../ids.js';
import { calendarDate } from '../dates.js';
import { freeText } from '../text.js';

export const absenceReason = z.enum(['sick', 'vacation', 'training', 'other'], { message: 'Выберите причину' });
export type AbsenceReason = z.infer<typeof absenceReason>;

/** Staff wording of the reasons (the desk's form and lists). */
export const ABSENCE_REASON_LABELS: Record<AbsenceReason, string> = {
  sick: 'Болезнь',
  vacation: 'Отпуск',
  training: 'Учёба',
  other: 'Другое',
};

export const absenceParams = z.object({ absenceId: decimalId() });
export const absenceVisitParams = z.object({ absenceId: decimalId(), appointmentId: z.uuid('Неверный идентификатор') });

/** POST /api/desk/doctors/:id/absences: close the doctor's days from `fromDate` to `toDate` (both included, local dates). */
export const closeDaysBody = z
  .object({
    fromDate: calendarDate,
    toDate: calendarDate,
    reason: absenceReason,
    comment: freeText({ field: 'Комментарий', max: 500, min: 0, multiline: true }).optional(),
  })
  .refine((b) => b.toDate >= b.fromDate, { message: 'Дата окончания не раньше даты начала', path: ['toDate'] });
export type CloseDaysBody = z.input<typeof closeDaysBody>;

export const absenceVisitState = z.enum(['open', 'offered', 'moved', 'cancelled']);
export type AbsenceVisitState = z.infer<typeof absenceVisitState>;
export const absenceVisitOutcome = z.enum([
  'moved_by_clinic',
  'confirmed',
  'declined',
  'expired',
  'cancelled_by_clinic',
  'cancelled_elsewhere',
]);

/** An affected visit as the desk sees it (staff see patient data; it travels in the body only). */
export const absenceVisit = z.object({
  appointmentId: z.uuid(),
  reference: z.string(),
  startAt: z.string(),
  source: appointmentSource,
  patient: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }),
  /** The patient has a portal account to answer a move offer (portal bookings). */
  portalAccount: z.boolean(),
  state: absenceVisitState,
  outcome: absenceVisitOutcome.nullable(),
  offerDeadline: z.string().nullable(),
  /** The new time: offered (state offered) or booked (moved). */
  newVisit: z.object({ startAt: z.string(), doctorName: z.string(), room: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
});
export type AbsenceVisit = z.infer<typeof absenceVisit>;

export const absenceSummary = z.object({
  id: z.number(),
  doctor: z.object({ id: z.number(), name: z.string(), specialtyId: z.number(), specialty: z.string() }),
  fromDate: z.string(),
  toDate: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: absenceReason,
  comment: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  /** What patients see on the schedule. */
  publicNotice: z.string(),
  openVisits: z.number(),
});
export type AbsenceSummary = z.infer<typeof absenceSummary>;

export const absenceDetail = absenceSummary.extend({
  timeZone: z.string(),
  visits: z.array(absenceVisit),
});
export type AbsenceDetail = z.infer<typeof absenceDetail>;

export const absenceListResponse = z.object({ absences: z.array(absenceSummary) });
export type AbsenceListResponse = z.infer<typeof absenceListResponse>;

/** One visit's decision: cancel it, or move it to a free time of another doctor of the same specialty and organisation. */
export const visitDecisionBody = z.discriminatedUnion(
  'action',
  [z.object({ action: z.literal('cancel') }), z.object({ action: z.literal('move'), slotId: idNumber() })],
  { message: 'Выберите решение: перенести или отменить' },
);
export type VisitDecisionBody = z.input<typeof visitDecisionBody>;

/** All undecided visits at once: cancel, or move each to the nearest free time of the chosen doctors, in order. */
export const bulkDecisionBody = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('cancel') }),
    z.object({
      action: z.literal('move'),
      doctorIds: z.array(idNumber()).min(1, 'Выберите хотя бы одного врача').max(20),
    }),
  ],
  { message: 'Выберите решение: перенести или отменить' },
);
export type BulkDecisionBody = z.input<typeof bulkDecisionBody>;

export const bulkDecisionResponse = z.object({
  decided: z.number(),
  /** Visits left undecided (no free time found, too late to offer): the desk decides them one by one. */
  left: z.number(),
});

/** GET /api/moves/:id: a move offered to the account after the doctor's days were closed. */
export const moveOffer = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'confirmed', 'declined', 'expired', 'withdrawn']),
  deadline: z.string(),
  personName: z.string(),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  specialty: z.object({ id: z.number(), name: z.string() }),
  old: z.object({ startAt: z.string(), doctorName: z.string() }),
  offered: z.object({ startAt: z.string(), doctorName: z.string(), room: z.string() }),
  /** The new visit, once confirmed. */
  newAppointmentId: z.uuid().nullable(),
  timeZone: z.string(),
});
export type MoveOffer = z.infer<typeof moveOffer>;
export const moveList = z.object({ moves: z.array(moveOffer) });

/** GET /api/doctors/:id/absences: what the schedule page says about the doctor's closed days. */
export const doctorAbsenceNotices = z.object({
  notices: z.array(z.object({ text: z.string(), startsAt: z.string(), endsAt: z.string() })),
});
export type DoctorAbsenceNotices = z.infer<typeof doctorAbsenceNotices>;
