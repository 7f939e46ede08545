// SQL for the integration API's reads: an organisation's doctors, its slots in a window,
// and its appointments as a change feed (in the order of the change log, migration 0012).
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/index.js';
import {
  appointments,
  doctors,
  integrationChanges,
  organisations,
  persons,
  slots,
  specialties,
} from '../../../db/schema.js';

export interface OrganisationInfo {
  id: number;
  name: string;
  timeZone: string;
}

export async function findOrganisation(db: Db, organisationId: number): Promise<OrganisationInfo | null> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, timeZone: organisations.timeZone })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return rows[0] ?? null;
}

export interface DoctorInfo {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  room: string;
  active: boolean;
  specialtyId: number;
  specialty: string;
}

/** The organisation's doctors (one of them with `doctorId`), by id. */
export async function listOrganisationDoctors(
  db: Db,
  organisationId: number,
  doctorId?: number,
): Promise<DoctorInfo[]> {
  return db
    .select({
      id: doctors.id,
      lastName: doctors.lastName,
      firstName: doctors.firstName,
      middleName: doctors.middleName,
      room: doctors.room,
      active: doctors.active,
      specialtyId: specialties.id,
      specialty: specialties.name,
    })
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(
      and(eq(doctors.organisationId, organisationId), doctorId !== undefined ? eq(doctors.id, doctorId) : undefined),
    )
    .orderBy(asc(doctors.id));
}

export interface SlotInfo {
  id: number;
  doctorId: number;
  startAt: Date;
  endAt: Date;
  status: string;
  heldUntil: Date | null;
  holdOfferId: string | null;
}

/** The columns of a SlotInfo, for every query that reads slots for the integration API and FHIR. */
export const slotInfoColumns = {
  id: slots.id,
  doctorId: slots.doctorId,
  startAt: slots.startAt,
  endAt: slots.endAt,
  status: slots.status,
  heldUntil: slots.heldUntil,
  holdOfferId: slots.holdOfferId,
};

/** Slots of the organisation's doctors (or one doctor) starting in [from, to), by start then doctor. */
export async function listOrganisationSlots(
  db: Db,
  q: { organisationId: number; doctorId?: number; from: Date; to: Date },
): Promise<SlotInfo[]> {
  return db
    .select(slotInfoColumns)
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(
      and(
        eq(doctors.organisationId, q.organisationId),
        q.doctorId !== undefined ? eq(slots.doctorId, q.doctorId) : undefined,
        gte(slots.startAt, q.from),
        lt(slots.startAt, q.to),
      ),
    )
    .orderBy(asc(slots.startAt), asc(slots.doctorId));
}

/** The slot of this doctor of the organisation that starts at exactly this instant. */
export async function findSlotIdByStart(
  db: Db,
  organisationId: number,
  doctorId: number,
  startAt: Date,
): Promise<number | null> {
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(and(eq(doctors.organisationId, organisationId), eq(slots.doctorId, doctorId), eq(slots.startAt, startAt)));
  return rows[0]?.id ?? null;
}

/** When an appointment was made or last changed (cancelled, visited, no-show, released); its microseconds are changedUs (the FHIR versionId). */
export const changedAt = sql`greatest(${appointments.createdAt}, coalesce(${appointments.statusChangedAt}, ${appointments.createdAt}), coalesce(${appointments.cancelledAt}, ${appointments.createdAt}), coalesce(${appointments.releasedAt}, ${appointments.createdAt}))`;
const changedUs = sql<string>`(extract(epoch from ${changedAt}) * 1000000)::bigint::text`;

export interface AppointmentInfo {
  id: string;
  reference: string;
  externalId: string | null;
  source: string;
  status: string;
  cancelledBy: string | null;
  /** moved | released (SPEC 8a), else null. */
  cancelReason: string | null;
  /** «Не смогу прийти» after the cancel time: when the patient warned the clinic. */
  releasedAt: Date | null;
  /** A move's new visit: the visit it replaced. */
  movedFromId: string | null;
  slotId: number;
  startAt: Date;
  endAt: Date;
  createdAt: Date;
  /** Microseconds since the epoch, as text (beyond the precision of a JS number's milliseconds). */
  changedUs: string;
  doctor: {
    id: number;
    lastName: string;
    firstName: string;
    middleName: string | null;
    room: string;
    specialtyId: number;
    specialty: string;
  };
  /** The person's id: the FHIR view's Patient/<personId>. */
  personId: string;
  patient: {
    lastName: string;
    firstName: string;
    middleName: string | null;
    birthDate: string;
    sex: string;
    snils: string;
    policy: string;
  };
}

