// The clinic administrator's doctors: list, add, edit, make inactive and active again. A
// doctor is never deleted (visits point at them); inactive is refused while the doctor has
// future booked visits, which must be moved or cancelled first. Every change is audit-logged
// with the doctor's ФИО (staff data, not a patient's) and each field's before/after.
import type { DoctorBody } from '../../../shared/api/catalogue-admin.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { CurrentSession } from '../session/session.js';
import { recordAudit } from '../region/audit.service.js';
import {
  countFutureBookedVisits,
  countFutureHeldSlots,
  insertDoctor,
  selectOrganisationDoctor,
  selectOrganisationDoctors,
  selectSpecialty,
  updateDoctorRow,
  type ClinicDoctorRow,
} from './manage.repository.js';
import { changedFields, createdFields, futureVisitsMessage, heldTimesMessage } from './manage.rules.js';
import { ownOrganisationId } from './organisations.manage.js';
import { fullName } from '../../../shared/person.js';

/** Who changes an organisation's doctors: its clinic administrator, or its clinic system through an API key (no account). */
export interface DoctorWriter {
  organisationId: number;
  accountId: string | null;
  apiKeyId?: string;
}

function writerOf(session: CurrentSession): DoctorWriter {
  return { organisationId: ownOrganisationId(session), accountId: session.accountId };
}

/** The audit row's scope: the organisation, and the API key when a clinic system made the change. */
function auditScope(w: DoctorWriter): Record<string, unknown> {
  return w.apiKeyId === undefined
    ? { organisationId: w.organisationId }
    : { organisationId: w.organisationId, apiKeyId: w.apiKeyId };
}

type DoctorValues = {
  lastName: string;
  firstName: string;
  middleName: string | null;
  specialtyId: number;
  position: string;
  room: string;
};

function view(d: ClinicDoctorRow) {
  const { organisationId: _organisationId, ...rest } = d;
  return rest;
}

/** The specialty's name; UNKNOWN_SPECIALTY when there is no such specialty. */
async function requireSpecialty(db: Db, specialtyId: number): Promise<string> {
  const row = await selectSpecialty(db, specialtyId);
  if (!row) throw new AppError('UNKNOWN_SPECIALTY');
  return row.name;
}

export async function listClinicDoctors(ctx: AppContext, session: CurrentSession) {
  const organisationId = ownOrganisationId(session);
  return (await selectOrganisationDoctors(ctx.db, organisationId)).map(view);
}

export async function getClinicDoctor(ctx: AppContext, session: CurrentSession, id: number) {
  const organisationId = ownOrganisationId(session);
  const row = await selectOrganisationDoctor(ctx.db, organisationId, id);
  if (!row) throw new AppError('DOCTOR_NOT_FOUND');
  return view(row);
}

export async function createClinicDoctor(
  ctx: AppContext,
  session: CurrentSession,
  body: DoctorValues,
): Promise<number> {
  return createDoctorAs(ctx, writerOf(session), body);
}

/** Adds an active doctor to the writer's organisation, with the clinic system's own id when it comes from one. */
export async function createDoctorAs(
  ctx: AppContext,
  writer: DoctorWriter,
  body: DoctorValues,
  externalId: string | null = null,
): Promise<number> {
  const { organisationId } = writer;
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const specialty = await requireSpecialty(tx, body.specialtyId);
    const id = await insertDoctor(tx, { ...body, organisationId, active: true, externalId });
    await recordAudit(
      tx,
      {
        actorAccountId: writer.accountId,
        action: 'doctor.create',
        entityType: 'doctor',
        entityId: String(id),
        details: {
          ...auditScope(writer),
          doctor: fullName(body),
          ...createdFields({ ...body, specialty }),
          ...(externalId === null ? {} : { externalId }),
        },
      },
      now,
    );
    return id;
  });
}

export async function updateClinicDoctor(
  ctx: AppContext,
  session: CurrentSession,
  id: number,
  body: DoctorValues,
): Promise<void> {
  return updateDoctorAs(ctx, writerOf(session), id, body);
}

/** Changes a doctor of the writer's organisation; nothing is written (or logged) when nothing changes. */
export async function updateDoctorAs(
  ctx: AppContext,
  writer: DoctorWriter,
  id: number,
  body: DoctorValues,
): Promise<void> {
  const { organisationId } = writer;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const current = await selectOrganisationDoctor(tx, organisationId, id, true);
    if (!current) throw new AppError('DOCTOR_NOT_FOUND');
    const changes = changedFields(current, body);
    if (Object.keys(changes).length === 0) return;
    const written = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to]));
    // The log names the specialty, not only its id.
    if (changes.specialtyId)
      changes.specialty = { from: current.specialtyName, to: await requireSpecialty(tx, body.specialtyId) };
    await updateDoctorRow(tx, id, written);
    await recordAudit(
      tx,
      {
        actorAccountId: writer.accountId,
        action: 'doctor.update',
        entityType: 'doctor',
        entityId: String(id),
        details: { ...auditScope(writer), doctor: fullName(current), ...changes },
      },
      now,
    );
  });
}

/**
 * Makes the doctor inactive (gone from the patient's catalogue, schedules and booking) or
 * active again. Inactive is refused while the doctor has future booked visits, and while a
 * future time is held (a waitlist offer the patient could no longer accept, or a patient
 * confirming a booking).
 */
export async function setClinicDoctorActive(
  ctx: AppContext,
  session: CurrentSession,
  id: number,
  active: boolean,
): Promise<void> {
  return setDoctorActiveAs(ctx, writerOf(session), id, active);
}

export async function setDoctorActiveAs(
  ctx: AppContext,
  writer: DoctorWriter,
  id: number,
  active: boolean,
): Promise<void> {
  const { organisationId } = writer;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const current = await selectOrganisationDoctor(tx, organisationId, id, true);
    if (!current) throw new AppError('DOCTOR_NOT_FOUND');
    if (current.active === active) return;
    if (!active) {
      const visits = await countFutureBookedVisits(tx, id, now);
      if (visits > 0) throw new AppError('DOCTOR_HAS_FUTURE_VISITS', { visits }, futureVisitsMessage(visits));
      const held = await countFutureHeldSlots(tx, id, now);
      if (held > 0) throw new AppError('DOCTOR_HAS_HELD_TIMES', { held }, heldTimesMessage(held));
    }
    await updateDoctorRow(tx, id, { active });
    await recordAudit(
      tx,
      {
        actorAccountId: writer.accountId,
        action: active ? 'doctor.activate' : 'doctor.deactivate',
        entityType: 'doctor',
        entityId: String(id),
        details: {
          ...auditScope(writer),
          doctor: fullName(current),
          active: { from: current.active, to: active },
        },
      },
      now,
    );
  });
}

export type { DoctorBody };
