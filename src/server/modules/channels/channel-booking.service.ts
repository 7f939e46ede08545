// Booking, cancelling and recording outcomes through the clinic's channels (SPEC section 8):
// the registry desk, the doctor, the infomat and clinic systems (the integration API). Each
// use case is one transaction that authorises by organisation first, locks the patient's
// register row and the slot, re-checks every booking rule the portal applies, and writes.
// The database guards the same invariants as for portal bookings (one active appointment
// per slot, no overlapping visits of one person).
import { randomUUID } from 'node:crypto';
import type { ChannelVisit } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { bookingCancelledEvent, type CancelledBy } from '../booking/booking.emails.js';
import {
  appointmentOfSlot,
  assertCanBook,
  drawReference,
  findSlotContext,
  findVisit,
  type VisitRow,
  visitFacts,
  withBookingConflicts,
  writeAppointment,
} from '../booking/booking.service.js';
import type { AppointmentStatus } from '../booking/visibility.rules.js';
import { notify } from '../notify/notify.service.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { releaseCancelledSlot } from '../visits/cancel.service.js';
import { toChannelVisit } from './channel-visits.js';
import {
  cancelledVia,
  channelCancelRefusal,
  outcomeRefusal,
  sourceFor,
  type ChannelActor,
  type ChannelSource,
} from './channels.rules.js';
import {
  findAppointmentIdByExternal,
  findPersonById,
  markCancelledByChannel,
  setAppointmentOutcome,
} from './patients.repository.js';
import { lockRegisterPerson } from './patients.service.js';
import { REGISTER_ACCOUNT_ID } from './register.js';
import { auditStaffAction, staffAuditActor } from './staff.audit.js';

export type { ChannelActor, ChannelSource, ChannelVisit };

function staffAccountOf(actor: ChannelActor): string | null {
  return actor.kind === 'staff' ? actor.accountId : null;
}

async function visitFor(
  tx: Db,
  ctxNow: Date,
  actor: ChannelActor,
  row: VisitRow,
  patientId: string,
): Promise<ChannelVisit> {
  const settings = await getRegionSettings(tx);
  return toChannelVisit(
    row,
    patientId,
    actor,
    effectiveCutoff(settings.cutoffTime, row.organisation.cutoffOverride),
    ctxNow,
  );
}

/** An appointment of the actor's organisation, locked; APPOINTMENT_NOT_FOUND for any other (never revealing it exists). */
async function lockOrganisationVisit(tx: Db, actor: ChannelActor, appointmentId: string): Promise<VisitRow> {
  const row = await findVisit(tx, appointmentId, true);
  if (!row || row.organisation.id !== actor.organisationId) throw new AppError('APPOINTMENT_NOT_FOUND');
  return row;
}

/** Finds an appointment pushed earlier by this organisation's system. */
export async function findByExternalId(
  ctx: AppContext,
  actor: ChannelActor,
  externalId: string,
): Promise<ChannelVisit | null> {
  const id = await findAppointmentIdByExternal(ctx.db, actor.organisationId, externalId);
  if (!id) return null;
  const row = await findVisit(ctx.db, id);
  if (!row) return null;
  return visitFor(ctx.db, ctx.now(), actor, row, row.person.id);
}

/**
 * Books a slot of one of the actor's organisation's doctors for the patient. Every portal
 * booking rule applies (confirmed person, not in the past, inside the horizon, age and sex,
 * overlap, per-specialty limit), and a live hold of anyone makes the slot taken. With an
 * `externalId` (clinic systems) the push is idempotent: the same id again returns the
 * appointment it made, the same id with another slot or patient is EXTERNAL_ID_CONFLICT.
 */
export async function bookForPatient(
  ctx: AppContext,
  actor: ChannelActor,
  input: { patientId: string; slotId: number; source?: ChannelSource; externalId?: string },
): Promise<ChannelVisit> {
  const source = sourceFor(actor, input.source);
  if (!source) throw new AppError('SOURCE_NOT_ALLOWED');
  const externalId = actor.kind === 'api' ? (input.externalId ?? null) : null;
  // The same clinic system's id pushed twice at once: the second attempt finds the first's appointment.
  return withBookingConflicts(
    () => {
      const now = ctx.now();
      return ctx.db.transaction((tx) => bookInTx(tx, actor, { ...input, externalId }, source, now));
    },
    externalId ? ['appointments_external_key'] : [],
  );
}

