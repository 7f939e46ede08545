// SQL for accounts, one-time e-mail tokens and sessions.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, emailTokens, persons, sessions } from '../../db/schema.js';
import type { TokenPurpose } from './identity.rules.js';

export type AccountRow = typeof accounts.$inferSelect;
export type EmailTokenRow = typeof emailTokens.$inferSelect;

/** E-mail addresses are compared case-insensitively (the unique index is on lower(email)). */
export async function findAccountByEmail(db: Db, email: string): Promise<AccountRow | null> {
  const rows = await db.select().from(accounts).where(sql`lower(${accounts.email}) = ${email.toLowerCase()}`).limit(1);
  return rows[0] ?? null;
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow | null> {
  const rows = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Locks the account row: serialises use cases that must not interleave for one account. */
export async function lockAccount(db: Db, id: string): Promise<AccountRow | null> {
  const rows = await db.select().from(accounts).where(eq(accounts.id, id)).for('update');
  return rows[0] ?? null;
}

/** Inserts an unconfirmed account; null when the address is already registered. */
export async function insertAccount(
  db: Db,
  values: { email: string; passwordHash: string; createdAt: Date },
): Promise<string | null> {
  const rows = await db
    .insert(accounts)
    .values({ email: values.email, passwordHash: values.passwordHash, role: 'patient', createdAt: values.createdAt })
    .onConflictDoNothing()
    .returning({ id: accounts.id });
  return rows[0]?.id ?? null;
}

/** Marks the address confirmed (keeps the first confirmation time). */
export async function confirmAccountEmail(db: Db, accountId: string, now: Date): Promise<void> {
  await db
    .update(accounts)
    .set({ emailConfirmedAt: sql`coalesce(${accounts.emailConfirmedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(accounts.id, accountId));
}

export async function setPasswordHash(db: Db, accountId: string, passwordHash: string): Promise<void> {
  await db.update(accounts).set({ passwordHash }).where(eq(accounts.id, accountId));
}

export async function insertEmailToken(
  db: Db,
  values: { tokenHash: string; accountId: string; purpose: TokenPurpose; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await db.insert(emailTokens).values(values);
}

/** The token row, locked so that it can be used only once even under concurrent requests. */
export async function lockEmailToken(db: Db, tokenHash: string): Promise<EmailTokenRow | null> {
  const rows = await db.select().from(emailTokens).where(eq(emailTokens.tokenHash, tokenHash)).for('update');
  return rows[0] ?? null;
}

/**
 * What a link's account gives away about itself (its e-mail and the main person's names),
 * to refuse a new password built from them; null for an unknown token. A plain read: the
 * reset itself locks the token afterwards.
 */
export async function findTokenAccountFacts(
  db: Db,
  tokenHash: string,
): Promise<{ email: string | null; names: Array<string | null> } | null> {
  const rows = await db
    .select({
      email: accounts.email,
      lastName: persons.lastName,
      firstName: persons.firstName,
      middleName: persons.middleName,
    })
    .from(emailTokens)
    .innerJoin(accounts, eq(accounts.id, emailTokens.accountId))
    .leftJoin(persons, and(eq(persons.accountId, accounts.id), eq(persons.isMain, true)))
    .where(eq(emailTokens.tokenHash, tokenHash))
    .limit(1);
  const r = rows[0];
  return r ? { email: r.email, names: [r.lastName, r.firstName, r.middleName] } : null;
}

export async function markTokenUsed(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(emailTokens).set({ usedAt: now }).where(eq(emailTokens.tokenHash, tokenHash));
}

/** Uses up every outstanding token of a purpose (e.g. older reset links after a reset). */
export async function markAccountTokensUsed(
  db: Db,
  accountId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.accountId, accountId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

export async function deleteSessionByHash(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}