/** The appointments matching `where` (of any organisation: the caller bounds it), as AppointmentInfo. */
export function selectAppointments(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: appointments.id,
      reference: appointments.reference,
      externalId: appointments.externalId,
      source: appointments.source,
      status: appointments.status,
      cancelledBy: appointments.cancelledBy,
      cancelReason: appointments.cancelReason,
      releasedAt: appointments.releasedAt,
      movedFromId: appointments.movedFromId,
      slotId: appointments.slotId,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      createdAt: appointments.createdAt,
      changedUs,
      doctor: {
        id: doctors.id,
        lastName: doctors.lastName,
        firstName: doctors.firstName,
        middleName: doctors.middleName,
        room: doctors.room,
        specialtyId: specialties.id,
        specialty: specialties.name,
      },
      personId: appointments.personId,
      patient: {
        lastName: persons.lastName,
        firstName: persons.firstName,
        middleName: persons.middleName,
        birthDate: persons.birthDate,
        sex: persons.sex,
        snils: persons.snils,
        policy: persons.policy,
      },
    })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .where(where);
}

export interface FeedEntry {
  appointment: AppointmentInfo;
  /** The appointment's latest change in the log (the cursor after it). */
  position: { xid: string; id: string };
}

/**
 * The organisation's appointments whose latest settled change in the log comes after `after`,
 * each once at that change, in log order; `limit` at most. A change becomes readable only when
 * every older transaction has finished, and it then sorts after everything read before, so a
 * cursor never passes over a change, however slowly its transaction committed.
 */
export async function listAppointmentChanges(
  db: Db,
  q: {
    organisationId: number;
    after: { xid: string; id: string } | null;
    source?: string;
    limit: number;
  },
): Promise<FeedEntry[]> {
  const latest = await queryRows<{ appointment_id: string; xid: string; id: string }>(
    db,
    sql`select latest.appointment_id, latest.xid::text as xid, latest.id::text as id from (
          select distinct on (c.appointment_id) c.appointment_id, c.xid, c.id
            from ${integrationChanges} c
           where c.organisation_id = ${q.organisationId} and c.appointment_id is not null
             and c.xid < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
             ${q.after ? sql`and (c.xid, c.id) > (${q.after.xid}::bigint, ${q.after.id}::bigint)` : sql``}
           order by c.appointment_id, c.xid desc, c.id desc
        ) latest
        ${q.source !== undefined ? sql`join ${appointments} a on a.id = latest.appointment_id and a.source = ${q.source}` : sql``}
        order by latest.xid, latest.id
        limit ${q.limit}`,
  );
  if (latest.length === 0) return [];
  const rows = await selectAppointments(
    db,
    and(
      eq(doctors.organisationId, q.organisationId),
      inArray(
        appointments.id,
        latest.map((l) => l.appointment_id),
      ),
    ),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return latest.flatMap((l) => {
    const appointment = byId.get(l.appointment_id);
    return appointment ? [{ appointment, position: { xid: l.xid, id: l.id } }] : [];
  });
}

/**
 * Where a cursor issued before the change log stands in it: the appointments the migration
 * entered first (in the old feed's order) up to the cursor's (microseconds, id), skipping any
 * changed since (their later changes are in the log anyway); the log's start if none.
 */
export async function legacyCursorPosition(
  db: Db,
  organisationId: number,
  legacy: { us: string; id: string },
): Promise<{ xid: string; id: string }> {
  const rows = await queryRows<{ xid: string; id: string }>(
    db,
    sql`select c.xid::text as xid, c.id::text as id
          from ${integrationChanges} c join ${appointments} on ${appointments.id} = c.appointment_id
         where c.xid = (select first.xid from ${integrationChanges} first order by first.id limit 1)
           and c.organisation_id = ${organisationId}
           and ((extract(epoch from ${changedAt}) * 1000000)::bigint, ${appointments.id}) <= (${legacy.us}::bigint, ${legacy.id}::uuid)
         order by c.id desc
         limit 1`,
  );
  return rows[0] ?? { xid: '0', id: '0' };
}

/** Appointments of the organisation whose start is in [from, to), optionally of one doctor, by start. */
export async function listAppointmentsStarting(
  db: Db,
  q: { organisationId: number; doctorId?: number; from: Date; to: Date },
): Promise<AppointmentInfo[]> {
  return selectAppointments(
    db,
    and(
      eq(doctors.organisationId, q.organisationId),
      q.doctorId !== undefined ? eq(appointments.doctorId, q.doctorId) : undefined,
      gte(appointments.startAt, q.from),
      lt(appointments.startAt, q.to),
    ),
  ).orderBy(asc(appointments.startAt), asc(appointments.id));
}

/** One appointment of the organisation by our id or by the clinic system's id; null for any other. */
export async function findOrganisationAppointment(
  db: Db,
  organisationId: number,
  by: { id: string } | { externalId: string },
): Promise<AppointmentInfo | null> {
  const rows = await selectAppointments(
    db,
    and(
      eq(doctors.organisationId, organisationId),
      'id' in by
        ? eq(appointments.id, by.id)
        : and(eq(appointments.externalOrgId, organisationId), eq(appointments.externalId, by.externalId)),
    ),
  ).limit(1);
  return rows[0] ?? null;
}

/** One slot of the organisation's doctors; null for any other. */
export async function findOrganisationSlot(db: Db, organisationId: number, slotId: number): Promise<SlotInfo | null> {
  const rows = await db
    .select(slotInfoColumns)
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(and(eq(doctors.organisationId, organisationId), eq(slots.id, slotId)));
  return rows[0] ?? null;
}
