// Closing a doctor's days (SPEC section 8): the desk (registrar, clinic administrator) of the
// doctor's organisation closes a day or a range with a reason. One transaction: the absence
// is recorded (from then on a trigger keeps every slot inside it from becoming free), pending
// waitlist offers on the closed time are withdrawn (the person goes back to their place),
// free and booking-held times are blocked, and every booked visit that has not started is
// recorded as affected for the desk to decide (decisions.service.ts). Reopening frees the
// closed time again (waitlist first). Every action is audit-logged; nothing personal is.
import type {
  AbsenceDetail,
  AbsenceListResponse,
  AbsenceReason,
  AbsenceSummary,
  CloseDaysBody,
  DoctorAbsenceNotices,
} from '../../../shared/api/absence.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { EXCLUSION_VIOLATION, pgError } from '../../db/errors.js';
import { AppError } from '../../errors.js';
import { fullName } from '../../../shared/person.js';
import { recordAudit } from '../region/audit.service.js';
import { rematchPerson } from '../waitlist/matching.service.js';
import { offerFreedTime } from '../visits/cancel.service.js';
import { withdrawOfferOfClosedSlot } from '../waitlist/offers.service.js';
import { absenceDates, absenceRange, closeRefusal, publicNotice } from './absence.rules.js';
import {
  activeAbsencesOf,
  blockSlots,
  findAbsence,
  findDoctorOfAbsence,
  insertAbsence,
  listAbsences,
  lockOfferedVisitOfSlot,
  lockSlotsInRange,
  markAbsenceCancelled,
  offerHeldSlotIds,
  releaseOfferSlotIds,
  recordAffectedVisits,
  releaseMoveHold,
  selectAbsenceVisits,
  setKeptBlocked,
  unblockRange,
  updateAbsenceVisit,
  type AbsenceRow,
  type DoctorOfAbsence,
} from './absence.repository.js';

/** A member of staff who manages the organisation's doctors' days (registrar or clinic administrator). */
export interface AbsenceStaff {
  accountId: string;
  organisationId: number;
}

const iso = (d: Date) => d.toISOString();

function summary(a: AbsenceRow, d: DoctorOfAbsence, openVisits: number): AbsenceSummary {
  const { fromDate, toDate } = absenceDates(a.startsAt, a.endsAt, d.timeZone);
  return {
    id: a.id,
    doctor: { id: d.id, name: fullName(d), specialtyId: d.specialtyId, specialty: d.specialty },
    fromDate,
    toDate,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    reason: a.reason as AbsenceReason,
    comment: a.comment,
    createdAt: iso(a.createdAt),
    cancelledAt: a.cancelledAt ? iso(a.cancelledAt) : null,
    publicNotice: publicNotice(a.reason as AbsenceReason, fromDate, toDate),
    openVisits,
  };
}

/** The organisation's doctor, or DOCTOR_NOT_FOUND (also for another organisation's). */
async function ownDoctor(db: Db, staff: AbsenceStaff, doctorId: number, lock = false): Promise<DoctorOfAbsence> {
  const d = await findDoctorOfAbsence(db, doctorId, lock);
  if (!d || d.organisationId !== staff.organisationId) throw new AppError('DOCTOR_NOT_FOUND');
  return d;
}

/** The organisation's absence, or ABSENCE_NOT_FOUND (also for another organisation's). */
export async function ownAbsence(db: Db, staff: AbsenceStaff, absenceId: number, lock = false): Promise<AbsenceRow> {
  const a = await findAbsence(db, absenceId, lock);
  if (!a || a.organisationId !== staff.organisationId) throw new AppError('ABSENCE_NOT_FOUND');
  return a;
}

/**
 * The new time of a pending move offer falls inside a doctor's days being closed (inside the
 * closing transaction, before the slots are locked — the affected-visit row first, as
 * everywhere here): the offer is withdrawn — the visit is open again for the desk to decide,
 * the patient's page says the offer no longer holds — and the hold released (the absence's
 * trigger keeps the time blocked). Returns whether an offer was withdrawn.
 */
async function withdrawMoveOfClosedSlot(tx: Db, slotId: number): Promise<boolean> {
  const v = await lockOfferedVisitOfSlot(tx, slotId);
  if (!v || !v.offerId) return false;
  await updateAbsenceVisit(
    tx,
    { absenceId: v.absenceId, appointmentId: v.appointmentId },
    { state: 'open', offerDeadline: null },
  );
  await releaseMoveHold(tx, slotId, v.offerId);
  return true;
}

