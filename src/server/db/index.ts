// The database connection: PostgreSQL through pg when DATABASE_URL is set, otherwise
// the embedded PGlite in a folder. The same drizzle query code runs on both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { registerPipelinedPool } from './pipelined.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A database handle or an open transaction: repositories accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Parse timestamptz as Date (default) but keep `date` columns as plain strings.
pg.types.setTypeParser(1082, (v: string) => v);

export interface OpenOptions {
  databaseUrl: string | null;
  /** Folder for PGlite; null keeps it in memory (tests). */
  dataDir: string | null;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const max = opts.poolSize ?? 10;
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max });
    // Clients in pipeline mode for the short transactions of db/pipelined.ts (bookings).
    const pipelinedPool = new pg.Pool({ connectionString: opts.databaseUrl, max, pipeline: true });
    for (const p of [pool, pipelinedPool]) {
      p.on('error', () => {
        /* idle client errors are reported by the next query */
      });
    }
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    registerPipelinedPool(db, pipelinedPool);
    return { db, kind: 'postgres', close: async () => void (await Promise.all([pool.end(), pipelinedPool.end()])) };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.dataDir ?? undefined,
    extensions: { btree_gist },
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

const MIGRATION_LOCK = 7_302_001;

/**
 * Applies pending migrations. On PostgreSQL several processes may start at once:
 * they take turns on an advisory lock held by one dedicated connection.
 */
export async function runMigrations(database: Database, databaseUrl: string | null): Promise<void> {
  if (database.kind === 'pglite' || !databaseUrl) {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder });
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } finally {
    await client.end();
  }
}

/** Runs raw SQL and returns its rows, the same on PostgreSQL and PGlite. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
