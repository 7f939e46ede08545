// Offers survive a restart on real PostgreSQL (SPEC section 4): offers are made, the server
// stops, their deadlines pass while it is down, a new server starts on the same database
// and its worker expires each offer right after start, moving each slot on exactly once and
// announcing each event once — with two worker processes racing for the same rows.
// The clock starts at 2026-11-25 10:00 UTC = 14:00 in Europe/Samara (UTC+4).
import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, outbox, slots, waitlistOffers } from '../../src/server/db/schema.js';
import { processWaitlist } from '../../src/server/modules/waitlist/waitlist.worker.js';
import { startWorker } from '../../src/server/worker.js';
import { createSlots, holdSlotRow } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { busyDoctor, entryRow, freeSlot, join, offersOf } from '../int/waitlist.helpers.js';

const START = '2026-11-25T10:00:00Z';
// A day later, after the offers' deadlines (10:00 UTC on the 26th), well before the slots'
// cut-off (18:00 Samara on the 27th = 14:00 UTC) so that each slot can move on.
const AFTER_RESTART = '2026-11-26T10:30:00Z';

let first: TestContext;
const others: TestContext[] = [];

beforeAll(async () => {
  first = await createTestContext({ postgres: true, now: START, keepDatabase: true });
  expect(first.database.kind).toBe('postgres');
});
afterAll(async () => {
  for (const c of others) await c.close();
  await first.dropDatabase();
});

async function restart(now: string): Promise<TestContext> {
  const next = await createTestContext({ databaseUrl: first.databaseUrl!, now });
  others.push(next);
  expect(next.database.kind).toBe('postgres');
  return next;
}