/** POST /api/desk/doctors/:id/absences. */
export async function closeDays(
  ctx: AppContext,
  staff: AbsenceStaff,
  doctorId: number,
  body: CloseDaysBody,
): Promise<AbsenceDetail> {
  const now = ctx.now();
  let id: number;
  try {
    id = await ctx.db.transaction(async (tx) => {
      const doctor = await ownDoctor(tx, staff, doctorId, true);
      const refusal = closeRefusal(body.fromDate, body.toDate, now, doctor.timeZone);
      if (refusal) throw new AppError(refusal);
      const { startsAt, endsAt } = absenceRange(body.fromDate, body.toDate, doctor.timeZone);
      const absence = await insertAbsence(tx, {
        doctorId,
        organisationId: doctor.organisationId,
        startsAt,
        endsAt,
        reason: body.reason,
        comment: body.comment ? body.comment : null,
        createdBy: staff.accountId,
        createdAt: now,
      });
      // Waitlist offers first, in their own lock order (entry, offer, slot); the released
      // hold is blocked at once by the absence's trigger.
      const withdrawn: string[] = [];
      const withdrawnSlots = new Set<number>();
      for (const slotId of await offerHeldSlotIds(tx, doctorId, startsAt, endsAt)) {
        const personId = await withdrawOfferOfClosedSlot(tx, slotId, now);
        if (personId) {
          withdrawn.push(personId);
          withdrawnSlots.add(slotId);
        } else if (await withdrawMoveOfClosedSlot(tx, slotId)) {
          withdrawnSlots.add(slotId);
        }
      }
      // A released visit's time offered to the waitlist (SPEC 8a): the time is closed, the
      // offer withdrawn; the visit itself is one of the affected visits below.
      for (const slotId of await releaseOfferSlotIds(tx, doctorId, startsAt, endsAt)) {
        const personId = await withdrawOfferOfClosedSlot(tx, slotId, now);
        if (personId) withdrawn.push(personId);
      }
      const locked = await lockSlotsInRange(tx, doctorId, startsAt, endsAt);
      const kept = locked.filter((s) => s.status === 'blocked' && !withdrawnSlots.has(s.id)).map((s) => s.id);
      const blocked = await blockSlots(
        tx,
        locked.filter((s) => s.status === 'free' || (s.status === 'held' && s.holdOfferId === null)).map((s) => s.id),
      );
      await setKeptBlocked(tx, absence.id, kept);
      const affected = await recordAffectedVisits(tx, absence.id, doctorId, startsAt, endsAt, now);
      // The people whose offers were withdrawn may take other free time now (never this: it is blocked).
      for (const personId of withdrawn) await rematchPerson(ctx, tx, personId, now);
      await recordAudit(
        tx,
        {
          actorAccountId: staff.accountId,
          action: 'absence.close',
          entityType: 'doctor_absence',
          entityId: String(absence.id),
          details: {
            doctorId,
            fromDate: body.fromDate,
            toDate: body.toDate,
            reason: body.reason,
            blocked: blocked + withdrawnSlots.size,
            offersWithdrawn: withdrawn.length,
            affectedVisits: affected,
          },
        },
        now,
      );
      return absence.id;
    });
  } catch (err) {
    const pg = pgError(err);
    if (pg?.code === EXCLUSION_VIOLATION && pg.constraint === 'doctor_absences_no_overlap')
      throw new AppError('ABSENCE_OVERLAPS');
    throw err;
  }
  return absenceDetail(ctx, staff, id);
}

/**
 * POST /api/desk/absences/:absenceId/cancel: the doctor receives after all. The closed time
 * that the absence blocked (not what was blocked before it) becomes free and goes to the
 * waitlist first. Visits already moved or cancelled stay so; pending move offers stay open.
 * A repeat is answered with the absence as it is.
 */
