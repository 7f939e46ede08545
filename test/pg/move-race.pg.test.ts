// Moving a visit under concurrency, on real PostgreSQL (always, whatever
// PRIYOM_TEST_DATABASE_URL says: PGlite has one session and cannot race). Requests go
// through app.inject at the same time, each transaction on its own pooled connection.
// - two tabs moving one visit at once (to two times, or to the same time): one wins, the
//   other hears VISIT_ALREADY_MOVED; one new visit, the old one cancelled once;
// - a move racing another patient's booking of the target time: one of them has it, the
//   other hears SLOT_TAKEN, and a lost move leaves the old visit exactly as it was.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, notifications } from '../../src/server/db/schema.js';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { countAppointments, slotState } from '../int/booking.helpers.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

type Patient = Awaited<ReturnType<typeof createPatient>>;

function tally(results: { status: number; body: unknown }[]) {
  const byKey = new Map<string, number>();
  for (const r of results) {
    const code = (r.body as { code?: string }).code ?? '';
    const key = `${r.status}${code ? ` ${code}` : ''}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(byKey);
}

/** A patient with a portal booking in the setup's slots[2] (Friday 10:00 Samara). */
async function bookedPatient(setup: BookableSetup): Promise<Patient & { appointment: AppointmentDetail }> {
  const p = await createPatient(t);
  const res = await p.client.post<AppointmentDetail>('/api/appointments', {
    slotId: setup.slots[2].id,
    personId: p.person.id,
  });
  expect(res.status).toBe(201);
  return { ...p, appointment: res.body };
}

async function rowsOf(personId: string) {
  return t.ctx.db.select().from(appointments).where(eq(appointments.personId, personId));
}

async function movedNotices(accountId: string): Promise<number> {
  const rows = await t.ctx.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), eq(notifications.kind, 'booking_moved')));
  return rows.length;
}

const ROUNDS = 8;

describe('two tabs moving one visit at once', () => {
  it('to two different times: one moves, the other hears VISIT_ALREADY_MOVED', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const setup = await createBookableSetup(t.ctx);
      const p = await bookedPatient(setup);
      const targets = [setup.slots[3].id, setup.slots[4].id];
      const results = await Promise.all(
        targets.map((slotId) => p.client.post(`/api/appointments/${p.appointment.id}/move`, { slotId })),
      );
      expect(tally(results)).toEqual({ '200': 1, '409 VISIT_ALREADY_MOVED': 1 });
      const won = results.findIndex((r) => r.status === 200);

      const rows = await rowsOf(p.person.id);
      expect(rows).toHaveLength(2);
      const old = rows.find((r) => r.id === p.appointment.id);
      const moved = rows.find((r) => r.id !== p.appointment.id);
      expect(old).toMatchObject({ status: 'cancelled', cancelReason: 'moved', cancelledBy: 'patient' });
      expect(moved).toMatchObject({ status: 'booked', slotId: targets[won], movedFromId: p.appointment.id });
      expect(await slotState(t, targets[won])).toMatchObject({ status: 'booked' });
      expect(await slotState(t, targets[1 - won])).toMatchObject({ status: 'free' });
      expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'free' });
      expect(await movedNotices(p.account.id)).toBe(1);
    }
  });

  it('to the same time: one moves, the other hears VISIT_ALREADY_MOVED', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const setup = await createBookableSetup(t.ctx);
      const p = await bookedPatient(setup);
      const slotId = setup.slots[4].id;
      const results = await Promise.all(
        [0, 1].map(() => p.client.post(`/api/appointments/${p.appointment.id}/move`, { slotId })),
      );
      expect(tally(results)).toEqual({ '200': 1, '409 VISIT_ALREADY_MOVED': 1 });
      expect(await countAppointments(t, { slotId })).toBe(1);
      expect(await countAppointments(t, { personId: p.person.id })).toBe(2);
      expect(await movedNotices(p.account.id)).toBe(1);
    }
  });
});

describe('a move racing another patient’s booking of the target time', () => {
  it('one of them has the time; a lost move leaves the old visit as it was', async () => {
    for (let round = 0; round < ROUNDS * 2; round++) {
      const setup = await createBookableSetup(t.ctx);
      const mover = await bookedPatient(setup);
      const other = await createPatient(t);
      const target = setup.slots[4].id;
      const [moved, booked] = await Promise.all([
        mover.client.post(`/api/appointments/${mover.appointment.id}/move`, { slotId: target }),
        other.client.post('/api/appointments', { slotId: target, personId: other.person.id }),
      ]);
      // Exactly one wins; the loser is told the time was just taken.
      expect([moved.status, booked.status].sort()).toEqual(moved.status === 200 ? [200, 409] : [201, 409]);
      const loser = moved.status === 200 ? booked : moved;
      expect(loser.body).toMatchObject({ code: 'SLOT_TAKEN' });

      // The target has one active appointment, whoever holds it.
      const inTarget = await t.ctx.db
        .select()
        .from(appointments)
        .where(and(eq(appointments.slotId, target), eq(appointments.status, 'booked')));
      expect(inTarget).toHaveLength(1);
      expect(await slotState(t, target)).toMatchObject({ status: 'booked' });

      const rows = await rowsOf(mover.person.id);
      if (moved.status === 200) {
        expect(inTarget[0]).toMatchObject({ personId: mover.person.id, movedFromId: mover.appointment.id });
        expect(rows.find((r) => r.id === mover.appointment.id)).toMatchObject({
          status: 'cancelled',
          cancelReason: 'moved',
        });
        expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'free' });
        expect(await countAppointments(t, { personId: other.person.id })).toBe(0);
      } else {
        // Nothing half-done: the old visit still booked in its time, no new visit, no notice.
        expect(inTarget[0]).toMatchObject({ personId: other.person.id });
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ id: mover.appointment.id, status: 'booked', cancelReason: null });
        expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'booked' });
        expect(await movedNotices(mover.account.id)).toBe(0);
      }
    }
  });
});
