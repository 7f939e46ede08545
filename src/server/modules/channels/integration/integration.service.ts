// The integration API's use cases for a clinic system holding an API key of one organisation:
// read its doctors, slots and appointments (the change feed), push an appointment made in
// its own system (idempotent by its externalId) and record a visit's outcome or a
// cancellation. Bookings and status changes go through the channels core, which applies
// every rule of the portal; anything of another organisation is "not found".
import type { IntegrationAppointment } from '../../../../shared/api/index.js';
import { addDays, localDateTimeOf, zonedToInstant } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { assertBirthDateNotInFuture } from '../../identity/persons.service.js';
import type { ApiCaller } from './apikeys.service.js';
import { bookForPatient, cancelForPatient, setVisitOutcome } from '../channel-booking.service.js';
import type { ChannelActor, ChannelSource } from '../channels.rules.js';
import { resolvePushedPatient } from './integration.patients.js';
import {
  findOrganisation,
  findOrganisationAppointment,
  findOrganisationSlot,
  findSlotIdByStart,
  legacyCursorPosition,
  listAppointmentChanges,
  listAppointmentsStarting,
  listOrganisationDoctors,
  listOrganisationSlots,
  type AppointmentInfo,
  type DoctorInfo,
  type OrganisationInfo,
  type SlotInfo,
} from './integration.repository.js';
import { decodeCursor, encodeCursor } from './integration.rules.js';
import { fullName } from '../../../../shared/person.js';
import type { PersonIdentity } from '../../../../shared/person.js';

function actorOf(caller: ApiCaller): ChannelActor {
  return { kind: 'api', organisationId: caller.organisationId, apiKeyId: caller.apiKeyId, channel: caller.channel };
}

/** The key's organisation. */
export async function callerOrganisation(ctx: AppContext, caller: ApiCaller): Promise<OrganisationInfo> {
  const org = await findOrganisation(ctx.db, caller.organisationId);
  if (!org) throw new AppError('ORGANISATION_NOT_FOUND');
  return org;
}

export function toIntegrationAppointment(a: AppointmentInfo, timeZone: string): IntegrationAppointment {
  return {
    id: a.id,
    reference: a.reference,
    externalId: a.externalId,
    source: a.source as IntegrationAppointment['source'],
    status: a.status as IntegrationAppointment['status'],
    cancelledBy: (a.cancelledBy as IntegrationAppointment['cancelledBy']) ?? null,
    cancelReason: (a.cancelReason as IntegrationAppointment['cancelReason']) ?? null,
    releasedAt: a.releasedAt?.toISOString() ?? null,
    movedFromId: a.movedFromId,
    slotId: a.slotId,
    doctor: { id: a.doctor.id, name: fullName(a.doctor), specialty: a.doctor.specialty, room: a.doctor.room },
    startAt: a.startAt.toISOString(),
    endAt: a.endAt.toISOString(),
    localStart: localDateTimeOf(a.startAt, timeZone),
    timeZone,
    patient: {
      lastName: a.patient.lastName,
      firstName: a.patient.firstName,
      middleName: a.patient.middleName,
      birthDate: a.patient.birthDate,
      sex: a.patient.sex as 'M' | 'F',
      snils: a.patient.snils,
      policy: a.patient.policy,
    },
    createdAt: a.createdAt.toISOString(),
    changedAt: new Date(Number(BigInt(a.changedUs) / 1000n)).toISOString(),
  };
}

export async function organisationDoctors(
  ctx: AppContext,
  caller: ApiCaller,
  doctorId?: number,
): Promise<{ organisation: OrganisationInfo; doctors: DoctorInfo[] }> {
  const organisation = await callerOrganisation(ctx, caller);
  const doctors = await listOrganisationDoctors(ctx.db, caller.organisationId, doctorId);
  return { organisation, doctors };
}

