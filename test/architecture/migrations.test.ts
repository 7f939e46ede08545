// The migrations a rolling update applies while the previous release still serves: every one
// after deploy/releases.json's previous release only adds (src/server/db/migration-rules.ts),
// and the journal is in order — drizzle's migrator applies a migration only when its `when` is
// later than the newest one the database has, so one written with an earlier `when` would be
// skipped on every upgraded database (while a fresh one gets it).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nonAdditiveStatements } from '../../src/server/db/migration-rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const migrations = path.join(root, 'src/server/db/migrations');
const journal = JSON.parse(readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};
const releases = JSON.parse(readFileSync(path.join(root, 'deploy/releases.json'), 'utf8')) as {
  previous: string;
  releases: Record<string, { commit: string; lastMigration: string }>;
};
const previous = releases.releases[releases.previous];
const previousIdx = journal.entries.findIndex((e) => e.tag === previous?.lastMigration);
const since = journal.entries.slice(previousIdx + 1);

describe('migrations', () => {
  it('deploy/releases.json names the previous release and its last migration, which the journal has', () => {
    expect(previous?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(previousIdx).toBeGreaterThanOrEqual(0);
  });

  it('the journal is in order: idx rising, each `when` later than the one before', () => {
    journal.entries.forEach((e, i) => {
      expect(e.tag.startsWith(String(e.idx).padStart(4, '0'))).toBe(true);
      expect(existsSync(path.join(migrations, `${e.tag}.sql`)), `${e.tag}.sql`).toBe(true);
      const before = journal.entries[i - 1];
      if (!before) return;
      expect(e.idx).toBeGreaterThan(before.idx);
      expect(e.when, `${e.tag} is dated before ${before.tag}`).toBeGreaterThan(before.when);
    });
  });

  it.each(since.map((e) => [e.tag]))(`%s only adds, so ${releases.previous} keeps running on it`, (tag) => {
    const text = readFileSync(path.join(migrations, `${tag}.sql`), 'utf8');
    expect(nonAdditiveStatements(text)).toEqual([]);
  });
});
