// SQL for the catalogue: organisations, specialties, doctors.
import { and, asc, eq, exists, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { doctors, organisations, regionSettings, specialties } from '../../db/schema.js';

export type OrganisationRow = typeof organisations.$inferSelect;
export type SpecialtyRow = typeof specialties.$inferSelect;

export async function selectOrganisations(db: Db): Promise<OrganisationRow[]> {
  return db.select().from(organisations).orderBy(asc(organisations.id));
}

/** Specialties that have at least one active doctor. */
export async function selectSpecialtiesWithActiveDoctors(db: Db): Promise<SpecialtyRow[]> {
  return db
    .select()
    .from(specialties)
    .where(
      exists(
        db
          .select({ one: doctors.id })
          .from(doctors)
          .where(and(eq(doctors.specialtyId, specialties.id), eq(doctors.active, true))),
      ),
    );
}

/**
 * A doctor with the organisation and specialty, plus the region rules the schedule needs
 * (horizon, cut-off), read in one query: the schedule page is the portal's hottest route.
 */
const doctorCardColumns = {
  id: doctors.id,
  lastName: doctors.lastName,
  firstName: doctors.firstName,
  middleName: doctors.middleName,
  room: doctors.room,
  active: doctors.active,
  specialtyId: specialties.id,
  specialtyName: specialties.name,
  specialtyMinAge: specialties.minAge,
  specialtyMaxAge: specialties.maxAge,
  specialtySex: specialties.sex,
  organisation: {
    id: organisations.id,
    name: organisations.name,
    shortName: organisations.shortName,
    address: organisations.address,
    phone: organisations.phone,
    timeZone: organisations.timeZone,
    waitlistAllowed: organisations.waitlistAllowed,
    cutoffOverride: organisations.cutoffOverride,
  },
  horizonDays: regionSettings.horizonDays,
  regionCutoff: regionSettings.cutoffTime,
};

export type DoctorCardRow = {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  room: string;
  active: boolean;
  specialtyId: number;
  specialtyName: string;
  specialtyMinAge: number | null;
  specialtyMaxAge: number | null;
  specialtySex: string | null;
  organisation: OrganisationRow;
  horizonDays: number;
  regionCutoff: string;
};

function doctorCards(db: Db, where: SQL | undefined) {
  return db
    .select(doctorCardColumns)
    .from(doctors)
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(regionSettings, eq(regionSettings.id, 1))
    .where(where);
}

// Prepared once per database handle: the schedule page reads a doctor card on every request.
function prepareDoctorCard(db: Db) {
  return doctorCards(db, eq(doctors.id, sql.placeholder('doctorId')))
    .limit(1)
    .prepare('catalogue_doctor_card');
}
const doctorCardQueries = new WeakMap<Db, ReturnType<typeof prepareDoctorCard>>();

/**
 * "A doctor card by id" plus one computed column, prepared under `name`: the schedule page
 * reads the card and its slots in one round trip. Placeholder: doctorId (and those of `extra`).
 */
export function prepareDoctorCardWith<T>(db: Db, name: string, extra: SQL<T>) {
  return db
    .select({ ...doctorCardColumns, extra })
    .from(doctors)
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(regionSettings, eq(regionSettings.id, 1))
    .where(eq(doctors.id, sql.placeholder('doctorId')))
    .limit(1)
    .prepare(name);
}

export async function selectDoctorCard(db: Db, doctorId: number): Promise<DoctorCardRow | null> {
  let q = doctorCardQueries.get(db);
  if (!q) {
    q = prepareDoctorCard(db);
    doctorCardQueries.set(db, q);
  }
  const rows = await q.execute({ doctorId });
  return rows[0] ?? null;
}

export async function selectActiveDoctorCards(
  db: Db,
  filter: { specialtyId?: number; organisationId?: number },
): Promise<DoctorCardRow[]> {
  const conditions: SQL[] = [eq(doctors.active, true)];
  if (filter.specialtyId !== undefined) conditions.push(eq(doctors.specialtyId, filter.specialtyId));
  if (filter.organisationId !== undefined) conditions.push(eq(doctors.organisationId, filter.organisationId));
  return doctorCards(db, and(...conditions));
}
