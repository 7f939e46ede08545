// Holds and booking through HTTP: the journey, every refusal (with nothing written), expired
// holds, someone else's data, anonymous callers, bad input, the calendar file, rate limits.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentDetail, ErrorBody, HoldResponse } from '../../src/shared/api/index.js';
import { errorCatalogue, type ErrorCode } from '../../src/server/errors.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import { createBookableSetup, createDoctor, createSlots, createSpecialty } from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { countAppointments, emailsTo, sessionClient, setSlotStatus, slotState } from './booking.helpers.js';
import { expectError } from '../support/expect.js';
import { eq } from 'drizzle-orm';
import { organisations } from '../../src/server/db/schema.js';

const START = '2026-11-25T09:00:00Z';
const ZONE = 'Europe/Samara';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

describe('hold -> book -> details -> card file -> cancel', () => {
  it('goes through the whole journey', async () => {
    const { account, person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    // slots[2]: 10:00 Samara on Friday 27 November = 06:00 UTC.
    const slot = setup.slots[2];

    const hold = await client.post<HoldResponse>('/api/holds', { slotId: slot.id, personId: person.id });
    expect(hold.status).toBe(200);
    expect(hold.body).toEqual({
      slotId: slot.id,
      personId: person.id,
      heldUntil: '2026-11-25T09:10:00.000Z',
      startAt: '2026-11-27T06:00:00.000Z',
      endAt: '2026-11-27T06:30:00.000Z',
      localStart: '2026-11-27T10:00',
      timeZone: ZONE,
      person: { id: person.id, name: 'Иванова Мария Петровна', birthDate: '1985-04-12' },
      doctor: {
        id: setup.doctor.id,
        name: 'Петров Сергей Иванович',
        specialty: setup.specialty.name,
        room: setup.doctor.room,
      },
      organisation: {
        id: setup.organisation.id,
        name: setup.organisation.name,
        address: setup.organisation.address,
        phone: setup.organisation.phone,
      },
      // Cancelling through the portal closes at 18:00 Samara the day before.
      cancelUntil: '2026-11-26T14:00:00.000Z',
      cancelClosed: false,
    });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'held',
      holdAccountId: account.id,
      holdPersonId: person.id,
    });

    const check = await client.get<HoldResponse>(`/api/holds/${slot.id}?personId=${person.id}`);
    expect(check.status).toBe(200);
    expect(check.body).toEqual(hold.body);

    const booked = await client.post<AppointmentDetail>('/api/appointments', { slotId: slot.id, personId: person.id });
    expect(booked.status).toBe(201);
    const a = booked.body;
    expect(a).toMatchObject({
      personId: person.id,
      startAt: '2026-11-27T06:00:00.000Z',
      localStart: '2026-11-27T10:00',
      timeZone: ZONE,
      status: 'booked',
      source: 'portal',
      doctor: {
        id: setup.doctor.id,
        name: 'Петров Сергей Иванович',
        specialty: setup.specialty.name,
        room: setup.doctor.room,
      },
      organisation: { id: setup.organisation.id, address: setup.organisation.address },
      cancellable: true,
      // 18:00 Samara on the 26th.
      cancelUntil: '2026-11-26T14:00:00.000Z',
      cancelBlockedReason: null,
      person: { id: person.id, name: 'Иванова Мария Петровна' },
    });
    expect(a.reference).toMatch(/^ПР-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(a.whatToBring).toEqual(expect.arrayContaining(['Паспорт', 'Полис ОМС', 'СНИЛС']));
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'booked',
      holdAccountId: null,
      holdPersonId: null,
      heldUntil: null,
    });
    expect(await countAppointments(t, { slotId: slot.id })).toBe(1);

    // The hold is used up.
    expectError(await client.get(`/api/holds/${slot.id}?personId=${person.id}`), 409, 'HOLD_NOT_FOUND');

    // The e-mail: a neutral subject; the details and the link in the body.
    const mails = (await emailsTo(t, account.email)).filter((m) => m.kind === 'booking_made');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Вы записаны на приём');
    expect(mails[0].subject).not.toContain(setup.specialty.name);
    expect(mails[0].textBody).toContain('пятница, 27 ноября 2026 г., 10:00');
    expect(mails[0].textBody).toContain('Петров Сергей Иванович');
    expect(mails[0].textBody).toContain(`Кабинет: ${setup.doctor.room}`);
    expect(mails[0].textBody).toContain(setup.organisation.address);
    expect(mails[0].textBody).toContain(`http://portal.test/appointments/${a.id}`);

    const detail = await client.get<AppointmentDetail>(`/api/appointments/${a.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual(a);

    const card = await client.get<{ persons: { id: string; futureVisits: { id: string }[] }[] }>('/api/cardfile');
    expect(card.status).toBe(200);
    expect(card.body.persons[0].futureVisits.map((v) => v.id)).toEqual([a.id]);

    const cancelled = await client.post<AppointmentDetail>(`/api/appointments/${a.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: a.id, status: 'cancelled', cancellable: false });
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'free' });
  });

  it('lets an API client book a free slot without holding it first', async () => {
    const { person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const res = await client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[0].id,
      personId: person.id,
    });
    expect(res.status).toBe(201);
    expect(await slotState(t, setup.slots[0].id)).toMatchObject({ status: 'booked' });
  });

  it('books for a child of the card file with the child’s documents to bring', async () => {
    const { account, client } = await createPatient(t);
    const child = await createPerson(t.ctx, account.id, { firstName: 'Пётр', birthDate: '2019-06-01', sex: 'M' });
    const setup = await createBookableSetup(t.ctx, { specialty: { maxAge: 18 } });
    const res = await client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[0].id,
      personId: child.id,
    });
    expect(res.status).toBe(201);
    expect(res.body.person.name).toBe('Иванова Пётр Петровна');
    expect(res.body.whatToBring).toContain('Паспорт родителя или законного представителя');
    expect(res.body.whatToBring[0]).toMatch(/Свидетельство о рождении/);
  });
});

