// «Schedules in» (issue 17) for a clinic system holding an API key of channel `mis`: its
// specialty codes mapped to the region's specialties, its doctors registered by its own ids,
// a doctor's slots put for a range of dates, and the doctor's template and exceptions - each
// through the service the clinic's own pages use (catalogue/doctors.manage.ts,
// schedule/template.service.ts, schedule/pushed-slots.service.ts), so the rules, the audit
// and the waitlist-first offers are the same. Everything is scoped to the key's organisation:
// another organisation's doctor is "not found" and nothing is written.
import type {
  ExternalDoctorBody,
  ExternalDoctorView,
  ScheduleExceptionBody,
  ScheduleExceptionResponse,
  SchedulePreviewResponse,
  ScheduleTemplateBody,
  ScheduleTemplateResponse,
  SlotPushResponse,
  SpecialtyCodeView,
  SpecialtyCodesResponse,
} from '../../../../shared/api/index.js';
import { localDateTimeOf } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { pgError, UNIQUE_VIOLATION } from '../../../db/errors.js';
import { AppError } from '../../../errors.js';
import {
  createDoctorAs,
  setDoctorActiveAs,
  updateDoctorAs,
  type DoctorWriter,
} from '../../catalogue/doctors.manage.js';
import { recordAudit } from '../../region/audit.service.js';
import { pushDoctorSlots } from '../../schedule/pushed-slots.service.js';
import {
  addException,
  getTemplateEditor,
  previewTemplate,
  removeException,
  saveTemplate,
  type ScheduleStaff,
} from '../../schedule/template.service.js';
import { offerFreeSlotsToWaitlist } from '../../waitlist/matching.service.js';
import type { ApiCaller } from './apikeys.service.js';
import { externalSlotStatus } from './integration.rules.js';
import {
  selectDoctorByExternalId,
  selectRegionSpecialties,
  selectSpecialtyCode,
  selectSpecialtyCodes,
  specialtyExists,
  upsertSpecialtyCode,
  type ExternalDoctorRow,
} from './schedules.repository.js';

/** Only the clinic's information system registers doctors and puts schedules (403 for other channels). */
export function requireMis(caller: ApiCaller): void {
  if (caller.channel !== 'mis') throw new AppError('API_CHANNEL_NOT_ALLOWED');
}

function scheduleActor(caller: ApiCaller): ScheduleStaff {
  return { accountId: null, organisationId: caller.organisationId, apiKeyId: caller.apiKeyId };
}

function doctorWriter(caller: ApiCaller): DoctorWriter {
  return { accountId: null, organisationId: caller.organisationId, apiKeyId: caller.apiKeyId };
}

// ---------- specialty codes ----------

export async function listSpecialtyCodes(ctx: AppContext, caller: ApiCaller): Promise<SpecialtyCodesResponse> {
  requireMis(caller);
  const [specialties, codes] = await Promise.all([
    selectRegionSpecialties(ctx.db),
    selectSpecialtyCodes(ctx.db, caller.organisationId),
  ]);
  return { specialties, codes };
}

/** Maps the clinic's code to a region specialty (created: a new code). Idempotent; audit-logged when it changes. */
export async function putSpecialtyCode(
  ctx: AppContext,
  caller: ApiCaller,
  code: string,
  specialtyId: number,
): Promise<{ created: boolean; code: SpecialtyCodeView }> {
  requireMis(caller);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const name = await specialtyExists(tx, specialtyId);
    if (name === null) throw new AppError('UNKNOWN_SPECIALTY', { field: 'specialtyId' });
    const { before } = await upsertSpecialtyCode(tx, { organisationId: caller.organisationId, code, specialtyId, now });
    if (before !== specialtyId) {
      await recordAudit(
        tx,
        {
          actorAccountId: null,
          action: 'specialty_code.map',
          entityType: 'organisation',
          entityId: String(caller.organisationId),
          details: {
            organisationId: caller.organisationId,
            apiKeyId: caller.apiKeyId,
            code,
            specialtyId: { from: before, to: specialtyId },
          },
        },
        now,
      );
    }
    return { created: before === null, code: { code, specialtyId, specialtyName: name } };
  });
}

// ---------- doctors ----------

function toDoctorView(d: ExternalDoctorRow): ExternalDoctorView {
  return { ...d };
}

/** The organisation's doctor with this clinic id; DOCTOR_NOT_FOUND for any other. */
async function externalDoctor(ctx: AppContext, caller: ApiCaller, externalId: string): Promise<ExternalDoctorRow> {
  const row = await selectDoctorByExternalId(ctx.db, caller.organisationId, externalId);
  if (!row) throw new AppError('DOCTOR_NOT_FOUND');
  return row;
}

export async function getExternalDoctor(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
): Promise<ExternalDoctorView> {
  requireMis(caller);
  return toDoctorView(await externalDoctor(ctx, caller, externalId));
}

