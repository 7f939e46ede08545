// The database itself refuses what a booking must never leave behind, whatever the application
// does: two writers go around it with raw SQL on their own connections, at the same time, and
// the second waits for the first and is refused by the constraint - the unique partial index on
// a slot's active appointment (migration 0000), and the exclusion constraints on one card-file
// person's overlapping visits (0001) and on one real person's (the СНИЛС each appointment
// carries, 0005). Without them the application's own locks would be the only guard: the race
// tests through HTTP pass either way, because the person's and the slot's row locks catch the
// race first. PostgreSQL only (PGlite has one session).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookableSetup, createDoctor, createSlots, type SlotRow } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
let first: pg.Client;
let second: pg.Client;
/** Looks on from outside both transactions. */
let observer: pg.Client;

beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
  first = new pg.Client({ connectionString: t.databaseUrl! });
  second = new pg.Client({ connectionString: t.databaseUrl! });
  observer = new pg.Client({ connectionString: t.databaseUrl! });
  await Promise.all([first.connect(), second.connect(), observer.connect()]);
});
afterAll(async () => {
  await first?.end();
  await second?.end();
  await observer?.end();
  await t.close();
});

let referenceSeq = 0;

/** A booked appointment of `personId` in `slot`, inserted by hand (no service, no lock of the application's). */
async function insertBooked(client: pg.Client, slot: SlotRow, personId: string): Promise<void> {
  referenceSeq += 1;
  await client.query(
    `insert into appointments (reference, slot_id, person_id, doctor_id, start_at, end_at, status, source)
     values ($1, $2, $3, $4, $5, $6, 'booked', 'registry')`,
    [`ПР-INV${String(referenceSeq).padStart(5, '0')}`, slot.id, personId, slot.doctorId, slot.startAt, slot.endAt],
  );
}

/** Waits until the backend of `client` waits for a lock (the other transaction's uncommitted row). */
async function untilWaitingForLock(client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let i = 0; i < 200; i++) {
    const { rows } = await observer.query<{ waiting: boolean }>(
      `select coalesce(wait_event_type = 'Lock', false) as waiting from pg_stat_activity where pid = $1`,
      [pid],
    );
    if (rows[0]?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the second writer never waited for the first');
}

/**
 * Both writers open a transaction; the first inserts, the second inserts and waits for the
 * first's row; the first commits. Returns the second's refusal (SQLSTATE and constraint).
 */
async function raceAroundTheApplication(
  one: () => Promise<void>,
  two: () => Promise<void>,
): Promise<{ code?: string; constraint?: string }> {
  await first.query('begin');
  await second.query('begin');
  try {
    await one();
    const refused = two().then(
      () => ({}),
      (err: { code?: string; constraint?: string }) => ({ code: err.code, constraint: err.constraint }),
    );
    await untilWaitingForLock(second);
    await first.query('commit');
    return await refused;
  } finally {
    await second.query('rollback');
    await first.query('rollback').catch(() => undefined);
  }
}

async function bookedCount(where: string, params: unknown[]): Promise<number> {
  const { rows } = await observer.query<{ n: number }>(
    `select count(*)::int as n from appointments where status = 'booked' and ${where}`,
    params,
  );
  return rows[0].n;
}

describe('the database refuses, around the application', () => {
  it('a second active appointment for one slot: the unique index appointments_one_active_per_slot', async () => {
    const setup = await createBookableSetup(t.ctx);
    const slot = setup.slots[0];
    const a = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true });
    const b = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true });

    const refusal = await raceAroundTheApplication(
      () => insertBooked(first, slot, a.id),
      () => insertBooked(second, slot, b.id),
    );

    expect(refusal).toEqual({ code: '23505', constraint: 'appointments_one_active_per_slot' });
    expect(await bookedCount('slot_id = $1', [slot.id])).toBe(1);
    // The index is partial: a cancelled appointment leaves the slot's place for the next one.
    await observer.query(`update appointments set status = 'cancelled' where slot_id = $1`, [slot.id]);
    await insertBooked(first, slot, b.id);
    expect(await bookedCount('slot_id = $1', [slot.id])).toBe(1);
  });

  it('one card-file person at two doctors at once: the exclusion constraint appointments_no_overlap_per_person', async () => {
    const setup = await createBookableSetup(t.ctx);
    const other = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    const here = setup.slots[0];
    // The other doctor's slot starts a quarter of an hour into this one.
    const [there] = await createSlots(t.ctx, other.id, [new Date(here.startAt.getTime() + 15 * 60_000)]);
    const person = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true });

    const refusal = await raceAroundTheApplication(
      () => insertBooked(first, here, person.id),
      () => insertBooked(second, there, person.id),
    );

    expect(refusal).toEqual({ code: '23P01', constraint: 'appointments_no_overlap_per_person' });
    expect(await bookedCount('person_id = $1', [person.id])).toBe(1);
  });

  it('one real person in two card files at once: the exclusion constraint appointments_no_overlap_per_real_person', async () => {
    const setup = await createBookableSetup(t.ctx);
    const other = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    const here = setup.slots[0];
    const [there] = await createSlots(t.ctx, other.id, [here.startAt]);
    // The same СНИЛС in two accounts' card files (e.g. a parent's and the person's own): two rows, one person.
    const own = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true });
    const copy = await createPerson(t.ctx, (await createAccount(t.ctx)).id, {
      isMain: false,
      snils: own.snils,
      policy: own.policy,
    });
    expect(copy.id).not.toBe(own.id);

    const refusal = await raceAroundTheApplication(
      () => insertBooked(first, here, own.id),
      () => insertBooked(second, there, copy.id),
    );

    expect(refusal).toEqual({ code: '23P01', constraint: 'appointments_no_overlap_per_real_person' });
    expect(await bookedCount('patient_snils = $1', [own.snils])).toBe(1);
  });
});
