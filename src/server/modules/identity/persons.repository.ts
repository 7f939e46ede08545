// SQL for the card file's people and the moderators' view of them.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, auditLog, persons } from '../../db/schema.js';
import type { PersonStatus } from './identity.rules.js';
import type { PersonIdentity } from '../../../shared/person.js';

export type PersonRow = typeof persons.$inferSelect;

/** A card file row's data: the identity fields and a phone. */
export interface PersonData extends PersonIdentity {
  phone: string | null;
}

/** The unique indexes that make the same СНИЛС / полис appear once per card file. */
export const PERSON_DUPLICATE_CONSTRAINTS = new Set(['persons_account_snils_key', 'persons_account_policy_key']);

export async function hasMainPerson(db: Db, accountId: string): Promise<boolean> {
  const rows = await db
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.isMain, true)))
    .limit(1);
  return rows.length > 0;
}

export async function insertPerson(
  db: Db,
  values: PersonData & { accountId: string; isMain: boolean; now: Date },
): Promise<PersonRow> {
  const { now, ...data } = values;
  const rows = await db
    .insert(persons)
    .values({ ...data, status: 'pending', submittedAt: now, createdAt: now })
    .returning();
  return rows[0];
}

/** Locks one of the account's people; null for anyone else's. */
export async function lockOwnedPerson(db: Db, accountId: string, personId: string): Promise<PersonRow | null> {
  const rows = await db
    .select()
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)))
    .for('update');
  return rows[0] ?? null;
}

/** Replaces the data and sends it to moderation again. */
export async function resubmitPerson(db: Db, personId: string, data: PersonData, now: Date): Promise<PersonRow> {
  const rows = await db
    .update(persons)
    .set({ ...data, status: 'pending', rejectReason: null, submittedAt: now, decidedAt: null, decidedBy: null })
    .where(eq(persons.id, personId))
    .returning();
  return rows[0];
}

export async function lockPerson(db: Db, personId: string): Promise<PersonRow | null> {
  const rows = await db.select().from(persons).where(eq(persons.id, personId)).for('update');
  return rows[0] ?? null;
}

export async function setDecision(
  db: Db,
  personId: string,
  decision: { status: Exclude<PersonStatus, 'pending'>; rejectReason: string | null; decidedBy: string; now: Date },
): Promise<void> {
  await db
    .update(persons)
    .set({
      status: decision.status,
      rejectReason: decision.rejectReason,
      decidedAt: decision.now,
      decidedBy: decision.decidedBy,
    })
    .where(eq(persons.id, personId));
}

export type PersonWithEmail = PersonRow & { accountEmail: string | null };

const personColumns = {
  id: persons.id,
  accountId: persons.accountId,
  isMain: persons.isMain,
  lastName: persons.lastName,
  firstName: persons.firstName,
  middleName: persons.middleName,
  birthDate: persons.birthDate,
  sex: persons.sex,
  snils: persons.snils,
  policy: persons.policy,
  phone: persons.phone,
  status: persons.status,
  rejectReason: persons.rejectReason,
  submittedAt: persons.submittedAt,
  decidedAt: persons.decidedAt,
  decidedBy: persons.decidedBy,
  createdAt: persons.createdAt,
  esiaOid: persons.esiaOid,
  birthCertSeries: persons.birthCertSeries,
  birthCertNumber: persons.birthCertNumber,
  erasedAt: persons.erasedAt,
  accountEmail: accounts.email,
};

/** Pending people, oldest submission first. */
export async function listPendingWithEmail(db: Db, limit: number): Promise<PersonWithEmail[]> {
  return db
    .select(personColumns)
    .from(persons)
    .innerJoin(accounts, eq(accounts.id, persons.accountId))
    .where(eq(persons.status, 'pending'))
    .orderBy(asc(persons.submittedAt), asc(persons.id))
    .limit(limit);
}

export async function getPersonWithEmail(db: Db, personId: string): Promise<PersonWithEmail | null> {
  const rows = await db
    .select(personColumns)
    .from(persons)
    .innerJoin(accounts, eq(accounts.id, persons.accountId))
    .where(eq(persons.id, personId))
    .limit(1);
  return rows[0] ?? null;
}

export interface DecisionHistoryRow {
  entityId: string;
  at: Date;
  action: string;
  details: unknown;
}

/** Moderators' decisions on these people from the audit log, newest first. */
export async function listDecisionHistory(db: Db, personIds: string[]): Promise<DecisionHistoryRow[]> {
  if (personIds.length === 0) return [];
  return db
    .select({ entityId: auditLog.entityId, at: auditLog.at, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, 'person'),
        inArray(auditLog.entityId, personIds),
        inArray(auditLog.action, ['person.confirm', 'person.reject']),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id));
}