/** Slots starting in [from, to) of the organisation's doctors, or of one (DOCTOR_NOT_FOUND when not the organisation's). */
export async function slotsInWindow(
  ctx: AppContext,
  caller: ApiCaller,
  q: { doctorId?: number; from: Date; to: Date },
): Promise<{ organisation: OrganisationInfo; slots: SlotInfo[] }> {
  const organisation = await callerOrganisation(ctx, caller);
  if (
    q.doctorId !== undefined &&
    (await listOrganisationDoctors(ctx.db, caller.organisationId, q.doctorId)).length === 0
  ) {
    throw new AppError('DOCTOR_NOT_FOUND');
  }
  const slots = await listOrganisationSlots(ctx.db, { organisationId: caller.organisationId, ...q });
  return { organisation, slots };
}

/** Local dates [from, to] (inclusive) in the organisation's zone as an instant window. */
export function localDaysWindow(from: string, to: string, timeZone: string): { from: Date; to: Date } {
  return { from: zonedToInstant(from, '00:00', timeZone), to: zonedToInstant(addDays(to, 1), '00:00', timeZone) };
}

/** Appointments whose visit starts in [from, to), of the organisation or of one of its doctors. */
export async function appointmentsInWindow(
  ctx: AppContext,
  caller: ApiCaller,
  q: { doctorId?: number; from: Date; to: Date },
): Promise<{ organisation: OrganisationInfo; appointments: AppointmentInfo[] }> {
  const organisation = await callerOrganisation(ctx, caller);
  if (
    q.doctorId !== undefined &&
    (await listOrganisationDoctors(ctx.db, caller.organisationId, q.doctorId)).length === 0
  ) {
    throw new AppError('DOCTOR_NOT_FOUND');
  }
  const appointments = await listAppointmentsStarting(ctx.db, { organisationId: caller.organisationId, ...q });
  return { organisation, appointments };
}

/**
 * The change feed: appointments made or changed after the cursor, in the order of the change
 * log (migration 0012), each at its latest change. No hold-back: a change is readable once
 * every older transaction has finished, and a cursor never passes over one.
 */
