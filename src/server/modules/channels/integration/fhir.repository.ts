// SQL of the FHIR view's searches: an organisation's slots and appointments filtered by what the
// search parameters ask, one keyset page at a time ((start, id) after the cursor's position),
// and the count of all matches for Bundle.total. Every instant the portal writes comes from a
// JS Date (millisecond precision), so an ISO string is an exact keyset position.
import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { appointments, doctors, slots } from '../../../db/schema.js';
import { APPOINTMENT_REFERENCE_SYSTEM, EXTERNAL_APPOINTMENT_ID_SYSTEM } from './fhir.mapping.js';
import type { DateBounds, IdentifierMatch } from './fhir.search.js';
import {
  type AppointmentInfo,
  changedAt,
  selectAppointments,
  type SlotInfo,
  slotInfoColumns,
} from './integration.repository.js';

/** A keyset position of a slot or appointment search: (start instant, id). */
export type StartPosition<Id> = readonly [string, Id];

const nothing = sql`false`;

/** `column in (values)`; an empty list (ids of a shape that never exists) matches nothing. */
function oneOf<T extends string | number>(column: Parameters<typeof inArray>[0], values: readonly T[] | undefined) {
  if (values === undefined) return undefined;
  return values.length === 0 ? nothing : inArray(column, [...values]);
}

function within(column: Parameters<typeof gte>[0], bounds: DateBounds | undefined): SQL | undefined {
  if (!bounds) return undefined;
  return and(bounds.from ? gte(column, bounds.from) : undefined, bounds.to ? lt(column, bounds.to) : undefined);
}

// ---------- slots ----------

export interface SlotSearch {
  organisationId: number;
  ids?: readonly number[];
  doctorIds?: readonly number[];
  start?: DateBounds;
  statuses?: ReadonlySet<string>;
  /** What a lapsed hold is (free) depends on the time: integration.rules.ts externalSlotStatus. */
  now: Date;
}

/** The FHIR status of a slot in SQL, exactly as externalSlotStatus and fhirSlotStatus decide it. */
function slotStatusAt(now: Date): SQL<string> {
  return sql<string>`case
    when ${slots.status} = 'free'
      or (${slots.status} = 'held' and ${slots.holdOfferId} is null and ${slots.heldUntil} <= ${now.toISOString()}::timestamptz)
      then 'free'
    when ${slots.status} = 'blocked' then 'busy-unavailable'
    else 'busy' end`;
}

function slotWhere(q: SlotSearch): SQL | undefined {
  return and(
    eq(doctors.organisationId, q.organisationId),
    oneOf(slots.id, q.ids),
    oneOf(slots.doctorId, q.doctorIds),
    within(slots.startAt, q.start),
    q.statuses ? (q.statuses.size === 0 ? nothing : sql`${slotStatusAt(q.now)} in ${[...q.statuses]}`) : undefined,
  );
}

/** One page of the matching slots by (start, id), after `after`; `limit` rows at most. */
export async function searchSlots(
  db: Db,
  q: SlotSearch,
  page: { after: StartPosition<number> | null; limit: number },
): Promise<SlotInfo[]> {
  return db
    .select(slotInfoColumns)
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(
      and(
        slotWhere(q),
        page.after
          ? sql`(${slots.startAt}, ${slots.id}) > (${page.after[0]}::timestamptz, ${page.after[1]})`
          : undefined,
      ),
    )
    .orderBy(asc(slots.startAt), asc(slots.id))
    .limit(page.limit);
}

export async function countSlots(db: Db, q: SlotSearch): Promise<number> {
  const rows = await db
    .select({ n: sql<string>`count(*)` })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(slotWhere(q));
  return Number(rows[0]?.n ?? 0);
}

// ---------- appointments ----------

export interface AppointmentSearch {
  organisationId: number;
  ids?: readonly string[];
  doctorIds?: readonly number[];
  personIds?: readonly string[];
  slotIds?: readonly number[];
  /** The portal's statuses (fhir.mapping.ts portalAppointmentStatuses). */
  statuses?: readonly string[];
  /** AND of ORs (fhir.search.ts identifierParam). */
  identifiers?: readonly (readonly IdentifierMatch[])[];
  start?: DateBounds;
  lastUpdated?: DateBounds;
}

/** One identifier alternative: the reference number, or the clinic system's id within this organisation. */
function identifierMatch(m: IdentifierMatch, organisationId: number): SQL | undefined {
  const reference = eq(appointments.reference, m.value);
  const external = and(eq(appointments.externalOrgId, organisationId), eq(appointments.externalId, m.value));
  if (m.system === null) return or(reference, external);
  if (m.system === APPOINTMENT_REFERENCE_SYSTEM) return reference;
  if (m.system === EXTERNAL_APPOINTMENT_ID_SYSTEM) return external;
  return nothing;
}

function appointmentWhere(q: AppointmentSearch): SQL | undefined {
  return and(
    eq(doctors.organisationId, q.organisationId),
    oneOf(appointments.id, q.ids),
    oneOf(appointments.doctorId, q.doctorIds),
    oneOf(appointments.personId, q.personIds),
    oneOf(appointments.slotId, q.slotIds),
    oneOf(appointments.status, q.statuses),
    ...(q.identifiers ?? []).map((alternatives) =>
      or(...alternatives.map((m) => identifierMatch(m, q.organisationId))),
    ),
    within(appointments.startAt, q.start),
    q.lastUpdated
      ? and(
          q.lastUpdated.from ? sql`${changedAt} >= ${q.lastUpdated.from.toISOString()}::timestamptz` : undefined,
          q.lastUpdated.to ? sql`${changedAt} < ${q.lastUpdated.to.toISOString()}::timestamptz` : undefined,
        )
      : undefined,
  );
}

/** One page of the matching appointments by (start, id), after `after`; `limit` rows at most. */
export async function searchAppointments(
  db: Db,
  q: AppointmentSearch,
  page: { after: StartPosition<string> | null; limit: number },
): Promise<AppointmentInfo[]> {
  return selectAppointments(
    db,
    and(
      appointmentWhere(q),
      page.after
        ? sql`(${appointments.startAt}, ${appointments.id}) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
        : undefined,
    ),
  )
    .orderBy(asc(appointments.startAt), asc(appointments.id))
    .limit(page.limit);
}

export async function countAppointments(db: Db, q: AppointmentSearch): Promise<number> {
  const rows = await db
    .select({ n: sql<string>`count(*)` })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(appointmentWhere(q));
  return Number(rows[0]?.n ?? 0);
}
