// Delivers the push outbox. Several processes may run it: rows are claimed with SKIP
// LOCKED and a lease, so a message goes out once; a crash mid-send leaves the lease to
// expire and the message is tried again. A subscription the push service no longer knows
// (404/410) is deleted; a refusal that may pass (429, 5xx, no answer) is retried with
// back-off. Logs carry ids and statuses only: an endpoint is a secret address.
import type { AppContext } from '../../context.js';
import {
  claimPushDue,
  deleteSubscriptionById,
  markPushAttempt,
  markPushSent,
  type DuePush,
} from './push.repository.js';
import { parseRetryAfter, pushOutcome } from './push.rules.js';
import type { PushTransport } from './push.transport.js';

export interface PushLogger {
  warn(obj: object, msg: string): void;
}

const LEASE_MS = 120_000;

async function deliverOne(ctx: AppContext, transport: PushTransport, log: PushLogger, row: DuePush): Promise<void> {
  let status: number | null = null;
  let retryAfter: string | null = null;
  let error = '';
  try {
    const res = await transport.send(row, JSON.stringify(row.payload));
    status = res.status;
    retryAfter = res.retryAfter;
    error = `push service answered ${status}`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const now = ctx.now();
  const attempts = row.attempts + 1;
  const outcome = pushOutcome(status, attempts, now, parseRetryAfter(retryAfter, now));
  switch (outcome.kind) {
    case 'sent':
      await markPushSent(ctx.db, row.id, now);
      return;
    case 'gone':
      log.warn({ pushId: row.id, subscriptionId: row.subscriptionId, status }, 'push subscription expired: deleted');
      await deleteSubscriptionById(ctx.db, row.subscriptionId);
      return;
    case 'retry':
      log.warn({ pushId: row.id, status, attempts }, 'push delivery failed, will retry');
      await markPushAttempt(ctx.db, row.id, attempts, outcome.at, error);
      return;
    case 'failed':
      log.warn({ pushId: row.id, status, attempts }, 'push delivery given up');
      await markPushAttempt(ctx.db, row.id, attempts, null, error);
      return;
  }
}

/** Processes due push messages once (in parallel within the batch); returns how many were handled. */
export async function deliverPushDue(
  ctx: AppContext,
  transport: PushTransport,
  log: PushLogger,
  batch = 20,
): Promise<number> {
  const due = await claimPushDue(ctx.db, ctx.now(), batch, LEASE_MS);
  await Promise.all(due.map((row) => deliverOne(ctx, transport, log, row)));
  return due.length;
}
