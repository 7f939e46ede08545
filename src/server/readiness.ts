// Liveness and readiness for a balancer or an orchestrator, and the order of a graceful stop.
// /healthz: the process answers. /readyz: it can serve requests now — the database answers
// (within a second), the migrations this code needs are applied, and the process is not
// shutting down; otherwise 503 DATABASE_UNAVAILABLE / MIGRATIONS_PENDING / SHUTTING_DOWN, so
// the balancer sends patients to another instance meanwhile instead of to one that would refuse.
// drain(): at SIGTERM readiness turns not-ready first, the worker stops claiming at once, the
// server keeps answering for a short delay (the balancer notices), then stops taking requests
// and finishes those in flight; the database closes last.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { latestAppliedMigrationWhen, latestMigrationWhen } from './db/index.js';
import { AppError, type ErrorCode } from './errors.js';

export interface Readiness {
  /** Set at shutdown, before the server stops taking requests. */
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

const CHECK_TIMEOUT_MS = 1_000;

/** Whether `check` settles within `ms`; a slow database counts as unavailable. */
export async function settlesWithin(check: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessFacts {
  draining: boolean;
  /** The database answered in time. */
  databaseAnswered: boolean;
  /** The newest migration applied (journal `when`, ms), null if none or unknown. */
  appliedMigration: number | null;
  /** The newest migration this code ships. */
  expectedMigration: number;
}

/** Why the instance is not ready, or null when it is. Draining wins: the instance is going away. */
export function notReadyBecause(f: ReadinessFacts): ErrorCode | null {
  if (f.draining) return 'SHUTTING_DOWN';
  if (!f.databaseAnswered) return 'DATABASE_UNAVAILABLE';
  if (f.appliedMigration === null || f.appliedMigration < f.expectedMigration) return 'MIGRATIONS_PENDING';
  return null;
}

export function readinessRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.decorate('readiness', { draining: false });
  const expectedMigration = latestMigrationWhen();
  // Migrations never go back once applied: after one good check the query is not repeated.
  let migrated = false;
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    let applied: number | null = migrated ? expectedMigration : null;
    const check = migrated
      ? ctx.db.execute(sql`select 1`)
      : latestAppliedMigrationWhen(ctx.db).then((when) => {
          applied = when;
        });
    // A failed or slow check is a 503 (the error handler adds Retry-After), never a 500.
    const answered = await settlesWithin(check, CHECK_TIMEOUT_MS).catch(() => false);
    const refusal = notReadyBecause({
      draining: app.readiness.draining,
      databaseAnswered: answered,
      appliedMigration: applied,
      expectedMigration,
    });
    if (refusal) throw new AppError(refusal);
    migrated = true;
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });
}

/** The steps of a graceful stop, in the order drain() runs them. */
export interface DrainSteps {
  /** /readyz answers 503 SHUTTING_DOWN from now on. */
  markNotReady(): void;
  /** The worker claims nothing more, finishes what it holds and hands back the rest of its leases. */
  stopWorker(): Promise<void>;
  /** Waits while the balancer notices the instance is not ready (requests are still served). */
  delay(): Promise<void>;
  /** Stops taking requests and waits for those in flight. */
  closeHttp(): Promise<void>;
  closeDatabase(): Promise<void>;
}

/**
 * Runs the graceful stop. The worker stops at once (in parallel with the delay and the
 * requests); the database closes only when both the requests and the worker are done with it.
 */
export async function drain(steps: DrainSteps): Promise<void> {
  steps.markNotReady();
  // A step that fails does not skip the ones after it; the first failure is rethrown at the end.
  const failures: unknown[] = [];
  const worker = steps.stopWorker().catch((err: unknown) => void failures.push(err));
  await steps.delay();
  await steps.closeHttp().catch((err: unknown) => void failures.push(err));
  await worker;
  await steps.closeDatabase();
  if (failures.length) throw failures[0];
}
