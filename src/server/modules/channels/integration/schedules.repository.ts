// SQL of «Schedules in» for a clinic system: its specialty codes mapped to the region's
// specialties, and its doctors found by its own ids - always within the key's organisation.
import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/index.js';
import { doctors, integrationSpecialtyCodes, specialties } from '../../../db/schema.js';

export interface SpecialtyCodeRow {
  code: string;
  specialtyId: number;
  specialtyName: string;
}

/** The organisation's codes, by code. */
export async function selectSpecialtyCodes(db: Db, organisationId: number): Promise<SpecialtyCodeRow[]> {
  return db
    .select({
      code: integrationSpecialtyCodes.externalCode,
      specialtyId: integrationSpecialtyCodes.specialtyId,
      specialtyName: specialties.name,
    })
    .from(integrationSpecialtyCodes)
    .innerJoin(specialties, eq(specialties.id, integrationSpecialtyCodes.specialtyId))
    .where(eq(integrationSpecialtyCodes.organisationId, organisationId))
    .orderBy(asc(integrationSpecialtyCodes.externalCode));
}

/** One code of the organisation (locked when `forUpdate`), or null. */
export async function selectSpecialtyCode(
  db: Db,
  organisationId: number,
  code: string,
  forUpdate = false,
): Promise<SpecialtyCodeRow | null> {
  const q = db
    .select({
      code: integrationSpecialtyCodes.externalCode,
      specialtyId: integrationSpecialtyCodes.specialtyId,
      specialtyName: specialties.name,
    })
    .from(integrationSpecialtyCodes)
    .innerJoin(specialties, eq(specialties.id, integrationSpecialtyCodes.specialtyId))
    .where(
      and(
        eq(integrationSpecialtyCodes.organisationId, organisationId),
        eq(integrationSpecialtyCodes.externalCode, code),
      ),
    );
  const rows = forUpdate ? await q.for('update', { of: integrationSpecialtyCodes }) : await q;
  return rows[0] ?? null;
}

/**
 * Maps the code to the specialty: inserted, or changed when it meant another one. Returns what
 * it meant before (null: a new code); two callers at once are ordered by the primary key.
 */
export async function upsertSpecialtyCode(
  db: Db,
  v: { organisationId: number; code: string; specialtyId: number; now: Date },
): Promise<{ before: number | null }> {
  const rows = await queryRows<{ before: number | string | null }>(
    db,
    sql`
    with old as (
      select specialty_id from integration_specialty_codes
       where organisation_id = ${v.organisationId} and external_code = ${v.code}
       for update
    ), up as (
      insert into integration_specialty_codes (organisation_id, external_code, specialty_id, updated_at)
      values (${v.organisationId}, ${v.code}, ${v.specialtyId}, ${v.now.toISOString()}::timestamptz)
      on conflict (organisation_id, external_code) do update
        set specialty_id = excluded.specialty_id, updated_at = excluded.updated_at
        where integration_specialty_codes.specialty_id <> excluded.specialty_id
      returning 1
    )
    select (select specialty_id from old) as before, (select count(*) from up) as written`,
  );
  const before = rows[0]?.before ?? null;
  return { before: before === null ? null : Number(before) };
}

export async function specialtyExists(db: Db, specialtyId: number): Promise<string | null> {
  const rows = await db.select({ name: specialties.name }).from(specialties).where(eq(specialties.id, specialtyId));
  return rows[0]?.name ?? null;
}

/** The region's specialties, by name. */
export async function selectRegionSpecialties(db: Db): Promise<{ id: number; name: string }[]> {
  return db.select({ id: specialties.id, name: specialties.name }).from(specialties).orderBy(asc(specialties.name));
}

export interface ExternalDoctorRow {
  id: number;
  externalId: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  specialtyId: number;
  specialtyName: string;
  position: string;
  room: string;
  active: boolean;
}

/** The organisation's doctor with this clinic id (locked when `forUpdate`), or null. */
export async function selectDoctorByExternalId(
  db: Db,
  organisationId: number,
  externalId: string,
  forUpdate = false,
): Promise<ExternalDoctorRow | null> {
  const q = db
    .select({
      id: doctors.id,
      externalId: sql<string>`${doctors.externalId}`,
      lastName: doctors.lastName,
      firstName: doctors.firstName,
      middleName: doctors.middleName,
      specialtyId: doctors.specialtyId,
      specialtyName: specialties.name,
      position: doctors.position,
      room: doctors.room,
      active: doctors.active,
    })
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(and(eq(doctors.organisationId, organisationId), eq(doctors.externalId, externalId)));
  const rows = forUpdate ? await q.for('update', { of: doctors }) : await q;
  return rows[0] ?? null;
}
