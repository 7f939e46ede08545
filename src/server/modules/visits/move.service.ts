// Moving a visit (перенос, SPEC section 8a): this account's own portal booking, still booked,
// before the cancel time, to another time of the same doctor or of another doctor of the same
// specialty and organisation. One transaction: lock the old visit, check, cancel it as moved
// (by the patient, on the portal), book the new time through the one booking write with every
// booking rule re-checked under the person's lock, name the old visit on the new one, and free
// the old slot (to the waitlist first). The old visit is cancelled before the new time is
// checked, so it no longer counts against the person's limits (one per specialty, no overlap):
// a move is never refused for the visit it replaces. Either all of it is written or nothing.
import { randomUUID } from 'node:crypto';
import type { MoveResponse } from '../../../shared/api/move.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError, type ErrorCode } from '../../errors.js';
import { renderEventRecord } from '../notify/notify.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { cancelFactsOf, loadVisibleVisit, toDetail, type Actor } from '../booking/appointments.service.js';
import {
  appointmentOfSlot,
  assertCanBook,
  drawReference,
  findSlotContext,
  namingFreeTimes,
  visitFacts,
  withBookingConflicts,
  writeAppointment,
} from '../booking/booking.service.js';
import { newVisitRow } from '../booking/booking.facts.js';
import { lockOwnedPerson } from '../booking/booking.repository.js';
import { releaseCancelledSlot } from './cancel.service.js';
import { bookingMovedEvent } from './move.emails.js';
import { cancelReasonOf, markMovedAway, setMovedFrom } from './move.repository.js';
import { moveRefusalMessage, moveTargetRefusal, moveVisitRefusal } from './move.rules.js';

function refuse(code: ErrorCode): never {
  throw new AppError(code, undefined, moveRefusalMessage(code) ?? undefined);
}

/**
 * POST /api/appointments/:id/move. As a booking of the new time: the booking's conflict policy
 * (a second active appointment of the slot is SLOT_TAKEN, overlapping visits
 * OVERLAPPING_APPOINTMENT) and a SLOT_TAKEN answer naming the doctor's nearest free times.
 * Not through the portal booking's in-process queue per slot (fast/in-flight.ts): the visit is
 * checked first, so two moves of one visit - to one time or two - wait for each other on the
 * old visit's lock, and the second is refused with VISIT_ALREADY_MOVED.
 */
export async function moveAppointment(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
  input: { slotId: number },
): Promise<MoveResponse> {
  return namingFreeTimes(ctx, input.slotId, () =>
    withBookingConflicts(() => ctx.db.transaction((tx) => moveInTx(ctx, tx, actor, appointmentId, input.slotId))),
  );
}

async function moveInTx(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  appointmentId: string,
  slotId: number,
): Promise<MoveResponse> {
  const now = ctx.now();
  // The old visit, locked: a second move (or a cancel) of it waits here.
  const { row, viewer } = await loadVisibleVisit(tx, actor, appointmentId, true);
  const settings = await getRegionSettings(tx);
  const visitRefusal = moveVisitRefusal(
    {
      ...cancelFactsOf(row, actor.accountId, settings.cutoffTime),
      cancelReason: row.status === 'cancelled' ? await cancelReasonOf(tx, row.id) : null,
    },
    now,
  );
  if (visitRefusal) refuse(visitRefusal);

  // The person first, then the new slot: the order every booking locks in.
  const person = await lockOwnedPerson(tx, actor.accountId, row.person.id);
  if (!person) throw new AppError('PERSON_NOT_FOUND');
  const target = await findSlotContext(tx, slotId, true);
  if (!target) throw new AppError('SLOT_NOT_FOUND');
  const targetRefusal = moveTargetRefusal(
    { slotId: row.slotId, doctorId: row.doctor.id, specialtyId: row.specialty.id, organisationId: row.organisation.id },
    {
      slotId: target.slot.id,
      doctorId: target.doctor.id,
      specialtyId: target.specialty.id,
      organisationId: target.organisation.id,
      slot: target.slot,
      timeZone: target.organisation.timeZone,
      horizonDays: settings.horizonDays,
    },
    { accountId: actor.accountId, personId: person.id },
    now,
  );
  if (targetRefusal) refuse(targetRefusal);

  // Cancel first: the old visit stops counting against the person's limits.
  if (!(await markMovedAway(tx, row.id, actor.accountId, now))) refuse('ALREADY_CANCELLED');
  // The referral the new time needs, if any: the old visit's, given back by its cancel just
  // above, follows it (or another valid one of the person's).
  const referralId = await assertCanBook(
    tx,
    { slotId, personId: person.id, accountId: actor.accountId },
    person,
    target,
    settings,
    now,
    'book',
  );

  const newId = randomUUID();
  const reference = drawReference();
  const oldFacts = visitFacts(
    { appointmentId: row.id, reference: row.reference, startAt: row.startAt },
    row.person,
    row,
    settings.cutoffTime,
  );
  const newFacts = visitFacts(
    { appointmentId: newId, reference, startAt: target.slot.startAt },
    person,
    target,
    settings.cutoffTime,
  );
  await writeAppointment(tx, {
    appointmentId: newId,
    reference,
    ...appointmentOfSlot(target, person.id),
    source: 'portal',
    bookedByAccountId: actor.accountId,
    bookedByStaffAccountId: null,
    bookedByApiKeyId: null,
    externalOrgId: null,
    externalId: null,
    createdAt: now,
    // The person is locked and the rules were checked against the appointments read under that lock.
    seenActiveIds: null,
    referralId,
    event: renderEventRecord(
      { publicUrl: ctx.config.publicUrl },
      bookingMovedEvent(actor.accountId, oldFacts, newFacts),
    ),
  });
  await setMovedFrom(tx, newId, row.id);
  // The old time: free again, offered to the waitlist first, as after a cancel.
  await releaseCancelledSlot(ctx, tx, { slotId: row.slotId, personId: person.id }, now);

  const detail = toDetail(
    newVisitRow(newId, reference, target, person, actor.accountId),
    person,
    viewer,
    settings.cutoffTime,
    now,
  );
  return {
    ...detail,
    movedFrom: {
      id: row.id,
      reference: row.reference,
      startAt: row.startAt.toISOString(),
      localStart: localDateTimeOf(row.startAt, row.organisation.timeZone),
    },
  };
}
