// Runs the durable jobs (outbox_jobs). Each job's work and the job's deletion are one
// transaction, so a job takes effect exactly once even when a lease runs out and a second
// worker claims it; a failed attempt is retried with the outbox's back-off, then given up.
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { outboxJobs } from '../../db/schema.js';
import { claimDueJobs, markJobFailedAttempt, takeJob, type JobRow } from './jobs.repository.js';
import { releaseLeases } from './lease.js';
import { nextAttemptDelayMs } from './outbox.rules.js';

/** Does one job's work inside the transaction `tx` (which also deletes the job). */
export type JobHandler = (
  ctx: AppContext,
  tx: Db,
  job: { id: number; payload: Record<string, unknown> },
) => Promise<void>;

export type JobHandlers = Record<string, JobHandler>;

export interface JobLogger {
  warn(obj: object, msg: string): void;
}

async function runOne(ctx: AppContext, handlers: JobHandlers, job: JobRow): Promise<void> {
  const handler = handlers[job.kind];
  if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
  await ctx.db.transaction(async (tx) => {
    if (!(await takeJob(tx, job.id))) return; // done by another worker meanwhile
    await handler(ctx, tx, { id: job.id, payload: job.payload });
  });
}

/** Runs due jobs once; returns how many were claimed. Once `stopping()`, the jobs not yet run are handed back. */
export async function runDueJobs(
  ctx: AppContext,
  handlers: JobHandlers,
  log: JobLogger,
  batch = 20,
  stopping: () => boolean = () => false,
): Promise<number> {
  const due = await claimDueJobs(ctx.db, ctx.now(), batch, 60_000);
  for (const [i, job] of due.entries()) {
    if (stopping()) {
      await releaseLeases(
        ctx.db,
        outboxJobs,
        outboxJobs,
        due.slice(i).map((j) => j.id),
      );
      break;
    }
    try {
      await runOne(ctx, handlers, job);
    } catch (err) {
      const attempts = job.attempts + 1;
      const delay = nextAttemptDelayMs(attempts);
      const next = delay === null ? null : new Date(ctx.now().getTime() + delay);
      // The payload holds an address: log only the job's id and kind.
      log.warn({ jobId: job.id, kind: job.kind, attempts }, 'job failed');
      await markJobFailedAttempt(ctx.db, job.id, attempts, next, err instanceof Error ? err.message : String(err));
    }
  }
  return due.length;
}
