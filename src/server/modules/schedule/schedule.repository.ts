// SQL for schedules: slots in a time window, free-time figures per doctor, templates, and
// the batched insert that turns templates into slots.
import { and, asc, eq, gte, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { queryRows } from '../../db/index.js';
import { preparedSql } from '../../db/prepared.js';
import { doctors, organisations, regionSettings, scheduleExceptions, scheduleTemplates } from '../../db/schema.js';
import { prepareDoctorCardWith, type DoctorCardRow } from '../catalogue/catalogue.service.js';
import type {
  DayException,
  DayRule,
  ExceptionKind,
  SlotChannel,
  SlotStatus,
  TemplateRule,
  TimeRange,
} from './schedule.rules.js';

export interface WindowSlotRow {
  id: number;
  startMs: number;
  endMs: number;
  status: SlotStatus;
  heldUntilMs: number | null;
  heldByViewer: boolean;
  /** The viewer's own active portal appointment in this slot, or null. */
  viewerAppointmentId: string | null;
  /** Who may book it (migration 0007). */
  channel: SlotChannel;
  /** Outside the doctor's template (a kept visit, or a retired time when blocked). */
  offTemplate: boolean;
}

/** A slot as the schedule query returns it: [id, startMs, endMs, status, heldUntilMs, heldByViewer, viewerAppointmentId, channel, offTemplate]. */
type SlotTuple = [
  number,
  number,
  number,
  SlotStatus,
  number | null,
  boolean | null,
  string | null,
  SlotChannel,
  boolean,
];

/**
 * The doctor's slots as one JSON array built by PostgreSQL (one value to parse instead of a
 * row per slot), from `after` to a day past the horizon; the caller trims to the exact window.
 * With a viewer, each slot also tells whether the live hold is the viewer's and which active
 * portal appointment of the viewer's it holds.
 */
function slotsJson(withViewer: boolean): SQL<SlotTuple[]> {
  const viewer = sql`${sql.placeholder('viewer')}::uuid`;
  // Only a booked slot is looked up in appointments, through the one-active-per-slot index.
  const viewerColumns = withViewer
    ? sql`coalesce(s.hold_account_id = ${viewer}, false),
          case when s.status = 'booked' then (
            select a.id from appointments a
             where a.slot_id = s.id and a.status = 'booked' and a.source = 'portal' and a.booked_by_account_id = ${viewer}
          ) end`
    : sql`false, null`;
  return sql<SlotTuple[]>`(
    select coalesce(json_agg(json_build_array(
             s.id,
             (extract(epoch from s.start_at) * 1000)::bigint,
             (extract(epoch from s.end_at) * 1000)::bigint,
             s.status,
             (extract(epoch from s.held_until) * 1000)::bigint,
             ${viewerColumns},
             s.channel,
             s.off_template
           ) order by s.start_at), '[]'::json)
      from slots s
     where s.doctor_id = ${doctors.id}
       and s.start_at > ${sql.placeholder('after')}::timestamptz
       and s.start_at < ${sql.placeholder('after')}::timestamptz + make_interval(days => ${regionSettings.horizonDays} + 1)
  )`;
}

// Prepared once per database handle (named statements on PostgreSQL: parsed and planned once
// per connection). The schedule page is the portal's hottest route.
const prepareAnonymous = (db: Db) => prepareDoctorCardWith(db, 'schedule_snapshot_anonymous', slotsJson(false));
const prepareViewer = (db: Db) => prepareDoctorCardWith(db, 'schedule_snapshot_viewer', slotsJson(true));
const anonymousSnapshots = new WeakMap<Db, ReturnType<typeof prepareAnonymous>>();
const viewerSnapshots = new WeakMap<Db, ReturnType<typeof prepareViewer>>();

export interface ScheduleSnapshot {
  card: DoctorCardRow;
  /** Slots starting after `after`, in order (a superset of the booking window). */
  slots: WindowSlotRow[];
}

/**
 * One round trip for the schedule page: the doctor card (organisation, specialty, region
 * rules) and the doctor's slots after `after`, read by one indexed range scan on
 * (doctor_id, start_at). Null for an unknown doctor.
 */
export async function selectScheduleSnapshot(
  db: Db,
  doctorId: number,
  after: Date,
  viewerAccountId: string | null,
): Promise<ScheduleSnapshot | null> {
  let rows: Awaited<ReturnType<ReturnType<typeof prepareAnonymous>['execute']>>;
  if (viewerAccountId === null) {
    let q = anonymousSnapshots.get(db);
    if (!q) {
      q = prepareAnonymous(db);
      anonymousSnapshots.set(db, q);
    }
    rows = await q.execute({ doctorId, after: after.toISOString() });
  } else {
    let q = viewerSnapshots.get(db);
    if (!q) {
      q = prepareViewer(db);
      viewerSnapshots.set(db, q);
    }
    rows = await q.execute({ doctorId, after: after.toISOString(), viewer: viewerAccountId });
  }
  const row = rows[0];
  if (!row) return null;
  const { extra, ...card } = row;
  const tuples: SlotTuple[] = typeof extra === 'string' ? (JSON.parse(extra) as SlotTuple[]) : extra;
  return { card, slots: tuples.map(toSlotRow) };
}

function toSlotRow(t: SlotTuple): WindowSlotRow {
  return {
    id: t[0],
    startMs: t[1],
    endMs: t[2],
    status: t[3],
    heldUntilMs: t[4],
    heldByViewer: t[5] === true,
    viewerAppointmentId: t[6],
    channel: t[7] ?? 'portal',
    offTemplate: t[8] === true,
  };
}

// ---------- the cache's versions (schedule.cache.ts; kept by triggers, migration 0004) ----------

/** The sum over the doctor's version shards: grows with every committed change of its slots. */
const doctorVersion = (doctorId: SQL) =>
  sql`coalesce((select sum(v.version) from schedule_versions v where v.doctor_id = ${doctorId}), 0)::float8`;
const catalogueGen = sql`(select g.generation from catalogue_generation g where g.id = 1)::float8`;

/** [schedule version, catalogue generation, slots]: read in one statement, so they agree. */
type CacheableExtra = [number, number, SlotTuple[]];

const prepareCacheable = (db: Db) =>
  prepareDoctorCardWith(
    db,
    'schedule_snapshot_cacheable',
    sql<CacheableExtra>`json_build_array(${doctorVersion(sql`${doctors.id}`)}, ${catalogueGen}, ${slotsJson(false)})`,
  );
const cacheableSnapshots = new WeakMap<Db, ReturnType<typeof prepareCacheable>>();

export interface VersionedSnapshot extends ScheduleSnapshot {
  version: number;
  generation: number;
}

/**
 * The anonymous schedule snapshot with the versions it was read at (the same statement): what
 * the schedule cache keeps. Null for an unknown doctor.
 */
export async function selectVersionedSnapshot(
  db: Db,
  doctorId: number,
  after: Date,
): Promise<VersionedSnapshot | null> {
  let q = cacheableSnapshots.get(db);
  if (!q) {
    q = prepareCacheable(db);
    cacheableSnapshots.set(db, q);
  }
  const rows = await q.execute({ doctorId, after: after.toISOString() });
  const row = rows[0];
  if (!row) return null;
  const { extra, ...card } = row;
  const [version, generation, tuples] = typeof extra === 'string' ? (JSON.parse(extra) as CacheableExtra) : extra;
  return { card, version: Number(version), generation: Number(generation), slots: tuples.map(toSlotRow) };
}

export interface VersionCheck {
  version: number;
  generation: number;
  /** With a viewer: the viewer's held slots and active portal appointments at this doctor. */
  own: { held: number[]; booked: [slotId: number, appointmentId: string][] } | null;
}

const checkVersions = preparedSql<{
  i: number;
  version: number;
  generation: number;
  own: VersionCheck['own'] | string | null;
}>(
  'schedule_versions_check',
  sql`select r.i::int as i,
             ${doctorVersion(sql`r.doctor_id`)} as version,
             ${catalogueGen} as generation,
             case when r.viewer is null then null else json_build_object(
               'held', coalesce((select json_agg(s.id) from slots s
                                  where s.hold_account_id = r.viewer and s.status = 'held' and s.doctor_id = r.doctor_id), '[]'::json),
               'booked', coalesce((select json_agg(json_build_array(a.slot_id, a.id)) from appointments a
                                    where a.booked_by_account_id = r.viewer and a.doctor_id = r.doctor_id
                                      and a.status = 'booked' and a.source = 'portal'), '[]'::json)
             ) end as own
        from unnest(${sql.placeholder('doctors')}::int[], ${sql.placeholder('viewers')}::uuid[]) with ordinality as r(doctor_id, viewer, i)`,
);

/** The current versions for many (doctor, viewer) pairs in one round trip, in input order. */
export async function selectScheduleVersions(
  db: Db,
  items: readonly { doctorId: number; viewerAccountId: string | null }[],
): Promise<VersionCheck[]> {
  const rows = await checkVersions.rows(db, {
    doctors: items.map((i) => i.doctorId),
    viewers: items.map((i) => i.viewerAccountId),
  });
  const out: VersionCheck[] = new Array(items.length);
  for (const r of rows) {
    const own = typeof r.own === 'string' ? (JSON.parse(r.own) as VersionCheck['own']) : r.own;
    out[Number(r.i) - 1] = { version: Number(r.version), generation: Number(r.generation), own };
  }
  return out;
}

export interface FreeSummaryRow {
  doctorId: number;
  nearestMs: number | null;
  freeCount: number;
}

/**
 * For each doctor, the nearest free slot and the number of free slots starting inside
 * (now, until): free, or held with the hold expired. Doctors without free time are absent.
 */
export async function selectFreeSummaries(
  db: Db,
  windows: { doctorId: number; until: Date }[],
  now: Date,
): Promise<FreeSummaryRow[]> {
  if (windows.length === 0) return [];
  const ids = windows.map((w) => w.doctorId);
  const untils = windows.map((w) => w.until.toISOString());
  const nowIso = now.toISOString();
  const rows = await queryRows<{ doctor_id: number; nearest_ms: number | null; free_count: number | string }>(
    db,
    sql`select w.doctor_id,
               (extract(epoch from min(s.start_at)) * 1000)::float8 as nearest_ms,
               count(*)::int as free_count
          from unnest(${sql.param(ids)}::int[], ${sql.param(untils)}::timestamptz[]) as w(doctor_id, until)
          join slots s
            on s.doctor_id = w.doctor_id
           and s.start_at > ${nowIso}::timestamptz
           and s.start_at < w.until
           and s.channel = 'portal'
         where s.status = 'free' or (s.status = 'held' and s.held_until <= ${nowIso}::timestamptz)
         group by w.doctor_id`,
  );
  return rows.map((r) => ({ doctorId: r.doctor_id, nearestMs: r.nearest_ms, freeCount: Number(r.free_count) }));
}

export interface TemplateForExpansion extends TemplateRule {
  doctorId: number;
  organisationId: number;
  timeZone: string;
}

/** A stored template row as a rule: the one break of rows written before migration 0007 joins `breaks`. */
export function toTemplateRule(r: {
  dayRule: string;
  weekday: number | null;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  breakStart: string | null;
  breakEnd: string | null;
  breaks: TimeRange[];
  validFrom: string;
  validUntil: string | null;
  registryPercent: number;
  referralPercent: number;
}): TemplateRule {
  const legacy = r.breakStart !== null && r.breakEnd !== null ? [{ start: r.breakStart, end: r.breakEnd }] : [];
  return {
    dayRule: r.dayRule as DayRule,
    weekday: r.weekday,
    startTime: r.startTime,
    endTime: r.endTime,
    slotMinutes: r.slotMinutes,
    breaks: [...legacy, ...r.breaks],
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    registryPercent: r.registryPercent,
    referralPercent: r.referralPercent,
  };
}

export const templateColumns = {
  dayRule: scheduleTemplates.dayRule,
  weekday: scheduleTemplates.weekday,
  startTime: scheduleTemplates.startTime,
  endTime: scheduleTemplates.endTime,
  slotMinutes: scheduleTemplates.slotMinutes,
  breakStart: scheduleTemplates.breakStart,
  breakEnd: scheduleTemplates.breakEnd,
  breaks: scheduleTemplates.breaks,
  validFrom: scheduleTemplates.validFrom,
  validUntil: scheduleTemplates.validUntil,
  registryPercent: scheduleTemplates.registryPercent,
  referralPercent: scheduleTemplates.referralPercent,
};

/** Templates of active doctors still valid on or after `fromDate`, with the organisation and its zone. */
export async function selectTemplatesForExpansion(
  db: Db,
  fromDate: string,
  doctorId?: number,
): Promise<TemplateForExpansion[]> {
  const valid = or(isNull(scheduleTemplates.validUntil), gte(scheduleTemplates.validUntil, fromDate));
  const rows = await db
    .select({
      doctorId: scheduleTemplates.doctorId,
      organisationId: doctors.organisationId,
      timeZone: organisations.timeZone,
      ...templateColumns,
    })
    .from(scheduleTemplates)
    .innerJoin(doctors, eq(doctors.id, scheduleTemplates.doctorId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(
      and(
        eq(doctors.active, true),
        valid,
        doctorId === undefined ? undefined : eq(scheduleTemplates.doctorId, doctorId),
      ),
    )
    .orderBy(asc(scheduleTemplates.doctorId), asc(scheduleTemplates.id));
  return rows.map((r) => ({
    doctorId: r.doctorId,
    organisationId: r.organisationId,
    timeZone: r.timeZone,
    ...toTemplateRule(r),
  }));
}

/** Exceptions dated on or after `fromDate` (of one organisation, when given). */
export async function selectExceptionsFrom(
  db: Db,
  fromDate: string,
  organisationId?: number,
): Promise<(DayException & { organisationId: number })[]> {
  const rows = await db
    .select({
      organisationId: scheduleExceptions.organisationId,
      doctorId: scheduleExceptions.doctorId,
      date: scheduleExceptions.date,
      kind: scheduleExceptions.kind,
      startTime: scheduleExceptions.startTime,
      endTime: scheduleExceptions.endTime,
      slotMinutes: scheduleExceptions.slotMinutes,
    })
    .from(scheduleExceptions)
    .where(
      and(
        gte(scheduleExceptions.date, fromDate),
        organisationId === undefined ? undefined : eq(scheduleExceptions.organisationId, organisationId),
      ),
    );
  return rows.map((r) => ({ ...r, kind: r.kind as ExceptionKind }));
}

export interface NewSlot {
  doctorId: number;
  startAt: Date;
  endAt: Date;
  /** Who may book it; portal when absent. */
  channel?: SlotChannel;
}

/**
 * Inserts free slots in one statement; an existing slot of the doctor at the same start is
 * left alone. Returns how many were inserted.
 */
export async function insertSlotsIgnoringExisting(db: Db, rows: readonly NewSlot[]): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.doctorId);
  // Instants travel as epoch seconds (exact to the microsecond): cheaper than ISO strings.
  const starts = rows.map((r) => r.startAt.getTime() / 1000);
  const ends = rows.map((r) => r.endAt.getTime() / 1000);
  const channels = rows.map((r) => r.channel ?? 'portal');
  const result = await queryRows<{ inserted: number | string }>(
    db,
    sql`with ins as (
          insert into slots (doctor_id, start_at, end_at, channel)
          select u.doctor_id, to_timestamp(u.start_s), to_timestamp(u.end_s), u.channel
            from unnest(${sql.param(ids)}::int[], ${sql.param(starts)}::float8[], ${sql.param(ends)}::float8[],
                        ${sql.param(channels)}::text[])
                 as u(doctor_id, start_s, end_s, channel)
          on conflict (doctor_id, start_at) do nothing
          returning 1
        )
        select count(*)::int as inserted from ins`,
  );
  return Number(result[0]?.inserted ?? 0);
}
