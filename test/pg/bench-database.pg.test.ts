// The benchmark's own database (bench/lib/fill.ts) on real PostgreSQL: created with the
// settings the README recommends for booking load, or with none (--pg-defaults).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DATABASE_SETTINGS, createDatabase, dropDatabase } from '../../bench/lib/fill.js';
import { pgTestUrl } from '../support/context.js';

const baseUrl = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a new connection to `url` gets for each of DATABASE_SETTINGS' names. */
async function settingsSeenBy(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const seen: Record<string, string> = {};
    for (const name of Object.keys(DATABASE_SETTINGS)) {
      const res = await c.query<{ v: string }>('select current_setting($1) as v', [name]);
      seen[name] = res.rows[0].v;
    }
    return seen;
  } finally {
    await c.end();
  }
}

describe('the benchmark database', () => {
  it('gives every connection WAL compression and early page flushes', async () => {
    const name = `priyom_bench_test_${randomBytes(4).toString('hex')}`;
    const url = await createDatabase(baseUrl, name, true);
    try {
      expect(await settingsSeenBy(url)).toEqual({ wal_compression: 'lz4', backend_flush_after: '256kB' });
    } finally {
      await dropDatabase(baseUrl, name);
    }
  });

  it('keeps the server’s settings with --pg-defaults', async () => {
    const name = `priyom_bench_test_${randomBytes(4).toString('hex')}`;
    const url = await createDatabase(baseUrl, name, false);
    try {
      expect(await settingsSeenBy(url)).toEqual(await settingsSeenBy(baseUrl));
    } finally {
      await dropDatabase(baseUrl, name);
    }
  });
});
