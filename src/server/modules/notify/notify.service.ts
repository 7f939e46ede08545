// Notifications (SPEC section 5). An event for an account is recorded by notify() in the
// caller's transaction: the in-portal notification (always), the e-mail (outbox) and one
// Web Push delivery per subscribed device (push outbox) by the account's preferences.
// The workers (outbox.worker.ts, push.worker.ts) deliver afterwards, with retries.
// Messages that are not account events (sign-up, password reset) use enqueueEmail.
import type { Db } from '../../db/index.js';
import {
  eventRecordCtes,
  eventRecordsCtes,
  recordEvent,
  type EventRecord,
  type EventRecordSql,
} from './notify.repository.js';
import { pushPayloadOf, renderEventEmail, type NotifyEvent } from './notify.rules.js';
import { insertEmail, type NewEmail } from './outbox.repository.js';
import { insertJob, type NewJob } from './jobs.repository.js';

export type { EventRecord, EventRecordSql, NewEmail, NewJob, NotifyEvent };
export { eventRecordCtes, eventRecordsCtes };
export { composeEmail } from './notify.rules.js';

/** Enqueue inside the caller's transaction, so the e-mail exists if and only if the event does. */
export async function enqueueEmail(db: Db, email: NewEmail, now: Date): Promise<void> {
  await insertEmail(db, email, now);
}

/**
 * Enqueues a durable job (outbox_jobs) for the worker, inside the caller's transaction if it
 * has one: work that must not make an answer wait, or show in it (jobs.worker.ts runs it).
 */
export async function enqueueJob(db: Db, job: NewJob, now: Date): Promise<void> {
  await insertJob(db, job, now);
}

/**
 * The event as it is recorded (rendered e-mail, push payload), for a caller that records it
 * in its own statement through notify.repository's eventRecordCtes (the booking does).
 */
export function renderEventRecord(ctx: { publicUrl: string }, event: NotifyEvent): EventRecord {
  const { subject, text, html } = renderEventEmail(event, ctx.publicUrl);
  return {
    accountId: event.accountId,
    kind: event.kind,
    dedupKey: event.dedupKey,
    title: event.title,
    body: event.body,
    link: event.link,
    email: { dedupKey: `email:${event.dedupKey}`, subject, text, html },
    push: { dedupPrefix: `push:${event.dedupKey}`, payload: pushPayloadOf(event) },
  };
}

/**
 * Records an event for an account inside the caller's transaction: the in-portal
 * notification (always), the e-mail (when the account keeps e-mail on) and a push to each
 * of the account's devices (when it keeps push on). A second call with the same
 * `dedupKey` does nothing, so an event never notifies twice. Returns whether the event
 * was new. One statement (notify.repository.ts): it runs inside booking transactions.
 */
export async function notify(db: Db, ctx: { publicUrl: string }, event: NotifyEvent, now: Date): Promise<boolean> {
  return recordEvent(db, renderEventRecord(ctx, event), now);
}
