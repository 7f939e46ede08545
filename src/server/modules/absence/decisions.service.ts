// What happens to each visit a doctor's absence affected (SPEC section 8): the desk cancels
// it «по решению медицинской организации», or moves it to another doctor of the same
// specialty and organisation. A portal booking's account is offered the move (the new time
// held for it until a deadline, like a waitlist offer): confirm books the new visit and
// cancels the old one in one transaction; decline or expiry cancels the old one and points
// to the waitlist. A visit made through another channel (no portal account to ask) is moved
// directly — the registry has phoned the patient — and goes on the call list.
//
// One transaction per visit decision. Locks, always in this order: the affected-visit row,
// the old appointment, the person, the new slot — so two clerks deciding the same visit, or a
// clerk and the patient answering, queue on the first row and the second sees the outcome.
// A repeated decision is answered with the visit as it is (idempotent).
import { randomUUID } from 'node:crypto';
import type { AppointmentDetail, ChannelVisit } from '../../../shared/api/index.js';
import type { BulkDecisionBody, MoveOffer, VisitDecisionBody } from '../../../shared/api/absence.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError, type ErrorCode } from '../../errors.js';
import {
  bookHeldForOffer,
  findSlotContext,
  findVisit,
  type VisitRow,
  withBookingConflicts,
} from '../booking/booking.service.js';
import { toDetail, viewerOf, type Actor } from '../booking/appointments.service.js';
import { bookInTx, cancelInTx, type ChannelActor } from '../channels/channel-booking.service.js';
import { fullName } from '../../../shared/person.js';
import { notify } from '../notify/notify.service.js';
import { recordAudit } from '../region/audit.service.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { offerFreedTime } from '../visits/cancel.service.js';
import { clinicCancelledEvent, moveOfferedEvent } from './absence.emails.js';
import { assignNearest, moveDeadline, moveRefusal } from './absence.rules.js';
import {
  claimDueMove,
  clearMoveHold,
  findAbsence,
  findDoctorOfAbsence,
  freeTimesOf,
  holdSlotForMove,
  lockAbsenceVisit,
  lockVisitByOffer,
  openVisitIds,
  releaseMoveHold,
  selectMoveView,
  selectMoveViews,
  updateAbsenceVisit,
  type AbsenceRow,
  type AbsenceVisitRow,
} from './absence.repository.js';
import { ownAbsence, type AbsenceStaff } from './absence.service.js';

/** The clinic acting through the channels core: the registrar (or administrator) who decided. */
function clinicActor(organisationId: number, accountId: string): ChannelActor {
  return { kind: 'staff', organisationId, accountId, role: 'registrar', doctorId: null };
}

function isPortal(row: VisitRow): row is VisitRow & { bookedByAccountId: string } {
  return row.source === 'portal' && row.bookedByAccountId !== null;
}

/** Tells a portal account that its visit was cancelled because the doctor cannot receive. */
async function tellCancelled(
  ctx: AppContext,
  tx: Db,
  row: VisitRow,
  why: 'clinic' | 'declined' | 'expired',
  now: Date,
): Promise<void> {
  if (!isPortal(row)) return;
  await notify(
    tx,
    { publicUrl: ctx.config.publicUrl },
    clinicCancelledEvent(row.bookedByAccountId, {
      appointmentId: row.id,
      personName: fullName(row.person),
      startAt: row.startAt,
      timeZone: row.organisation.timeZone,
      doctorName: fullName(row.doctor),
      specialty: row.specialty.name,
      organisationName: row.organisation.name,
      phone: row.organisation.phone,
      why,
      waitlistLink: `/waitlist/join?doctor=${row.doctor.id}`,
    }),
    now,
  );
}

type Decision = { action: 'cancel' } | { action: 'move'; slotId: number };

