// DATABASE_PREPARED_STATEMENTS=0 (db/index.ts unnamedStatements), for PgBouncer before 1.21 in
// transaction mode: the portal's named statements — db/prepared.ts and the pipelined booking
// transactions — then leave no prepared statement in the server session, so a transaction that
// PgBouncer puts on another server connection never meets "prepared statement … does not
// exist". With the default, the same statement is prepared once per connection by name.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows, runMigrations } from '../../src/server/db/index.js';
import { pipelinedTransaction } from '../../src/server/db/pipelined.js';
import { preparedSql } from '../../src/server/db/prepared.js';
import { createPgDatabase, pgTestUrl } from '../support/context.js';

const baseUrl = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let created: { url: string; drop(): Promise<void> };
const opened: Database[] = [];

const statement = preparedSql<{ n: number; prepared: number }>(
  'unnamed_statements_test_probe',
  sql`select ${sql.placeholder('n')}::int as n, (select count(*)::int from pg_prepared_statements) as prepared`,
);

beforeAll(async () => {
  created = await createPgDatabase(baseUrl);
  const first = await openDatabase({ databaseUrl: created.url, dataDir: null, poolSize: 1 });
  await runMigrations(first, created.url);
  await first.close();
});
afterAll(async () => {
  for (const d of opened) await d.close();
  await created.drop();
});

async function open(preparedStatements: boolean): Promise<Database> {
  // One connection per pool, so every call runs in the same server session.
  const d = await openDatabase({ databaseUrl: created.url, dataDir: null, poolSize: 1, preparedStatements });
  opened.push(d);
  return d;
}

describe('named statements', () => {
  it('are prepared in the session by default', async () => {
    const d = await open(true);
    await statement.rows(d.db, { n: 1 });
    const [row] = await statement.rows(d.db, { n: 2 });
    expect(row).toEqual({ n: 2, prepared: 1 });
  });

  it('go unnamed with DATABASE_PREPARED_STATEMENTS=0: no statement stays in the session, the answers are the same', async () => {
    const d = await open(false);
    for (let i = 0; i < 3; i++) {
      const [row] = await statement.rows(d.db, { n: i });
      expect(row).toEqual({ n: i, prepared: 0 });
    }
    // The pipelined booking transactions name their statements too.
    const rows = await pipelinedTransaction(d.db, async (tx) => {
      await tx.begin(statement, { n: 7 });
      return tx.commitWith(statement, { n: 8 });
    });
    expect(rows).toEqual([{ n: 8, prepared: 0 }]);
    const left = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from pg_prepared_statements`);
    expect(left[0]?.n).toBe(0);
  });
});
