// SQL of the integration webhooks: subscriptions of an API key, the fan-out from the change log
// to the deliveries (the worker's cursor in webhook_dispatch), the deliveries' leased claim
// (notify/lease.ts, as the e-mail outbox), their outcome, the delivery log and replays.
import { and, asc, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../../db/index.js';
import {
  apiKeys,
  integrationChanges,
  webhookDeliveries,
  webhookDispatch,
  webhookSubscriptions,
} from '../../../../db/schema.js';
import { dueAndUnleased, leaseUntil } from '../../../notify/lease.js';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** The id of the change log's last row (a new subscription gets the changes after it). */
export async function changeLogEnd(db: Db): Promise<number> {
  const rows = await queryRows<{ id: string | null }>(db, sql`select max(id)::text as id from ${integrationChanges}`);
  return Number(rows[0]?.id ?? 0);
}

export async function countSubscriptions(db: Db, apiKeyId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.apiKeyId, apiKeyId));
  return rows[0]?.n ?? 0;
}

export async function insertSubscription(
  db: Db,
  s: {
    id: string;
    apiKeyId: string;
    organisationId: number;
    url: string;
    eventTypes: string[];
    secretSalt: string;
    fromChangeId: number;
    createdAt: Date;
  },
): Promise<SubscriptionRow> {
  const rows = await db.insert(webhookSubscriptions).values(s).returning();
  return rows[0];
}

export async function listSubscriptions(db: Db, apiKeyId: string): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.apiKeyId, apiKeyId))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
}

/** One subscription of this key; null for any other (another key's or organisation's). */
export async function findSubscription(db: Db, apiKeyId: string, id: string): Promise<SubscriptionRow | null> {
  const rows = await db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.apiKeyId, apiKeyId), eq(webhookSubscriptions.id, id)));
  return rows[0] ?? null;
}

/** Deletes a subscription of this key with its deliveries; false when there was none. */
export async function deleteSubscription(db: Db, apiKeyId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.apiKeyId, apiKeyId), eq(webhookSubscriptions.id, id)))
    .returning({ id: webhookSubscriptions.id });
  return rows.length > 0;
}

// ---------- fan-out: change log -> deliveries ----------

/**
 * Moves the fan-out on by up to `limit` settled changes (written by transactions older than
 * every running one, in (xid, id) order: none is ever passed over), adding a delivery for every
 * subscription whose key is not revoked and that wants the event, in one transaction with the
 * cursor. Concurrent workers skip while one holds the cursor. Returns how many changes it took.
 */
export async function dispatchChanges(db: Db, now: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const cursor = await tx
      .select()
      .from(webhookDispatch)
      .where(eq(webhookDispatch.id, 1))
      .for('update', { skipLocked: true });
    if (cursor.length === 0) return 0;
    const from = { xid: String(cursor[0].xid), id: String(cursor[0].changeId) };
    const batch = await queryRows<{ xid: string; id: string }>(
      tx,
      sql`select xid::text as xid, id::text as id from ${integrationChanges}
           where (xid, id) > (${from.xid}::bigint, ${from.id}::bigint)
             and xid < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
           order by xid, id
           limit ${limit}`,
    );
    const last = batch.at(-1);
    if (!last) return 0;
    await tx.execute(
      sql`insert into ${webhookDeliveries} (subscription_id, change_id, next_attempt_at, created_at)
          select s.id, c.id, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
            from ${integrationChanges} c
            join ${webhookSubscriptions} s
              on s.organisation_id = c.organisation_id and c.id > s.from_change_id
             and (c.event_type = any(s.event_types) or split_part(c.event_type, '.', 1) || '.*' = any(s.event_types))
            join ${apiKeys} k on k.id = s.api_key_id and k.revoked_at is null
           where (c.xid, c.id) > (${from.xid}::bigint, ${from.id}::bigint)
             and (c.xid, c.id) <= (${last.xid}::bigint, ${last.id}::bigint)
           order by c.xid, c.id, s.id
          on conflict (subscription_id, change_id) do nothing`,
    );
    await tx
      .update(webhookDispatch)
      .set({ xid: Number(last.xid), changeId: Number(last.id) })
      .where(eq(webhookDispatch.id, 1));
    return batch.length;
  });
}

// ---------- delivering ----------

export interface DueDelivery {
  id: number;
  attempts: number;
  subscription: { id: string; url: string; secretSalt: string; keyRevoked: boolean };
  change: {
    id: number;
    eventType: string;
    organisationId: number;
    data: Record<string, unknown>;
    createdAt: Date;
  };
}

