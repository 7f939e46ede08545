// SQL for the clinic register and the search for patients across card files.
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appointments, persons } from '../../db/schema.js';
import { REGISTER_ACCOUNT_ID } from './register.js';

export type PersonRow = typeof persons.$inferSelect;

export interface PatientQuery {
  policy?: string;
  snils?: string;
  /** Surname, lower case. */
  lastName?: string;
  /** Start of the first name, lower case. */
  firstName?: string;
  birthDate?: string;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Register rows and confirmed portal rows matching the query, register rows first, newest
 * first; the caller keeps one per real person. At most `limit` rows.
 */
export async function searchPersons(db: Db, q: PatientQuery, limit: number): Promise<PersonRow[]> {
  const conditions: SQL[] = [];
  if (q.policy) conditions.push(eq(persons.policy, q.policy));
  if (q.snils) conditions.push(eq(persons.snils, q.snils));
  if (q.lastName) conditions.push(sql`lower(${persons.lastName}) = ${q.lastName}`);
  if (q.firstName) conditions.push(ilike(persons.firstName, `${escapeLike(q.firstName)}%`));
  if (q.birthDate) conditions.push(eq(persons.birthDate, q.birthDate));
  if (conditions.length === 0) return [];
  return db
    .select()
    .from(persons)
    .where(and(...conditions, or(eq(persons.accountId, REGISTER_ACCOUNT_ID), eq(persons.status, 'confirmed'))))
    .orderBy(sql`(${persons.accountId} = ${REGISTER_ACCOUNT_ID}) desc`, desc(persons.createdAt))
    .limit(limit);
}

export async function findPersonById(db: Db, personId: string, lock = false): Promise<PersonRow | null> {
  const query = db.select().from(persons).where(eq(persons.id, personId));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

/**
 * The register row of the same real person: same СНИЛС. A row with only the same полис is
 * someone else or a typo — never merged (registerPatient refuses it as PATIENT_EXISTS through
 * the unique index). `lock` takes it FOR UPDATE.
 */
export async function findRegisterRow(db: Db, snils: string, lock = false): Promise<PersonRow | null> {
  const query = db
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, REGISTER_ACCOUNT_ID), eq(persons.snils, snils)))
    .limit(1);
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

/** A register row that shares the СНИЛС or the полис (a new registration must not clash with either). */
export async function findRegisterClash(db: Db, snils: string, policy: string): Promise<PersonRow | null> {
  const rows = await db
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, REGISTER_ACCOUNT_ID), or(eq(persons.snils, snils), eq(persons.policy, policy))))
    .orderBy(sql`(${persons.snils} = ${snils}) desc`)
    .limit(1);
  return rows[0] ?? null;
}

export interface RegisterValues {
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  snils: string;
  policy: string;
  phone: string | null;
  decidedBy: string | null;
  now: Date;
}

/** Inserts a register row (confirmed); null when the СНИЛС or полис is already there. */
export async function insertRegisterRow(db: Db, v: RegisterValues): Promise<PersonRow | null> {
  const { now, ...data } = v;
  const rows = await db
    .insert(persons)
    .values({
      ...data,
      accountId: REGISTER_ACCOUNT_ID,
      isMain: false,
      status: 'confirmed',
      submittedAt: now,
      decidedAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null;
}

export async function markCancelledByChannel(
  db: Db,
  appointmentId: string,
  c: {
    by: 'patient' | 'clinic';
    via: 'registry' | 'doctor' | 'infomat' | 'integration';
    accountId: string | null;
    now: Date;
  },
): Promise<void> {
  await db
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelledAt: c.now,
      cancelledBy: c.by,
      cancelledVia: c.via,
      cancelledByAccountId: c.accountId,
      statusChangedAt: c.now,
    })
    .where(eq(appointments.id, appointmentId));
}

export async function setAppointmentOutcome(
  db: Db,
  appointmentId: string,
  status: 'visited' | 'no_show',
  now: Date,
  /** Who marked it, for the person's history: the registry, the doctor or a clinic system. */
  via: 'registry' | 'doctor' | 'integration',
): Promise<void> {
  await db
    .update(appointments)
    .set({ status, statusChangedAt: now, statusChangedVia: via })
    .where(eq(appointments.id, appointmentId));
}

export async function findAppointmentIdByExternal(
  db: Db,
  organisationId: number,
  externalId: string,
): Promise<string | null> {
  const rows = await db
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(eq(appointments.externalOrgId, organisationId), eq(appointments.externalId, externalId)))
    .limit(1);
  return rows[0]?.id ?? null;
}
