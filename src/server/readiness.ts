// Liveness and readiness for a balancer or an orchestrator. /healthz: the process answers.
// /readyz: it can serve requests now — the database answers (within a second) and the
// process is not shutting down; otherwise 503 DATABASE_UNAVAILABLE / SHUTTING_DOWN, so the
// balancer sends patients to another instance meanwhile instead of to one that would refuse.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { AppError } from './errors.js';

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

export function readinessRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.decorate('readiness', { draining: false });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (app.readiness.draining) throw new AppError('SHUTTING_DOWN');
    // A failed or slow check is a 503 (the error handler adds Retry-After), never a 500.
    const answered = await settlesWithin(ctx.db.execute(sql`select 1`), CHECK_TIMEOUT_MS).catch(() => false);
    if (!answered) throw new AppError('DATABASE_UNAVAILABLE');
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });
}
