// The clinic's schedule editor (issue 16, SPEC section 8): a doctor's template and the
// exceptions of a doctor or a whole organisation, previewed over the booking horizon and
// applied at once - free times follow the template, booked, held and closed times are never
// touched (a booked time the template no longer makes is kept and listed as a conflict), and
// the free times go to the waitlist first. Staff of the doctor's organisation only; every
// change is audit-logged with the rules before and after.
import type {
  ScheduleConflict,
  ScheduleDoctorsResponse,
  ScheduleExceptionBody,
  ScheduleExceptionResponse,
  ScheduleExceptionView,
  SchedulePreviewResponse,
  ScheduleTemplateBody,
  ScheduleTemplateResponse,
} from '../../../shared/api/schedule-admin.js';
import { localPartsOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import {
  compareRussian,
  findActiveDoctorCard,
  listActiveDoctorCards,
  listOrganisations,
  type DoctorCardRow,
} from '../catalogue/catalogue.service.js';
import { recordAudit } from '../region/audit.service.js';
import {
  bookingWindow,
  datesBetween,
  planDoctorSlots,
  reconcileSlots,
  type DayException,
  type SlotChanges,
  type TemplateRule,
} from './schedule.rules.js';
import type { FreeTimePublished } from './schedule.service.js';
import { toRuleBodies, toStoredRules } from './template.rules.js';
import {
  deleteException,
  insertException,
  lockDoctorForSchedule,
  replaceDoctorRules,
  selectConflictDetails,
  selectDoctorExceptions,
  selectDoctorRules,
  selectDoctorsWithTemplates,
  selectException,
  selectOffTemplateSlotIds,
  selectOrganisationDoctorIds,
  selectWindowSlots,
  writeSlotChanges,
  type ExceptionRow,
} from './template.repository.js';
import { fullName } from '../../../shared/person.js';

/**
 * Who changes a schedule: a signed-in clinic administrator or registrar and the organisation
 * they work for, or the organisation's clinic system through an API key (no account: the
 * audit row names the key).
 */
export interface ScheduleStaff {
  accountId: string | null;
  organisationId: number;
  apiKeyId?: string;
}

/** The audit row's scope: the organisation, and the API key when a clinic system made the change. */
function auditScope(staff: ScheduleStaff): Record<string, unknown> {
  return staff.apiKeyId === undefined
    ? { organisationId: staff.organisationId }
    : { organisationId: staff.organisationId, apiKeyId: staff.apiKeyId };
}

/** An active doctor of the staff member's organisation; DOCTOR_NOT_FOUND for anyone else's. */
async function staffDoctor(ctx: AppContext, db: Db, staff: ScheduleStaff, doctorId: number): Promise<DoctorCardRow> {
  const card = await findActiveDoctorCard(db, doctorId);
  if (!card || card.organisation.id !== staff.organisationId) throw new AppError('DOCTOR_NOT_FOUND');
  return card;
}

function toExceptionView(e: ExceptionRow): ScheduleExceptionView {
  return {
    id: e.id,
    scope: e.doctorId === null ? 'organisation' : 'doctor',
    doctorId: e.doctorId,
    date: e.date,
    kind: e.kind,
    startTime: e.startTime,
    endTime: e.endTime,
    slotMinutes: e.slotMinutes,
    note: e.note,
  };
}

// ---------- planning one doctor's window ----------

interface DoctorPlan {
  changes: SlotChanges;
  dates: string[];
  timeZone: string;
}

async function planDoctor(
  db: Db,
  card: DoctorCardRow,
  rules: readonly TemplateRule[],
  now: Date,
  lock: boolean,
  /** Only this local date (an exception's): the rest of the horizon is left as it is. */
  onlyDate?: string,
): Promise<DoctorPlan> {
  const tz = card.organisation.timeZone;
  const w = bookingWindow(now, tz, card.horizonDays);
  const all = datesBetween(w.today, w.lastDate);
  const dates = onlyDate === undefined ? all : all.filter((d) => d === onlyDate);
  const exceptions: DayException[] = await selectDoctorExceptions(db, card.organisation.id, card.id, w.today);
  const planned = planDoctorSlots(rules, exceptions, card.id, dates, tz, now);
  const inWindow = await selectWindowSlots(db, card.id, now, w.startsBefore, lock);
  const existing =
    onlyDate === undefined ? inWindow : inWindow.filter((e) => localPartsOf(e.startMs, tz).date === onlyDate);
  return { changes: reconcileSlots(existing, planned), dates, timeZone: tz };
}

function previewDays(plan: DoctorPlan): SchedulePreviewResponse['days'] {
  const byDate = new Map<string, SchedulePreviewResponse['days'][number]['slots']>(plan.dates.map((d) => [d, []]));
  for (const s of plan.changes.planned) {
    const start = localPartsOf(s.startAt.getTime(), plan.timeZone);
    const end = localPartsOf(s.endAt.getTime(), plan.timeZone);
    byDate.get(start.date)?.push({ time: start.time, endTime: end.time, channel: s.channel });
  }
  return plan.dates.map((date) => ({ date, slots: byDate.get(date) ?? [] }));
}

async function conflictDetails(
  db: Db,
  doctorId: number,
  slotIds: readonly number[],
  timeZone: string,
): Promise<ScheduleConflict[]> {
  const rows = await selectConflictDetails(db, slotIds);
  return rows.map((r) => {
    const local = localPartsOf(r.startAt.getTime(), timeZone);
    return {
      slotId: r.slotId,
      doctorId,
      date: local.date,
      time: local.time,
      startAt: r.startAt.toISOString(),
      status: r.status === 'held' ? 'held' : 'booked',
      appointmentId: r.appointmentId,
      reference: r.reference,
      source: r.source,
      patientId: r.personId,
    };
  });
}

// ---------- use cases ----------

/** The organisation's active doctors, by name, with whether each has a template. */
export async function listScheduleDoctors(ctx: AppContext, staff: ScheduleStaff): Promise<ScheduleDoctorsResponse> {
  const organisation = (await listOrganisations(ctx)).find((o) => o.id === staff.organisationId);
  if (!organisation) throw new AppError('FORBIDDEN');
  const cards = await listActiveDoctorCards(ctx.db, { organisationId: staff.organisationId });
  const withTemplates = await selectDoctorsWithTemplates(
    ctx.db,
    cards.map((c) => c.id),
  );
  const doctors = cards.map((c) => ({
    id: c.id,
    name: fullName(c),
    specialty: c.specialtyName,
    room: c.room,
    hasTemplate: withTemplates.has(c.id),
  }));
  return {
    organisationName: organisation.name,
    doctors: doctors.sort((a, b) => compareRussian(a.name, b.name) || a.id - b.id),
  };
}

/** The editor's page: the doctor's rules, the exceptions ahead, and booked times left outside the template. */
export async function getTemplateEditor(
  ctx: AppContext,
  staff: ScheduleStaff,
  doctorId: number,
): Promise<ScheduleTemplateResponse> {
  const card = await staffDoctor(ctx, ctx.db, staff, doctorId);
  const now = ctx.now();
  const tz = card.organisation.timeZone;
  const w = bookingWindow(now, tz, card.horizonDays);
  const [rules, exceptions, offIds] = await Promise.all([
    selectDoctorRules(ctx.db, doctorId),
    selectDoctorExceptions(ctx.db, card.organisation.id, doctorId, w.today),
    selectOffTemplateSlotIds(ctx.db, doctorId, now),
  ]);
  return {
    doctor: {
      id: card.id,
      name: fullName(card),
      specialty: card.specialtyName,
      room: card.room,
      organisationId: card.organisation.id,
      organisationName: card.organisation.name,
    },
    timeZone: tz,
    today: w.today,
    horizonEnd: w.lastDate,
    rules: toRuleBodies(rules),
    exceptions: exceptions.map(toExceptionView),
    conflicts: await conflictDetails(ctx.db, doctorId, offIds, tz),
  };
}

/** What the template would make over the horizon and the booked times it would conflict with. Writes nothing. */
export async function previewTemplate(
  ctx: AppContext,
  staff: ScheduleStaff,
  doctorId: number,
  body: ScheduleTemplateBody,
): Promise<SchedulePreviewResponse> {
  const card = await staffDoctor(ctx, ctx.db, staff, doctorId);
  const plan = await planDoctor(ctx.db, card, toStoredRules(body), ctx.now(), false);
  const { changes } = plan;
  return {
    days: previewDays(plan),
    conflicts: await conflictDetails(
      ctx.db,
      doctorId,
      changes.conflicts.map((c) => c.id),
      plan.timeZone,
    ),
    created: changes.insert.length + changes.restore.length,
    removed: changes.drop.length,
  };
}

/** Saves the template and applies it to the horizon at once; free times then go to the waitlist first. */
export async function saveTemplate(
  ctx: AppContext,
  staff: ScheduleStaff,
  doctorId: number,
  body: ScheduleTemplateBody,
  published: FreeTimePublished,
): Promise<SchedulePreviewResponse> {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    const card = await staffDoctor(ctx, tx, staff, doctorId);
    await lockDoctorForSchedule(tx, doctorId);
    const before = await selectDoctorRules(tx, doctorId);
    const rules = toStoredRules(body);
    await replaceDoctorRules(tx, doctorId, rules);
    const plan = await planDoctor(tx, card, rules, now, true);
    const written = await writeSlotChanges(tx, doctorId, plan.changes);
    const conflicts = await conflictDetails(
      tx,
      doctorId,
      plan.changes.conflicts.map((c) => c.id),
      plan.timeZone,
    );
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'schedule_template.update',
        entityType: 'doctor',
        entityId: String(doctorId),
        details: {
          ...auditScope(staff),
          before: toRuleBodies(before),
          after: toRuleBodies(rules),
          created: written.created,
          removed: written.removed,
          conflicts: conflicts.length,
        },
      },
      now,
    );
    return { days: previewDays(plan), conflicts, ...written };
  });
  await published(ctx);
  return result;
}

