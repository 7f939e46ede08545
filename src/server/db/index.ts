// The database connection: PostgreSQL through pg when DATABASE_URL is set, otherwise
// the embedded PGlite in a folder. The same drizzle query code runs on both.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { migrateLive } from './migrate-live.js';
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
  /** How long a new PostgreSQL connection may take before the request fails (ms, default 5 s). */
  connectTimeoutMs?: number;
  /** Told of each connection the server dropped or that broke (no personal data in it). */
  onConnectionError?: (err: Error) => void;
  /** PGlite only: start from this dump of a data folder (`dumpDataDir`), e.g. an already migrated one in tests. */
  pgliteDump?: Blob;
  /** false: statements go unnamed (PgBouncer < 1.21 in transaction mode); default true. */
  preparedStatements?: boolean;
}

/**
 * Sends every statement of `pool`'s clients unnamed. A named prepared statement lives in one
 * server session; behind PgBouncer in transaction mode (before 1.21) the next transaction may
 * run on another server connection, where the name is unknown ("prepared statement … does not
 * exist"). db/prepared.ts, drizzle's .prepare(name) and the pipelined bookings all name their
 * statements through client.query, so the name is dropped there, in one place; the text and
 * values are unchanged, PostgreSQL only parses and plans each execution again.
 */
export function unnamedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query;
    const unnamed = function (this: pg.PoolClient, config: unknown, ...rest: unknown[]) {
      if (config && typeof config === 'object' && typeof (config as { name?: unknown }).name === 'string') {
        (config as { name?: string }).name = undefined;
      }
      return (query as (...args: unknown[]) => unknown).call(this, config, ...rest);
    };
    client.query = unnamed as typeof client.query;
  });
}

/**
 * Keeps a pool's broken connections from taking the process down. node-postgres emits
 * `error` on a client whose connection ends (pg_terminate_backend, a failover, a restart,
 * a PgBouncer reload); the pool listens only while the client is idle, so an error on a
 * client that is checked out — inside a transaction, or a pipelined client between its two
 * writes — had no listener and Node ended the process. Every client now gets a listener for
 * its whole life: the query in flight fails (the request answers 503 DATABASE_UNAVAILABLE,
 * app.ts), the broken client is dropped at release (pg-pool discards clients that are no
 * longer queryable) and the next checkout opens a new connection.
 */
export function guardPool(pool: pg.Pool, onConnectionError?: (err: Error) => void): void {
  const report = (err: Error) => onConnectionError?.(err);
  pool.on('connect', (client) => client.on('error', report));
  // An idle client's error: the pool has already removed it.
  pool.on('error', report);
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const max = opts.poolSize ?? 10;
    const common = {
      connectionString: opts.databaseUrl,
      max,
      // An unreachable server (a failover, a dropped route) fails a request within this time
      // instead of holding it until the socket gives up.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
      keepAlive: true,
    };
    const pool = new pg.Pool(common);
    // Clients in pipeline mode for the short transactions of db/pipelined.ts (bookings).
    const pipelinedPool = new pg.Pool({ ...common, pipeline: true });
    for (const p of [pool, pipelinedPool]) {
      guardPool(p, opts.onConnectionError);
      if (opts.preparedStatements === false) unnamedStatements(p);
    }
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    registerPipelinedPool(db, pipelinedPool);
    return { db, kind: 'postgres', close: async () => void (await Promise.all([pool.end(), pipelinedPool.end()])) };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.dataDir ?? undefined,
    loadDataDir: opts.pgliteDump,
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
  // A dropped connection fails the migration's query (startup then stops with the error).
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Not drizzle's migrate: the previous release may be serving (migrate-live.ts).
    await migrateLive(client, migrationsFolder);
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } finally {
    await client.end();
  }
}

/** When the newest migration this code ships was written (its journal's `when`, ms): what the database must have applied. */
export function latestMigrationWhen(): number {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

/**
 * The newest migration the database has applied (drizzle's own table; its created_at is the
 * migration's journal `when`), or null before any.
 */
export async function latestAppliedMigrationWhen(db: Db): Promise<number | null> {
  const rows = await queryRows<{ when: string | number | null }>(
    db,
    sql`select max(created_at) as "when" from drizzle.__drizzle_migrations`,
  );
  const when = rows[0]?.when;
  return when === null || when === undefined ? null : Number(when);
}

/** Runs raw SQL and returns its rows, the same on PostgreSQL and PGlite. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
