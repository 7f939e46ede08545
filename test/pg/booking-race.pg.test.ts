// Concurrency guarantees on real PostgreSQL (always, whatever PRIYOM_TEST_DATABASE_URL
// says: PGlite has one session and cannot race). Requests go through app.inject at the
// same time; the pool has 20 connections, so requests also queue for connections.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, slots } from '../../src/server/db/schema.js';
import { errorCatalogue } from '../../src/server/errors.js';
import { zonedToInstant } from '../../src/shared/time.js';
import { createBookableSetup, createDoctor, createSlots } from '../factories/catalogue.js';
import { createAccount, createPerson, type PersonRow } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { countAppointments, sessionClient, slotState } from '../int/booking.helpers.js';

const START = '2026-11-25T09:00:00Z';
const ZONE = 'Europe/Samara';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

interface Patient {
  accountId: string;
  person: PersonRow;
  client: TestClient;
}

async function patients(n: number): Promise<Patient[]> {
  const out: Patient[] = [];
  for (let i = 0; i < n; i++) {
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    out.push({ accountId: account.id, person, client: await sessionClient(t, account.id) });
  }
  return out;
}

function tally(statuses: { status: number; body: unknown }[]) {
  const byKey = new Map<string, number>();
  for (const r of statuses) {
    const code = (r.body as { code?: string }).code ?? '';
    const key = `${r.status}${code ? ` ${code}` : ''}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(byKey);
}

describe('many people, one slot', () => {
  it('50 concurrent bookings: exactly one succeeds, 49 hear "just taken"', async () => {
    const people = await patients(50);
    const setup = await createBookableSetup(t.ctx);
    const slotId = setup.slots[0].id;

    const results = await Promise.all(
      people.map((p) => p.client.post('/api/appointments', { slotId, personId: p.person.id })),
    );

    expect(tally(results)).toEqual({ '201': 1, '409 SLOT_TAKEN': 49 });
    // Every loser is told the doctor's other free times, never the taken one.
    const others = setup.slots.filter((s) => s.id !== slotId).map((s) => s.id);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ message: errorCatalogue.SLOT_TAKEN.message });
      const named = (r.body as { details?: { freeSlots: { id: number }[] } }).details?.freeSlots.map((f) => f.id);
      expect(named).toEqual(others);
    }
    expect(await countAppointments(t, { slotId })).toBe(1);
    const winner = results.findIndex((r) => r.status === 201);
    const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slotId));
    expect(rows[0]).toMatchObject({ personId: people[winner].person.id, status: 'booked', source: 'portal' });
    expect(await slotState(t, slotId)).toMatchObject({ status: 'booked' });
  });

  it('50 concurrent holds: exactly one holds, the rest hear "just taken"', async () => {
    const people = await patients(50);
    const setup = await createBookableSetup(t.ctx);
    const slotId = setup.slots[1].id;

    const results = await Promise.all(
      people.map((p) => p.client.post('/api/holds', { slotId, personId: p.person.id })),
    );

    expect(tally(results)).toEqual({ '200': 1, '409 SLOT_TAKEN': 49 });
    const winner = people[results.findIndex((r) => r.status === 200)];
    expect(await slotState(t, slotId)).toMatchObject({
      status: 'held',
      holdAccountId: winner.accountId,
      holdPersonId: winner.person.id,
      heldUntil: new Date('2026-11-25T09:10:00Z'),
    });

    // Holders and direct bookers racing: only the holder can book now.
    const booking = await Promise.all([
      winner.client.post('/api/appointments', { slotId, personId: winner.person.id }),
      ...people
        .filter((p) => p !== winner)
        .slice(0, 20)
        .map((p) => p.client.post('/api/appointments', { slotId, personId: p.person.id })),
    ]);
    expect(tally(booking)).toEqual({ '201': 1, '409 SLOT_TAKEN': 20 });
    expect(booking[0].status).toBe(201);
    expect(await countAppointments(t, { slotId })).toBe(1);
  });
});

describe('one person, several slots at once', () => {
  it('with a limit of one per specialty, racing two slots of the same specialty books exactly one', async () => {
    // Ten people, each firing both bookings at the same moment; each must end with one visit.
    const people = await patients(10);
    const setup = await createBookableSetup(t.ctx);
    const secondDoctor = await createDoctor(t.ctx, {
      organisationId: setup.organisation.id,
      specialtyId: setup.specialty.id,
    });
    const starts = Array.from({ length: 10 }, (_, i) =>
      zonedToInstant('2026-11-30', `${String(8 + i).padStart(2, '0')}:00`, ZONE),
    );
    const firstSlots = await createSlots(t.ctx, setup.doctor.id, starts);
    const secondSlots = await createSlots(
      t.ctx,
      secondDoctor.id,
      starts.map((s) => new Date(s.getTime() + 24 * 3_600_000)),
    );

    const results = await Promise.all(
      people.flatMap((p, i) => [
        p.client.post('/api/appointments', { slotId: firstSlots[i].id, personId: p.person.id }),
        p.client.post('/api/appointments', { slotId: secondSlots[i].id, personId: p.person.id }),
      ]),
    );

    expect(tally(results)).toEqual({ '201': 10, '409 SPECIALTY_LIMIT_REACHED': 10 });
    for (const p of people) expect(await countAppointments(t, { personId: p.person.id })).toBe(1);
    const booked = await t.ctx.db
      .select()
      .from(slots)
      .where(and(eq(slots.doctorId, secondDoctor.id), eq(slots.status, 'booked')));
    const bookedFirst = await t.ctx.db
      .select()
      .from(slots)
      .where(and(eq(slots.doctorId, setup.doctor.id), eq(slots.status, 'booked')));
    expect(booked.length + bookedFirst.length).toBe(10);
  });

  it('racing two specialists at the same time books exactly one (no overlap)', async () => {
    const [p] = await patients(1);
    const a = await createBookableSetup(t.ctx);
    const b = await createBookableSetup(t.ctx); // same local times, another specialty
    const results = await Promise.all([
      p.client.post('/api/appointments', { slotId: a.slots[4].id, personId: p.person.id }),
      p.client.post('/api/appointments', { slotId: b.slots[4].id, personId: p.person.id }),
    ]);
    expect(tally(results)).toEqual({ '201': 1, '409 OVERLAPPING_APPOINTMENT': 1 });
    expect(await countAppointments(t, { personId: p.person.id })).toBe(1);
  });

  it('one account firing holds on ten slots at once ends with exactly one hold', async () => {
    const [p] = await patients(1);
    const setup = await createBookableSetup(t.ctx);
    const starts = Array.from({ length: 10 }, (_, i) =>
      zonedToInstant('2026-12-01', `${String(8 + i).padStart(2, '0')}:00`, ZONE),
    );
    const many = await createSlots(t.ctx, setup.doctor.id, starts);
    const results = await Promise.all(
      many.map((s) => p.client.post('/api/holds', { slotId: s.id, personId: p.person.id })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const held = await t.ctx.db
      .select()
      .from(slots)
      .where(and(eq(slots.holdAccountId, p.accountId), eq(slots.status, 'held')));
    expect(held).toHaveLength(1);
  });
});
