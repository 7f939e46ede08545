// The registry desk and the doctor's office (SPEC section 8) on top of the channels core:
// the organisation's doctors and their schedules, one patient with their visits here, and
// blocking / freeing the organisation's slots. Every function takes the staff member's
// organisation and refuses anything of another one.
import type { ScheduleResponse, StaffDoctorsResponse, StaffPatientResponse } from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { findActiveDoctorCard, listOrganisations, type DoctorCardRow } from '../../catalogue/catalogue.service.js';
import type { CurrentSession } from '../../session/session.js';
import { getDoctorSchedule, listDoctorSummaries, type ScheduleQuery } from '../../schedule/schedule.service.js';
import { offerFreedTime } from '../../visits/cancel.service.js';
import type { ChannelActor } from '../channels.rules.js';
import { getPatient, patientVisits } from '../patients.service.js';
import { lockSlotWithOrganisation, markSlotBlocked, markSlotFree, slotStatus } from './desk.repository.js';
import { auditStaffAction, type StaffAuditActor } from '../staff.audit.js';

/** A signed-in registrar or doctor with the organisation they work for. */
export interface StaffSession extends CurrentSession {
  role: 'registrar' | 'doctor';
  organisationId: number;
}

export function staffActor(s: StaffSession): ChannelActor {
  return {
    kind: 'staff',
    organisationId: s.organisationId,
    accountId: s.accountId,
    role: s.role,
    doctorId: s.doctorId,
  };
}

/** The organisation and its active doctors with their free time. */
export async function organisationDoctors(ctx: AppContext, organisationId: number): Promise<StaffDoctorsResponse> {
  const organisation = (await listOrganisations(ctx)).find((o) => o.id === organisationId);
  if (!organisation) throw new AppError('FORBIDDEN');
  return { organisation, doctors: await listDoctorSummaries(ctx, { organisationId }) };
}

/** An active doctor of the organisation; DOCTOR_NOT_FOUND for anyone else's. */
export async function organisationDoctor(
  ctx: AppContext,
  organisationId: number,
  doctorId: number,
): Promise<DoctorCardRow> {
  const card = await findActiveDoctorCard(ctx.db, doctorId);
  if (!card || card.organisation.id !== organisationId) throw new AppError('DOCTOR_NOT_FOUND');
  return card;
}

/** A doctor's schedule as staff book from it: free, busy (who is never shown here) and blocked times. */
export async function organisationDoctorSchedule(
  ctx: AppContext,
  organisationId: number,
  doctorId: number,
  query: ScheduleQuery,
): Promise<ScheduleResponse> {
  await organisationDoctor(ctx, organisationId, doctorId);
  return getDoctorSchedule(ctx, doctorId, query, null, 'staff');
}

/** The patient with every visit of theirs at the organisation (all sources), future first. */
export async function organisationPatient(
  ctx: AppContext,
  actor: ChannelActor,
  patientId: string,
): Promise<StaffPatientResponse> {
  const match = await getPatient(ctx.db, patientId);
  const visits = await patientVisits(ctx, patientId, actor);
  return {
    patient: {
      patientId: match.patientId,
      inRegister: match.inRegister,
      lastName: match.lastName,
      firstName: match.firstName,
      middleName: match.middleName,
      birthDate: match.birthDate,
      sex: match.sex,
      snils: match.snils,
      policy: match.policy,
    },
    visits,
  };
}

/**
 * Blocks a free slot of one of the organisation's doctors (the doctor does not see patients
 * then). A slot of another organisation is SLOT_NOT_FOUND; a started one SLOT_IN_PAST; a
 * booked slot, or one held for a patient, SLOT_NOT_FREE. A booking hold that lapsed counts as free.
 */
export async function blockSlot(ctx: AppContext, staff: StaffAuditActor, slotId: number): Promise<'blocked'> {
  const now = ctx.now();
  const organisationId = staff.organisationId;
  return ctx.db.transaction(async (tx): Promise<'blocked'> => {
    const slot = await lockSlotWithOrganisation(tx, slotId);
    if (!slot || slot.organisationId !== organisationId) throw new AppError('SLOT_NOT_FOUND');
    if (slot.startAt.getTime() <= now.getTime()) throw new AppError('SLOT_IN_PAST');
    if (slot.status === 'blocked') return 'blocked';
    const lapsedHold =
      slot.status === 'held' &&
      slot.holdOfferId === null &&
      slot.heldUntil !== null &&
      slot.heldUntil.getTime() <= now.getTime();
    if (slot.status !== 'free' && !lapsedHold) throw new AppError('SLOT_NOT_FREE');
    await markSlotBlocked(tx, slotId);
    await auditStaffAction(tx, staff, 'slot.block', slotId, { doctorId: slot.doctorId }, now);
    return 'blocked';
  });
}

/**
 * Opens a blocked slot again. Like any freed time it is offered to the waitlist first, so it
 * may come back `held` for a waiting patient. SLOT_NOT_BLOCKED when it was not blocked.
 */
export async function unblockSlot(ctx: AppContext, staff: StaffAuditActor, slotId: number): Promise<'free' | 'held'> {
  const now = ctx.now();
  const organisationId = staff.organisationId;
  return ctx.db.transaction(async (tx): Promise<'free' | 'held'> => {
    const slot = await lockSlotWithOrganisation(tx, slotId);
    if (!slot || slot.organisationId !== organisationId) throw new AppError('SLOT_NOT_FOUND');
    if (slot.startAt.getTime() <= now.getTime()) throw new AppError('SLOT_IN_PAST');
    if (slot.status !== 'blocked') throw new AppError('SLOT_NOT_BLOCKED');
    await markSlotFree(tx, slotId);
    // Inside a doctor's closed days the database keeps it blocked: reopen the absence instead.
    if ((await slotStatus(tx, slotId)) === 'blocked') throw new AppError('SLOT_IN_ABSENCE');
    await offerFreedTime(ctx, tx, slotId, now);
    const status = (await slotStatus(tx, slotId)) === 'held' ? 'held' : 'free';
    await auditStaffAction(tx, staff, 'slot.unblock', slotId, { doctorId: slot.doctorId, status }, now);
    return status;
  });
}