/** Re-plans every affected doctor after an exception change (inside the transaction); their conflicts. */
async function applyToDoctors(
  ctx: AppContext,
  tx: Db,
  staff: ScheduleStaff,
  doctorIds: readonly number[],
  date: string,
  now: Date,
) {
  const conflicts: ScheduleConflict[] = [];
  let created = 0;
  let removed = 0;
  for (const id of [...doctorIds].sort((a, b) => a - b)) {
    const card = await findActiveDoctorCard(tx, id);
    if (!card || card.organisation.id !== staff.organisationId) continue;
    await lockDoctorForSchedule(tx, id);
    const rules = await selectDoctorRules(tx, id);
    // Only the exception's date: a doctor whose times come from the clinic's system (no template) keeps the rest.
    const plan = await planDoctor(tx, card, rules, now, true, date);
    const written = await writeSlotChanges(tx, id, plan.changes);
    created += written.created;
    removed += written.removed;
    conflicts.push(
      ...(await conflictDetails(
        tx,
        id,
        plan.changes.conflicts.map((c) => c.id),
        plan.timeZone,
      )),
    );
  }
  return { conflicts, created, removed };
}

/** Adds a day off, a holiday or other hours for the doctor or the whole organisation, applied at once. */
export async function addException(
  ctx: AppContext,
  staff: ScheduleStaff,
  doctorId: number,
  body: ScheduleExceptionBody,
  published: FreeTimePublished,
): Promise<ScheduleExceptionResponse> {
  const now = ctx.now();
  const result = await ctx.db.transaction(async (tx) => {
    await staffDoctor(ctx, tx, staff, doctorId);
    const other = body.kind === 'other_hours';
    const inserted = await insertException(tx, {
      organisationId: staff.organisationId,
      doctorId: body.scope === 'doctor' ? doctorId : null,
      date: body.date,
      kind: body.kind,
      startTime: other ? (body.startTime ?? null) : null,
      endTime: other ? (body.endTime ?? null) : null,
      slotMinutes: other ? (body.slotMinutes ?? null) : null,
      note: body.note ?? '',
      createdBy: staff.accountId,
      createdAt: now,
    });
    if (!inserted) throw new AppError('SCHEDULE_EXCEPTION_EXISTS');
    const doctorIds =
      inserted.doctorId === null ? await selectOrganisationDoctorIds(tx, staff.organisationId) : [doctorId];
    const applied = await applyToDoctors(ctx, tx, staff, doctorIds, inserted.date, now);
    const view = toExceptionView(inserted);
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'schedule_exception.create',
        entityType: inserted.doctorId === null ? 'organisation' : 'doctor',
        entityId: String(inserted.doctorId ?? staff.organisationId),
        details: {
          ...auditScope(staff),
          before: null,
          after: view,
          created: applied.created,
          removed: applied.removed,
          conflicts: applied.conflicts.length,
        },
      },
      now,
    );
    // The visits on the exception's date that it leaves outside the schedule.
    return { exception: view, conflicts: applied.conflicts };
  });
  await published(ctx);
  return result;
}

/** Removes an exception of the staff member's organisation; the days follow the templates again at once. */
export async function removeException(
  ctx: AppContext,
  staff: ScheduleStaff,
  exceptionId: number,
  published: FreeTimePublished,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const found = await selectException(tx, exceptionId);
    if (!found || found.organisationId !== staff.organisationId) throw new AppError('SCHEDULE_EXCEPTION_NOT_FOUND');
    await deleteException(tx, exceptionId);
    const doctorIds =
      found.doctorId === null ? await selectOrganisationDoctorIds(tx, staff.organisationId) : [found.doctorId];
    const applied = await applyToDoctors(ctx, tx, staff, doctorIds, found.date, now);
    await recordAudit(
      tx,
      {
        actorAccountId: staff.accountId,
        action: 'schedule_exception.delete',
        entityType: found.doctorId === null ? 'organisation' : 'doctor',
        entityId: String(found.doctorId ?? staff.organisationId),
        details: {
          ...auditScope(staff),
          before: toExceptionView(found),
          after: null,
          created: applied.created,
          removed: applied.removed,
        },
      },
      now,
    );
  });
  await published(ctx);
}
