// SQL for managing the catalogue (issue 16): organisations, specialties and doctors as the
// operator and the clinic administrator edit them, each row read for update before a change.
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appointments, doctors, organisations, slots, specialties } from '../../db/schema.js';

export type OrganisationRow = typeof organisations.$inferSelect;
export type SpecialtyRow = typeof specialties.$inferSelect;
export type DoctorRow = typeof doctors.$inferSelect;

export async function organisationForUpdate(db: Db, id: number): Promise<OrganisationRow | null> {
  const rows = await db.select().from(organisations).where(eq(organisations.id, id)).for('update');
  return rows[0] ?? null;
}

export async function selectOrganisation(db: Db, id: number): Promise<OrganisationRow | null> {
  const rows = await db.select().from(organisations).where(eq(organisations.id, id));
  return rows[0] ?? null;
}

export async function insertOrganisation(db: Db, values: typeof organisations.$inferInsert): Promise<number> {
  const rows = await db.insert(organisations).values(values).returning({ id: organisations.id });
  return rows[0].id;
}

export async function updateOrganisationRow(
  db: Db,
  id: number,
  values: Partial<typeof organisations.$inferInsert>,
): Promise<void> {
  await db.update(organisations).set(values).where(eq(organisations.id, id));
}

/** Every specialty with the number of active doctors it has in the region. */
export async function selectSpecialtiesWithCounts(db: Db) {
  return db
    .select({
      id: specialties.id,
      name: specialties.name,
      minAge: specialties.minAge,
      maxAge: specialties.maxAge,
      sex: specialties.sex,
      selfBooking: specialties.selfBooking,
      // Qualified by hand: drizzle may print a selected field's columns without their table.
      doctorCount: sql<number>`(select count(*)::int from ${doctors} d where d.specialty_id = ${specialties}.id and d.active)`,
    })
    .from(specialties)
    .orderBy(asc(specialties.name));
}

export async function specialtyForUpdate(db: Db, id: number): Promise<SpecialtyRow | null> {
  const rows = await db.select().from(specialties).where(eq(specialties.id, id)).for('update');
  return rows[0] ?? null;
}

export async function selectSpecialty(db: Db, id: number): Promise<SpecialtyRow | null> {
  const rows = await db.select().from(specialties).where(eq(specialties.id, id));
  return rows[0] ?? null;
}

/** A specialty with this name, compared without case (another than `exceptId`). */
export async function specialtyNamed(db: Db, name: string, exceptId: number | null): Promise<number | null> {
  const rows = await db
    .select({ id: specialties.id })
    .from(specialties)
    .where(
      sql`lower(${specialties.name}) = lower(${name})${exceptId === null ? sql`` : sql` and ${specialties.id} <> ${exceptId}`}`,
    );
  return rows[0]?.id ?? null;
}

export async function insertSpecialty(db: Db, values: typeof specialties.$inferInsert): Promise<number> {
  const rows = await db.insert(specialties).values(values).returning({ id: specialties.id });
  return rows[0].id;
}

export async function updateSpecialtyRow(
  db: Db,
  id: number,
  values: Partial<typeof specialties.$inferInsert>,
): Promise<void> {
  await db.update(specialties).set(values).where(eq(specialties.id, id));
}

const doctorColumns = {
  id: doctors.id,
  organisationId: doctors.organisationId,
  lastName: doctors.lastName,
  firstName: doctors.firstName,
  middleName: doctors.middleName,
  specialtyId: doctors.specialtyId,
  specialtyName: specialties.name,
  position: doctors.position,
  room: doctors.room,
  active: doctors.active,
};

export type ClinicDoctorRow = {
  id: number;
  organisationId: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  specialtyId: number;
  specialtyName: string;
  position: string;
  room: string;
  active: boolean;
};

/** The organisation's doctors, active first, then by name. */
export async function selectOrganisationDoctors(db: Db, organisationId: number): Promise<ClinicDoctorRow[]> {
  return db
    .select(doctorColumns)
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(eq(doctors.organisationId, organisationId))
    .orderBy(sql`${doctors.active} desc`, asc(doctors.lastName), asc(doctors.firstName), asc(doctors.id));
}

/** One doctor of the organisation (null when unknown or in another organisation). */
export async function selectOrganisationDoctor(
  db: Db,
  organisationId: number,
  id: number,
  forUpdate = false,
): Promise<ClinicDoctorRow | null> {
  const query = db
    .select(doctorColumns)
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .where(and(eq(doctors.id, id), eq(doctors.organisationId, organisationId)));
  const rows = forUpdate ? await query.for('update', { of: doctors }) : await query;
  return rows[0] ?? null;
}

export async function insertDoctor(db: Db, values: typeof doctors.$inferInsert): Promise<number> {
  const rows = await db.insert(doctors).values(values).returning({ id: doctors.id });
  return rows[0].id;
}

export async function updateDoctorRow(db: Db, id: number, values: Partial<typeof doctors.$inferInsert>): Promise<void> {
  await db.update(doctors).set(values).where(eq(doctors.id, id));
}

/** The doctor's booked visits that have not started yet. */
export async function countFutureBookedVisits(db: Db, doctorId: number, now: Date): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(appointments)
    .where(and(eq(appointments.doctorId, doctorId), eq(appointments.status, 'booked'), gt(appointments.startAt, now)));
  return Number(rows[0]?.n ?? 0);
}

/** The doctor's future times held for someone: a waitlist offer, or a patient confirming a booking. */
export async function countFutureHeldSlots(db: Db, doctorId: number, now: Date): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(slots)
    .where(and(eq(slots.doctorId, doctorId), eq(slots.status, 'held'), gt(slots.startAt, now)));
  return Number(rows[0]?.n ?? 0);
}
