// The worker's webhook steps: the fan-out from the change log to the deliveries, and the
// deliveries themselves, claimed with a lease (several processes may run it; a worker killed
// mid-delivery leaves its lease to run out and the delivery goes again: at least once, with
// the same event id). Each attempt is signed afresh; failures back off, then give up.
import type { AppContext } from '../../../../context.js';
import type { WebhookEventType } from '../../../../../shared/api/webhooks.js';
import { secretOf } from './webhooks.service.js';
import {
  claimDueDeliveries,
  dispatchChanges,
  markAttemptFailed,
  markDelivered,
  type DueDelivery,
} from './webhooks.repository.js';
import { eventBody, isDelivered, nextDeliveryDelayMs, SIGNATURE_HEADER, signatureHeader } from './webhooks.rules.js';
import { failureReason, type WebhookSender } from './webhooks.transport.js';

export interface WebhookLogger {
  warn(obj: object, msg: string): void;
}

/** Changes taken into deliveries per fan-out step. */
const DISPATCH_BATCH = 500;

/** Fans settled changes out to the subscriptions' deliveries until none is left; how many changes. */
export async function dispatchAll(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await dispatchChanges(ctx.db, ctx.now(), DISPATCH_BATCH);
    total += n;
    if (n < DISPATCH_BATCH) return total;
  }
}

/** A lease outlasts an attempt (the request's time limit) several times over. */
export function deliveryLeaseMs(ctx: AppContext): number {
  return Math.max(60_000, ctx.config.webhooks.timeoutMs * 3);
}

async function deliverOne(ctx: AppContext, send: WebhookSender, log: WebhookLogger, d: DueDelivery): Promise<void> {
  const attempts = d.attempts + 1;
  if (d.subscription.keyRevoked) {
    await markAttemptFailed(ctx.db, d.id, {
      attempts: d.attempts,
      statusCode: null,
      error: 'API_KEY_REVOKED',
      nextAttemptAt: null,
      now: ctx.now(),
    });
    return;
  }
  const event = eventBody({ ...d.change, eventType: d.change.eventType as WebhookEventType });
  const body = JSON.stringify(event);
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  let status: number | null = null;
  let error: string | null = null;
  try {
    status = (
      await send({
        url: d.subscription.url,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Priyom-Webhooks/1',
          'priyom-event-id': String(event.id),
          'priyom-event-type': d.change.eventType,
          'priyom-delivery-attempt': String(attempts),
          [SIGNATURE_HEADER]: signatureHeader(secretOf(ctx, d.subscription), timestamp, body),
        },
      })
    ).status;
    if (!isDelivered(status)) error = `HTTP ${status}`;
  } catch (err) {
    error = failureReason(err);
  }
  const now = ctx.now();
  if (error === null && status !== null) {
    await markDelivered(ctx.db, d.id, attempts, status, now);
    return;
  }
  const delay = nextDeliveryDelayMs(attempts);
  // No URL, no body: the subscription and delivery ids say which.
  log.warn({ deliveryId: d.id, subscriptionId: d.subscription.id, attempts, error }, 'webhook delivery failed');
  await markAttemptFailed(ctx.db, d.id, {
    attempts,
    statusCode: status,
    error: error ?? 'ERROR',
    nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay),
    now,
  });
}

/** Delivers due webhook events once (a batch in parallel: one slow receiver holds up only its own); how many. */
export async function deliverWebhooksDue(
  ctx: AppContext,
  send: WebhookSender,
  log: WebhookLogger,
  batch = 20,
): Promise<number> {
  const due = await claimDueDeliveries(ctx.db, ctx.now(), batch, deliveryLeaseMs(ctx));
  await Promise.all(due.map((d) => deliverOne(ctx, send, log, d)));
  return due.length;
}