/** One decision inside `tx`: the affected-visit row is locked by the caller. */
async function applyDecision(
  ctx: AppContext,
  tx: Db,
  staff: AbsenceStaff,
  absence: AbsenceRow,
  v: AbsenceVisitRow,
  decision: Decision,
  now: Date,
): Promise<void> {
  const key = { absenceId: absence.id, appointmentId: v.appointmentId };
  if (v.state !== 'open') {
    const same =
      (decision.action === 'cancel' && v.state === 'cancelled' && v.outcome === 'cancelled_by_clinic') ||
      (decision.action === 'move' &&
        (v.state === 'offered' || v.state === 'moved') &&
        v.offerSlotId === decision.slotId);
    if (same) return;
    throw new AppError('VISIT_ALREADY_DECIDED');
  }
  const row = await findVisit(tx, v.appointmentId, true);
  if (!row) throw new AppError('VISIT_NOT_AFFECTED');
  if (row.status !== 'booked') {
    // Cancelled meanwhile elsewhere (the patient online, a clinic system): nothing left to decide.
    await updateAbsenceVisit(tx, key, {
      state: 'cancelled',
      outcome: 'cancelled_elsewhere',
      decidedAt: now,
      decidedBy: staff.accountId,
    });
    return;
  }
  const actor = clinicActor(staff.organisationId, staff.accountId);

  if (decision.action === 'cancel') {
    await cancelInTx(ctx, tx, actor, { appointmentId: row.id, by: 'clinic', notice: false, evenIfStarted: true }, now);
    await updateAbsenceVisit(tx, key, {
      state: 'cancelled',
      outcome: 'cancelled_by_clinic',
      decidedAt: now,
      decidedBy: staff.accountId,
    });
    await tellCancelled(ctx, tx, row, 'clinic', now);
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'absence.visit_cancel',
        entityType: 'appointment',
        entityId: row.id,
        details: { absenceId: absence.id },
      },
      now,
    );
    return;
  }

  const target = await findSlotContext(tx, decision.slotId, isPortal(row));
  if (!target) throw new AppError('SLOT_NOT_FOUND');
  const lapsedHold =
    target.slot.status === 'held' &&
    target.slot.holdOfferId === null &&
    target.slot.heldUntil !== null &&
    target.slot.heldUntil.getTime() <= now.getTime();
  const refusal = moveRefusal(
    { doctorId: row.doctor.id, organisationId: row.organisation.id, specialtyId: row.specialty.id },
    {
      doctorId: target.doctor.id,
      organisationId: target.organisation.id,
      specialtyId: target.specialty.id,
      doctorActive: target.doctor.active,
      free: target.slot.status === 'free' || lapsedHold,
      startAt: target.slot.startAt,
    },
    now,
  );
  if (refusal) throw new AppError(refusal);

  if (isPortal(row)) {
    const settings = await getRegionSettings(tx);
    const deadline = moveDeadline(
      now,
      target.slot.startAt,
      target.organisation.timeZone,
      effectiveCutoff(settings.cutoffTime, target.organisation.cutoffOverride),
      settings.offerWindowHours,
    );
    if (!deadline) throw new AppError('MOVE_TOO_LATE');
    const offerId = randomUUID();
    if (!(await holdSlotForMove(tx, target.slot.id, row.person.id, row.bookedByAccountId, offerId, deadline)))
      throw new AppError('SLOT_TAKEN');
    await updateAbsenceVisit(tx, key, {
      state: 'offered',
      offerId,
      offerSlotId: target.slot.id,
      offerDeadline: deadline,
      decidedAt: now,
      decidedBy: staff.accountId,
    });
    await notify(
      tx,
      { publicUrl: ctx.config.publicUrl },
      moveOfferedEvent(row.bookedByAccountId, {
        offerId,
        personName: fullName(row.person),
        timeZone: row.organisation.timeZone,
        organisationName: row.organisation.name,
        address: row.organisation.address,
        phone: row.organisation.phone,
        specialty: row.specialty.name,
        old: { startAt: row.startAt, doctorName: fullName(row.doctor) },
        offered: { startAt: target.slot.startAt, doctorName: fullName(target.doctor), room: target.doctor.room },
        deadline,
      }),
      now,
    );
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'absence.move_offer',
        entityType: 'appointment',
        entityId: row.id,
        details: { absenceId: absence.id, slotId: target.slot.id, deadline: deadline.toISOString() },
      },
      now,
    );
    return;
  }

  // Another channel's patient: moved at once (the registry phoned them); the old visit is
  // cancelled first so that the per-specialty limit counts the new one only.
  await cancelInTx(ctx, tx, actor, { appointmentId: row.id, by: 'clinic', notice: false, evenIfStarted: true }, now);
  const moved: ChannelVisit = await bookInTx(
    tx,
    actor,
    { patientId: row.person.id, slotId: target.slot.id, externalId: null },
    'registry',
    now,
  );
  await updateAbsenceVisit(tx, key, {
    state: 'moved',
    outcome: 'moved_by_clinic',
    offerSlotId: target.slot.id,
    newAppointmentId: moved.id,
    decidedAt: now,
    decidedBy: staff.accountId,
  });
  await recordAudit(
    tx,
    {
      actorAccountId: staff.accountId,
      action: 'absence.move',
      entityType: 'appointment',
      entityId: row.id,
      details: { absenceId: absence.id, newAppointmentId: moved.id },
    },
    now,
  );
}