describe('holds', () => {
  it('keeps one hold per account: a new hold releases the previous one', async () => {
    const { account, person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    expect((await client.post('/api/holds', { slotId: setup.slots[0].id, personId: person.id })).status).toBe(200);
    expect((await client.post('/api/holds', { slotId: setup.slots[1].id, personId: person.id })).status).toBe(200);
    expect(await slotState(t, setup.slots[0].id)).toMatchObject({
      status: 'free',
      holdAccountId: null,
      heldUntil: null,
    });
    expect(await slotState(t, setup.slots[1].id)).toMatchObject({ status: 'held', holdAccountId: account.id });
  });

  it('lets the same account hold again (a new person or a fresh deadline)', async () => {
    const { account, person, client } = await createPatient(t);
    const other = await createPerson(t.ctx, account.id, { firstName: 'Анна' });
    const setup = await createBookableSetup(t.ctx);
    const slotId = setup.slots[0].id;
    expect((await client.post('/api/holds', { slotId, personId: person.id })).status).toBe(200);
    t.clock.advance(5 * 60_000);
    const again = await client.post<HoldResponse>('/api/holds', { slotId, personId: other.id });
    expect(again.status).toBe(200);
    expect(again.body.heldUntil).toBe('2026-11-25T09:15:00.000Z');
    // The hold is now for the other person: booking for the first one is refused.
    expectError(await client.get(`/api/holds/${slotId}?personId=${person.id}`), 409, 'HOLD_NOT_FOUND');
    expectError(await client.post('/api/appointments', { slotId, personId: person.id }), 409, 'HOLD_NOT_FOUND');
    expect(await countAppointments(t, { slotId })).toBe(0);
    expect((await client.post('/api/appointments', { slotId, personId: other.id })).status).toBe(201);
  });

  it('says when the cancel time of the held visit has already passed (tomorrow’s visit held after 18:00 today)', async () => {
    const { person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    // slots[0]: 10:00 Samara tomorrow (26 November); its cancel time is 18:00 today = 14:00 UTC.
    const slotId = setup.slots[0].id;
    t.clock.set('2026-11-25T13:59:00Z');
    const before = await client.post<HoldResponse>('/api/holds', { slotId, personId: person.id });
    expect(before.body).toMatchObject({ cancelUntil: '2026-11-25T14:00:00.000Z', cancelClosed: false });

    t.clock.set('2026-11-25T15:00:00Z');
    const after = await client.post<HoldResponse>('/api/holds', { slotId, personId: person.id });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ cancelUntil: '2026-11-25T14:00:00.000Z', cancelClosed: true });
    const check = await client.get<HoldResponse>(`/api/holds/${slotId}?personId=${person.id}`);
    expect(check.body).toMatchObject({ cancelClosed: true });

    // The organisation's own cut-off (20:00) counts instead of the region's.
    await t.ctx.db
      .update(organisations)
      .set({ cutoffOverride: '20:00' })
      .where(eq(organisations.id, setup.organisation.id));
    const own = await client.get<HoldResponse>(`/api/holds/${slotId}?personId=${person.id}`);
    expect(own.body).toMatchObject({ cancelUntil: '2026-11-25T16:00:00.000Z', cancelClosed: false });
  });

  it('answers HOLD_NOT_FOUND once the hold has expired', async () => {
    const { person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const slotId = setup.slots[0].id;
    await client.post('/api/holds', { slotId, personId: person.id });
    t.clock.advance(9 * 60_000 + 59_000);
    expect((await client.get(`/api/holds/${slotId}?personId=${person.id}`)).status).toBe(200);
    t.clock.advance(1_000);
    expectError(await client.get(`/api/holds/${slotId}?personId=${person.id}`), 409, 'HOLD_NOT_FOUND');
  });

  it('releases this account’s hold and refuses a release of anyone else’s with 404, changing nothing', async () => {
    const a = await createPatient(t);
    const b = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const [s0, s1] = setup.slots;
    await a.client.post('/api/holds', { slotId: s0.id, personId: a.person.id });
    await b.client.post('/api/holds', { slotId: s1.id, personId: b.person.id });

    const before = await slotState(t, s1.id);
    expectError(await a.client.delete(`/api/holds/${s1.id}`), 404, 'NO_SUCH_HOLD');
    expect(await slotState(t, s1.id)).toEqual(before);
    expect(before).toMatchObject({ status: 'held', holdAccountId: b.account.id, holdPersonId: b.person.id });
    // The other account still has its hold: it can book with it.
    expect((await b.client.get(`/api/holds/${s1.id}?personId=${b.person.id}`)).status).toBe(200);

    const own = await a.client.delete(`/api/holds/${s0.id}`);
    expect(own.status).toBe(200);
    expect(await slotState(t, s0.id)).toMatchObject({
      status: 'free',
      holdAccountId: null,
      holdPersonId: null,
      heldUntil: null,
    });
    // Releasing again, or a free or unknown slot: nothing to release.
    expectError(await a.client.delete(`/api/holds/${s0.id}`), 404, 'NO_SUCH_HOLD');
    expectError(await a.client.delete('/api/holds/2147483647'), 404, 'NO_SUCH_HOLD');
    expect(await slotState(t, s0.id)).toMatchObject({ status: 'free' });
  });

  it('lets another account hold and book a slot once the first hold has expired', async () => {
    const a = await createPatient(t);
    const b = await createPatient(t);
    const c = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const slotId = setup.slots[0].id;
    expect((await a.client.post('/api/holds', { slotId, personId: a.person.id })).status).toBe(200);

    // While A's hold is live, B can neither hold nor book.
    expectError(await b.client.post('/api/holds', { slotId, personId: b.person.id }), 409, 'SLOT_TAKEN');
    expectError(await b.client.post('/api/appointments', { slotId, personId: b.person.id }), 409, 'SLOT_TAKEN');
    expect(await slotState(t, slotId)).toMatchObject({ status: 'held', holdAccountId: a.account.id });

    t.clock.advance(10 * 60_000); // held_until reached: the hold no longer counts
    expect((await b.client.post('/api/holds', { slotId, personId: b.person.id })).status).toBe(200);
    expectError(await a.client.post('/api/appointments', { slotId, personId: a.person.id }), 409, 'SLOT_TAKEN');

    t.clock.advance(10 * 60_000); // B's hold expires too: C books directly
    const booked = await c.client.post<AppointmentDetail>('/api/appointments', { slotId, personId: c.person.id });
    expect(booked.status).toBe(201);
    expect(await countAppointments(t, { slotId })).toBe(1);
  });
});

describe('refusals: the Russian message and nothing written', () => {
  interface Case {
    code: ErrorCode;
    status: number;
    arrange(): Promise<{ client: TestClient; personId: string; slotId: number }>;
  }

  const cases: [string, Case][] = [
    [
      'a person whose data is on review',
      {
        code: 'PERSON_NOT_CONFIRMED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const pending = await createPerson(t.ctx, p.account.id, { status: 'pending' });
          const s = await createBookableSetup(t.ctx);
          return { client: p.client, personId: pending.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a person whose data was rejected',
      {
        code: 'PERSON_REJECTED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const rejected = await createPerson(t.ctx, p.account.id, { status: 'rejected' });
          const s = await createBookableSetup(t.ctx);
          return { client: p.client, personId: rejected.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a child to the adult therapist',
      {
        code: 'AGE_RESTRICTED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const child = await createPerson(t.ctx, p.account.id, {
            birthDate: '2018-03-01',
            sex: 'M',
            firstName: 'Иван',
          });
          const s = await createBookableSetup(t.ctx, { specialty: { minAge: 18 } });
          return { client: p.client, personId: child.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a man to the obstetrician-gynaecologist',
      {
        code: 'SEX_RESTRICTED',
        status: 409,
        async arrange() {
          const p = await createPatient(t, { person: { sex: 'M', firstName: 'Олег', lastName: 'Смирнов' } });
          const s = await createBookableSetup(t.ctx, { specialty: { sex: 'F' } });
          return { client: p.client, personId: p.person.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a slot beyond the 14-day horizon',
      {
        code: 'SLOT_BEYOND_HORIZON',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          // 10:00 Samara on the 15th local day counting today (9 December 2026).
          const start = zonedToInstant(addDays(localDateOf(t.ctx.now(), ZONE), 14), '10:00', ZONE);
          const [far] = await createSlots(t.ctx, s.doctor.id, [start]);
          return { client: p.client, personId: p.person.id, slotId: far.id };
        },
      },
    ],
    [
      'a slot in the past',
      {
        code: 'SLOT_IN_PAST',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          // 08:00 Samara today; it is 13:00 now.
          const [past] = await createSlots(t.ctx, s.doctor.id, [zonedToInstant('2026-11-25', '08:00', ZONE)]);
          return { client: p.client, personId: p.person.id, slotId: past.id };
        },
      },
    ],
    [
      'a time overlapping the person’s visit to another specialist',
      {
        code: 'OVERLAPPING_APPOINTMENT',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const first = await createBookableSetup(t.ctx);
          const second = await createBookableSetup(t.ctx); // same local times, another specialty
          const ok = await p.client.post('/api/appointments', { slotId: first.slots[0].id, personId: p.person.id });
          expect(ok.status).toBe(201);
          return { client: p.client, personId: p.person.id, slotId: second.slots[0].id };
        },
      },
    ],
    [
      'a second future visit to the same specialty (limit 1)',
      {
        code: 'SPECIALTY_LIMIT_REACHED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          // Another doctor of the same specialty in another organisation still counts.
          const other = await createBookableSetup(t.ctx);
          const doctor = await createDoctor(t.ctx, {
            organisationId: other.organisation.id,
            specialtyId: s.specialty.id,
          });
          const [slot] = await createSlots(t.ctx, doctor.id, [zonedToInstant('2026-11-28', '15:00', ZONE)]);
          const ok = await p.client.post('/api/appointments', { slotId: s.slots[0].id, personId: p.person.id });
          expect(ok.status).toBe(201);
          return { client: p.client, personId: p.person.id, slotId: slot.id };
        },
      },
    ],
    [
      'a slot someone else has booked',
      {
        code: 'SLOT_TAKEN',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const q = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          expect(
            (await q.client.post('/api/appointments', { slotId: s.slots[0].id, personId: q.person.id })).status,
          ).toBe(201);
          return { client: p.client, personId: p.person.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a slot someone else holds',
      {
        code: 'SLOT_TAKEN',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const q = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          expect((await q.client.post('/api/holds', { slotId: s.slots[0].id, personId: q.person.id })).status).toBe(
            200,
          );
          return { client: p.client, personId: p.person.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a blocked slot',
      {
        code: 'SLOT_BLOCKED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          await setSlotStatus(t, s.slots[0].id, 'blocked');
          return { client: p.client, personId: p.person.id, slotId: s.slots[0].id };
        },
      },
    ],
    [
      'a slot of a doctor who no longer receives',
      {
        code: 'SLOT_BLOCKED',
        status: 409,
        async arrange() {
          const p = await createPatient(t);
          const s = await createBookableSetup(t.ctx);
          const spec = await createSpecialty(t.ctx);
          const doctor = await createDoctor(t.ctx, {
            organisationId: s.organisation.id,
            specialtyId: spec.id,
            active: false,
          });
          const [slot] = await createSlots(t.ctx, doctor.id, [zonedToInstant('2026-11-27', '12:00', ZONE)]);
          return { client: p.client, personId: p.person.id, slotId: slot.id };
        },
      },
    ],
    [
      'a slot that does not exist',
      {
        code: 'SLOT_NOT_FOUND',
        status: 404,
        async arrange() {
          const p = await createPatient(t);
          return { client: p.client, personId: p.person.id, slotId: 987_654_321 };
        },
      },
    ],
  ];

  it.each(cases)('%s', async (_name, c) => {
    const { client, personId, slotId } = await c.arrange();
    const before = await slotState(t, slotId);
    const appointmentsBefore = await countAppointments(t, { personId });
    const slotAppointmentsBefore = await countAppointments(t, { slotId });

    expectError(await client.post('/api/holds', { slotId, personId }), c.status, c.code);
    expectError(await client.post('/api/appointments', { slotId, personId }), c.status, c.code);

    expect(await slotState(t, slotId)).toEqual(before);
    expect(await countAppointments(t, { personId })).toBe(appointmentsBefore);
    expect(await countAppointments(t, { slotId })).toBe(slotAppointmentsBefore);
  });
});

describe('someone else’s people and appointments', () => {
  it('answers 404 on every endpoint and changes nothing', async () => {
    const owner = await createPatient(t);
    const intruder = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const [s0, s1] = setup.slots;
    await owner.client.post('/api/holds', { slotId: s0.id, personId: owner.person.id });
    const booked = await owner.client.post<AppointmentDetail>('/api/appointments', {
      slotId: s1.id,
      personId: owner.person.id,
    });
    expect(booked.status).toBe(201);
    const held = await slotState(t, s0.id);
    const appointmentId = booked.body.id;

    expectError(
      await intruder.client.post('/api/holds', { slotId: setup.slots[2].id, personId: owner.person.id }),
      404,
      'PERSON_NOT_FOUND',
    );
    expectError(await intruder.client.get(`/api/holds/${s0.id}?personId=${owner.person.id}`), 404, 'PERSON_NOT_FOUND');
    expectError(
      await intruder.client.post('/api/appointments', { slotId: setup.slots[2].id, personId: owner.person.id }),
      404,
      'PERSON_NOT_FOUND',
    );
    expectError(await intruder.client.get(`/api/appointments/${appointmentId}`), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(await intruder.client.get(`/api/appointments/${appointmentId}/ics`), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(await intruder.client.post(`/api/appointments/${appointmentId}/cancel`), 404, 'APPOINTMENT_NOT_FOUND');
    // Their own hold lookup of someone else's held slot: nothing to see.
    expectError(await intruder.client.get(`/api/holds/${s0.id}?personId=${intruder.person.id}`), 409, 'HOLD_NOT_FOUND');
    expectError(await intruder.client.delete(`/api/holds/${s0.id}`), 404, 'NO_SUCH_HOLD');

    expect(await slotState(t, s0.id)).toEqual(held);
    expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'free' });
    expect(await countAppointments(t, { personId: owner.person.id })).toBe(1);
    const still = await owner.client.get<AppointmentDetail>(`/api/appointments/${appointmentId}`);
    expect(still.body.status).toBe('booked');
    // A random id is indistinguishable from someone else's.
    expectError(
      await intruder.client.get('/api/appointments/8b0c2f8e-1d1e-4f7a-9a57-000000000000'),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
  });
});

describe('anonymous callers and bad input', () => {
  it('asks to sign in on every endpoint', async () => {
    const anon = t.client();
    await anon.ensureCsrf();
    const id = '8b0c2f8e-1d1e-4f7a-9a57-000000000000';
    const calls = [
      anon.post('/api/holds', { slotId: 1, personId: id }),
      anon.get(`/api/holds/1?personId=${id}`),
      anon.delete('/api/holds/1'),
      anon.post('/api/appointments', { slotId: 1, personId: id }),
      anon.get(`/api/appointments/${id}`),
      anon.get(`/api/appointments/${id}/ics`),
      anon.post(`/api/appointments/${id}/cancel`),
      anon.get('/api/cardfile'),
      // Even malformed requests: the caller learns nothing but "sign in".
      anon.post('/api/holds', { slotId: 'x' }),
    ];
    for (const res of await Promise.all(calls)) expectError(res, 401, 'NOT_AUTHENTICATED');
  });

  it('refuses malformed requests with field messages and writes nothing', async () => {
    const { person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const before = await countAppointments(t);

    const badHold = await client.post<ErrorBody>('/api/holds', { slotId: 'десять', personId: 'не-uuid' });
    expect(badHold.status).toBe(400);
    expect(badHold.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(badHold.body.fields ?? {})).toEqual(expect.arrayContaining(['slotId', 'personId']));
    expect(badHold.body.fields?.personId).toBe('Выберите человека');

    const badBook = await client.post<ErrorBody>('/api/appointments', { slotId: -1, personId: person.id });
    expect(badBook.status).toBe(400);
    expect(badBook.body.fields).toHaveProperty('slotId');
    expect((await client.post<ErrorBody>('/api/appointments', {})).body.code).toBe('VALIDATION_FAILED');
    expect((await client.get<ErrorBody>(`/api/holds/abc?personId=${person.id}`)).body.code).toBe('VALIDATION_FAILED');
    expect((await client.get<ErrorBody>(`/api/holds/${setup.slots[0].id}`)).body.code).toBe('VALIDATION_FAILED');
    expect((await client.get<ErrorBody>('/api/appointments/123')).status).toBe(400);
    expect((await client.post<ErrorBody>('/api/appointments/123/cancel')).status).toBe(400);
    expect((await client.delete<ErrorBody>('/api/holds/0')).status).toBe(400);

    expect(await countAppointments(t)).toBe(before);
    for (const s of setup.slots) expect((await slotState(t, s.id)).status).toBe('free');
  });
});

describe('the calendar file', () => {
  it('is an RFC 5545 event in UTC with the address, room, doctor and how to cancel', async () => {
    const { person, client } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const booked = await client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[2].id,
      personId: person.id,
    });
    const res = await client.get<string>(`/api/appointments/${booked.body.id}/ics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const code = booked.body.reference.slice(3);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="priyom-PR-${code}.ics"; filename*=UTF-8''${encodeURIComponent(`priyom-${booked.body.reference}.ics`)}`,
    );
    const body = res.raw.body;
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const unfolded = body.replace(/\r\n /g, '');
    expect(unfolded).toContain(`\r\nUID:${booked.body.id}@portal.test\r\n`);
    expect(unfolded).toContain('\r\nDTSTAMP:20261125T090000Z\r\n');
    // 10:00-10:30 Samara on 27 November.
    expect(unfolded).toContain('\r\nDTSTART:20261127T060000Z\r\n');
    expect(unfolded).toContain('\r\nDTEND:20261127T063000Z\r\n');
    expect(unfolded).toContain('\r\nSUMMARY:Приём у врача\r\n');
    expect(unfolded).toContain(
      `\r\nLOCATION:${setup.organisation.address.replace(/,/g, '\\,')}\\, кабинет ${setup.doctor.room}\r\n`,
    );
    expect(unfolded).toContain('Врач: Петров Сергей Иванович');
    expect(unfolded).toContain('Отменить запись можно в личном кабинете');
    expect(unfolded).toContain('до четверга\\, 26 ноября 2026 г.\\, 18:00');
    expect(unfolded).toContain(booked.body.reference);
  });
});

describe('rate limits', () => {
  it('limits holds and bookings per account', async () => {
    const limited = await createTestContext({ now: START, env: { BOOKING_RATE_PER_MINUTE: '2' } });
    try {
      const account = await createAccount(limited.ctx);
      const person = await createPerson(limited.ctx, account.id, { isMain: true });
      const client = await sessionClient(limited, account.id);
      const other = await createAccount(limited.ctx);
      const otherPerson = await createPerson(limited.ctx, other.id, { isMain: true });
      const otherClient = await sessionClient(limited, other.id);
      const setup = await createBookableSetup(limited.ctx);
      const body = { slotId: setup.slots[0].id, personId: person.id };
      expect((await client.post('/api/holds', body)).status).toBe(200);
      expect((await client.post('/api/holds', body)).status).toBe(200);
      const third = await client.post('/api/holds', body);
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({ code: 'RATE_LIMITED', message: errorCatalogue.RATE_LIMITED.message });
      // Another account is not affected.
      expect(
        (await otherClient.post('/api/holds', { slotId: setup.slots[1].id, personId: otherPerson.id })).status,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
