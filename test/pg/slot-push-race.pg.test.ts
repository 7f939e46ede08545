// A clinic system's slot list against a booking in flight, on real PostgreSQL: the push locks
// the doctor's rows, so a booking that holds a slot's row when the push starts makes the push
// wait for it, and the push then refuses to remove the booked time, naming the visit (never
// deciding on a stale "free"). Nothing of the list is written.
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { doctors, slots } from '../../src/server/db/schema.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from '../int/integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let mis: string;
const V1 = '/api/integration/v1';
const DAY = '2026-11-27';

beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
  clinic = await createBookableSetup(t.ctx);
  const operator = await createAccount(t.ctx, { role: 'operator' });
  const client = await signIn(t, operator.email, operator.password);
  mis = (await issueKey(client, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
});
afterAll(async () => t.close());

async function put(url: string, body: unknown) {
  const res = await t.app.inject({
    method: 'PUT',
    url,
    headers: { authorization: `Bearer ${mis}` },
    payload: body as Record<string, unknown>,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

const list = [
  { externalId: 'r-0900', startAt: `${DAY}T09:00:00+04:00`, endAt: `${DAY}T09:20:00+04:00` },
  { externalId: 'r-0920', startAt: `${DAY}T09:20:00+04:00`, endAt: `${DAY}T09:40:00+04:00` },
];

describe('a slot push while a booking of its slot is committing', () => {
  it('waits for the booking and then refuses to remove the booked time, naming the visit; nothing written', async () => {
    await put(`${V1}/specialty-codes/TER`, { specialtyId: clinic.specialty.id });
    await put(`${V1}/doctors/external/RACE`, {
      lastName: 'Гонкина',
      firstName: 'Вера',
      specialtyCode: 'TER',
      room: '12',
    });
    const first = await put(`${V1}/doctors/external/RACE/slots?from=${DAY}&to=${DAY}`, { slots: list });
    expect(first.status).toBe(200);
    const [doctor] = await t.ctx.db.select().from(doctors).where(eq(doctors.externalId, 'RACE'));
    const [slot] = await t.ctx.db.select().from(slots).where(eq(slots.externalId, 'r-0900'));
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });

    // A booking on its own connection: the slot's row is taken, the transaction still open.
    const booking = new pg.Client({ connectionString: t.databaseUrl ?? undefined });
    await booking.connect();
    try {
      await booking.query('begin');
      await booking.query(`update slots set status = 'booked' where id = $1`, [slot.id]);
      // The push that drops 09:00 starts now and has to wait for the row.
      const pushing = put(`${V1}/doctors/external/RACE/slots?from=${DAY}&to=${DAY}`, { slots: [list[1]] });
      await new Promise((r) => setTimeout(r, 400));
      const waiting = await queryRows<{ n: string }>(
        t.ctx.db,
        sql`select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
      );
      expect(Number(waiting[0].n)).toBeGreaterThanOrEqual(1);
      const visit = await booking.query<{ id: string; reference: string }>(
        `insert into appointments (reference, slot_id, person_id, doctor_id, start_at, end_at, status, source, booked_by_account_id)
         values ('ПР-RACE0001', $1, $2, $3, $4, $5, 'booked', 'portal', $6) returning id, reference`,
        [slot.id, person.id, doctor.id, slot.startAt, slot.endAt, account.id],
      );
      await booking.query('commit');

      const refused = await pushing;
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('SLOTS_PUSH_CONFLICT');
      const conflicts = (refused.body.details as { conflicts: { appointmentId: string; reference: string }[] })
        .conflicts;
      expect(conflicts.map((c) => [c.appointmentId, c.reference])).toEqual([
        [visit.rows[0].id, visit.rows[0].reference],
      ]);
    } finally {
      await booking.end();
    }
    const after = await t.ctx.db.select().from(slots).where(eq(slots.doctorId, doctor.id));
    expect(after.map((s) => [s.externalId, s.status]).sort()).toEqual([
      ['r-0900', 'booked'],
      ['r-0920', 'free'],
    ]);
  });
});
