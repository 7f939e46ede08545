// Offers through HTTP and the worker: a freed slot goes to the oldest matching eligible
// entry and is held for it (nobody else can hold or book it); confirm books it; decline
// returns the entry to its place and moves the slot on; the third decline removes the
// person; an unanswered offer expires through the worker (with the clock moved), once; the
// "less than an hour" rule; lapsed booking holds and new template slots go to the waitlist
// first; someone else's offer is not found.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4). The busy
// doctor's slots are at 10:00 and 10:30 Samara (06:00 and 06:30 UTC) on the 26th, 27th, 28th.
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  AppointmentDetail,
  CardFilePerson,
  ScheduleResponse,
  WaitlistEntry,
  WaitlistOffer,
} from '../../src/shared/api/index.js';
import { appointments, waitlistEntries, waitlistOffers } from '../../src/server/db/schema.js';
import { expandTemplatesAhead } from '../../src/server/modules/schedule/schedule.service.js';
import { offerFreeSlotsToWaitlist } from '../../src/server/modules/waitlist/matching.service.js';
import { OFFER_ACTION, OFFER_SUBJECT, REMOVED_SUBJECT } from '../../src/server/modules/waitlist/waitlist.emails.js';
import { processWaitlist } from '../../src/server/modules/waitlist/waitlist.worker.js';
import {
  createBookableSetup,
  createDoctor,
  createSlots,
  createSpecialty,
  createTemplate,
  holdSlotRow,
} from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { slotState } from './booking.helpers.js';
import {
  busyDoctor,
  colleague,
  emailsOf,
  entryRow,
  fillSlots,
  freeSlot,
  join,
  notificationsOf,
  offersOf,
  offersOfSlot,
  pendingOfferOf,
  type BusyDoctor,
} from './waitlist.helpers.js';
import { expectError } from '../support/expect.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

type Patient = Awaited<ReturnType<typeof createPatient>>;

/** A busy doctor and `n` patients in its line, each joining a minute after the previous one; then the clock is at `at`. */
async function line(
  n: number,
  at = '2026-11-25T10:00:00Z',
): Promise<{ busy: BusyDoctor; people: Patient[]; entries: WaitlistEntry[] }> {
  const busy = await busyDoctor(t);
  const people: Patient[] = [];
  const entries: WaitlistEntry[] = [];
  for (let i = 0; i < n; i++) {
    const p = await createPatient(t, { person: { firstName: ['Анна', 'Борис', 'Вера', 'Глеб'][i] ?? 'Дарья' } });
    people.push(p);
    entries.push(await join(p.client, p.person.id, busy.setup.doctor.id));
    t.clock.advance(60_000);
  }
  t.clock.set(at);
  return { busy, people, entries };
}

async function cardFile(client: TestClient): Promise<CardFilePerson[]> {
  const res = await client.get<{ persons: CardFilePerson[] }>('/api/cardfile');
  expect(res.status).toBe(200);
  return res.body.persons;
}