/** POST /api/desk/absences/:absenceId/visits/:appointmentId/decide. */
export async function decideVisit(
  ctx: AppContext,
  staff: AbsenceStaff,
  absenceId: number,
  appointmentId: string,
  decision: VisitDecisionBody,
): Promise<void> {
  const now = ctx.now();
  await withBookingConflicts(() =>
    ctx.db.transaction(async (tx) => {
      const absence = await ownAbsence(tx, staff, absenceId);
      const v = await lockAbsenceVisit(tx, absence.id, appointmentId);
      if (!v) throw new AppError('VISIT_NOT_AFFECTED');
      await applyDecision(ctx, tx, staff, absence, v, decision as Decision, now);
    }),
  );
}

/** Codes a visit of "all at once" may be refused with; such a visit is left for the desk to decide alone. */
const LEFT_FOR_THE_DESK: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SLOT_TAKEN',
  'OVERLAPPING_APPOINTMENT',
  'MOVE_TOO_LATE',
  'SPECIALTY_LIMIT_REACHED',
  'VISIT_ALREADY_DECIDED',
  'PERSON_NOT_CONFIRMED',
  'AGE_RESTRICTED',
  'SEX_RESTRICTED',
  'SLOT_BEYOND_HORIZON',
]);

/**
 * POST /api/desk/absences/:absenceId/decide-all: every undecided visit, one transaction each.
 * Move: to the free time nearest the old time among the chosen doctors' (same specialty and
 * organisation, not the absent doctor), each time used once. A visit that cannot be decided
 * so (no time left, a rule refuses, too late to ask) stays open and is counted in `left`.
 */
export async function decideAll(
  ctx: AppContext,
  staff: AbsenceStaff,
  absenceId: number,
  body: BulkDecisionBody,
): Promise<{ decided: number; left: number }> {
  const now = ctx.now();
  const absence = await ownAbsence(ctx.db, staff, absenceId);
  const open = await openVisitIds(ctx.db, absence.id);
  let plan: Map<string, Decision | null>;
  if (body.action === 'cancel') {
    plan = new Map(open.map((v) => [v.appointmentId, { action: 'cancel' as const }]));
  } else {
    const absent = await findDoctorOfAbsence(ctx.db, absence.doctorId);
    if (!absent) throw new AppError('ABSENCE_NOT_FOUND');
    const doctorIds = [...new Set(body.doctorIds)];
    for (const id of doctorIds) {
      const d = await findDoctorOfAbsence(ctx.db, id);
      if (!d || d.organisationId !== staff.organisationId) throw new AppError('DOCTOR_NOT_FOUND');
      if (d.id === absent.id) throw new AppError('MOVE_SAME_DOCTOR');
      if (d.specialtyId !== absent.specialtyId || !d.active) throw new AppError('MOVE_OTHER_SPECIALTY');
    }
    const { horizonDays } = await getRegionSettings(ctx.db);
    const free = await freeTimesOf(ctx.db, doctorIds, now, new Date(now.getTime() + horizonDays * 86_400_000));
    const assigned = assignNearest(open, free, doctorIds);
    plan = new Map(
      open.map((v) => {
        const t = assigned.get(v.appointmentId);
        return [v.appointmentId, t ? { action: 'move' as const, slotId: t.slotId } : null];
      }),
    );
  }
  let decided = 0;
  let left = 0;
  for (const v of open) {
    const decision = plan.get(v.appointmentId);
    if (!decision) {
      left += 1;
      continue;
    }
    try {
      await decideVisit(ctx, staff, absence.id, v.appointmentId, decision);
      decided += 1;
    } catch (err) {
      if (err instanceof AppError && LEFT_FOR_THE_DESK.has(err.code)) {
        left += 1;
        continue;
      }
      throw err;
    }
  }
  return { decided, left };
}

