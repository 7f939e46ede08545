// All SQL of referrals. Every function takes the database or an open transaction first; the
// clock is passed in. Whether a referral is used is read from the appointments that name it
// (appointments.referral_id, not cancelled): a cancelled visit gives it back by its status.
import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/index.js';
import { appointments, doctors, organisations, referrals, specialties } from '../../db/schema.js';

/** The visit (not cancelled) a referral was used for. */
// Qualified by hand: drizzle writes a column of a one-table select without its table, which
// inside this subquery would name the appointment's own id.
const usedBy = sql<string | null>`(select a.id from ${appointments} a
   where a.referral_id = "referrals"."id" and a.status <> 'cancelled' limit 1)`;

const target = alias(organisations, 'target_org');
const issuer = alias(organisations, 'issuer_org');

const rowColumns = {
  id: referrals.id,
  personId: referrals.personId,
  specialtyId: referrals.specialtyId,
  specialtyName: specialties.name,
  organisationId: referrals.organisationId,
  organisationName: target.name,
  validFrom: referrals.validFrom,
  validUntil: referrals.validUntil,
  issuedByOrganisationId: referrals.issuedByOrganisationId,
  issuedByOrganisationName: issuer.name,
  issuedByOrganisationTimeZone: issuer.timeZone,
  doctorLastName: doctors.lastName,
  doctorFirstName: doctors.firstName,
  doctorMiddleName: doctors.middleName,
  externalId: referrals.externalId,
  createdAt: referrals.createdAt,
  revokedAt: referrals.revokedAt,
  usedBy,
};

function selectRows(db: Db) {
  return db
    .select(rowColumns)
    .from(referrals)
    .innerJoin(specialties, eq(specialties.id, referrals.specialtyId))
    .innerJoin(issuer, eq(issuer.id, referrals.issuedByOrganisationId))
    .leftJoin(target, eq(target.id, referrals.organisationId))
    .leftJoin(doctors, eq(doctors.id, referrals.issuedByDoctorId));
}

export type ReferralRecord = Awaited<ReturnType<typeof selectRows>>[number];

/**
 * A real person's referrals to one specialty that are not revoked, with the visit each was
 * used for. With `lock`, the referrals are locked first (FOR UPDATE) and read after in a
 * statement of its own, so the use read is as of after any wait for the lock.
 */
export async function selectCandidates(db: Db, snils: string, specialtyId: number, lock: boolean) {
  const where = and(
    eq(referrals.patientSnils, snils),
    eq(referrals.specialtyId, specialtyId),
    isNull(referrals.revokedAt),
  );
  if (lock) await db.select({ id: referrals.id }).from(referrals).where(where).orderBy(asc(referrals.id)).for('update');
  return db
    .select({
      id: referrals.id,
      specialtyId: referrals.specialtyId,
      organisationId: referrals.organisationId,
      validFrom: referrals.validFrom,
      validUntil: referrals.validUntil,
      usedBy,
    })
    .from(referrals)
    .where(where);
}

/** The referrals of these real people (by СНИЛС), newest first, revoked ones left out. */
export async function selectOfPeople(db: Db, snilsList: string[]): Promise<(ReferralRecord & { snils: string })[]> {
  if (snilsList.length === 0) return [];
  const rows = await db
    .select({ ...rowColumns, snils: referrals.patientSnils })
    .from(referrals)
    .innerJoin(specialties, eq(specialties.id, referrals.specialtyId))
    .innerJoin(issuer, eq(issuer.id, referrals.issuedByOrganisationId))
    .leftJoin(target, eq(target.id, referrals.organisationId))
    .leftJoin(doctors, eq(doctors.id, referrals.issuedByDoctorId))
    .where(and(inArray(referrals.patientSnils, snilsList), isNull(referrals.revokedAt)))
    .orderBy(desc(referrals.createdAt), asc(referrals.id));
  return rows;
}

/** The referrals an organisation issued, newest first; optionally of one patient row, since an instant. */
export async function selectIssued(
  db: Db,
  organisationId: number,
  q: { personId?: string; snils?: string; since?: Date; limit: number },
): Promise<ReferralRecord[]> {
  return selectRows(db)
    .where(
      and(
        eq(referrals.issuedByOrganisationId, organisationId),
        q.personId ? eq(referrals.personId, q.personId) : undefined,
        q.snils ? eq(referrals.patientSnils, q.snils) : undefined,
        q.since ? gte(referrals.createdAt, q.since) : undefined,
      ),
    )
    .orderBy(desc(referrals.createdAt), asc(referrals.id))
    .limit(q.limit);
}

/** One referral with its names, or null. */
export async function selectReferral(db: Db, id: string): Promise<ReferralRecord | null> {
  const rows = await selectRows(db).where(eq(referrals.id, id));
  return rows[0] ?? null;
}

/** The id of the referral an organisation issued under its system's id, or null. */
export async function selectIdByExternal(db: Db, organisationId: number, externalId: string): Promise<string | null> {
  const rows = await db
    .select({ id: referrals.id })
    .from(referrals)
    .where(and(eq(referrals.issuedByOrganisationId, organisationId), eq(referrals.externalId, externalId)));
  return rows[0]?.id ?? null;
}

export type NewReferral = typeof referrals.$inferInsert;

export async function insertReferral(tx: Db, row: NewReferral): Promise<void> {
  await tx.insert(referrals).values(row);
}

/** Locks one referral of the organisation; null when there is none. */
export async function lockIssued(tx: Db, organisationId: number, id: string) {
  const rows = await tx
    .select({ id: referrals.id, revokedAt: referrals.revokedAt })
    .from(referrals)
    .where(and(eq(referrals.id, id), eq(referrals.issuedByOrganisationId, organisationId)))
    .for('update');
  return rows[0] ?? null;
}

export async function markRevoked(tx: Db, id: string, now: Date): Promise<void> {
  await tx.update(referrals).set({ revokedAt: now }).where(eq(referrals.id, id));
}

/** Whether patients book the specialty without a referral; null when there is no such specialty. */
export async function selectSelfBooking(db: Db, id: number): Promise<boolean | null> {
  const rows = await db
    .select({ selfBooking: specialties.selfBooking })
    .from(specialties)
    .where(eq(specialties.id, id));
  return rows[0]?.selfBooking ?? null;
}

/** Whether the specialty exists; whether the organisation exists (and its time zone). */
export async function specialtyExists(db: Db, id: number): Promise<boolean> {
  const rows = await db.select({ id: specialties.id }).from(specialties).where(eq(specialties.id, id));
  return rows.length > 0;
}

export async function organisationZone(db: Db, id: number): Promise<string | null> {
  const rows = await db
    .select({ timeZone: organisations.timeZone })
    .from(organisations)
    .where(eq(organisations.id, id));
  return rows[0]?.timeZone ?? null;
}
