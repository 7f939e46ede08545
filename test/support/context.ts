// A freshly migrated database and a built app per test file. PGlite in memory by default;
// PostgreSQL when PRIYOM_TEST_DATABASE_URL is set (a new database is created and dropped).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { build } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { AppContext } from '../../src/server/context.js';
import { openDatabase, runMigrations, type Database } from '../../src/server/db/index.js';
import { TestClient } from './client.js';
import { ContractRecorder, type OpenApiDocument } from './contract.js';

export const pgTestUrl = process.env.PRIYOM_TEST_DATABASE_URL ?? null;

export interface TestClock {
  current: Date;
  set(d: Date | string): void;
  advance(ms: number): void;
}

export interface TestContext {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  clock: TestClock;
  config: Config;
  /** A new HTTP client with its own cookie jar. */
  client(): TestClient;
  /** The PostgreSQL database's URL (null on PGlite), e.g. to start a second app on it. */
  databaseUrl: string | null;
  close(): Promise<void>;
  /** Drops the database this context created (after `keepDatabase`); a no-op otherwise. */
  dropDatabase(): Promise<void>;
  /** Every answer of a documented route; close() fails when one breaks the OpenAPI contract (contract.ts). */
  contract: ContractRecorder;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DEMO: '0',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '1000',
    BOOKING_RATE_PER_MINUTE: '1000',
    WAITLIST_RATE_PER_MINUTE: '1000',
    TOKEN_RATE_PER_MINUTE: '1000',
    PATIENT_RATE_PER_MINUTE: '1000',
    PUBLIC_URL: 'http://portal.test',
    ...overrides,
  });
}

/** Creates an empty PostgreSQL database and returns its URL and a drop function. */
export async function createPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `priyom_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const migrationsFolder = path.resolve(import.meta.dirname, '../../src/server/db/migrations');
let pgliteTemplate: Promise<Blob> | null = null;

/**
 * A migrated, empty PGlite data folder as a dump, made once per set of migrations and kept in
 * the temporary folder: a context loads it in ~0.5 s instead of migrating a new instance (~3 s),
 * which was most of the time of the integration tests on PGlite. The file name carries a hash of
 * the migrations, so a changed or added migration makes a new one.
 */
function migratedPgliteDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const hash = createHash('sha256');
    for (const dir of [migrationsFolder, path.join(migrationsFolder, 'meta')]) {
      for (const name of readdirSync(dir).sort()) {
        if (name.endsWith('.sql') || name === '_journal.json')
          hash.update(name).update(readFileSync(path.join(dir, name)));
      }
    }
    const file = path.join(tmpdir(), `priyom-test-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const fresh = await openDatabase({ databaseUrl: null, dataDir: null });
    await runMigrations(fresh, null);
    const dump = await (fresh.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
    await fresh.close();
    // Workers may race to make it: each writes its own file and renames it into place.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  })();
  return pgliteTemplate;
}

export async function createTestContext(
  opts: {
    now?: string | Date;
    env?: Record<string, string>;
    postgres?: boolean;
    /** Open this existing PostgreSQL database instead of creating one (a restart); it is never dropped here. */
    databaseUrl?: string;
    /** close() leaves the created database in place (drop it later with dropDatabase()). */
    keepDatabase?: boolean;
  } = {},
): Promise<TestContext> {
  const usePg = opts.databaseUrl === undefined && (opts.postgres ?? pgTestUrl !== null);
  const pgBase = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const created = usePg ? await createPgDatabase(pgBase) : null;
  const databaseUrl = opts.databaseUrl ?? created?.url ?? null;
  const config = testConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...(opts.env ?? {}) });
  // 20 connections per pool unless the test sets DATABASE_POOL_SIZE (requests queue for them).
  const poolSize = opts.env?.DATABASE_POOL_SIZE ? config.databasePoolSize : 20;
  const pgliteDump = databaseUrl ? undefined : await migratedPgliteDump();
  const database = await openDatabase({ databaseUrl, dataDir: null, poolSize, pgliteDump });
  await runMigrations(database, databaseUrl);
  const clock: TestClock = {
    current: new Date(opts.now ?? '2026-11-25T09:00:00Z'),
    set(d) {
      this.current = new Date(d);
    },
    advance(ms) {
      this.current = new Date(this.current.getTime() + ms);
    },
  };
  const ctx: AppContext = { config, db: database.db, now: () => new Date(clock.current) };
  const contract = new ContractRecorder();
  const app = await build(ctx, { logger: false, onRoute: contract.onRoute });
  await app.ready();
  return {
    app,
    ctx,
    database,
    clock,
    config,
    client: () => new TestClient(app),
    databaseUrl,
    contract,
    async close() {
      // Every answer the test got must keep the OpenAPI contract (status, media type, schema).
      let violations: string[];
      try {
        violations = contract.violations(app.swagger() as OpenApiDocument);
      } finally {
        await app.close();
        await database.close();
        if (!opts.keepDatabase) await created?.drop();
      }
      if (violations.length)
        throw new Error(`Answers that break the OpenAPI contract:\n${violations.slice(0, 30).join('\n')}`);
    },
    async dropDatabase() {
      await created?.drop();
    },
  };
}