describe('offers across a restart', () => {
  it('expires each offer whose deadline passed while the server was down, once, and moves its slot on once', async () => {
    const t = first;
    // Three people in line for a busy doctor; two slots on Saturday the 28th are freed.
    const busy = await busyDoctor(t);
    const people = [];
    const entries = [];
    for (let i = 0; i < 3; i++) {
      const p = await createPatient(t);
      people.push(p);
      entries.push(await join(p.client, p.person.id, busy.setup.doctor.id));
      t.clock.advance(60_000);
    }
    t.clock.set(START);
    const freed = [busy.setup.slots[4], busy.setup.slots[5]];
    for (const slot of freed) await freeSlot(busy, slot.id);
    // The first in line holds an offer; being offered a visit to this specialty, the person
    // gets no second one: the next slot goes to the second in line.
    const [o1] = await offersOf(t, entries[0].id);
    const [o2] = await offersOf(t, entries[1].id);
    expect(o1).toMatchObject({ slotId: freed[0].id, status: 'pending', deadline: new Date('2026-11-26T10:00:00Z') });
    expect(o2).toMatchObject({ slotId: freed[1].id, status: 'pending', deadline: new Date('2026-11-26T10:00:00Z') });
    expect(await entryRow(t, entries[2].id)).toMatchObject({ status: 'waiting' });

    // Elsewhere (another specialty), a booking hold that will lapse while the server is down, and one person in that line.
    const other = await busyDoctor(t);
    const [extra] = await createSlots(t.ctx, other.setup.doctor.id, [new Date('2026-11-29T06:00:00Z')]);
    const holder = await createPatient(t);
    await holdSlotRow(t.ctx, extra.id, {
      personId: holder.person.id,
      accountId: holder.account.id,
      heldUntil: new Date('2026-11-25T10:10:00Z'),
    });
    const waiting = await createPatient(t);
    const elsewhere = await join(waiting.client, waiting.person.id, other.setup.doctor.id);

    // The server stops; the database stays.
    await t.app.close();
    await t.close();

    // The deadlines pass while it is down. Two processes start on the same database; both run the worker step at once.
    const a = await restart(AFTER_RESTART);
    const b = await restart(AFTER_RESTART);
    const [ra, rb] = await Promise.all([processWaitlist(a.ctx), processWaitlist(b.ctx)]);
    expect(ra.expired + rb.expired).toBe(2);
    expect(ra.holdsLapsed + rb.holdsLapsed).toBe(1);

    const db = a.ctx.db;
    const byId = async (id: string) => (await db.select().from(waitlistOffers).where(eq(waitlistOffers.id, id)))[0];
    expect(await byId(o1.id)).toMatchObject({ status: 'expired' });
    expect(await byId(o2.id)).toMatchObject({ status: 'expired' });
    // Each freed slot (and the lapsed hold) now has exactly one pending offer, to someone who did not have it.
    for (const slot of freed) {
      const offers = await db.select().from(waitlistOffers).where(eq(waitlistOffers.slotId, slot.id));
      const pending = offers.filter((o) => o.status === 'pending');
      expect(pending, `slot ${slot.id}`).toHaveLength(1);
      expect(new Set(offers.map((o) => o.entryId)).size).toBe(offers.length);
      const [row] = await db.select().from(slots).where(eq(slots.id, slot.id));
      expect(row).toMatchObject({ status: 'held', holdOfferId: pending[0].id, holdAccountId: null });
      // The new deadline: the cut-off (14:00 UTC on the 27th) is further away than 24 hours.
      expect(pending[0].deadline).toEqual(new Date('2026-11-27T10:30:00Z'));
    }
    // The lapsed hold went to its line's waiting person, once.
    expect(await offersOf(a, elsewhere.id)).toMatchObject([{ slotId: extra.id, status: 'pending' }]);
    const allOffers = await db
      .select()
      .from(waitlistOffers)
      .where(
        inArray(
          waitlistOffers.entryId,
          entries.map((e) => e.id),
        ),
      );
    // Two slots, three people: each slot with one of the others; the one left waits.
    expect(allOffers.filter((o) => o.status === 'pending')).toHaveLength(2);
    expect(
      entries.map((e) => e.id).filter((id) => !allOffers.some((o) => o.entryId === id && o.status === 'pending')),
    ).toHaveLength(1);
    expect(allOffers.filter((o) => o.status === 'expired')).toHaveLength(2);

    // Each event announced once: one "expired" per expired offer, one offer notification per offer (and one e-mail each).
    const expiredNotes = await db.select().from(notifications).where(like(notifications.dedupKey, 'offer_expired:%'));
    expect(expiredNotes.map((n) => n.dedupKey).sort()).toEqual(
      [`offer_expired:${o1.id}`, `offer_expired:${o2.id}`].sort(),
    );
    const offerKeys = allOffers.map((o) => `waitlist_offer:${o.id}`);
    const offerNotes = await db.select().from(notifications).where(inArray(notifications.dedupKey, offerKeys));
    expect(offerNotes).toHaveLength(allOffers.length);
    const offerMails = await db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.kind, 'waitlist_offer'),
          inArray(
            outbox.dedupKey,
            offerKeys.map((k) => `email:${k}`),
          ),
        ),
      );
    expect(offerMails).toHaveLength(allOffers.length);

    // Running the step again, in both processes, changes nothing.
    const countNotes = async () => db.$count(notifications);
    const before = await countNotes();
    const again = await Promise.all([processWaitlist(a.ctx), processWaitlist(b.ctx)]);
    expect(again).toEqual([
      { expired: 0, reminded: 0, holdsLapsed: 0 },
      { expired: 0, reminded: 0, holdsLapsed: 0 },
    ]);
    expect(await countNotes()).toBe(before);
  });

  it('expires an overdue offer right after the worker starts', async () => {
    const t = others[0];
    // A new offer on a fresh busy doctor, made now; then the server is "down" until after its deadline.
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    const entry = await join(p.client, p.person.id, busy.setup.doctor.id);
    await freeSlot(busy, busy.setup.slots[5].id);
    const [offer] = await offersOf(t, entry.id);
    expect(offer).toMatchObject({ status: 'pending' });
    await t.app.close();

    const next = await restart(new Date(offer.deadline.getTime() + 60_000).toISOString());
    const logged: string[] = [];
    const log = {
      info: (_o: object, msg: string) => void logged.push(msg),
      error: (_o: object, msg: string) => void logged.push(`error: ${msg}`),
      warn: (_o: object, msg: string) => void logged.push(`warn: ${msg}`),
    };
    const worker = startWorker(next.ctx, { send: async () => undefined, close: () => undefined }, log);
    try {
      const deadline = Date.now() + 10_000;
      let status = offer.status;
      while (status === 'pending' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await next.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offer.id)))[0].status;
      }
      expect(status).toBe('expired');
    } finally {
      await worker.stop();
    }
    expect(logged).toContain('waitlist offers processed');
    expect(logged.filter((m) => m.startsWith('error: waitlist'))).toEqual([]);
    expect(await entryRow(next, entry.id)).toMatchObject({ status: 'waiting', offersMade: 1 });
  });
});
