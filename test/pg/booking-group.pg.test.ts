// Bookings that arrive together go in one transaction (booking.group.ts), on real PostgreSQL.
// Each booking must be decided exactly as it would be alone: its own refusal, its own
// appointment, notification and e-mail; a database refusal reaches only the booking it
// belongs to; groups in two server processes never deadlock. DATABASE_POOL_SIZE 1: while one
// booking's transaction runs, every other one waits for the next group.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { pipelinedTransaction } from '../../src/server/db/pipelined.js';
import {
  appointments,
  notificationPreferences,
  notifications,
  outbox,
  pushOutbox,
  pushSubscriptions,
  regionSettings,
  slots,
} from '../../src/server/db/schema.js';
import {
  bookingStatements,
  lockManyValues,
  writeManyValues,
  writtenIds,
  type BookingWrite,
  NOT_BY_A_CLINIC,
} from '../../src/server/modules/booking/fast/statements.js';
import { bookingPaths } from '../../src/server/modules/booking/booking.service.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createSlots,
  type BookableSetup,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, type PersonRow, uniqueSnils } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from '../int/booking.helpers.js';

const START = '2026-11-25T09:00:00Z';
const POOL = { DATABASE_POOL_SIZE: '1' };
const POOL_OF_THREE = { DATABASE_POOL_SIZE: '3' };

let t: TestContext;
let other: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START, env: POOL, keepDatabase: true });
  other = await createTestContext({ databaseUrl: t.databaseUrl!, now: START, env: POOL });
});
afterAll(async () => {
  await other?.close();
  await t?.close();
  await t?.dropDatabase();
});

interface Patient {
  accountId: string;
  person: PersonRow;
  client: TestClient;
}

async function patients(
  n: number,
  on: TestContext = t,
  person: Parameters<typeof createPerson>[2] = {},
): Promise<Patient[]> {
  const out: Patient[] = [];
  for (let i = 0; i < n; i++) {
    const account = await createAccount(on.ctx);
    const p = await createPerson(on.ctx, account.id, { isMain: true, ...person });
    out.push({ accountId: account.id, person: p, client: await sessionClient(on, account.id) });
  }
  return out;
}

async function setups(n: number): Promise<BookableSetup[]> {
  const out: BookableSetup[] = [];
  for (let i = 0; i < n; i++) out.push(await createBookableSetup(t.ctx));
  return out;
}

function book(p: Patient, slotId: number, personId = p.person.id) {
  return p.client.post('/api/appointments', { slotId, personId });
}

async function bookedOn(slotIds: number[]) {
  return t.ctx.db
    .select({
      id: appointments.id,
      slotId: appointments.slotId,
      personId: appointments.personId,
      reference: appointments.reference,
    })
    .from(appointments)
    .where(and(inArray(appointments.slotId, slotIds), eq(appointments.status, 'booked')));
}

async function deadlocks(): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    t.ctx.db,
    sql`select deadlocks as n from pg_stat_database where datname = current_database()`,
  );
  return Number(rows[0].n);
}

