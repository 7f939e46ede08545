// SQL of the FHIR view's other resources and writes: the key's organisation with its address,
// its doctors with their specialty, the patients it may see (those with a visit there, as the
// integration API shows them), and the row lock a status update checks its version under.
import { and, asc, count, eq, exists, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { appointments, doctors, organisations, persons, specialties } from '../../../db/schema.js';

export interface OrganisationDetails {
  id: number;
  name: string;
  shortName: string;
  address: string;
  phone: string;
  timeZone: string;
}

export async function findOrganisationDetails(db: Db, organisationId: number): Promise<OrganisationDetails | null> {
  const rows = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      shortName: organisations.shortName,
      address: organisations.address,
      phone: organisations.phone,
      timeZone: organisations.timeZone,
    })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return rows[0] ?? null;
}

export interface PractitionerRow {
  id: number;
  organisationId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  room: string;
  position: string;
  active: boolean;
  specialtyId: number;
  specialty: string;
}

/** The organisation's doctors, by id; `ids` narrows to those (an empty list finds none). */
export async function listPractitioners(
  db: Db,
  organisationId: number,
  ids?: readonly number[],
): Promise<PractitionerRow[]> {
  if (ids !== undefined && ids.length === 0) return [];
  return db
    .select({
      id: doctors.id,
      organisationId: doctors.organisationId,
      lastName: doctors.lastName,
      firstName: doctors.firstName,
      middleName: doctors.middleName,
      room: doctors.room,
      position: doctors.position,
      active: doctors.active,
      specialtyId: specialties.id,
      specialty: specialties.name,
    })
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(and(eq(doctors.organisationId, organisationId), ids ? inArray(doctors.id, [...ids]) : undefined))
    .orderBy(asc(doctors.id));
}

export interface PatientRow {
  id: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: string;
  snils: string;
  policy: string;
}

/** A visit of this person with a doctor of the organisation: what makes a patient visible to its key. */
function hasVisitAt(organisationId: number) {
  return exists(
    sql`(select 1 from ${appointments} join ${doctors} on ${doctors.id} = ${appointments.doctorId}
          where ${appointments.personId} = ${persons.id} and ${doctors.organisationId} = ${organisationId})`,
  );
}

export interface PatientQuery {
  ids?: readonly string[];
  /** СНИЛС values (a person matches one of them, or one of `policies`). */
  snils?: readonly string[];
  policies?: readonly string[];
}

function patientWhere(organisationId: number, q: PatientQuery): SQL | undefined | null {
  if (q.ids?.length === 0) return null;
  const byIdentifier = q.snils !== undefined || q.policies !== undefined;
  if (byIdentifier && !q.snils?.length && !q.policies?.length) return null;
  return and(
    q.ids ? inArray(persons.id, [...q.ids]) : undefined,
    byIdentifier
      ? or(
          q.snils?.length ? inArray(persons.snils, [...q.snils]) : undefined,
          q.policies?.length ? inArray(persons.policy, [...q.policies]) : undefined,
        )
      : undefined,
    hasVisitAt(organisationId),
  );
}

/**
 * The persons with a visit at the organisation (any status, any channel), by id after `after`:
 * those of `ids`, or those whose СНИЛС or полис is given. At most `limit` rows.
 */
export async function listVisiblePatients(
  db: Db,
  organisationId: number,
  q: PatientQuery & { after?: string; limit: number },
): Promise<PatientRow[]> {
  const where = patientWhere(organisationId, q);
  if (where === null) return [];
  return db
    .select({
      id: persons.id,
      lastName: persons.lastName,
      firstName: persons.firstName,
      middleName: persons.middleName,
      birthDate: persons.birthDate,
      sex: persons.sex,
      snils: persons.snils,
      policy: persons.policy,
    })
    .from(persons)
    .where(and(where, q.after !== undefined ? gt(persons.id, q.after) : undefined))
    .orderBy(asc(persons.id))
    .limit(q.limit);
}

/** How many persons listVisiblePatients would find without paging. */
export async function countVisiblePatients(db: Db, organisationId: number, q: PatientQuery): Promise<number> {
  const where = patientWhere(organisationId, q);
  if (where === null) return 0;
  const rows = await db.select({ n: count() }).from(persons).where(where);
  return Number(rows[0]?.n ?? 0);
}

/** Locks an appointment of the organisation (FOR UPDATE) for a status update; false when there is none. */
export async function lockOrganisationAppointment(
  tx: Db,
  organisationId: number,
  appointmentId: string,
): Promise<boolean> {
  const rows = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(and(eq(appointments.id, appointmentId), eq(doctors.organisationId, organisationId)))
    .for('update', { of: appointments });
  return rows.length > 0;
}

/** Whether the person has a visit at the organisation (the patient is visible to its key). */
export async function isPatientVisible(db: Db, organisationId: number, personId: string): Promise<boolean> {
  const rows = await db
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.id, personId), hasVisitAt(organisationId)));
  return rows.length > 0;
}
