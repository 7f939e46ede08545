// Migration 0005 on real data: a database made before it (at 0004) where one real person — one
// СНИЛС on two card files, a child of two parents — has two overlapping booked visits. 0005's
// exclusion constraint cannot be added over them: the upgrade fails with 23P01 and, since the
// pending migrations run in one transaction, leaves the database exactly at 0004 (the old code
// keeps serving). The data step of deploy/upgrade/0005-overlaps.sql finds the pair; its
// documented cancel resolves it; then every migration applies. PostgreSQL only: the
// constraint, the transaction and the failure are PostgreSQL's.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import { createPgDatabase, pgTestUrl } from '../support/context.js';

const root = path.resolve(import.meta.dirname, '../..');
const migrations = path.join(root, 'src/server/db/migrations');
const journal = JSON.parse(readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};
const overlapsSql = readFileSync(path.join(root, 'deploy/upgrade/0005-overlaps.sql'), 'utf8');
const baseUrl = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let created: { url: string; drop(): Promise<void> };
let client: pg.Client;
const folders: string[] = [];

/** A migrations folder holding the migrations up to `lastIdx` (what older code shipped). */
function migrationsUpTo(lastIdx: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'priyom-migrations-'));
  folders.push(dir);
  cpSync(migrations, dir, { recursive: true });
  const entries = journal.entries.filter((e) => e.idx <= lastIdx);
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

async function migrateTo(lastIdx: number): Promise<void> {
  const c = new pg.Client({ connectionString: created.url });
  await c.connect();
  try {
    await migrate(drizzle(c), { migrationsFolder: migrationsUpTo(lastIdx) });
  } finally {
    await c.end();
  }
}

const appliedCount = async () =>
  Number((await client.query('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0].n);

/** The pairs deploy/upgrade/0005-overlaps.sql lists (its first statement). */
async function overlappingPairs(): Promise<Array<{ kept_candidate: string; overlapping: string }>> {
  const query = overlapsSql
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
  return (await client.query(query)).rows;
}

/** The file's commented cancel, uncommented, run as documented. */
function documentedCancel(): string {
  const lines = overlapsSql.split('\n');
  const from = lines.indexOf('-- BEGIN;');
  const to = lines.indexOf('-- COMMIT;');
  return lines
    .slice(from, to + 1)
    .map((l) => l.replace(/^-- ?/, ''))
    .join('\n');
}

const ids: { kept: string; overlapping: string; apart: string } = { kept: '', overlapping: '', apart: '' };

beforeAll(async () => {
  created = await createPgDatabase(baseUrl);
  await migrateTo(4);
  client = new pg.Client({ connectionString: created.url });
  await client.connect();
  // One child on two card files (mother's, father's), one clinic, two doctors.
  const child = snilsWithChecksum('112233445');
  const q = async (text: string, values: unknown[] = []) => (await client.query(text, values)).rows[0];
  const mother = await q(`insert into accounts (email, role) values ('mother@example.test', 'patient') returning id`);
  const father = await q(`insert into accounts (email, role) values ('father@example.test', 'patient') returning id`);
  const person = (account: string, policy: string) =>
    q(
      `insert into persons (account_id, last_name, first_name, birth_date, sex, snils, policy, status)
       values ($1, 'Петров', 'Миша', '2019-03-01', 'M', $2, $3, 'confirmed') returning id`,
      [account, child, policy],
    );
  const onMother = await person(mother.id, '1800000000000001');
  const onFather = await person(father.id, '1800000000000002');
  const org = await q(
    `insert into organisations (name, short_name, address, phone, time_zone)
     values ('Поликлиника № 1', 'П1', 'ул. Ленина, 1', '+78000000000', 'Europe/Moscow') returning id`,
  );
  const spec = await q(`insert into specialties (name) values ('Педиатр') returning id`);
  const doctor = (last: string) =>
    q(
      `insert into doctors (organisation_id, specialty_id, last_name, first_name, room) values ($1, $2, $3, 'Анна', '101') returning id`,
      [org.id, spec.id, last],
    );
  const d1 = await doctor('Смирнова');
  const d2 = await doctor('Кузнецова');
  const visit = async (doctorId: number, personId: string, account: string, start: string, ref: string, at: string) => {
    const slot = await q(
      `insert into slots (doctor_id, start_at, end_at, status) values ($1, $2::timestamptz, $2::timestamptz + interval '15 minutes', 'booked') returning id`,
      [doctorId, start],
    );
    return (
      await q(
        `insert into appointments (reference, slot_id, person_id, doctor_id, start_at, end_at, source, booked_by_account_id, created_at)
         select $1, s.id, $2, s.doctor_id, s.start_at, s.end_at, 'portal', $3, $4::timestamptz from slots s where s.id = $5 returning id`,
        [ref, personId, account, at, slot.id],
      )
    ).id as string;
  };
  // 0001 keeps one card-file row apart; before 0005 nothing kept the two rows of one child apart.
  ids.kept = await visit(d1.id, onMother.id, mother.id, '2026-12-10T07:00:00Z', 'A-0001', '2026-12-01T10:00:00Z');
  ids.overlapping = await visit(
    d2.id,
    onFather.id,
    father.id,
    '2026-12-10T07:05:00Z',
    'A-0002',
    '2026-12-02T10:00:00Z',
  );
  ids.apart = await visit(d2.id, onFather.id, father.id, '2026-12-11T07:00:00Z', 'A-0003', '2026-12-02T11:00:00Z');
});

afterAll(async () => {
  await client?.end();
  await created?.drop();
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

describe('migration 0005 on a database with overlapping visits of one real person', () => {
  it('fails with the exclusion violation and leaves the database at 0004', async () => {
    const failure = await migrateTo(journal.entries.at(-1)?.idx ?? 0).then(
      () => null,
      (e: unknown) => e as { code?: string; cause?: { code?: string; constraint?: string } },
    );
    expect(failure).not.toBeNull();
    const pgError = failure?.cause ?? failure;
    expect((pgError as { code?: string }).code).toBe('23P01');
    expect((pgError as { constraint?: string }).constraint).toBe('appointments_no_overlap_per_real_person');
    // Nothing of 0005 or later stayed: the migrations ran in one transaction.
    expect(await appliedCount()).toBe(5);
    const column = await client.query(
      `select 1 from information_schema.columns where table_name = 'appointments' and column_name = 'patient_snils'`,
    );
    expect(column.rowCount).toBe(0);
  });

  it('deploy/upgrade/0005-overlaps.sql lists exactly the pair, the later-booked visit second', async () => {
    expect(await overlappingPairs()).toEqual([
      expect.objectContaining({ kept_candidate: ids.kept, overlapping: ids.overlapping }),
    ]);
  });

  it('after its documented cancel the pair is gone and every migration applies', async () => {
    await client.query(documentedCancel());
    expect(await overlappingPairs()).toEqual([]);
    const rows = (await client.query('select id, status from appointments order by reference')).rows;
    expect(rows).toEqual([
      { id: ids.kept, status: 'booked' },
      { id: ids.overlapping, status: 'cancelled' },
      { id: ids.apart, status: 'booked' },
    ]);
    const freed = await client.query(
      `select s.status from slots s join appointments a on a.slot_id = s.id where a.id = $1`,
      [ids.overlapping],
    );
    expect(freed.rows).toEqual([{ status: 'free' }]);
    await migrateTo(journal.entries.at(-1)?.idx ?? 0);
    expect(await appliedCount()).toBe(journal.entries.length);
    const snils = await client.query(`select count(*)::int as n from appointments where patient_snils <> ''`);
    expect(snils.rows[0].n).toBe(3);
  });
});