/** Claims up to `limit` due deliveries for `lockMs`; concurrent workers never claim the same row. */
export async function claimDueDeliveries(db: Db, now: Date, limit: number, lockMs: number): Promise<DueDelivery[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(dueAndUnleased(webhookDeliveries, now))
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await tx
      .update(webhookDeliveries)
      .set({ lockedUntil: leaseUntil(now, lockMs) })
      .where(inArray(webhookDeliveries.id, ids));
    const rows = await tx
      .select({
        id: webhookDeliveries.id,
        attempts: webhookDeliveries.attempts,
        subscriptionId: webhookSubscriptions.id,
        url: webhookSubscriptions.url,
        secretSalt: webhookSubscriptions.secretSalt,
        revokedAt: apiKeys.revokedAt,
        changeId: integrationChanges.id,
        eventType: integrationChanges.eventType,
        organisationId: integrationChanges.organisationId,
        data: integrationChanges.data,
        createdAt: integrationChanges.createdAt,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .innerJoin(apiKeys, eq(apiKeys.id, webhookSubscriptions.apiKeyId))
      .innerJoin(integrationChanges, eq(integrationChanges.id, webhookDeliveries.changeId))
      .where(inArray(webhookDeliveries.id, ids))
      .orderBy(asc(webhookDeliveries.id));
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      subscription: { id: r.subscriptionId, url: r.url, secretSalt: r.secretSalt, keyRevoked: r.revokedAt !== null },
      change: {
        id: r.changeId,
        eventType: r.eventType,
        organisationId: r.organisationId,
        data: r.data as Record<string, unknown>,
        createdAt: r.createdAt,
      },
    }));
  });
}

/** The receiver took it (2xx). */
export async function markDelivered(db: Db, id: number, attempts: number, statusCode: number, now: Date) {
  await db
    .update(webhookDeliveries)
    .set({
      status: 'delivered',
      attempts,
      lastAttemptAt: now,
      lastStatusCode: statusCode,
      lastError: null,
      deliveredAt: now,
      lockedUntil: null,
    })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
}

/** A failed attempt: tried again at `nextAttemptAt`, or (null) marked failed. */
export async function markAttemptFailed(
  db: Db,
  id: number,
  a: { attempts: number; statusCode: number | null; error: string; nextAttemptAt: Date | null; now: Date },
) {
  await db
    .update(webhookDeliveries)
    .set({
      status: a.nextAttemptAt ? 'pending' : 'failed',
      attempts: a.attempts,
      nextAttemptAt: a.nextAttemptAt ?? undefined,
      lastAttemptAt: a.now,
      lastStatusCode: a.statusCode,
      lastError: a.error.slice(0, 300),
      lockedUntil: null,
    })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
}

// ---------- the delivery log and replays ----------

export interface DeliveryLogRow extends DeliveryRow {
  eventType: string;
}

/** A subscription's deliveries, newest first, older than `before` when given. */
export async function listDeliveries(
  db: Db,
  subscriptionId: string,
  q: { limit: number; before?: number },
): Promise<DeliveryLogRow[]> {
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: integrationChanges.eventType })
    .from(webhookDeliveries)
    .innerJoin(integrationChanges, eq(integrationChanges.id, webhookDeliveries.changeId))
    .where(
      and(
        eq(webhookDeliveries.subscriptionId, subscriptionId),
        q.before !== undefined ? lt(webhookDeliveries.id, q.before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(q.limit);
  return rows.map((r) => ({ ...r.delivery, eventType: r.eventType }));
}

export async function findDelivery(db: Db, subscriptionId: string, deliveryId: number): Promise<DeliveryLogRow | null> {
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: integrationChanges.eventType })
    .from(webhookDeliveries)
    .innerJoin(integrationChanges, eq(integrationChanges.id, webhookDeliveries.changeId))
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.id, deliveryId)));
  return rows[0] ? { ...rows[0].delivery, eventType: rows[0].eventType } : null;
}

const replaySet = (now: Date) => ({
  status: 'pending',
  attempts: 0,
  nextAttemptAt: now,
  lockedUntil: null,
  replays: sql`${webhookDeliveries.replays} + 1`,
});

/** Sends one delivery again (with its event id): pending at once, attempts counted afresh. */
export async function replayDelivery(db: Db, subscriptionId: string, deliveryId: number, now: Date): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set(replaySet(now))
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.id, deliveryId)));
}

/** Whether the subscription has a delivery of this change. */
export async function hasDeliveryOfChange(db: Db, subscriptionId: string, changeId: string): Promise<boolean> {
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.changeId, Number(changeId))));
  return rows.length > 0;
}

/** Sends again every delivery of the subscription from this change on that is not waiting already; how many. */
export async function replaySince(db: Db, subscriptionId: string, changeId: string, now: Date): Promise<number> {
  const rows = await db
    .update(webhookDeliveries)
    .set(replaySet(now))
    .where(
      and(
        eq(webhookDeliveries.subscriptionId, subscriptionId),
        gte(webhookDeliveries.changeId, Number(changeId)),
        ne(webhookDeliveries.status, 'pending'),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}
