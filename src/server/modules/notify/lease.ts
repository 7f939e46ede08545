// The claim of the worker's leased queues (the e-mail outbox, the push outbox, the durable
// jobs): a row is due when it is pending, its next attempt has come, and no lease on it is
// still running. Claims lock due rows with SKIP LOCKED and lease them in one statement, so
// concurrent workers never take the same row and a crashed worker's rows come back.
import { and, eq, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/index.js';

export interface LeasedQueue {
  id: PgColumn;
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
    // and() answers undefined only when given no conditions; it is given three.
  ) as SQL;
}

/** When a lease of `lockMs` taken at `now` runs out. */
export function leaseUntil(now: Date, lockMs: number): Date {
  return new Date(now.getTime() + lockMs);
}

/**
 * Hands back the leases on `ids` that a stopping worker claimed but did not get to: the rows,
 * still pending, are due again at once for another worker instead of after the lease.
 */
export async function releaseLeases(db: Db, table: PgTable, queue: LeasedQueue, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update ${table} set ${sql.identifier(queue.lockedUntil.name)} = null where ${and(inArray(queue.id, ids), eq(queue.status, 'pending'))}`,
  );
}
