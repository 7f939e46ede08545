// Use cases behind the notification pages: the in-portal list, the account's channels,
// and this device's Web Push subscription.
import type { NotificationItem } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import {
  countUnread,
  getPreferences,
  listNotifications,
  markAllRead,
  markRead,
  setPreferences,
  type NotificationRow,
  type Preferences,
} from './notifications.repository.js';
import {
  deleteOwnSubscription,
  findSubscriptionByEndpoint,
  insertSubscription,
  updateSubscriptionKeys,
} from './push.repository.js';
import { checkSubscription, type SubscriptionInput } from './push.rules.js';
import { vapidKeys } from './vapid.js';

/** How many notifications the list shows. */
export const LIST_LIMIT = 50;

function toItem(r: NotificationRow): NotificationItem {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.createdAt.toISOString(),
    read: r.readAt !== null,
  };
}

export async function notificationList(
  ctx: AppContext,
  accountId: string,
): Promise<{ items: NotificationItem[]; unreadCount: number }> {
  const [rows, unreadCount] = await Promise.all([
    listNotifications(ctx.db, accountId, LIST_LIMIT),
    countUnread(ctx.db, accountId),
  ]);
  return { items: rows.map(toItem), unreadCount };
}

export async function unreadCount(ctx: AppContext, accountId: string): Promise<number> {
  return countUnread(ctx.db, accountId);
}

export async function readNotification(ctx: AppContext, accountId: string, id: number): Promise<void> {
  if (!(await markRead(ctx.db, accountId, id, ctx.now()))) throw new AppError('NOTIFICATION_NOT_FOUND');
}

export async function readAllNotifications(ctx: AppContext, accountId: string): Promise<void> {
  await markAllRead(ctx.db, accountId, ctx.now());
}

export async function preferencesOf(ctx: AppContext, accountId: string): Promise<Preferences> {
  return getPreferences(ctx.db, accountId);
}

export async function changePreferences(ctx: AppContext, accountId: string, prefs: Preferences): Promise<Preferences> {
  await setPreferences(ctx.db, accountId, { email: prefs.email, push: prefs.push });
  return getPreferences(ctx.db, accountId);
}

/** The public key browsers subscribe with; PUSH_UNAVAILABLE when push is off. */
export async function pushPublicKey(ctx: AppContext): Promise<string> {
  const keys = await vapidKeys(ctx);
  if (!keys) throw new AppError('PUSH_UNAVAILABLE');
  return keys.publicKey;
}

/**
 * Records this browser's subscription for the account (by endpoint: subscribing again
 * updates it). An endpoint another account holds is refused (PUSH_ENDPOINT_TAKEN) and left
 * alone: an endpoint is a capability URL, and whoever posts one must not take over someone
 * else's notifications. A second account on the same browser gets a new endpoint instead:
 * the web app drops the browser's old subscription and subscribes afresh (web/pages/notify/push.ts).
 */
export async function subscribe(ctx: AppContext, accountId: string, input: SubscriptionInput): Promise<void> {
  if (!(await vapidKeys(ctx))) throw new AppError('PUSH_UNAVAILABLE');
  const sub = checkSubscription(input, ctx.config.pushAllowLocalEndpoints);
  if (!sub) throw new AppError('PUSH_SUBSCRIPTION_INVALID');
  await ctx.db.transaction(async (tx) => {
    const existing = await findSubscriptionByEndpoint(tx, sub.endpoint, true);
    if (!existing) {
      if (!(await insertSubscription(tx, accountId, sub, ctx.now()))) throw new AppError('PUSH_ENDPOINT_TAKEN');
      return;
    }
    if (existing.accountId !== accountId) throw new AppError('PUSH_ENDPOINT_TAKEN');
    await updateSubscriptionKeys(tx, existing.id, sub);
  });
}

/** Whether the browser's subscription (by endpoint) is recorded for this account. */
export async function subscriptionStatus(ctx: AppContext, accountId: string, endpoint: string): Promise<boolean> {
  const sub = await findSubscriptionByEndpoint(ctx.db, endpoint);
  return sub !== null && sub.accountId === accountId;
}

/** Forgets this browser's subscription of the account. */
export async function unsubscribe(ctx: AppContext, accountId: string, endpoint: string): Promise<void> {
  if (!(await deleteOwnSubscription(ctx.db, accountId, endpoint))) throw new AppError('PUSH_SUBSCRIPTION_NOT_FOUND');
}