describe('a freed slot goes to the waitlist first', () => {
  it('is offered to the oldest entry and held for it; nobody else can hold or book it', async () => {
    const { busy, people, entries } = await line(2);
    const [a, b] = people;
    const slot = busy.setup.slots[2]; // Friday 27th, 10:00 Samara
    await freeSlot(busy, slot.id);

    const offer = await pendingOfferOf(t, entries[0].id);
    // 24 hours from 10:00 UTC, earlier than the cut-off (18:00 Samara on the 26th = 14:00 UTC).
    expect(offer).toMatchObject({
      slotId: slot.id,
      status: 'pending',
      deadline: new Date('2026-11-26T10:00:00Z'),
      createdAt: new Date('2026-11-25T10:00:00Z'),
    });
    expect(await pendingOfferOf(t, entries[1].id)).toBeNull();
    expect(await entryRow(t, entries[0].id)).toMatchObject({ status: 'offered', offersMade: 1 });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'held',
      holdOfferId: offer!.id,
      holdPersonId: a.person.id,
      holdAccountId: null,
      heldUntil: slot.startAt,
    });

    const notes = await notificationsOf(t, a.account.id, 'waitlist_offer');
    expect(notes).toMatchObject([
      { dedupKey: `waitlist_offer:${offer!.id}`, link: `/offers/${offer!.id}`, title: OFFER_SUBJECT },
    ]);
    expect(notes[0].body).not.toContain(busy.setup.specialty.name);
    expect(notes[0].body).not.toContain(a.person.lastName);
    const [mail] = await emailsOf(t, a.account.id, 'waitlist_offer');
    expect(mail.subject).toBe('Для вас освободилось время приёма');
    expect(mail.textBody).toContain('Дата и время: пятница, 27 ноября 2026 г., 10:00 (местное время)');
    expect(mail.textBody).toContain('Врач: Петров Сергей Иванович');
    expect(mail.textBody).toContain(busy.setup.organisation.address);
    expect(mail.textBody).toContain('до четверга, 26 ноября 2026 г., 14:00 (местное время)');
    expect(mail.textBody).toContain(`${OFFER_ACTION}: http://portal.test/offers/${offer!.id}`);
    expect(mail.htmlBody).toContain(`href="http://portal.test/offers/${offer!.id}"`);
    expect(await notificationsOf(t, b.account.id, 'waitlist_offer')).toEqual([]);

    // Nobody can hold or book it: not a stranger, not the next in line, not even the person offered it (confirm instead).
    const stranger = await createPatient(t);
    for (const p of [stranger, b, a]) {
      expectError(await p.client.post('/api/holds', { slotId: slot.id, personId: p.person.id }), 409, 'SLOT_TAKEN');
      expectError(
        await p.client.post('/api/appointments', { slotId: slot.id, personId: p.person.id }),
        409,
        'SLOT_TAKEN',
      );
    }
    // It is busy on the schedule, and stays so while the offer is pending (the hold lasts until the visit).
    t.clock.advance(3 * 3_600_000);
    const schedule = await stranger.client.get<ScheduleResponse>(`/api/doctors/${busy.setup.doctor.id}/schedule`);
    expect(schedule.status).toBe(200);
    const shown = schedule.body.days.flatMap((d) => d.slots).find((s) => s.id === slot.id);
    expect(shown).toMatchObject({ state: 'busy' });
    expect(schedule.body.hasFreeInHorizon).toBe(false);
  });

  it('skips an entry whose person does not pass the booking rules for that slot (it keeps its place)', async () => {
    const { busy, people, entries } = await line(2);
    // The oldest person already has a visit to another specialist at that very time.
    const elsewhere = await createBookableSetup(t.ctx);
    const clash = elsewhere.slots[2]; // also Friday 27th, 10:00 Samara
    expect(
      (await people[0].client.post('/api/appointments', { slotId: clash.id, personId: people[0].person.id })).status,
    ).toBe(201);

    await freeSlot(busy, busy.setup.slots[2].id);
    expect(await pendingOfferOf(t, entries[0].id)).toBeNull();
    expect(await pendingOfferOf(t, entries[1].id)).toMatchObject({ slotId: busy.setup.slots[2].id });
    expect(await entryRow(t, entries[0].id)).toMatchObject({ status: 'waiting', offersMade: 0 });

    // The next freed time fits: the oldest entry gets it.
    await freeSlot(busy, busy.setup.slots[4].id);
    expect(await pendingOfferOf(t, entries[0].id)).toMatchObject({ slotId: busy.setup.slots[4].id });
  });

  it('gives a colleague’s freed time to an entry for the specialty, never to another doctor’s line', async () => {
    const busy = await busyDoctor(t);
    const other = await colleague(t, busy.setup, [new Date('2026-11-29T06:00:00Z')]);
    const otherFiller = await fillSlots(t, other.slots);
    const doctorOnly = await createPatient(t);
    const anyDoctor = await createPatient(t);
    const d = await join(doctorOnly.client, doctorOnly.person.id, busy.setup.doctor.id, 'doctor');
    t.clock.advance(60_000);
    const s = await join(anyDoctor.client, anyDoctor.person.id, busy.setup.doctor.id, 'specialty');
    await freeSlot({ filler: otherFiller }, other.slots[0].id);
    expect(await pendingOfferOf(t, d.id)).toBeNull();
    expect(await pendingOfferOf(t, s.id)).toMatchObject({ slotId: other.slots[0].id });
    const view = await anyDoctor.client.get<WaitlistOffer>(`/api/offers/${(await pendingOfferOf(t, s.id))!.id}`);
    expect(view.body.doctor).toMatchObject({ id: other.doctor.id, name: 'Сидорова Елена Павловна' });
  });

  it('skips the waitlist when less than an hour would be left to answer before the cut-off', async () => {
    const { busy, entries } = await line(2, '2026-11-25T13:00:00Z'); // 17:00 Samara
    // Thursday 26th 10:00 Samara: the cut-off is 18:00 Samara today (14:00 UTC), exactly an hour away.
    await freeSlot(busy, busy.setup.slots[0].id);
    expect(await pendingOfferOf(t, entries[0].id)).toMatchObject({
      slotId: busy.setup.slots[0].id,
      deadline: new Date('2026-11-25T14:00:00Z'),
    });
    // A second later the next freed slot (10:30, same cut-off) would leave 59:59: it becomes publicly free.
    t.clock.advance(1_000);
    await freeSlot(busy, busy.setup.slots[1].id);
    expect(await offersOfSlot(t, busy.setup.slots[1].id)).toEqual([]);
    expect(await entryRow(t, entries[1].id)).toMatchObject({ status: 'waiting', offersMade: 0 });
    expect(await slotState(t, busy.setup.slots[1].id)).toMatchObject({ status: 'free', holdOfferId: null });
    const someone = await createPatient(t);
    expect(
      (await someone.client.post('/api/appointments', { slotId: busy.setup.slots[1].id, personId: someone.person.id }))
        .status,
    ).toBe(201);
  });
});

