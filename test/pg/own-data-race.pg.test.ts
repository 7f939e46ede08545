// Own data under concurrency, on real PostgreSQL (always: PGlite has one session and cannot
// race). Deleting an account, or removing a person, at the same moment as a booking for that
// person: both lock the person's row, so one of them goes first and the other sees it — never
// an erased person with a visit booked ahead, never a booking lost without an answer.
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, appointments, persons } from '../../src/server/db/schema.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

const START = '2026-11-25T09:00:00Z';
const ROUNDS = 6;

let t: TestContext;
let setup: BookableSetup;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
  setup = await createBookableSetup(t.ctx);
});
afterAll(async () => t.close());

async function futureBooked(personId: string) {
  return t.ctx.db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.personId, personId),
        eq(appointments.status, 'booked'),
        gt(appointments.startAt, t.ctx.now()),
      ),
    );
}

async function freeSlotOfRound(i: number): Promise<number> {
  // Each round its own time, so rounds never meet on a slot.
  return setup.slots[i % setup.slots.length].id;
}

describe('deleting an account while a booking for its holder arrives', () => {
  it('one goes first: erased without a future visit, or booked with the account kept', async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < ROUNDS; i++) {
      const p = await createPatient(t);
      const slotId = await freeSlotOfRound(i);
      const [del, book] = await Promise.all([
        p.client.post<{ code?: string }>('/api/account/delete', { password: p.account.password }),
        p.client.post<{ id?: string; code?: string }>('/api/appointments', { slotId, personId: p.person.id }),
      ]);
      const key = `delete ${del.status}${del.body.code ? ` ${del.body.code}` : ''} / book ${book.status}${book.body.code ? ` ${book.body.code}` : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      const [account] = await t.ctx.db.select().from(accounts).where(eq(accounts.id, p.account.id));
      const [person] = await t.ctx.db.select().from(persons).where(eq(persons.id, p.person.id));
      const booked = await futureBooked(p.person.id);
      if (del.status === 200) {
        // Erased: no visit ahead, the booking was refused.
        expect(account.erasedAt).not.toBeNull();
        expect(person.erasedAt).not.toBeNull();
        expect(booked).toEqual([]);
        expect(book.status).toBeGreaterThanOrEqual(400);
      } else {
        // The booking went first: the account stays, with its visit.
        expect(del.status).toBe(409);
        expect(del.body.code).toBe('ACCOUNT_HAS_FUTURE_VISITS');
        expect(book.status).toBe(201);
        expect(account.erasedAt).toBeNull();
        expect(booked.map((a) => a.id)).toEqual([book.body.id]);
        // Free the time for the next rounds.
        expect((await p.client.post(`/api/appointments/${book.body.id}/cancel`)).status).toBe(200);
      }
    }
    // Every answer is one of the two outcomes above.
    for (const key of outcomes.keys()) {
      expect(key).toMatch(
        /^delete 200 \/ book (401|404 PERSON_NOT_FOUND|409 PERSON_REJECTED)|^delete 409 ACCOUNT_HAS_FUTURE_VISITS \/ book 201$/,
      );
    }
  });
});

describe('removing a person while a booking for them arrives', () => {
  it('one goes first: removed without a future visit, or booked and kept', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const p = await createPatient(t);
      const child = await createPerson(t.ctx, p.account.id, { birthDate: '2015-02-03' });
      const slotId = await freeSlotOfRound(i + 1);
      const [removed, book] = await Promise.all([
        p.client.post<{ code?: string }>(`/api/persons/${child.id}/remove`),
        p.client.post<{ id?: string; code?: string }>('/api/appointments', { slotId, personId: child.id }),
      ]);
      const [row] = await t.ctx.db.select().from(persons).where(eq(persons.id, child.id));
      const booked = await futureBooked(child.id);
      if (removed.status === 200) {
        expect(row.erasedAt).not.toBeNull();
        expect(booked).toEqual([]);
        expect([404, 409]).toContain(book.status);
      } else {
        expect(removed.status).toBe(409);
        expect(removed.body.code).toBe('PERSON_HAS_FUTURE_VISITS');
        expect(book.status).toBe(201);
        expect(row.erasedAt).toBeNull();
        expect(booked.map((a) => a.id)).toEqual([book.body.id]);
        expect((await p.client.post(`/api/appointments/${book.body.id}/cancel`)).status).toBe(200);
      }
    }
  });
});
