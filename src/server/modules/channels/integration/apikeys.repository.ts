// SQL for integration API keys (table api_keys). Only the key's HMAC and prefix are stored.
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { accounts, apiKeys, organisations } from '../../../db/schema.js';
import type { ApiChannel } from './apikeys.rules.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(
  db: Db,
  v: {
    organisationId: number;
    channel: ApiChannel;
    label: string;
    keyHash: string;
    keyPrefix: string;
    createdBy: string;
    now: Date;
  },
): Promise<ApiKeyRow> {
  const rows = await db
    .insert(apiKeys)
    .values({
      organisationId: v.organisationId,
      channel: v.channel,
      label: v.label,
      keyHash: v.keyHash,
      keyPrefix: v.keyPrefix,
      createdAt: v.now,
      createdBy: v.createdBy,
    })
    .returning();
  return rows[0];
}

export interface ApiKeyListRow {
  id: string;
  keyPrefix: string;
  organisationId: number;
  organisationName: string;
  channel: string;
  label: string;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every key (or the one with `id`), newest first, with its organisation's name and the e-mail of who issued it. */
export async function listApiKeys(db: Db, id?: string): Promise<ApiKeyListRow[]> {
  return db
    .select({
      id: apiKeys.id,
      keyPrefix: apiKeys.keyPrefix,
      organisationId: apiKeys.organisationId,
      organisationName: organisations.shortName,
      channel: apiKeys.channel,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      createdBy: accounts.email,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(organisations, eq(organisations.id, apiKeys.organisationId))
    .leftJoin(accounts, eq(accounts.id, apiKeys.createdBy))
    .where(id !== undefined ? eq(apiKeys.id, id) : undefined)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function findApiKeyById(db: Db, id: string, lock = false): Promise<ApiKeyRow | null> {
  const q = db.select().from(apiKeys).where(eq(apiKeys.id, id));
  const rows = lock ? await q.for('update') : await q;
  return rows[0] ?? null;
}

/** The key with this HMAC (revoked or not), through the unique index on key_hash. */
export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | null> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
  return rows[0] ?? null;
}

export async function markRevoked(db: Db, id: string, by: string, now: Date): Promise<void> {
  await db.update(apiKeys).set({ revokedAt: now, revokedBy: by }).where(eq(apiKeys.id, id));
}

/** Writes the last use unless another request (or instance) wrote one within the interval. */
export async function recordUse(db: Db, id: string, now: Date, intervalMs: number): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - intervalMs + 1))),
      ),
    );
}

export async function organisationExists(db: Db, organisationId: number): Promise<boolean> {
  const rows = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return rows.length > 0;
}