// ---------- the patient's answer ----------

/** The move offer of this account, locked; MOVE_NOT_FOUND for anyone else's. */
async function lockOwnMove(
  tx: Db,
  accountId: string,
  offerId: string,
): Promise<{ v: AbsenceVisitRow; row: VisitRow; absence: AbsenceRow }> {
  const v = await lockVisitByOffer(tx, offerId);
  if (!v) throw new AppError('MOVE_NOT_FOUND');
  const row = await findVisit(tx, v.appointmentId, true);
  if (row?.source !== 'portal' || row.bookedByAccountId !== accountId) throw new AppError('MOVE_NOT_FOUND');
  const absence = await findAbsence(tx, v.absenceId);
  if (!absence) throw new AppError('MOVE_NOT_FOUND');
  return { v, row, absence };
}

function assertMoveAnswerable(v: AbsenceVisitRow, now: Date): void {
  if (v.outcome === 'expired') throw new AppError('MOVE_EXPIRED');
  if (v.state !== 'offered') throw new AppError('MOVE_ANSWERED');
  if (!v.offerDeadline || v.offerDeadline.getTime() <= now.getTime()) throw new AppError('MOVE_EXPIRED');
}

/** GET /api/moves/:id. */
export async function getMove(ctx: AppContext, actor: Actor, offerId: string): Promise<MoveOffer> {
  const r = await selectMoveView(ctx.db, actor.accountId, offerId);
  if (!r) throw new AppError('MOVE_NOT_FOUND');
  return toMoveOffer(r);
}

/** GET /api/moves: the account's move offers waiting for an answer (the card file shows them). */
export async function pendingMoves(ctx: AppContext, actor: Actor): Promise<{ moves: MoveOffer[] }> {
  const rows = await selectMoveViews(ctx.db, actor.accountId, 'pending');
  return { moves: rows.map(toMoveOffer) };
}

function toMoveOffer(r: NonNullable<Awaited<ReturnType<typeof selectMoveView>>>): MoveOffer {
  const offerId = r.v.offerId as string;
  const status: MoveOffer['status'] =
    r.v.state === 'offered'
      ? 'pending'
      : r.v.outcome === 'confirmed'
        ? 'confirmed'
        : r.v.outcome === 'expired'
          ? 'expired'
          : r.v.outcome === 'declined'
            ? 'declined'
            : 'withdrawn';
  return {
    id: offerId,
    status,
    deadline: (r.v.offerDeadline ?? r.offerSlot.startAt).toISOString(),
    personName: fullName(r.person),
    organisation: {
      id: r.organisation.id,
      name: r.organisation.name,
      address: r.organisation.address,
      phone: r.organisation.phone,
    },
    specialty: r.specialty,
    old: { startAt: r.oldStartAt.toISOString(), doctorName: fullName(r.oldDoctor) },
    offered: {
      startAt: r.offerSlot.startAt.toISOString(),
      doctorName: fullName(r.offerDoctor),
      room: r.offerDoctor.room,
    },
    newAppointmentId: r.v.newAppointmentId,
    timeZone: r.organisation.timeZone,
  };
}

