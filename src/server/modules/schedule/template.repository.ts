// SQL for the clinic's schedule editor: a doctor's template rows, exceptions, the doctor's
// slots in the booking window (locked while a change is applied), and writing the planned
// changes (schedule.rules reconcileSlots) to the slots.
import { and, asc, eq, gt, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { queryRows } from '../../db/index.js';
import { pgError } from '../../db/errors.js';
import { appointments, doctors, scheduleExceptions, scheduleTemplates, slots } from '../../db/schema.js';
import { templateColumns, toTemplateRule } from './schedule.repository.js';
import type {
  ExceptionKind,
  ExistingSlot,
  PlannedSlot,
  SlotChannel,
  SlotChanges,
  SlotStatus,
  TemplateRule,
} from './schedule.rules.js';

/** The doctor's template rules, in the order they were written. */
export async function selectDoctorRules(db: Db, doctorId: number): Promise<TemplateRule[]> {
  const rows = await db
    .select(templateColumns)
    .from(scheduleTemplates)
    .where(eq(scheduleTemplates.doctorId, doctorId))
    .orderBy(asc(scheduleTemplates.id));
  return rows.map(toTemplateRule);
}

/** Replaces the doctor's template rows (each rule one row; a weekday rule one row per weekday is the caller's choice). */
export async function replaceDoctorRules(db: Db, doctorId: number, rules: readonly TemplateRule[]): Promise<void> {
  await db.delete(scheduleTemplates).where(eq(scheduleTemplates.doctorId, doctorId));
  if (rules.length === 0) return;
  await db.insert(scheduleTemplates).values(
    rules.map((r) => ({
      doctorId,
      dayRule: r.dayRule,
      weekday: r.weekday,
      startTime: r.startTime,
      endTime: r.endTime,
      slotMinutes: r.slotMinutes,
      breakStart: null,
      breakEnd: null,
      breaks: r.breaks,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      registryPercent: r.registryPercent,
      referralPercent: r.referralPercent,
    })),
  );
}

/** Locks the doctor's row against another schedule change (not against bookings: no key update). */
export async function lockDoctorForSchedule(db: Db, doctorId: number): Promise<void> {
  await db.select({ id: doctors.id }).from(doctors).where(eq(doctors.id, doctorId)).for('no key update');
}

export interface ExceptionRow {
  id: number;
  organisationId: number;
  doctorId: number | null;
  date: string;
  kind: ExceptionKind;
  startTime: string | null;
  endTime: string | null;
  slotMinutes: number | null;
  note: string;
}

const exceptionColumns = {
  id: scheduleExceptions.id,
  organisationId: scheduleExceptions.organisationId,
  doctorId: scheduleExceptions.doctorId,
  date: scheduleExceptions.date,
  kind: scheduleExceptions.kind,
  startTime: scheduleExceptions.startTime,
  endTime: scheduleExceptions.endTime,
  slotMinutes: scheduleExceptions.slotMinutes,
  note: scheduleExceptions.note,
};

/** The exceptions that concern a doctor (its own and its organisation's) dated on or after `fromDate`. */
export async function selectDoctorExceptions(
  db: Db,
  organisationId: number,
  doctorId: number,
  fromDate: string,
): Promise<ExceptionRow[]> {
  const rows = await db
    .select(exceptionColumns)
    .from(scheduleExceptions)
    .where(
      and(
        eq(scheduleExceptions.organisationId, organisationId),
        or(isNull(scheduleExceptions.doctorId), eq(scheduleExceptions.doctorId, doctorId)),
        gte(scheduleExceptions.date, fromDate),
      ),
    )
    .orderBy(asc(scheduleExceptions.date), asc(scheduleExceptions.id));
  return rows.map((r) => ({ ...r, kind: r.kind as ExceptionKind }));
}

export async function selectException(db: Db, id: number): Promise<ExceptionRow | null> {
  const rows = await db.select(exceptionColumns).from(scheduleExceptions).where(eq(scheduleExceptions.id, id));
  const r = rows[0];
  return r ? { ...r, kind: r.kind as ExceptionKind } : null;
}

/** Inserts an exception; null when one already exists for that doctor (or the organisation) and date. */
export async function insertException(
  db: Db,
  e: Omit<ExceptionRow, 'id'> & { createdBy: string | null; createdAt: Date },
): Promise<ExceptionRow | null> {
  const rows = await db.insert(scheduleExceptions).values(e).onConflictDoNothing().returning(exceptionColumns);
  const r = rows[0];
  return r ? { ...r, kind: r.kind as ExceptionKind } : null;
}

export async function deleteException(db: Db, id: number): Promise<void> {
  await db.delete(scheduleExceptions).where(eq(scheduleExceptions.id, id));
}

/** Active doctors of an organisation (an organisation-wide exception applies to each). */
export async function selectOrganisationDoctorIds(db: Db, organisationId: number): Promise<number[]> {
  const rows = await db
    .select({ id: doctors.id })
    .from(doctors)
    .where(and(eq(doctors.organisationId, organisationId), eq(doctors.active, true)))
    .orderBy(asc(doctors.id));
  return rows.map((r) => r.id);
}

/** The doctor's slots starting inside (after, before), in order; `lock` takes them FOR UPDATE. */
export async function selectWindowSlots(
  db: Db,
  doctorId: number,
  after: Date,
  before: Date,
  lock: boolean,
): Promise<ExistingSlot[]> {
  const q = db
    .select({
      id: slots.id,
      startAt: slots.startAt,
      endAt: slots.endAt,
      status: slots.status,
      channel: slots.channel,
      offTemplate: slots.offTemplate,
    })
    .from(slots)
    .where(and(eq(slots.doctorId, doctorId), gt(slots.startAt, after), lt(slots.startAt, before)))
    .orderBy(asc(slots.startAt));
  const rows = lock ? await q.for('update') : await q;
  return rows.map((r) => ({
    id: r.id,
    startMs: r.startAt.getTime(),
    endMs: r.endAt.getTime(),
    status: r.status as SlotStatus,
    channel: r.channel as SlotChannel,
    offTemplate: r.offTemplate,
  }));
}

export interface ConflictRow {
  slotId: number;
  status: string;
  startAt: Date;
  appointmentId: string | null;
  reference: string | null;
  source: string | null;
  personId: string | null;
}

/** For booked or held slots: the active appointment in each (if any). */
export async function selectConflictDetails(db: Db, slotIds: readonly number[]): Promise<ConflictRow[]> {
  if (slotIds.length === 0) return [];
  return db
    .select({
      slotId: slots.id,
      status: slots.status,
      startAt: slots.startAt,
      appointmentId: appointments.id,
      reference: appointments.reference,
      source: appointments.source,
      personId: appointments.personId,
    })
    .from(slots)
    .leftJoin(appointments, and(eq(appointments.slotId, slots.id), eq(appointments.status, 'booked')))
    .where(inArray(slots.id, [...slotIds]))
    .orderBy(asc(slots.startAt));
}

/** Booked or held slots of the doctor marked outside the template, starting after `after`. */
export async function selectOffTemplateSlotIds(db: Db, doctorId: number, after: Date): Promise<number[]> {
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .where(
      and(
        eq(slots.doctorId, doctorId),
        eq(slots.offTemplate, true),
        inArray(slots.status, ['booked', 'held']),
        gt(slots.startAt, after),
      ),
    );
  return rows.map((r) => r.id);
}

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Writes a reconciliation: new free slots, dropped free ones (deleted when nothing refers to
 * them, otherwise retired: blocked and outside the template), kept free slots' new channel or
 * end, retired slots made free again, and the outside-the-template marks. Every update re-checks
 * the status it expects, so a slot booked meanwhile is left alone. Returns how many were
 * created and removed.
 */
export async function writeSlotChanges(
  db: Db,
  doctorId: number,
  c: SlotChanges,
): Promise<{ created: number; removed: number }> {
  let created = 0;
  if (c.insert.length > 0) created += await insertPlanned(db, doctorId, c.insert);
  let removed = 0;
  if (c.drop.length > 0) {
    try {
      // A savepoint: a reference from a table this module does not know ends only this attempt.
      removed = await db.transaction(async (sp) => {
        const rows = await sp
          .delete(slots)
          .where(
            and(
              inArray(slots.id, c.drop),
              eq(slots.status, 'free'),
              sql`not exists (select 1 from appointments a where a.slot_id = ${slots.id})`,
              sql`not exists (select 1 from waitlist_offers o where o.slot_id = ${slots.id})`,
            ),
          )
          .returning({ id: slots.id });
        return rows.length;
      });
    } catch (err) {
      if (pgError(err)?.code !== FOREIGN_KEY_VIOLATION) throw err;
    }
    const retired = await db
      .update(slots)
      .set({ status: 'blocked', offTemplate: true })
      .where(and(inArray(slots.id, c.drop), eq(slots.status, 'free')))
      .returning({ id: slots.id });
    removed += retired.length;
  }
  for (const u of c.update) {
    await db
      .update(slots)
      .set({ channel: u.channel, endAt: u.endAt, offTemplate: false })
      .where(and(eq(slots.id, u.id), eq(slots.status, 'free')));
  }
  for (const u of c.restore) {
    const rows = await db
      .update(slots)
      .set({ status: 'free', channel: u.channel, endAt: u.endAt, offTemplate: false })
      .where(and(eq(slots.id, u.id), eq(slots.status, 'blocked'), eq(slots.offTemplate, true)))
      .returning({ id: slots.id });
    created += rows.length;
  }
  const conflictIds = c.conflicts.map((e) => e.id);
  if (conflictIds.length > 0) await db.update(slots).set({ offTemplate: true }).where(inArray(slots.id, conflictIds));
  if (c.backInTemplate.length > 0)
    await db.update(slots).set({ offTemplate: false }).where(inArray(slots.id, c.backInTemplate));
  return { created, removed };
}

async function insertPlanned(db: Db, doctorId: number, planned: readonly PlannedSlot[]): Promise<number> {
  const result = await queryRows<{ inserted: number | string }>(
    db,
    sql`with ins as (
          insert into slots (doctor_id, start_at, end_at, channel)
          select ${doctorId}::int, to_timestamp(u.start_s), to_timestamp(u.end_s), u.channel
            from unnest(${sql.param(planned.map((p) => p.startAt.getTime() / 1000))}::float8[],
                        ${sql.param(planned.map((p) => p.endAt.getTime() / 1000))}::float8[],
                        ${sql.param(planned.map((p) => p.channel))}::text[]) as u(start_s, end_s, channel)
          on conflict (doctor_id, start_at) do nothing
          returning 1
        )
        select count(*)::int as inserted from ins`,
  );
  return Number(result[0]?.inserted ?? 0);
}

/** Which of these doctors have a template row. */
export async function selectDoctorsWithTemplates(db: Db, doctorIds: readonly number[]): Promise<Set<number>> {
  if (doctorIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ doctorId: scheduleTemplates.doctorId })
    .from(scheduleTemplates)
    .where(inArray(scheduleTemplates.doctorId, [...doctorIds]));
  return new Set(rows.map((r) => r.doctorId));
}
