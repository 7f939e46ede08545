// SQL for the e-mail outbox.
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { dueAndUnleased, leaseUntil } from './lease.js';
import type { Db } from '../../db/index.js';
import { outbox } from '../../db/schema.js';

export interface NewEmail {
  accountId: string | null;
  /** What happened: signup_confirm, password_reset, booking_made, booking_cancelled, moderation_result ... */
  kind: string;
  /** Unique per event; a second enqueue with the same key is ignored. */
  dedupKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export async function insertEmail(db: Db, email: NewEmail, now: Date): Promise<void> {
  await db
    .insert(outbox)
    .values({
      accountId: email.accountId,
      kind: email.kind,
      dedupKey: email.dedupKey,
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupKey });
}

/** Claims up to `limit` due messages for `lockMs`; concurrent workers never claim the same row. */
export async function claimDue(db: Db, now: Date, limit: number, lockMs: number) {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(outbox)
      .where(dueAndUnleased(outbox, now))
      .orderBy(asc(outbox.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    await tx
      .update(outbox)
      .set({ lockedUntil: leaseUntil(now, lockMs) })
      .where(
        inArray(
          outbox.id,
          due.map((row) => row.id),
        ),
      );
    return due;
  });
}

export async function markSent(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, lockedUntil: null, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.id, id));
}

export async function markFailedAttempt(
  db: Db,
  id: number,
  attempts: number,
  nextAttemptAt: Date | null,
  error: string,
): Promise<void> {
  await db
    .update(outbox)
    .set({
      attempts,
      status: nextAttemptAt ? 'pending' : 'failed',
      nextAttemptAt: nextAttemptAt ?? undefined,
      lockedUntil: null,
      lastError: error.slice(0, 500),
    })
    .where(eq(outbox.id, id));
}

export async function listRecent(db: Db, limit: number) {
  return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit);
}