/** bookForPatient's write inside the caller's transaction (the absence module moves a visit with it). */
export async function bookInTx(
  tx: Db,
  actor: ChannelActor,
  input: { patientId: string; slotId: number; externalId: string | null },
  source: ChannelSource,
  now: Date,
): Promise<ChannelVisit> {
  {
    const person = await lockRegisterPerson(tx, input.patientId, now);
    if (input.externalId) {
      const existingId = await findAppointmentIdByExternal(tx, actor.organisationId, input.externalId);
      if (existingId) {
        const existing = await findVisit(tx, existingId);
        if (!existing || existing.slotId !== input.slotId || existing.person.id !== person.id)
          throw new AppError('EXTERNAL_ID_CONFLICT');
        return visitFor(tx, now, actor, existing, person.id);
      }
    }
    const slot = await findSlotContext(tx, input.slotId, true);
    if (!slot || slot.organisation.id !== actor.organisationId) throw new AppError('SLOT_NOT_FOUND');
    const settings = await getRegionSettings(tx);
    // The desk, the doctor and the clinic's systems book any slot of the organisation; a patient at the kiosk only portal ones.
    const bookedBy = source === 'infomat' ? 'patient' : 'clinic';
    // A patient at the kiosk books a specialty «по направлению» with a referral, as on the portal.
    const referralId = await assertCanBook(
      tx,
      { slotId: slot.slot.id, personId: person.id, accountId: REGISTER_ACCOUNT_ID },
      person,
      slot,
      settings,
      now,
      'book',
      bookedBy,
    );

    const appointmentId = randomUUID();
    await writeAppointment(tx, {
      appointmentId,
      reference: drawReference(),
      ...appointmentOfSlot(slot, person.id),
      source,
      bookedByAccountId: null,
      bookedByStaffAccountId: staffAccountOf(actor),
      bookedByApiKeyId: actor.kind === 'api' ? actor.apiKeyId : null,
      externalOrgId: input.externalId ? actor.organisationId : null,
      externalId: input.externalId,
      createdAt: now,
      // The register row is locked and the rules were checked against its appointments read under that lock.
      seenActiveIds: null,
      // No portal account booked it: nobody to notify.
      event: null,
      referralId,
    });
    const staff = staffAuditActor(actor);
    if (staff) {
      await auditStaffAction(
        tx,
        staff,
        'appointment.book',
        appointmentId,
        { slotId: slot.slot.id, doctorId: slot.doctor.id, patientId: person.id, source },
        now,
      );
    }
    const row = await findVisit(tx, appointmentId);
    if (!row) throw new AppError('APPOINTMENT_NOT_FOUND');
    return toChannelVisit(
      row,
      person.id,
      actor,
      effectiveCutoff(settings.cutoffTime, slot.organisation.cutoffOverride),
      now,
    );
  }
}

/** How a portal account hears who cancelled its booking. */
function cancelledByForNotice(actor: ChannelActor, by: 'patient' | 'clinic'): CancelledBy {
  if (by === 'clinic') return actor.kind === 'staff' && actor.role === 'doctor' ? 'doctor' : 'clinic';
  if (actor.kind === 'staff') return actor.role === 'registrar' ? 'registry' : 'doctor';
  if (actor.kind === 'kiosk') return 'infomat';
  return actor.channel === 'electronic_queue' ? 'electronic_queue' : actor.channel === 'mis' ? 'clinic' : actor.channel;
}

/**
 * Cancels a visit of the actor's organisation (`by`: the patient asked, or the clinic
 * cancelled it). A kiosk cancels only the identified patient's visits (`patientId`: same
 * real person) made outside the portal, before the cut-off. A portal booking's account is
 * told who cancelled. The freed slot goes to the waitlist first, as after a portal cancel.
 */
