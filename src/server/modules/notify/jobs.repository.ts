// SQL for the durable jobs (outbox_jobs): enqueue, claim with a lease, take (delete) inside
// the transaction that does the job's work, and record a failed attempt.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { dueAndUnleased, leaseUntil } from './lease.js';
import type { Db } from '../../db/index.js';
import { outboxJobs } from '../../db/schema.js';

export type JobRow = typeof outboxJobs.$inferSelect;

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
}

export async function insertJob(db: Db, job: NewJob, now: Date): Promise<void> {
  await db.insert(outboxJobs).values({ kind: job.kind, payload: job.payload, nextAttemptAt: now, createdAt: now });
}

/** Claims up to `limit` due jobs for `lockMs`; concurrent workers never claim the same row. */
export async function claimDueJobs(db: Db, now: Date, limit: number, lockMs: number): Promise<JobRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(outboxJobs)
      .where(dueAndUnleased(outboxJobs, now))
      .orderBy(asc(outboxJobs.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    await tx
      .update(outboxJobs)
      .set({ lockedUntil: leaseUntil(now, lockMs) })
      .where(
        inArray(
          outboxJobs.id,
          due.map((row) => row.id),
        ),
      );
    return due;
  });
}

/**
 * Deletes a pending job inside the transaction that does its work and says whether it was
 * still there: false when another worker (after this one's lease ran out) did it already.
 */
export async function takeJob(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .delete(outboxJobs)
    .where(and(eq(outboxJobs.id, id), eq(outboxJobs.status, 'pending')))
    .returning({ id: outboxJobs.id });
  return rows.length > 0;
}

/** A failed attempt: tried again at `nextAttemptAt`, or (null) given up with its payload emptied. */
export async function markJobFailedAttempt(
  db: Db,
  id: number,
  attempts: number,
  nextAttemptAt: Date | null,
  error: string,
): Promise<void> {
  await db
    .update(outboxJobs)
    .set({
      attempts,
      status: nextAttemptAt ? 'pending' : 'failed',
      nextAttemptAt: nextAttemptAt ?? undefined,
      payload: nextAttemptAt ? undefined : sql`'{}'::jsonb`,
      lockedUntil: null,
      lastError: error.slice(0, 500),
    })
    .where(eq(outboxJobs.id, id));
}
