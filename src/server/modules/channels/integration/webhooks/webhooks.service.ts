// The webhooks of an integration API key: register a URL for appointment and slot events (the
// signing secret is shown once and never stored: it is derived from the server's secret and a
// random salt), list and delete them, read a subscription's delivery log and replay
// deliveries. A key sees and changes only its own subscriptions; any other id is "not found".
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookCreateBody } from '../../../../../shared/api/webhooks.js';
import type { AppContext } from '../../../../context.js';
import { AppError } from '../../../../errors.js';
import { hmac } from '../../../session/session.js';
import type { ApiCaller } from '../apikeys.service.js';
import {
  changeLogEnd,
  countSubscriptions,
  deleteSubscription,
  findDelivery,
  findSubscription,
  hasDeliveryOfChange,
  insertSubscription,
  listDeliveries,
  listSubscriptions,
  replayDelivery,
  replaySince,
  type DeliveryLogRow,
  type SubscriptionRow,
} from './webhooks.repository.js';
import { changeIdOf, webhookUrlProblem } from './webhooks.rules.js';

/** Subscriptions one key may hold. */
export const MAX_SUBSCRIPTIONS_PER_KEY = 10;

/** The subscription's signing secret: HMAC of its id and salt under the server's secret. */
export function secretOf(ctx: AppContext, s: { id: string; secretSalt: string }): string {
  return `whsec_${hmac(ctx.config.sessionSecret, `webhook-secret:${s.id}:${s.secretSalt}`)}`;
}

export async function createWebhook(
  ctx: AppContext,
  caller: ApiCaller,
  input: WebhookCreateBody,
): Promise<{ subscription: SubscriptionRow; secret: string }> {
  const problem = webhookUrlProblem(input.url, ctx.config.webhooks);
  if (problem) throw new AppError('WEBHOOK_URL_NOT_ALLOWED', { field: 'url' }, problem);
  const subscription = await ctx.db.transaction(async (tx) => {
    if ((await countSubscriptions(tx, caller.apiKeyId)) >= MAX_SUBSCRIPTIONS_PER_KEY) {
      throw new AppError('WEBHOOK_LIMIT_REACHED');
    }
    return insertSubscription(tx, {
      id: randomUUID(),
      apiKeyId: caller.apiKeyId,
      organisationId: caller.organisationId,
      url: new URL(input.url).toString(),
      eventTypes: input.eventTypes,
      secretSalt: randomBytes(16).toString('base64url'),
      fromChangeId: await changeLogEnd(tx),
      createdAt: ctx.now(),
    });
  });
  return { subscription, secret: secretOf(ctx, subscription) };
}

export async function listWebhooks(ctx: AppContext, caller: ApiCaller): Promise<SubscriptionRow[]> {
  return listSubscriptions(ctx.db, caller.apiKeyId);
}

async function subscriptionOf(ctx: AppContext, caller: ApiCaller, id: string): Promise<SubscriptionRow> {
  const s = await findSubscription(ctx.db, caller.apiKeyId, id);
  if (!s) throw new AppError('WEBHOOK_NOT_FOUND');
  return s;
}

export async function deleteWebhook(ctx: AppContext, caller: ApiCaller, id: string): Promise<void> {
  if (!(await deleteSubscription(ctx.db, caller.apiKeyId, id))) throw new AppError('WEBHOOK_NOT_FOUND');
}

export async function webhookDeliveries(
  ctx: AppContext,
  caller: ApiCaller,
  id: string,
  q: { limit: number; before?: number },
): Promise<{ deliveries: DeliveryLogRow[]; nextBefore: number | null }> {
  const s = await subscriptionOf(ctx, caller, id);
  const rows = await listDeliveries(ctx.db, s.id, { limit: q.limit + 1, before: q.before });
  const page = rows.slice(0, q.limit);
  return { deliveries: page, nextBefore: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

/** Sends one delivery again, with the same event id; the delivery as it now stands. */
export async function replayWebhookDelivery(
  ctx: AppContext,
  caller: ApiCaller,
  id: string,
  deliveryId: number,
): Promise<DeliveryLogRow> {
  const s = await subscriptionOf(ctx, caller, id);
  if (!(await findDelivery(ctx.db, s.id, deliveryId))) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
  await replayDelivery(ctx.db, s.id, deliveryId, ctx.now());
  const after = await findDelivery(ctx.db, s.id, deliveryId);
  if (!after) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND'); // deleted meanwhile
  return after;
}

/** Sends again every delivery of the subscription from this event on; how many. */
export async function replayWebhookSince(
  ctx: AppContext,
  caller: ApiCaller,
  id: string,
  sinceEventId: string,
): Promise<number> {
  const s = await subscriptionOf(ctx, caller, id);
  const changeId = changeIdOf(sinceEventId);
  if (changeId === null || !(await hasDeliveryOfChange(ctx.db, s.id, changeId))) {
    throw new AppError('WEBHOOK_EVENT_NOT_FOUND');
  }
  return replaySince(ctx.db, s.id, changeId, ctx.now());
}
