// SQL of the ЕСИА sign-in: started requests (state bound to a browser), accounts by oid,
// the link, and accounts made through ЕСИА with their main person.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { accounts, auditLog, esiaRequests, persons } from '../../../db/schema.js';
import type { AccountFacts, MainPersonFacts } from './esia.rules.js';

export type EsiaRequestRow = typeof esiaRequests.$inferSelect;

export async function insertRequest(
  db: Db,
  values: {
    state: string;
    purpose: 'login' | 'link';
    accountId: string | null;
    browserHash: string;
    returnTo: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insert(esiaRequests).values(values);
}

/** The request, locked so that one answer is used once even under concurrent callbacks. */
export async function lockRequest(db: Db, state: string): Promise<EsiaRequestRow | null> {
  const rows = await db.select().from(esiaRequests).where(eq(esiaRequests.state, state)).for('update');
  return rows[0] ?? null;
}

export async function markRequestUsed(db: Db, state: string, now: Date): Promise<void> {
  await db.update(esiaRequests).set({ usedAt: now }).where(eq(esiaRequests.state, state));
}

/** Forgets requests that ended long ago (their state can no longer be answered anyway). */
export async function deleteRequestsExpiredBefore(db: Db, before: Date): Promise<void> {
  await db.delete(esiaRequests).where(lt(esiaRequests.expiresAt, before));
}

const factColumns = {
  id: accounts.id,
  esiaOid: accounts.esiaOid,
  role: accounts.role,
  mainSnils: persons.snils,
  mainBirthDate: persons.birthDate,
  mainStatus: persons.status,
};

type FactRow = {
  id: string;
  esiaOid: string | null;
  role: string;
  mainSnils: string | null;
  mainBirthDate: string | null;
  mainStatus: string | null;
};

function toFacts(r: FactRow): AccountFacts & { role: string } {
  const main: MainPersonFacts | null =
    r.mainSnils !== null && r.mainBirthDate !== null && r.mainStatus !== null
      ? { snils: r.mainSnils, birthDate: r.mainBirthDate, status: r.mainStatus as MainPersonFacts['status'] }
      : null;
  return { id: r.id, esiaOid: r.esiaOid, role: r.role, main };
}

const mainJoin = and(eq(persons.accountId, accounts.id), eq(persons.isMain, true));

export async function findAccountFactsByOid(db: Db, oid: string): Promise<(AccountFacts & { role: string }) | null> {
  const rows = await db
    .select(factColumns)
    .from(accounts)
    .leftJoin(persons, mainJoin)
    .where(eq(accounts.esiaOid, oid))
    .limit(1);
  return rows[0] ? toFacts(rows[0]) : null;
}

export async function findAccountFacts(db: Db, accountId: string): Promise<(AccountFacts & { role: string }) | null> {
  const rows = await db
    .select(factColumns)
    .from(accounts)
    .leftJoin(persons, mainJoin)
    .where(eq(accounts.id, accountId))
    .limit(1);
  return rows[0] ? toFacts(rows[0]) : null;
}

/** Patient accounts without an ЕСИА link whose confirmed main person has this СНИЛС and birth date (at most 2: one or "several"). */
export async function findLinkCandidates(db: Db, snils: string, birthDate: string): Promise<AccountFacts[]> {
  const rows = await db
    .select(factColumns)
    .from(persons)
    .innerJoin(accounts, eq(accounts.id, persons.accountId))
    .where(
      and(
        eq(persons.snils, snils),
        eq(persons.isMain, true),
        eq(persons.status, 'confirmed'),
        eq(persons.birthDate, birthDate),
        eq(accounts.role, 'patient'),
        isNull(accounts.esiaOid),
      ),
    )
    .limit(2);
  return rows.map(toFacts);
}

export async function accountEmail(db: Db, accountId: string): Promise<string | null> {
  const rows = await db.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return rows[0]?.email ?? null;
}

export async function accountLink(
  db: Db,
  accountId: string,
): Promise<{ linkedAt: Date | null; hasPassword: boolean } | null> {
  const rows = await db
    .select({ linkedAt: accounts.esiaLinkedAt, oid: accounts.esiaOid, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  const r = rows[0];
  return r ? { linkedAt: r.oid ? r.linkedAt : null, hasPassword: r.passwordHash !== null } : null;
}

export async function passwordHashOf(db: Db, accountId: string): Promise<string | null> {
  const rows = await db.select({ h: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return rows[0]?.h ?? null;
}

export async function setEsiaLink(db: Db, accountId: string, oid: string, now: Date): Promise<void> {
  await db
    .update(accounts)
    .set({ esiaOid: oid, esiaLinkedAt: sql`coalesce(${accounts.esiaLinkedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(accounts.id, accountId));
}

/** Confirms the account's pending main person (ЕСИА confirmed the same СНИЛС and birth date); returns its id. */
export async function confirmPendingMain(db: Db, accountId: string, now: Date): Promise<string | null> {
  const rows = await db
    .update(persons)
    .set({ status: 'confirmed', rejectReason: null, decidedAt: now, decidedBy: null })
    .where(and(eq(persons.accountId, accountId), eq(persons.isMain, true), eq(persons.status, 'pending')))
    .returning({ id: persons.id });
  return rows[0]?.id ?? null;
}

export async function isEmailTaken(db: Db, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(sql`lower(${accounts.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return rows.length > 0;
}

export async function insertEsiaAccount(
  db: Db,
  values: { oid: string; email: string | null; now: Date },
): Promise<string> {
  const rows = await db
    .insert(accounts)
    .values({
      email: values.email,
      passwordHash: null,
      emailConfirmedAt: values.email ? values.now : null,
      role: 'patient',
      esiaOid: values.oid,
      esiaLinkedAt: values.now,
      createdAt: values.now,
    })
    .returning({ id: accounts.id });
  return rows[0].id;
}

export interface MainPersonValues {
  accountId: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  snils: string;
  policy: string;
  phone: string | null;
  status: 'pending' | 'confirmed';
  now: Date;
}

export async function insertMainPerson(db: Db, v: MainPersonValues): Promise<string> {
  const { now, status, ...data } = v;
  const rows = await db
    .insert(persons)
    .values({
      ...data,
      isMain: true,
      status,
      submittedAt: now,
      decidedAt: status === 'confirmed' ? now : null,
      decidedBy: null,
      createdAt: now,
    })
    .returning({ id: persons.id });
  return rows[0].id;
}

/** Audit entries of what ЕСИА did (never personal data: the oid stays out, only the fact). */
export async function audit(
  db: Db,
  entry: {
    accountId: string;
    action: string;
    entityType: string;
    entityId: string;
    now: Date;
    /** Never personal data: e.g. which fields changed, never their values. */
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(auditLog).values({
    at: entry.now,
    actorAccountId: entry.accountId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    details: { ...entry.details, via: 'esia' },
  });
}
