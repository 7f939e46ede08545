// SQL for Web Push: the devices' subscriptions and the push outbox.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { dueAndUnleased, leaseUntil } from './lease.js';
import type { Db } from '../../db/index.js';
import { pushOutbox, pushSubscriptions } from '../../db/schema.js';
import type { CheckedSubscription } from './push.rules.js';

export async function findSubscriptionByEndpoint(db: Db, endpoint: string, lock = false) {
  const query = db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
  const rows = lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

/** Inserts the subscription; false when another account has inserted the same endpoint meanwhile. */
export async function insertSubscription(
  db: Db,
  accountId: string,
  sub: CheckedSubscription,
  now: Date,
): Promise<boolean> {
  // A racing twin of the same browser may have inserted it a moment ago: then update it, but
  // only while it is this account's.
  const rows = await db
    .insert(pushSubscriptions)
    .values({ accountId, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth, createdAt: now })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { p256dh: sub.p256dh, auth: sub.auth },
      setWhere: eq(pushSubscriptions.accountId, accountId),
    })
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** New keys for the account's own subscription (the owner never changes). */
export async function updateSubscriptionKeys(db: Db, id: number, sub: CheckedSubscription): Promise<void> {
  await db.update(pushSubscriptions).set({ p256dh: sub.p256dh, auth: sub.auth }).where(eq(pushSubscriptions.id, id));
}

/** Deletes the account's subscription with this endpoint; returns whether there was one. */
export async function deleteOwnSubscription(db: Db, accountId: string, endpoint: string): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** Forgets a subscription the push service no longer knows; its deliveries go with it. */
export async function deleteSubscriptionById(db: Db, id: number): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

export interface DuePush {
  id: number;
  subscriptionId: number;
  payload: unknown;
  attempts: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Claims up to `limit` due deliveries for `lockMs`; concurrent workers never claim the same row. */
export async function claimPushDue(db: Db, now: Date, limit: number, lockMs: number): Promise<DuePush[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: pushOutbox.id,
        subscriptionId: pushOutbox.subscriptionId,
        payload: pushOutbox.payload,
        attempts: pushOutbox.attempts,
        endpoint: pushSubscriptions.endpoint,
        p256dh: pushSubscriptions.p256dh,
        auth: pushSubscriptions.auth,
      })
      .from(pushOutbox)
      .innerJoin(pushSubscriptions, eq(pushSubscriptions.id, pushOutbox.subscriptionId))
      .where(dueAndUnleased(pushOutbox, now))
      .orderBy(asc(pushOutbox.id))
      .limit(limit)
      .for('update', { of: pushOutbox, skipLocked: true });
    if (due.length === 0) return [];
    await tx
      .update(pushOutbox)
      .set({ lockedUntil: leaseUntil(now, lockMs) })
      .where(
        inArray(
          pushOutbox.id,
          due.map((d) => d.id),
        ),
      );
    return due;
  });
}

export async function markPushSent(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(pushOutbox)
    .set({ status: 'sent', sentAt: now, lockedUntil: null, attempts: sql`${pushOutbox.attempts} + 1` })
    .where(eq(pushOutbox.id, id));
}

export async function markPushAttempt(
  db: Db,
  id: number,
  attempts: number,
  nextAttemptAt: Date | null,
  error: string,
): Promise<void> {
  await db
    .update(pushOutbox)
    .set({
      attempts,
      status: nextAttemptAt ? 'pending' : 'failed',
      nextAttemptAt: nextAttemptAt ?? undefined,
      lockedUntil: null,
      lastError: error.slice(0, 500),
    })
    .where(eq(pushOutbox.id, id));
}