export async function appointmentChanges(
  ctx: AppContext,
  caller: ApiCaller,
  q: { since?: string; limit: number; source?: string },
): Promise<{ appointments: IntegrationAppointment[]; nextCursor: string | null; hasMore: boolean }> {
  const decoded = q.since !== undefined ? decodeCursor(q.since) : null;
  if (q.since !== undefined && decoded === null) {
    throw new AppError(
      'VALIDATION_FAILED',
      { field: 'since' },
      'Неверный курсор: передайте значение nextCursor из предыдущего ответа.',
    );
  }
  const organisation = await callerOrganisation(ctx, caller);
  const after =
    decoded === null
      ? null
      : decoded.kind === 'log'
        ? decoded.position
        : await legacyCursorPosition(ctx.db, caller.organisationId, decoded.position);
  const rows = await listAppointmentChanges(ctx.db, {
    organisationId: caller.organisationId,
    after,
    source: q.source,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    appointments: page.map((r) => toIntegrationAppointment(r.appointment, organisation.timeZone)),
    nextCursor: last ? encodeCursor(last.position) : after ? encodeCursor(after) : (q.since ?? null),
    hasMore: rows.length > q.limit,
  };
}

export type AppointmentKey = { id: string } | { externalId: string };

export async function getAppointment(
  ctx: AppContext,
  caller: ApiCaller,
  by: AppointmentKey,
): Promise<IntegrationAppointment> {
  const organisation = await callerOrganisation(ctx, caller);
  const row = await findOrganisationAppointment(ctx.db, caller.organisationId, by);
  if (!row) throw new AppError('APPOINTMENT_NOT_FOUND');
  return toIntegrationAppointment(row, organisation.timeZone);
}

export interface PushInput {
  /**
   * The clinic system's id of the appointment: the same id again returns the appointment it made.
   * Required by the JSON API; a FHIR create or $book may leave it out (then a retry books again).
   */
  externalId?: string;
  /** The patient's identity (found in or added to the clinic register), or a patient already known to the caller. */
  patient: PersonIdentity | { patientId: string };
  slotId?: number;
  doctorId?: number;
  startAt?: string;
  source?: ChannelSource;
}

/**
 * Records an appointment made in the clinic's own system. The same externalId again returns
 * the appointment it made (`created: false`); with another slot or patient it is refused.
 * Everything happens in one transaction: a refusal leaves no register row behind.
 */
export async function pushAppointment(
  ctx: AppContext,
  caller: ApiCaller,
  input: PushInput,
): Promise<{ created: boolean; appointment: IntegrationAppointment }> {
  if (caller.channel === 'mis' && input.source === undefined) throw new AppError('SOURCE_REQUIRED');
  if (caller.channel !== 'mis' && input.source !== undefined && input.source !== caller.channel) {
    throw new AppError('SOURCE_NOT_ALLOWED');
  }
  const identity = 'patientId' in input.patient ? null : input.patient;
  if (identity) assertBirthDateNotInFuture(identity.birthDate, ctx.now());
  let slotId = input.slotId ?? null;
  if (slotId === null && input.doctorId !== undefined && input.startAt !== undefined) {
    slotId = await findSlotIdByStart(ctx.db, caller.organisationId, input.doctorId, new Date(input.startAt));
  }
  if (slotId === null) throw new AppError('SLOT_NOT_FOUND');
  const bookedSlotId = slotId;
  const before =
    input.externalId === undefined
      ? null
      : await findOrganisationAppointment(ctx.db, caller.organisationId, { externalId: input.externalId });
  const patient = input.patient;
  const now = ctx.now();
  const visit = await ctx.db.transaction(async (tx) => {
    const patientId = 'patientId' in patient ? patient.patientId : await resolvePushedPatient(tx, patient, now);
    return bookForPatient({ ...ctx, db: tx }, actorOf(caller), {
      patientId,
      slotId: bookedSlotId,
      source: input.source,
      externalId: input.externalId,
    });
  });
  return { created: before === null, appointment: await getAppointment(ctx, caller, { id: visit.id }) };
}

/** visited / no_show, or cancelled (by the clinic unless the patient asked), of an appointment of the organisation. */
export async function updateAppointmentStatus(
  ctx: AppContext,
  caller: ApiCaller,
  by: AppointmentKey,
  input: { status: 'visited' | 'no_show' | 'cancelled'; cancelledBy: 'patient' | 'clinic' },
): Promise<IntegrationAppointment> {
  const row = await findOrganisationAppointment(ctx.db, caller.organisationId, by);
  if (!row) throw new AppError('APPOINTMENT_NOT_FOUND');
  if (input.status === 'cancelled') {
    await cancelForPatient(ctx, actorOf(caller), { appointmentId: row.id, by: input.cancelledBy });
  } else {
    await setVisitOutcome(ctx, actorOf(caller), { appointmentId: row.id, status: input.status });
  }
  return getAppointment(ctx, caller, { id: row.id });
}

/** One slot of the organisation (SLOT_NOT_FOUND for any other). */
export async function slotOf(ctx: AppContext, caller: ApiCaller, slotId: number): Promise<SlotInfo> {
  const slot = await findOrganisationSlot(ctx.db, caller.organisationId, slotId);
  if (!slot) throw new AppError('SLOT_NOT_FOUND');
  return slot;
}

/** One appointment of the organisation as stored (APPOINTMENT_NOT_FOUND for any other). */
export async function appointmentOf(
  ctx: AppContext,
  caller: ApiCaller,
  appointmentId: string,
): Promise<AppointmentInfo> {
  const row = await findOrganisationAppointment(ctx.db, caller.organisationId, { id: appointmentId });
  if (!row) throw new AppError('APPOINTMENT_NOT_FOUND');
  return row;
}