describe('bookings that arrive together', () => {
  beforeAll(async () => {
    // A first booking in each process reads the region settings into its cache.
    for (const on of [t, other]) {
      const [p] = await patients(1, on);
      const setup = await createBookableSetup(on.ctx);
      expect((await book(p, setup.slots[0].id)).status).toBe(201);
    }
  });

  it('are written in groups, each with its own appointment, notification and e-mail, and refusals reach only their own', async () => {
    const doctors = await setups(3);
    const slots = doctors.flatMap((d) => d.slots);
    const people = await patients(slots.length - 2);
    const [stranger] = await patients(1);
    const [pending] = await patients(1, t, { status: 'pending' });
    // One slot is booked already, by someone at the desk.
    const [desk] = await patients(1);
    const takenSlot = slots[slots.length - 1];
    await createAppointmentRow(t.ctx, takenSlot, desk.person.id, { source: 'registry' });
    const before = { ...bookingPaths };

    const [booked, taken, notMine, unknownSlot, notConfirmed] = await Promise.all([
      Promise.all(people.map((p, i) => book(p, slots[i].id))),
      book(stranger, takenSlot.id),
      book(stranger, slots[slots.length - 2].id, people[0].person.id),
      book(stranger, 987_654_321),
      book(pending, slots[slots.length - 2].id),
    ]);

    expect(booked.map((r) => r.status)).toEqual(people.map(() => 201));
    expect(taken).toMatchObject({ status: 409, body: { code: 'SLOT_TAKEN' } });
    expect(notMine).toMatchObject({ status: 404, body: { code: 'PERSON_NOT_FOUND' } });
    expect(unknownSlot).toMatchObject({ status: 404, body: { code: 'SLOT_NOT_FOUND' } });
    expect(notConfirmed).toMatchObject({ status: 409, body: { code: 'PERSON_NOT_CONFIRMED' } });
    // They did go in groups (the pool has one connection), not one by one.
    expect(bookingPaths.groups).toBeGreaterThan(before.groups);
    expect(bookingPaths.grouped - before.grouped).toBeGreaterThanOrEqual(people.length / 2);

    const rows = await bookedOn(slots.map((s) => s.id));
    expect(rows).toHaveLength(people.length + 1);
    booked.forEach((r, i) => {
      const body = r.body as { id: string; reference: string; personId: string; startAt: string };
      expect(body).toMatchObject({ personId: people[i].person.id, startAt: slots[i].startAt.toISOString() });
      expect(rows.find((a) => a.id === body.id)).toEqual({
        id: body.id,
        slotId: slots[i].id,
        personId: people[i].person.id,
        reference: body.reference,
      });
    });
    // Each booking notified its own account: one notification, one e-mail to its address.
    const ids = booked.map((r) => (r.body as { id: string }).id);
    const notes = await t.ctx.db
      .select({ accountId: notifications.accountId, dedupKey: notifications.dedupKey })
      .from(notifications);
    const mails = await t.ctx.db
      .select({ accountId: outbox.accountId, dedupKey: outbox.dedupKey, text: outbox.textBody })
      .from(outbox);
    booked.forEach((_, i) => {
      expect(notes.filter((n) => n.dedupKey === `booking_made:${ids[i]}`)).toEqual([
        { accountId: people[i].accountId, dedupKey: `booking_made:${ids[i]}` },
      ]);
      const mail = mails.filter((m) => m.dedupKey === `email:booking_made:${ids[i]}`);
      expect(mail).toHaveLength(1);
      expect(mail[0].accountId).toBe(people[i].accountId);
      expect(mail[0].text).toContain((booked[i].body as { reference: string }).reference);
    });
    // Nothing was written for the refused ones.
    expect(notes.filter((n) => [stranger.accountId, pending.accountId].includes(n.accountId))).toEqual([]);
  });

  it('never put one person in a group twice: with a limit of one per specialty, two bookings at once make one', async () => {
    const [doctor] = await setups(1);
    const crowd = await setups(2);
    const [twice] = await patients(1);
    const others = await patients(8);
    const crowdSlots = crowd.flatMap((d) => d.slots);
    const results = await Promise.all([
      book(twice, doctor.slots[0].id),
      ...others.map((p, i) => book(p, crowdSlots[i].id)),
      book(twice, doctor.slots[3].id),
    ]);
    const mine = [results[0], results[results.length - 1]];
    expect(mine.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(mine.find((r) => r.status === 409)?.body).toMatchObject({ code: 'SPECIALTY_LIMIT_REACHED' });
    expect(results.slice(1, -1).map((r) => r.status)).toEqual(others.map(() => 201));
    const rows = await bookedOn(doctor.slots.map((s) => s.id));
    expect(rows.map((r) => r.personId)).toEqual([twice.person.id]);
  });

  it('a database refusal in a group (one real person in two card files, at the same time) reaches only that booking', async () => {
    const [a, b] = await setups(2);
    const snils = uniqueSnils();
    const [first] = await patients(1, t, { snils });
    const [second] = await patients(1, t, { snils });
    const others = await patients(6);
    const crowd = [...a.slots.slice(1), ...b.slots.slice(1)];
    const before = { ...bookingPaths };
    // a.slots[0] and b.slots[0] are at the same time at two doctors.
    expect(a.slots[0].startAt).toEqual(b.slots[0].startAt);
    const results = await Promise.all([
      book(others[0], crowd[0].id),
      book(first, a.slots[0].id),
      ...others.slice(1).map((p, i) => book(p, crowd[i + 1].id)),
      book(second, b.slots[0].id),
    ]);
    const pair = [results[1], results[results.length - 1]];
    expect(pair.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(pair.find((r) => r.status === 409)?.body).toMatchObject({ code: 'OVERLAPPING_APPOINTMENT' });
    const rest = results.filter((r) => !pair.includes(r));
    expect(rest.map((r) => r.status)).toEqual(others.map(() => 201));
    // The group the clash was in rolled back and its bookings were made again, alone.
    expect(bookingPaths.ordinary).toBeGreaterThan(before.ordinary);
    const rows = await bookedOn([a.slots[0].id, b.slots[0].id, ...crowd.map((s) => s.id)]);
    expect(rows).toHaveLength(others.length + 1);
  });

  it('groups in two server processes, booking the same doctors in opposite orders, never wait for each other in a circle', async () => {
    // Four doctors with 32 slots each: slots k and k + 16 of a doctor bump the same schedule
    // version row (doctor, slot id % 16), which each write holds until its commit.
    const doctors = await setups(4);
    const slotsOf: SlotRow[][] = [];
    for (const d of doctors) {
      const more = Array.from(
        { length: 26 },
        (_, i) => new Date(d.slots[5].startAt.getTime() + ((i + 1) * 86_400_000) / 8),
      );
      slotsOf.push([...d.slots, ...(await createSlots(t.ctx, d.doctor.id, more))].sort((x, y) => x.id - y.id));
    }
    const here = await patients(12);
    const there = await patients(12, other);
    const deadlocksBefore = await deadlocks();
    // Here slots 0-2 of doctors 1, 2, 3, 4; there slots 16-18 of doctors 4, 3, 2, 1.
    const forward = slotsOf.flatMap((s) => s.slice(0, 3));
    const backward = [...slotsOf].reverse().flatMap((s) => s.slice(16, 19));
    const results = await Promise.all([
      ...here.map((p, i) => book(p, forward[i].id)),
      ...there.map((p, i) => book(p, backward[i].id)),
    ]);
    expect(results.map((r) => r.status)).toEqual([...here, ...there].map(() => 201));
    expect(await deadlocks()).toBe(deadlocksBefore);
    expect(await bookedOn([...forward, ...backward].map((s) => s.id))).toHaveLength(24);
  });

  it("a person locked for long by another transaction delays only that person's booking, not the group it came in", async () => {
    // A process with three connections per pool: one may wait for the lock while the rest book.
    const three = await createTestContext({ databaseUrl: t.databaseUrl!, now: START, env: POOL_OF_THREE });
    const [warm] = await patients(1, three);
    expect((await book(warm, (await createBookableSetup(three.ctx)).slots[0].id)).status).toBe(201);
    const doctors = await setups(8);
    const slots = doctors.flatMap((d) => d.slots);
    const [stuck] = await patients(1, three);
    const early = await patients(20, three);
    const late = await patients(20, three);
    // Someone else's transaction holds the person's row (a moderator's edit left open, say).
    const holder = new pg.Client({ connectionString: t.databaseUrl! });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from persons where id = $1 for update', [stuck.person.id]);
      const earlyBooked = early.map((p, i) => book(p, slots[i].id));
      await new Promise((r) => setImmediate(r));
      let stuckDone = false;
      const stuckBooked = book(stuck, slots[47].id).finally(() => {
        stuckDone = true;
      });
      const lateBooked = late.map((p, i) => book(p, slots[20 + i].id));
      const others = await Promise.all([...earlyBooked, ...lateBooked]);
      expect(others.map((r) => r.status)).toEqual([...early, ...late].map(() => 201));
      expect(stuckDone).toBe(false);
      await holder.query('rollback');
      expect((await stuckBooked).status).toBe(201);
    } finally {
      await holder.end();
      await three.close();
    }
  });

  it('answer from the ordinary transaction when the process does not hold the settings read under the lock', async () => {
    const doctors = await setups(2);
    const people = await patients(6);
    const slots = doctors.flatMap((d) => d.slots);
    // Another process changed the region settings: this one's cached version is out of date.
    await t.ctx.db.update(regionSettings).set({ maxPerSpecialty: 2, version: sql`${regionSettings.version} + 1` });
    const before = { ...bookingPaths };
    const results = await Promise.all(people.map((p, i) => book(p, slots[i].id)));
    expect(results.map((r) => r.status)).toEqual(people.map(() => 201));
    expect(bookingPaths.ordinary).toBeGreaterThan(before.ordinary);
    expect(await bookedOn(slots.map((s) => s.id))).toHaveLength(6);
    await t.ctx.db.update(regionSettings).set({ maxPerSpecialty: 1, version: sql`${regionSettings.version} + 1` });
  });
});

describe("a group's write (booking_write_many)", () => {
  it('writes every booking whose person is as it was read, leaves out one whose appointments changed, and records each event by its account', async () => {
    const doctors = await setups(3);
    const [withPush, stale, noEmail] = await patients(3);
    const [subscription] = await t.ctx.db
      .insert(pushSubscriptions)
      .values({
        accountId: withPush.accountId,
        endpoint: `https://push.example.test/${withPush.accountId}`,
        p256dh: 'k',
        auth: 'a',
      })
      .returning({ id: pushSubscriptions.id });
    await t.ctx.db.insert(notificationPreferences).values({ accountId: noEmail.accountId, email: false, push: true });
    // noEmail has a visit already, and its write says so; stale's write saw one it no longer has.
    const earlier = await createAppointmentRow(t.ctx, doctors[2].slots[5], noEmail.person.id, { source: 'registry' });
    const at = new Date(START);
    const write = (p: Patient, slot: SlotRow, seen: string[]): BookingWrite => ({
      appointmentId: randomUUID(),
      reference: `ПР-T${slot.id}`,
      slotId: slot.id,
      personId: p.person.id,
      doctorId: slot.doctorId,
      startAt: slot.startAt,
      endAt: slot.endAt,
      source: 'portal',
      bookedByAccountId: p.accountId,
      ...NOT_BY_A_CLINIC,
      createdAt: at,
      seenActiveIds: seen,
      event: {
        accountId: p.accountId,
        kind: 'booking_made',
        dedupKey: `test_group_write:${slot.id}`,
        title: 'Вы записаны',
        body: `Приём ${slot.id}`,
        link: null,
        email: {
          dedupKey: `email:test_group_write:${slot.id}`,
          subject: 'Вы записаны',
          text: 'Текст письма',
          html: '<p>Текст письма</p>',
        },
        push: {
          dedupPrefix: `push:test_group_write:${slot.id}`,
          payload: { title: 'Вы записаны', body: 'Приём', url: '/appointments' },
        },
      },
    });
    const writes = [
      write(withPush, doctors[0].slots[0], []),
      write(stale, doctors[1].slots[0], [randomUUID()]),
      write(noEmail, doctors[2].slots[0], [earlier.id]),
    ];
    const written = await pipelinedTransaction(t.ctx.db, async (tx) => {
      await tx.begin(
        bookingStatements.lockMany,
        lockManyValues(
          writes.map((w) => ({ accountId: w.bookedByAccountId!, personId: w.personId, slotId: w.slotId })),
          at,
        ),
      );
      return writtenIds(await tx.commitWith(bookingStatements.writeMany, writeManyValues(writes)));
    });

    expect([...written].sort()).toEqual([writes[0].appointmentId, writes[2].appointmentId].sort());
    const rows = await bookedOn(writes.map((w) => w.slotId));
    expect(rows.map((r) => r.id).sort()).toEqual([writes[0].appointmentId, writes[2].appointmentId].sort());
    const slotStatus = await t.ctx.db
      .select({ id: slots.id, status: slots.status })
      .from(slots)
      .where(
        inArray(
          slots.id,
          writes.map((w) => w.slotId),
        ),
      );
    expect(Object.fromEntries(slotStatus.map((s) => [s.id, s.status]))).toEqual({
      [writes[0].slotId]: 'booked',
      [writes[1].slotId]: 'free',
      [writes[2].slotId]: 'booked',
    });
    const notes = await t.ctx.db
      .select({ accountId: notifications.accountId, dedupKey: notifications.dedupKey })
      .from(notifications)
      .where(like(notifications.dedupKey, 'test_group_write:%'));
    expect(notes.map((n) => n.accountId).sort()).toEqual([withPush.accountId, noEmail.accountId].sort());
    const mails = await t.ctx.db
      .select({ accountId: outbox.accountId, toAddress: outbox.toAddress, html: outbox.htmlBody })
      .from(outbox)
      .where(like(outbox.dedupKey, 'email:test_group_write:%'));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ accountId: withPush.accountId, html: '<p>Текст письма</p>' });
    const pushes = await t.ctx.db
      .select({ subscriptionId: pushOutbox.subscriptionId, dedupKey: pushOutbox.dedupKey, payload: pushOutbox.payload })
      .from(pushOutbox)
      .where(like(pushOutbox.dedupKey, 'push:test_group_write:%'));
    expect(pushes).toEqual([
      {
        subscriptionId: subscription.id,
        dedupKey: `push:test_group_write:${writes[0].slotId}:${subscription.id}`,
        payload: { title: 'Вы записаны', body: 'Приём', url: '/appointments' },
      },
    ]);
  });
});