/**
 * Creates or updates the doctor with this clinic id in the key's organisation, in one
 * transaction: the specialty by the clinic's mapped code, ФИО, position, room, active. The same
 * body again changes nothing and logs nothing. Made inactive: refused while the doctor has
 * future visits or held times, as on the clinic's page.
 */
export async function putExternalDoctor(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
  body: ExternalDoctorBody,
): Promise<{ created: boolean; doctor: ExternalDoctorView }> {
  requireMis(caller);
  const writer = doctorWriter(caller);
  const attempt = () =>
    ctx.db.transaction(async (tx) => {
      const txCtx = { ...ctx, db: tx };
      const code = await selectSpecialtyCode(tx, caller.organisationId, body.specialtyCode);
      if (!code) throw new AppError('SPECIALTY_CODE_UNMAPPED', { field: 'specialtyCode' });
      const values = {
        lastName: body.lastName,
        firstName: body.firstName,
        middleName: body.middleName ?? null,
        specialtyId: code.specialtyId,
        position: body.position,
        room: body.room,
      };
      const existing = await selectDoctorByExternalId(tx, caller.organisationId, externalId, true);
      let id: number;
      if (existing) {
        id = existing.id;
        await updateDoctorAs(txCtx, writer, id, values);
      } else {
        id = await createDoctorAs(txCtx, writer, values, externalId);
      }
      await setDoctorActiveAs(txCtx, writer, id, body.active);
      const row = await selectDoctorByExternalId(tx, caller.organisationId, externalId);
      if (!row) throw new AppError('DOCTOR_NOT_FOUND');
      return { created: !existing, doctor: toDoctorView(row) };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two calls created the same new doctor at once: the unique index kept one; this one now updates it.
    if (pgError(err)?.code === UNIQUE_VIOLATION) return attempt();
    throw err;
  }
}

// ---------- slots ----------

/** Puts the doctor's full slot list for local dates from..to, then offers free time to the waitlist first. */
export async function putDoctorSlots(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
  input: Parameters<typeof pushDoctorSlots>[3],
): Promise<SlotPushResponse> {
  requireMis(caller);
  const doctor = await externalDoctor(ctx, caller, externalId);
  const result = await pushDoctorSlots(
    ctx,
    { organisationId: caller.organisationId, apiKeyId: caller.apiKeyId },
    doctor.id,
    input,
  );
  if (result.created + result.updated + result.removed > 0) await offerFreeSlotsToWaitlist(ctx);
  const now = ctx.now();
  return {
    doctorId: doctor.id,
    timeZone: result.timeZone,
    from: input.from,
    to: input.to,
    created: result.created,
    updated: result.updated,
    removed: result.removed,
    unchanged: result.unchanged,
    skippedPast: result.skippedPast,
    slots: result.slots.map((s) => ({
      id: s.id,
      externalId: s.externalId,
      startAt: s.startAt.toISOString(),
      endAt: s.endAt.toISOString(),
      localStart: localDateTimeOf(s.startAt, result.timeZone),
      channel: s.channel,
      status: externalSlotStatus(s, now),
    })),
  };
}

// ---------- templates and exceptions (the clinic's own model) ----------

/** The conflicts name visits by id and reference; the clinic system gets no portal person id. */
function withoutPersons<T extends { conflicts: { patientId: string | null }[] }>(r: T): T {
  return { ...r, conflicts: r.conflicts.map((c) => ({ ...c, patientId: null })) };
}

export async function getDoctorTemplate(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
): Promise<ScheduleTemplateResponse> {
  requireMis(caller);
  const doctor = await externalDoctor(ctx, caller, externalId);
  return withoutPersons(await getTemplateEditor(ctx, scheduleActor(caller), doctor.id));
}

export async function previewDoctorTemplate(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
  body: ScheduleTemplateBody,
): Promise<SchedulePreviewResponse> {
  requireMis(caller);
  const doctor = await externalDoctor(ctx, caller, externalId);
  return withoutPersons(await previewTemplate(ctx, scheduleActor(caller), doctor.id, body));
}

export async function saveDoctorTemplate(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
  body: ScheduleTemplateBody,
): Promise<SchedulePreviewResponse> {
  requireMis(caller);
  const doctor = await externalDoctor(ctx, caller, externalId);
  return withoutPersons(await saveTemplate(ctx, scheduleActor(caller), doctor.id, body, offerFreeSlotsToWaitlist));
}

export async function addDoctorException(
  ctx: AppContext,
  caller: ApiCaller,
  externalId: string,
  body: ScheduleExceptionBody,
): Promise<ScheduleExceptionResponse> {
  requireMis(caller);
  const doctor = await externalDoctor(ctx, caller, externalId);
  return withoutPersons(await addException(ctx, scheduleActor(caller), doctor.id, body, offerFreeSlotsToWaitlist));
}

export async function removeScheduleException(ctx: AppContext, caller: ApiCaller, exceptionId: number): Promise<void> {
  requireMis(caller);
  await removeException(ctx, scheduleActor(caller), exceptionId, offerFreeSlotsToWaitlist);
}
