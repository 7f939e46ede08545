// A fingerprint of every table's content (an md5 of each table's rows), to assert that a
// refused request wrote nothing anywhere — also in tables added after the test was written.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/server/db/index.js';
import type { TestContext } from './context.js';

export type TableDigests = Record<string, string>;

/**
 * table name -> md5 of its rows in a stable order. `except` leaves out tables that change on
 * every request by design (e.g. sessions' last-seen time) — name them in the test, with why.
 */
export async function tableDigests(t: TestContext, except: string[] = []): Promise<TableDigests> {
  const tables = await queryRows<{ name: string }>(
    t.ctx.db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const names = tables.map((r) => r.name).filter((n) => !except.includes(n));
  if (names.length === 0) return {};
  const parts = names.map(
    (n) =>
      sql`select ${n}::text as name, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest from ${sql.identifier(n)} r`,
  );
  const rows = await queryRows<{ name: string; digest: string }>(t.ctx.db, sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** The tables whose content differs between two fingerprints. */
export function changedTables(before: TableDigests, after: TableDigests): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}