export async function reopenAbsence(ctx: AppContext, staff: AbsenceStaff, absenceId: number): Promise<AbsenceDetail> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const existing = await ownAbsence(tx, staff, absenceId);
    await findDoctorOfAbsence(tx, existing.doctorId, true);
    const a = await ownAbsence(tx, staff, absenceId, true);
    if (a.cancelledAt) return;
    await markAbsenceCancelled(tx, a.id, staff.accountId, now);
    const freed = await unblockRange(tx, a.doctorId, a.startsAt, a.endsAt, a.keptBlockedSlotIds, now);
    let offered = 0;
    for (const slotId of freed) if (await offerFreedTime(ctx, tx, slotId, now)) offered += 1;
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'absence.reopen',
        entityType: 'doctor_absence',
        entityId: String(a.id),
        details: { doctorId: a.doctorId, reopenedSlots: freed.length, offeredToWaitlist: offered },
      },
      now,
    );
  });
  return absenceDetail(ctx, staff, absenceId);
}

/** GET /api/desk/absences: active and recent (ended in the last 30 days) absences of the organisation. */
export async function listOrganisationAbsences(ctx: AppContext, staff: AbsenceStaff): Promise<AbsenceListResponse> {
  const since = new Date(ctx.now().getTime() - 30 * 86_400_000);
  const rows = await listAbsences(ctx.db, staff.organisationId, since);
  return { absences: rows.map((r) => summary(r.absence, r.doctor, Number(r.open))) };
}

/** GET /api/desk/absences/:absenceId: the absence with every affected visit (staff see the patient and contact). */
export async function absenceDetail(ctx: AppContext, staff: AbsenceStaff, absenceId: number): Promise<AbsenceDetail> {
  const a = await ownAbsence(ctx.db, staff, absenceId);
  const d = await findDoctorOfAbsence(ctx.db, a.doctorId);
  if (!d) throw new AppError('ABSENCE_NOT_FOUND');
  const rows = await selectAbsenceVisits(ctx.db, a.id);
  const visits = rows.map((r) => {
    const shown =
      r.v.state === 'moved' && r.newVisit && r.newDoctor?.lastName
        ? { startAt: iso(r.newVisit.startAt), doctorName: fullName(r.newDoctor), room: r.newDoctor.room }
        : r.v.state === 'offered' && r.offerSlot && r.offerDoctor?.lastName
          ? { startAt: iso(r.offerSlot.startAt), doctorName: fullName(r.offerDoctor), room: r.offerDoctor.room }
          : null;
    return {
      appointmentId: r.appointment.id,
      reference: r.appointment.reference,
      startAt: iso(r.appointment.startAt),
      source: r.appointment.source as AbsenceDetail['visits'][number]['source'],
      patient: { name: fullName(r.person), phone: r.person.phone, email: r.accountEmail },
      portalAccount: r.appointment.source === 'portal' && r.appointment.bookedByAccountId !== null,
      // Cancelled meanwhile elsewhere (the patient online, a clinic system) before the desk decided.
      ...(r.v.state === 'open' && r.appointment.status !== 'booked'
        ? { state: 'cancelled' as const, outcome: 'cancelled_elsewhere' as const }
        : {
            state: r.v.state as AbsenceDetail['visits'][number]['state'],
            outcome: r.v.outcome as AbsenceDetail['visits'][number]['outcome'],
          }),
      offerDeadline: r.v.state === 'offered' && r.v.offerDeadline ? iso(r.v.offerDeadline) : null,
      newVisit: shown,
      decidedAt: r.v.decidedAt ? iso(r.v.decidedAt) : null,
    };
  });
  const open = visits.filter((v) => v.state === 'open' || v.state === 'offered').length;
  return { ...summary(a, d, open), timeZone: d.timeZone, visits };
}

/** GET /api/doctors/:id/absences: the doctor's closed days as patients read them (no comment, no diagnosis). */
export async function doctorNotices(ctx: AppContext, doctorId: number): Promise<DoctorAbsenceNotices> {
  const d = await findDoctorOfAbsence(ctx.db, doctorId);
  if (!d) throw new AppError('DOCTOR_NOT_FOUND');
  const rows = await activeAbsencesOf(ctx.db, doctorId, ctx.now());
  return {
    notices: rows.map((a) => {
      const { fromDate, toDate } = absenceDates(a.startsAt, a.endsAt, d.timeZone);
      return {
        text: publicNotice(a.reason as AbsenceReason, fromDate, toDate),
        startsAt: iso(a.startsAt),
        endsAt: iso(a.endsAt),
      };
    }),
  };
}
