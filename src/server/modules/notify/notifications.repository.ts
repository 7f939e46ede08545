// SQL for the in-portal notification list and the account's channel preferences.
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { notificationPreferences, notifications } from '../../db/schema.js';

export type NotificationRow = typeof notifications.$inferSelect;

/** The account's notifications, newest first. */
export async function listNotifications(db: Db, accountId: string, limit: number): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.accountId, accountId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function countUnread(db: Db, accountId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)));
  return Number(rows[0]?.n ?? 0);
}

/** Marks one of the account's notifications read (the first reading time is kept); false when it is not the account's. */
export async function markRead(db: Db, accountId: string, id: number, now: Date): Promise<boolean> {
  const own = await db
    .select({ id: notifications.id, readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.accountId, accountId)));
  if (own.length === 0) return false;
  if (own[0].readAt === null) {
    await db
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.id, id), isNull(notifications.readAt)));
  }
  return true;
}

export async function markAllRead(db: Db, accountId: string, now: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

export interface Preferences {
  email: boolean;
  push: boolean;
}

/** The account's channels; both on until the account changes them. */
export async function getPreferences(db: Db, accountId: string): Promise<Preferences> {
  const rows = await db
    .select({ email: notificationPreferences.email, push: notificationPreferences.push })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.accountId, accountId));
  return rows[0] ?? { email: true, push: true };
}

export async function setPreferences(db: Db, accountId: string, prefs: Preferences): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ accountId, ...prefs })
    .onConflictDoUpdate({ target: notificationPreferences.accountId, set: prefs });
}
