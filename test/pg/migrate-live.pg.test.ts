// migrate-live.ts: the migrations as drizzle records them, and a migration that meets a
// transaction of the running release gives way instead of deadlocking it. The case test:deploy
// met: a booking holds the slots table (a row of it) and then reads appointments, while the
// migration, holding appointments, waits for slots. PostgreSQL cancels one of the two; it must be
// the migration (which tries again), never the patient's transaction.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateLive } from '../../src/server/db/migrate-live.js';
import { createPgDatabase, pgTestUrl } from '../support/context.js';

const root = path.resolve(import.meta.dirname, '../..');
const migrations = path.join(root, 'src/server/db/migrations');
const journal = JSON.parse(readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};
const releases = JSON.parse(readFileSync(path.join(root, 'deploy/releases.json'), 'utf8')) as {
  previous: string;
  releases: Record<string, { lastMigration: string }>;
};
const previousLast = journal.entries.find((e) => e.tag === releases.releases[releases.previous]?.lastMigration);
const baseUrl = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cleanup: Array<() => Promise<void> | void> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function database(): Promise<string> {
  const created = await createPgDatabase(baseUrl);
  cleanup.push(() => created.drop());
  return created.url;
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  cleanup.push(() => c.end());
  return c;
}

function migrationsUpTo(lastIdx: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'priyom-migrations-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(migrations, dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'meta/_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= lastIdx) }),
  );
  return dir;
}

const recorded = async (c: pg.Client) =>
  (await c.query('select hash, created_at from drizzle.__drizzle_migrations order by created_at')).rows;

describe('migrateLive', () => {
  it("applies every migration and records them as drizzle's migrator does; a second run applies none", async () => {
    const ours = await connect(await database());
    const theirs = await connect(await database());
    expect(await migrateLive(ours, migrations)).toEqual({ applied: journal.entries.length, attempts: 1 });
    await migrate(drizzle(theirs), { migrationsFolder: migrations });
    expect(await recorded(ours)).toEqual(await recorded(theirs));
    expect(await migrateLive(ours, migrations)).toEqual({ applied: 0, attempts: 1 });
  });

  it('gives way to a transaction of the running release instead of deadlocking it', async () => {
    expect(previousLast).toBeDefined();
    const url = await database();
    const setup = await connect(url);
    await migrate(drizzle(setup), { migrationsFolder: migrationsUpTo(previousLast?.idx ?? 0) });
    const booking = await connect(url);
    const migrator = await connect(url);
    const migratorPid = (await migrator.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;

    // The booking holds the slots table (as its row update does) ...
    await booking.query('BEGIN');
    await booking.query(`UPDATE slots SET status = status WHERE false`);
    const run = migrateLive(migrator, migrations, { lockTimeoutMs: 500 });
    // ... the migration waits for it while holding the tables before it (appointments among them) ...
    for (;;) {
      const waiting = await setup.query(
        `select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock' and query like 'LOCK TABLE%'`,
        [migratorPid],
      );
      if (waiting.rowCount) break;
      await sleep(10);
    }
    // ... and the booking now needs appointments: the migration gives way, the booking goes on.
    const read = await booking.query('select count(*)::int as n from appointments');
    expect(read.rows[0].n).toBe(0);
    await booking.query('COMMIT');
    const result = await run;
    expect(result.applied).toBe(journal.entries.filter((e) => e.idx > (previousLast?.idx ?? 0)).length);
    expect(result.attempts).toBeGreaterThan(1);
    expect((await recorded(setup)).length).toBe(journal.entries.length);
  });
});