describe('reading an offer', () => {
  it('shows the account its own offer; anyone else’s is not found', async () => {
    const { busy, people, entries } = await line(1);
    await freeSlot(busy, busy.setup.slots[2].id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    const res = await people[0].client.get<WaitlistOffer>(`/api/offers/${offer.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: offer.id,
      entryId: entries[0].id,
      status: 'pending',
      slotId: busy.setup.slots[2].id,
      startAt: '2026-11-27T06:00:00.000Z',
      endAt: '2026-11-27T06:30:00.000Z',
      localStart: '2026-11-27T10:00',
      timeZone: 'Europe/Samara',
      deadline: '2026-11-26T10:00:00.000Z',
      localDeadline: '2026-11-26T14:00',
      person: { id: people[0].person.id, name: 'Иванова Анна Петровна' },
      doctor: {
        id: busy.setup.doctor.id,
        name: 'Петров Сергей Иванович',
        specialty: busy.setup.specialty.name,
        room: busy.setup.doctor.room,
      },
      organisation: {
        id: busy.setup.organisation.id,
        name: busy.setup.organisation.name,
        address: busy.setup.organisation.address,
        phone: busy.setup.organisation.phone,
        timeZone: busy.setup.organisation.timeZone,
      },
      offersLeftAfter: 2,
    });

    const stranger = await createPatient(t);
    expectError(await stranger.client.get(`/api/offers/${offer.id}`), 404, 'OFFER_NOT_FOUND');
    expectError(await people[0].client.get('/api/offers/00000000-0000-4000-8000-000000000000'), 404, 'OFFER_NOT_FOUND');
    expectError(await t.client().get(`/api/offers/${offer.id}`), 401, 'NOT_AUTHENTICATED');
    const bad = await people[0].client.get('/api/offers/123');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('confirming an offer', () => {
  it('books the time: the card file shows the visit and no entry', async () => {
    const { busy, people, entries } = await line(2);
    const [a] = people;
    const slot = busy.setup.slots[2];
    await freeSlot(busy, slot.id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    t.clock.advance(5 * 60_000);

    const res = await a.client.post<AppointmentDetail>(`/api/offers/${offer.id}/confirm`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      personId: a.person.id,
      person: { id: a.person.id, name: 'Иванова Анна Петровна' },
      status: 'booked',
      source: 'portal',
      startAt: slot.startAt.toISOString(),
      localStart: '2026-11-27T10:00',
      doctor: { id: busy.setup.doctor.id },
      cancellable: true,
      cancelUntil: '2026-11-26T14:00:00.000Z',
    });
    expect(res.body.reference).toMatch(/^ПР-[2-9A-HJKMNP-Z]{8}$/);
    expect(res.body.whatToBring.length).toBeGreaterThan(0);

    const [appointment] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(appointment).toMatchObject({
      slotId: slot.id,
      personId: a.person.id,
      source: 'portal',
      bookedByAccountId: a.account.id,
      status: 'booked',
    });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'booked',
      holdOfferId: null,
      holdPersonId: null,
      heldUntil: null,
    });
    expect(await offersOf(t, entries[0].id)).toMatchObject([
      { status: 'accepted', respondedAt: new Date('2026-11-25T10:05:00Z') },
    ]);
    expect(await entryRow(t, entries[0].id)).toMatchObject({
      status: 'fulfilled',
      endReason: 'booked',
      endedAt: new Date('2026-11-25T10:05:00Z'),
    });
    expect(await notificationsOf(t, a.account.id, 'booking_made')).toMatchObject([
      { dedupKey: `booking_made:${res.body.id}` },
    ]);
    expect(await emailsOf(t, a.account.id, 'booking_made')).toHaveLength(1);

    const [person] = await cardFile(a.client);
    expect(person.futureVisits.map((v) => v.id)).toEqual([res.body.id]);
    expect(person.waitlist).toEqual([]);
    // The next in line keeps waiting.
    expect(await entryRow(t, entries[1].id)).toMatchObject({ status: 'waiting', offersMade: 0 });

    // Answered once: a second answer is refused and changes nothing.
    expectError(await a.client.post(`/api/offers/${offer.id}/confirm`), 409, 'OFFER_ANSWERED');
    expectError(await a.client.post(`/api/offers/${offer.id}/decline`), 409, 'OFFER_ANSWERED');
    expect(await appointmentsInSlot(slot.id)).toBe(1);

    // Cancelling that visit later offers the time to the waitlist again.
    expect((await a.client.post(`/api/appointments/${res.body.id}/cancel`)).status).toBe(200);
    expect(await pendingOfferOf(t, entries[1].id)).toMatchObject({ slotId: slot.id });
  });

  it('re-checks the booking rules: a visit booked meanwhile at the same time refuses, nothing changes', async () => {
    const { busy, people, entries } = await line(1);
    await freeSlot(busy, busy.setup.slots[2].id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    const elsewhere = await createBookableSetup(t.ctx);
    expect(
      (
        await people[0].client.post('/api/appointments', {
          slotId: elsewhere.slots[2].id,
          personId: people[0].person.id,
        })
      ).status,
    ).toBe(201);

    expectError(await people[0].client.post(`/api/offers/${offer.id}/confirm`), 409, 'OVERLAPPING_APPOINTMENT');
    expect(await pendingOfferOf(t, entries[0].id)).toMatchObject({ id: offer.id, status: 'pending' });
    expect(await slotState(t, busy.setup.slots[2].id)).toMatchObject({ status: 'held', holdOfferId: offer.id });
    expect(await appointmentsInSlot(busy.setup.slots[2].id)).toBe(0);
  });

  it('refuses after the deadline even before the worker has run', async () => {
    const { busy, people, entries } = await line(1);
    await freeSlot(busy, busy.setup.slots[2].id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    t.clock.set(offer.deadline);
    expectError(await people[0].client.post(`/api/offers/${offer.id}/confirm`), 409, 'OFFER_EXPIRED');
    expectError(await people[0].client.post(`/api/offers/${offer.id}/decline`), 409, 'OFFER_EXPIRED');
    expect(await pendingOfferOf(t, entries[0].id)).toMatchObject({ id: offer.id });
    expect(await entryRow(t, entries[0].id)).toMatchObject({ status: 'offered', offersMade: 1 });
  });

  it('refuses someone else’s offer as not found and an anonymous caller', async () => {
    const { busy, people, entries } = await line(1);
    await freeSlot(busy, busy.setup.slots[2].id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    const stranger = await createPatient(t);
    expectError(await stranger.client.post(`/api/offers/${offer.id}/confirm`), 404, 'OFFER_NOT_FOUND');
    expectError(await stranger.client.post(`/api/offers/${offer.id}/decline`), 404, 'OFFER_NOT_FOUND');
    const anonymous = t.client();
    await anonymous.ensureCsrf();
    expectError(await anonymous.post(`/api/offers/${offer.id}/confirm`), 401, 'NOT_AUTHENTICATED');
    expectError(await anonymous.post(`/api/offers/${offer.id}/decline`), 401, 'NOT_AUTHENTICATED');
    const bad = await people[0].client.post('/api/offers/nope/confirm');
    expect(bad.status).toBe(400);
    expect(await pendingOfferOf(t, entries[0].id)).toMatchObject({ id: offer.id, status: 'pending' });
    expect(await appointmentsInSlot(busy.setup.slots[2].id)).toBe(0);
  });
});

/** Active (booked) appointments in a slot. */
async function appointmentsInSlot(slotId: number): Promise<number> {
  return t.ctx.db.$count(appointments, and(eq(appointments.slotId, slotId), eq(appointments.status, 'booked')));
}

describe('declining an offer', () => {
  it('returns the entry to its original place; the slot goes to the next in line', async () => {
    const { busy, people, entries } = await line(2);
    const [a, b] = people;
    const slot = busy.setup.slots[2];
    await freeSlot(busy, slot.id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    const created = (await entryRow(t, entries[0].id)).createdAt;

    const res = await a.client.post(`/api/offers/${offer.id}/decline`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, removed: false, offersLeft: 2 });
    expect(await offersOf(t, entries[0].id)).toMatchObject([
      { id: offer.id, status: 'declined', respondedAt: new Date('2026-11-25T10:00:00Z') },
    ]);
    expect(await entryRow(t, entries[0].id)).toMatchObject({ status: 'waiting', offersMade: 1, createdAt: created });
    const next = (await pendingOfferOf(t, entries[1].id))!;
    expect(next).toMatchObject({ slotId: slot.id });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'held',
      holdOfferId: next.id,
      holdPersonId: b.person.id,
    });
    expect(await notificationsOf(t, b.account.id, 'waitlist_offer')).toHaveLength(1);

    // Still first in line: the next freed time is offered to this person again.
    const [mine] = (await cardFile(a.client))[0].waitlist;
    expect(mine).toMatchObject({ status: 'waiting', place: 1, offersLeft: 2, offer: null });
    await freeSlot(busy, busy.setup.slots[4].id);
    const again = (await pendingOfferOf(t, entries[0].id))!;
    expect(again).toMatchObject({ slotId: busy.setup.slots[4].id });
    const [offered] = (await cardFile(a.client))[0].waitlist;
    expect(offered).toMatchObject({
      status: 'offered',
      place: 1,
      offersLeft: 2,
      offer: { id: again.id, offersLeftAfter: 1 },
    });
  });

  it('removes the person after the third declined offer, and says so', async () => {
    const { busy, people, entries } = await line(1);
    const [a] = people;
    const answers: unknown[] = [];
    for (const slot of [busy.setup.slots[2], busy.setup.slots[3], busy.setup.slots[4]]) {
      await freeSlot(busy, slot.id);
      const offer = (await pendingOfferOf(t, entries[0].id))!;
      expect(offer.slotId).toBe(slot.id);
      const res = await a.client.post(`/api/offers/${offer.id}/decline`);
      expect(res.status).toBe(200);
      answers.push(res.body);
      t.clock.advance(60_000);
    }
    expect(answers).toEqual([
      { ok: true, removed: false, offersLeft: 2 },
      { ok: true, removed: false, offersLeft: 1 },
      { ok: true, removed: true, offersLeft: 0 },
    ]);
    expect(await entryRow(t, entries[0].id)).toMatchObject({
      status: 'removed',
      endReason: 'offers_exhausted',
      offersMade: 3,
    });
    const removed = await notificationsOf(t, a.account.id, 'waitlist_removed');
    expect(removed).toMatchObject([{ dedupKey: `waitlist_removed:${entries[0].id}` }]);
    const [mail] = await emailsOf(t, a.account.id, 'waitlist_removed');
    expect(mail.subject).toBe(REMOVED_SUBJECT);
    expect(mail.textBody).toContain('Вы отказались от последнего предложенного времени приёма.');
    expect((await cardFile(a.client))[0].waitlist).toEqual([]);
    // With nobody else in line the declined times are publicly free.
    for (const slot of [busy.setup.slots[2], busy.setup.slots[3], busy.setup.slots[4]]) {
      expect(await slotState(t, slot.id)).toMatchObject({ status: 'free', holdOfferId: null });
    }
    // A fourth freed slot is not offered to the removed entry.
    await freeSlot(busy, busy.setup.slots[5].id);
    expect(await offersOf(t, entries[0].id)).toHaveLength(3);
  });
});

describe('the worker', () => {
  // The worker sees every offer in the database: let it settle what earlier tests left
  // (far in the future every slot is past), so each test counts only its own.
  beforeEach(async () => {
    t.clock.set('2027-06-01T00:00:00Z');
    while (Object.values(await processWaitlist(t.ctx)).some((n) => n > 0)) {
      /* settle */
    }
    t.clock.set(START);
  });

  it('reminds once two hours before the deadline, then expires the offer: the slot moves on, exactly once', async () => {
    const { busy, people, entries } = await line(2);
    const [a, b] = people;
    const slot = busy.setup.slots[2];
    await freeSlot(busy, slot.id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    expect(offer.deadline).toEqual(new Date('2026-11-26T10:00:00Z'));

    t.clock.set('2026-11-26T07:59:59Z');
    expect(await processWaitlist(t.ctx)).toEqual({ expired: 0, reminded: 0, holdsLapsed: 0 });
    t.clock.set('2026-11-26T08:00:00Z');
    expect(await processWaitlist(t.ctx)).toEqual({ expired: 0, reminded: 1, holdsLapsed: 0 });
    t.clock.set('2026-11-26T09:00:00Z');
    expect(await processWaitlist(t.ctx)).toEqual({ expired: 0, reminded: 0, holdsLapsed: 0 });
    expect(await notificationsOf(t, a.account.id, 'offer_expiring')).toMatchObject([
      { dedupKey: `offer_expiring:${offer.id}`, link: `/offers/${offer.id}` },
    ]);
    expect(await emailsOf(t, a.account.id, 'offer_expiring')).toHaveLength(1);

    t.clock.set('2026-11-26T10:00:00Z');
    expect((await processWaitlist(t.ctx)).expired).toBe(1);
    expect(await offersOf(t, entries[0].id)).toMatchObject([{ id: offer.id, status: 'expired', respondedAt: null }]);
    expect(await entryRow(t, entries[0].id)).toMatchObject({ status: 'waiting', offersMade: 1 });
    expect(await notificationsOf(t, a.account.id, 'offer_expired')).toHaveLength(1);
    // The next in line gets it, with the time left before the cut-off (14:00 UTC).
    const next = (await pendingOfferOf(t, entries[1].id))!;
    expect(next).toMatchObject({ slotId: slot.id, deadline: new Date('2026-11-26T14:00:00Z') });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'held',
      holdOfferId: next.id,
      holdPersonId: b.person.id,
    });

    // Running again changes nothing and notifies nobody twice.
    const before = await notificationsOf(t, a.account.id);
    expect(await processWaitlist(t.ctx)).toEqual({ expired: 0, reminded: 0, holdsLapsed: 0 });
    expect(await notificationsOf(t, a.account.id)).toEqual(before);
    expect(await offersOfSlot(t, slot.id)).toHaveLength(2);
    expectError(await a.client.post(`/api/offers/${offer.id}/confirm`), 409, 'OFFER_EXPIRED');
    const view = await a.client.get<WaitlistOffer>(`/api/offers/${offer.id}`);
    expect(view.body).toMatchObject({ status: 'expired', offersLeftAfter: 2 });
  });

  it('removes the person when the last allowed offer expires', async () => {
    const { busy, people, entries } = await line(1);
    // Two offers were made and declined before (fast-forward).
    await t.ctx.db.update(waitlistEntries).set({ offersMade: 2 }).where(eq(waitlistEntries.id, entries[0].id));
    await freeSlot(busy, busy.setup.slots[2].id);
    const offer = (await pendingOfferOf(t, entries[0].id))!;
    t.clock.set(offer.deadline);
    expect((await processWaitlist(t.ctx)).expired).toBe(1);
    expect(await entryRow(t, entries[0].id)).toMatchObject({
      status: 'removed',
      endReason: 'offers_exhausted',
      offersMade: 3,
    });
    expect(await notificationsOf(t, people[0].account.id, 'offer_expired')).toEqual([]);
    const [removed] = await notificationsOf(t, people[0].account.id, 'waitlist_removed');
    expect(removed.body).toContain('Срок ответа на последнее предложенное время приёма истёк.');
    expect(await slotState(t, busy.setup.slots[2].id)).toMatchObject({ status: 'free', holdOfferId: null });
  });

  it('offers a slot whose booking hold lapsed to the waitlist first, else frees it', async () => {
    const busy = await busyDoctor(t);
    const [extra] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-11-29T06:00:00Z')]);
    const holder = await createPatient(t);
    await holdSlotRow(t.ctx, extra.id, {
      personId: holder.person.id,
      accountId: holder.account.id,
      heldUntil: new Date('2026-11-25T09:10:00Z'),
    });
    const a = await createPatient(t);
    const entry = await join(a.client, a.person.id, busy.setup.doctor.id); // the held slot is not free time

    const idle = await createBookableSetup(t.ctx);
    await holdSlotRow(t.ctx, idle.slots[0].id, {
      personId: holder.person.id,
      accountId: holder.account.id,
      heldUntil: new Date('2026-11-25T09:10:00Z'),
    });

    expect((await processWaitlist(t.ctx)).holdsLapsed).toBe(0); // still live
    t.clock.set('2026-11-25T09:10:00Z');
    expect((await processWaitlist(t.ctx)).holdsLapsed).toBe(2);
    const offer = (await pendingOfferOf(t, entry.id))!;
    expect(offer).toMatchObject({ slotId: extra.id });
    expect(await slotState(t, extra.id)).toMatchObject({
      status: 'held',
      holdOfferId: offer.id,
      holdAccountId: null,
      holdPersonId: a.person.id,
    });
    expect(await slotState(t, idle.slots[0].id)).toMatchObject({
      status: 'free',
      holdAccountId: null,
      heldUntil: null,
    });
    expect((await processWaitlist(t.ctx)).holdsLapsed).toBe(0);
  });

  it('offers slots published from templates to the waitlist, each to its oldest eligible entry', async () => {
    const setup = await createBookableSetup(t.ctx);
    const specialty = await createSpecialty(t.ctx);
    const doctor = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: specialty.id });
    const first = await createPatient(t);
    const second = await createPatient(t);
    const e1 = await join(first.client, first.person.id, doctor.id); // no slots at all: no free time
    t.clock.advance(60_000);
    const e2 = await join(second.client, second.person.id, doctor.id);
    // Fridays 10:00-11:00 Samara: the 27th of November and the 4th of December are inside the horizon.
    await createTemplate(t.ctx, {
      doctorId: doctor.id,
      weekday: 5,
      startTime: '10:00',
      endTime: '11:00',
      slotMinutes: 30,
    });
    expect(await expandTemplatesAhead(t.ctx, offerFreeSlotsToWaitlist)).toBe(4);
    const o1 = (await pendingOfferOf(t, e1.id))!;
    const o2 = (await pendingOfferOf(t, e2.id))!;
    const slotOf = async (id: number) => (await slotState(t, id)).startAt.toISOString();
    expect(await slotOf(o1.slotId)).toBe('2026-11-27T06:00:00.000Z');
    // The first person holds an offer for this specialty already: the next slot goes to the second.
    expect(await slotOf(o2.slotId)).toBe('2026-11-27T06:30:00.000Z');
    const offers = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.status, 'pending'));
    expect(offers.filter((o) => o.entryId === e1.id || o.entryId === e2.id)).toHaveLength(2);
  });
});
