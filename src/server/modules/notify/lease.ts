// The claim of the worker's leased queues (the e-mail outbox, the push outbox, the durable
// jobs): a row is due when it is pending, its next attempt has come, and no lease on it is
// still running. Claims lock due rows with SKIP LOCKED and lease them in one statement, so
// concurrent workers never take the same row and a crashed worker's rows come back.
import { and, eq, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

export interface LeasedQueue {
  status: PgColumn;
  nextAttemptAt: PgColumn;
  lockedUntil: PgColumn;
}

/** Rows of `queue` that a worker may claim at `now`. */
export function dueAndUnleased(queue: LeasedQueue, now: Date): SQL {
  return and(
    eq(queue.status, 'pending'),
    lte(queue.nextAttemptAt, now),
    or(isNull(queue.lockedUntil), lt(queue.lockedUntil, now)),
  )!;
}

/** When a lease of `lockMs` taken at `now` runs out. */
export function leaseUntil(now: Date, lockMs: number): Date {
  return new Date(now.getTime() + lockMs);
}