/** POST /api/moves/:id/confirm: the new visit is booked and the old one cancelled, in one transaction. */
export async function confirmMove(ctx: AppContext, actor: Actor, offerId: string): Promise<AppointmentDetail> {
  const now = ctx.now();
  return withBookingConflicts(() =>
    ctx.db.transaction(async (tx) => {
      const { v, row, absence } = await lockOwnMove(tx, actor.accountId, offerId);
      assertMoveAnswerable(v, now);
      if (!v.offerSlotId || !v.decidedBy) throw new AppError('MOVE_NOT_FOUND');
      await cancelInTx(
        ctx,
        tx,
        clinicActor(absence.organisationId, v.decidedBy),
        { appointmentId: row.id, by: 'clinic', notice: false, evenIfStarted: true },
        now,
      );
      // The booking tells the account («Вы записаны»).
      const booked = await bookHeldForOffer(
        ctx,
        tx,
        { offerId, slotId: v.offerSlotId, personId: row.person.id, accountId: actor.accountId },
        now,
      );
      await clearMoveHold(tx, v.offerSlotId, offerId);
      await updateAbsenceVisit(
        tx,
        { absenceId: v.absenceId, appointmentId: v.appointmentId },
        {
          state: 'moved',
          outcome: 'confirmed',
          newAppointmentId: booked.row.id,
          answeredAt: now,
        },
      );
      return toDetail(booked.row, booked.person, viewerOf(actor, []), booked.settings.cutoffTime, now);
    }),
  );
}

/**
 * Declined or expired: the old visit is cancelled «по решению медицинской организации», the
 * held time is released (to the waitlist first), and the account is told how to get back in
 * line. Inside `tx`, the affected-visit row locked by the caller.
 */
async function closeMove(
  ctx: AppContext,
  tx: Db,
  v: AbsenceVisitRow,
  row: VisitRow,
  absence: AbsenceRow,
  why: 'declined' | 'expired',
  now: Date,
): Promise<void> {
  if (row.status === 'booked' && v.decidedBy) {
    await cancelInTx(
      ctx,
      tx,
      clinicActor(absence.organisationId, v.decidedBy),
      { appointmentId: row.id, by: 'clinic', notice: false, evenIfStarted: true },
      now,
    );
  }
  if (v.offerSlotId && v.offerId) {
    await releaseMoveHold(tx, v.offerSlotId, v.offerId);
    await offerFreedTime(ctx, tx, v.offerSlotId, now);
  }
  await updateAbsenceVisit(
    tx,
    { absenceId: v.absenceId, appointmentId: v.appointmentId },
    { state: 'cancelled', outcome: why, answeredAt: why === 'declined' ? now : null },
  );
  if (row.status === 'booked') await tellCancelled(ctx, tx, row, why, now);
}

/** POST /api/moves/:id/decline. Returns where to join the waitlist. */
export async function declineMove(
  ctx: AppContext,
  actor: Actor,
  offerId: string,
): Promise<{ ok: true; doctorId: number }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { v, row, absence } = await lockOwnMove(tx, actor.accountId, offerId);
    assertMoveAnswerable(v, now);
    await closeMove(ctx, tx, v, row, absence, 'declined', now);
    return { ok: true as const, doctorId: row.doctor.id };
  });
}

/** Background step (worker): move offers past their deadline take the decline's path. Returns how many expired. */
export async function expireDueMoves(ctx: AppContext, limit = 200): Promise<number> {
  const now = ctx.now();
  let expired = 0;
  for (let i = 0; i < limit; i++) {
    const done = await ctx.db.transaction(async (tx) => {
      const v = await claimDueMove(tx, now);
      if (!v) return false;
      const row = await findVisit(tx, v.appointmentId, true);
      const absence = await findAbsence(tx, v.absenceId);
      if (!row || !absence) return false;
      await closeMove(ctx, tx, v, row, absence, 'expired', now);
      return true;
    });
    if (!done) break;
    expired += 1;
  }
  return expired;
}
