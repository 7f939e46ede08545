// The FHIR R4 writes' use cases for a clinic system's API key: create an Appointment (also
// `$book`) through the integration push, and change an appointment's status through the
// integration status endpoint's use case, guarded by the version the client read (If-Match).
// No booking or status write of its own: the channels core does both, with every portal rule.
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { ApiCaller } from './apikeys.service.js';
import { appointmentVersion } from './fhir.version.js';
import { isPatientVisible, lockOrganisationAppointment } from './fhir.resources.repository.js';
import type { AppointmentInfo } from './integration.repository.js';
import { appointmentOf, pushAppointment, slotOf, updateAppointmentStatus } from './integration.service.js';
import { type BookingRequest, type RequestedStatus, statusChange } from './fhir.write.rules.js';

/**
 * Books as the integration push does (same source rules, same patient resolution, same
 * transaction). A patient given by reference must be one the organisation already sees (a
 * visit there), else PATIENT_NOT_FOUND; a Practitioner named beside a slot must be its doctor.
 * `created: false` when the clinic's id (externalId) was pushed before: the same appointment.
 */
export async function createAppointment(
  ctx: AppContext,
  caller: ApiCaller,
  request: BookingRequest,
): Promise<{ created: boolean; appointment: AppointmentInfo }> {
  const patient = 'patientId' in request.patient ? { patientId: request.patient.patientId } : request.patient.identity;
  if ('patientId' in patient && !(await isPatientVisible(ctx.db, caller.organisationId, patient.patientId))) {
    throw new AppError('PATIENT_NOT_FOUND');
  }
  if (request.practitionerId !== undefined && 'slotId' in request.slot) {
    const slot = await slotOf(ctx, caller, request.slot.slotId);
    if (slot.doctorId !== request.practitionerId) {
      throw new AppError(
        'VALIDATION_FAILED',
        { field: 'participant' },
        'Appointment.participant: врач (Practitioner) не тот, чьё это время (Slot).',
      );
    }
  }
  const { created, appointment } = await pushAppointment(ctx, caller, {
    ...request.slot,
    patient,
    ...(request.externalId !== undefined ? { externalId: request.externalId } : {}),
    ...(request.source !== undefined ? { source: request.source } : {}),
  });
  return { created, appointment: await appointmentOf(ctx, caller, appointment.id) };
}

/**
 * Changes the status of an appointment of the organisation when `ifMatch` is its current
 * version: the row is locked, its version compared (FHIR_VERSION_CONFLICT when another change
 * came first), then the integration status use case runs in the same transaction. `requested`
 * reads the client's request against the appointment as it is (PUT and JSON Patch differ).
 * The same status again changes nothing (`changed: false`).
 */
export async function updateStatus(
  ctx: AppContext,
  caller: ApiCaller,
  appointmentId: string,
  ifMatch: string | null | 'invalid',
  requested: (current: AppointmentInfo) => RequestedStatus,
): Promise<{ changed: boolean; appointment: AppointmentInfo }> {
  const current = await appointmentOf(ctx, caller, appointmentId);
  if (ifMatch === null) throw new AppError('FHIR_IF_MATCH_REQUIRED');
  if (ifMatch === 'invalid') {
    throw new AppError('VALIDATION_FAILED', { header: 'If-Match' }, 'Заголовок If-Match: укажите W/"<versionId>".');
  }
  const version = appointmentVersion(current.changedUs).versionId;
  if (ifMatch !== version) throw new AppError('FHIR_VERSION_CONFLICT', { versionId: version });
  const asked = requested(current);
  const change = statusChange(current, asked);
  if (change.kind === 'refused') throw new AppError('FHIR_CHANGE_NOT_SUPPORTED');
  if (change.kind === 'none') return { changed: false, appointment: current };

  await ctx.db.transaction(async (tx) => {
    if (!(await lockOrganisationAppointment(tx, caller.organisationId, appointmentId))) {
      throw new AppError('APPOINTMENT_NOT_FOUND');
    }
    // Under the lock: a change committed since the read above moved the version.
    const locked = await appointmentOf({ ...ctx, db: tx }, caller, appointmentId);
    const now = appointmentVersion(locked.changedUs).versionId;
    if (now !== version) throw new AppError('FHIR_VERSION_CONFLICT', { versionId: now });
    await updateAppointmentStatus({ ...ctx, db: tx }, caller, { id: appointmentId }, change.input);
  });
  return { changed: true, appointment: await appointmentOf(ctx, caller, appointmentId) };
}
