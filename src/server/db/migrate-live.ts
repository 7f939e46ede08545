// Migrations on PostgreSQL while the previous release serves (an upgrade, README «Upgrading»).
// drizzle's own migrator runs the pending migrations in one transaction that takes each
// table's lock when its statement reaches it and keeps it to the end: a booking holding a row
// of one table and waiting for a table the migration already altered, while the migration
// waits for the booking's table, is a deadlock, and PostgreSQL cancelled the booking (40P01,
// a 500 to the patient from code that cannot be changed any more). test:deploy met it.
//
// So the same migrations, recorded the same way in drizzle's table, but in each attempt the
// transaction first takes every table of the schema at once (ACCESS EXCLUSIVE, in one LOCK
// statement) with a short lock_timeout: it never waits while holding a lock for longer than
// that, far below PostgreSQL's deadlock_timeout (1 s), so it is the one that gives up, rolls
// back and tries again a moment later; requests only queue behind it for the migration's
// duration. Nothing is taken when nothing is pending (an ordinary restart).
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type pg from 'pg';

export interface LiveMigrationOptions {
  /** How long one attempt waits for a lock before it rolls back and tries again (ms). */
  lockTimeoutMs?: number;
  /** Attempts before the error is thrown. */
  attempts?: number;
}

export interface LiveMigrationResult {
  applied: number;
  attempts: number;
}

/** lock_not_available (lock_timeout) and deadlock_detected: the attempt rolled back, try again. */
const RETRY = new Set(['55P03', '40P01']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function migrateLive(
  client: pg.Client,
  migrationsFolder: string,
  opts: LiveMigrationOptions = {},
): Promise<LiveMigrationResult> {
  const lockTimeoutMs = opts.lockTimeoutMs ?? 200;
  const attempts = opts.attempts ?? 100;
  const migrations = readMigrationFiles({ migrationsFolder });
  await client.query('CREATE SCHEMA IF NOT EXISTS "drizzle"');
  await client.query(
    'CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
  );
  for (let attempt = 1; ; attempt++) {
    const last = await client.query<{ created_at: string }>(
      'select created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1',
    );
    const lastWhen = last.rows[0] ? Number(last.rows[0].created_at) : null;
    // As drizzle decides: what is dated after the newest applied migration.
    const pending = migrations.filter((m) => lastWhen === null || lastWhen < m.folderMillis);
    if (pending.length === 0) return { applied: 0, attempts: attempt };
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
      const tables = await client.query<{ name: string }>(
        `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' order by tablename`,
      );
      if (tables.rows.length)
        await client.query(`LOCK TABLE ${tables.rows.map((t) => t.name).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      for (const migration of pending) {
        for (const statement of migration.sql) await client.query(statement);
        await client.query('insert into "drizzle"."__drizzle_migrations" ("hash", "created_at") values ($1, $2)', [
          migration.hash,
          migration.folderMillis,
        ]);
      }
      await client.query('COMMIT');
      return { applied: pending.length, attempts: attempt };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (!code || !RETRY.has(code) || attempt >= attempts) throw err;
      await sleep(Math.min(50 * attempt, 500));
    }
  }
}