export async function cancelForPatient(
  ctx: AppContext,
  actor: ChannelActor,
  input: { appointmentId: string; by: 'patient' | 'clinic'; patientId?: string },
): Promise<ChannelVisit> {
  const now = ctx.now();
  return ctx.db.transaction((tx) => cancelInTx(ctx, tx, actor, input, now));
}

/**
 * cancelForPatient inside the caller's transaction. `notice: false` leaves telling a portal
 * account to the caller (the absence module sends its own wording).
 */
export async function cancelInTx(
  ctx: AppContext,
  tx: Db,
  actor: ChannelActor,
  input: {
    appointmentId: string;
    by: 'patient' | 'clinic';
    patientId?: string;
    notice?: boolean;
    evenIfStarted?: boolean;
  },
  now: Date,
): Promise<ChannelVisit> {
  {
    const row = await lockOrganisationVisit(tx, actor, input.appointmentId);
    if (actor.kind === 'kiosk') {
      const patient = input.patientId ? await findPersonById(tx, input.patientId) : null;
      if (!patient || patient.snils !== row.person.snils) {
        throw new AppError('APPOINTMENT_NOT_FOUND');
      }
    }
    const settings = await getRegionSettings(tx);
    const cutoff = effectiveCutoff(settings.cutoffTime, row.organisation.cutoffOverride);
    const refusal = channelCancelRefusal(
      actor,
      {
        source: row.source as ChannelVisit['source'],
        status: row.status as AppointmentStatus,
        startAt: row.startAt,
        timeZone: row.organisation.timeZone,
        cutoff,
      },
      now,
    );
    // A visit in a doctor's closed time whose move went unanswered is cancelled even once its time passed.
    if (refusal && !(refusal === 'VISIT_IN_PAST' && input.evenIfStarted && row.status === 'booked'))
      throw new AppError(refusal);

    const by = actor.kind === 'kiosk' ? 'patient' : input.by;
    await markCancelledByChannel(tx, row.id, { by, via: cancelledVia(actor), accountId: staffAccountOf(actor), now });
    const staff = staffAuditActor(actor);
    if (staff) {
      await auditStaffAction(
        tx,
        staff,
        'appointment.cancel',
        row.id,
        { slotId: row.slotId, doctorId: row.doctor.id, by, source: row.source },
        now,
      );
    }
    if (row.source === 'portal' && row.bookedByAccountId && input.notice !== false) {
      await notify(
        tx,
        { publicUrl: ctx.config.publicUrl },
        bookingCancelledEvent(
          row.bookedByAccountId,
          visitFacts(
            { appointmentId: row.id, reference: row.reference, startAt: row.startAt },
            row.person,
            row,
            settings.cutoffTime,
          ),
          cancelledByForNotice(actor, by),
        ),
        now,
      );
    }
    // Free again, and offered to the waitlist first, as after a portal cancel.
    await releaseCancelledSlot(ctx, tx, { slotId: row.slotId, personId: row.person.id }, now);
    return toChannelVisit(
      { ...row, status: 'cancelled', cancelledBy: by },
      input.patientId ?? row.person.id,
      actor,
      cutoff,
      now,
    );
  }
}

/** Records that a visit took place or the patient did not come (staff of the organisation, clinic systems). */
export async function setVisitOutcome(
  ctx: AppContext,
  actor: ChannelActor,
  input: { appointmentId: string; status: 'visited' | 'no_show' },
): Promise<ChannelVisit> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const row = await lockOrganisationVisit(tx, actor, input.appointmentId);
    if (actor.kind === 'kiosk') throw new AppError('FORBIDDEN');
    if (actor.kind === 'staff' && actor.role === 'doctor' && actor.doctorId !== row.doctor.id)
      throw new AppError('APPOINTMENT_NOT_FOUND');
    const refusal = outcomeRefusal({ status: row.status as AppointmentStatus, startAt: row.startAt }, now);
    if (refusal) throw new AppError(refusal);
    const via = actor.kind === 'staff' ? (actor.role === 'doctor' ? 'doctor' : 'registry') : 'integration';
    await setAppointmentOutcome(tx, row.id, input.status, now, via);
    return visitFor(tx, now, actor, { ...row, status: input.status }, row.person.id);
  });
}
