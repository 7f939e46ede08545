// Joining and leaving the waitlist through HTTP, and the entries in the card file: every
// refusal (with nothing written), one entry per doctor and per specialty, leaving with and
// without a pending offer, someone else's entry, places in line and offers left.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CardFilePerson, WaitlistEntry } from '../../src/shared/api/index.js';
import { organisations } from '../../src/server/db/schema.js';
import { errorCatalogue, type ErrorCode } from '../../src/server/errors.js';
import { JOINED_SUBJECT, LEFT_SUBJECT } from '../../src/server/modules/waitlist/waitlist.emails.js';
import { createAppointmentRow, createBookableSetup, createSlots, holdSlotRow } from '../factories/catalogue.js';
import { createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { slotState } from './booking.helpers.js';
import {
  busyDoctor,
  colleague,
  countRows,
  emailsOf,
  entryRow,
  freeSlot,
  join,
  notificationsOf,
  offersOf,
  pendingOfferOf,
} from './waitlist.helpers.js';
import { expectError } from '../support/expect.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

async function cardFile(client: TestClient): Promise<CardFilePerson[]> {
  const res = await client.get<{ persons: CardFilePerson[] }>('/api/cardfile');
  expect(res.status).toBe(200);
  return res.body.persons;
}

describe('joining the waitlist', () => {
  it('puts the person in line for a doctor without free time, with a notification', async () => {
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    const res = await p.client.post<WaitlistEntry>('/api/waitlist', {
      personId: p.person.id,
      doctorId: busy.setup.doctor.id,
      kind: 'doctor',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personId: p.person.id,
      kind: 'doctor',
      doctor: { id: busy.setup.doctor.id, name: 'Петров Сергей Иванович' },
      specialty: { id: busy.setup.specialty.id, name: busy.setup.specialty.name },
      organisation: { id: busy.setup.organisation.id, address: busy.setup.organisation.address },
      status: 'waiting',
      since: new Date(START).toISOString(),
      place: 1,
      offersLeft: 3,
      offer: null,
    });
    expect(await entryRow(t, res.body.id)).toMatchObject({
      status: 'waiting',
      offersMade: 0,
      accountId: p.account.id,
      doctorId: busy.setup.doctor.id,
      organisationId: busy.setup.organisation.id,
      specialtyId: busy.setup.specialty.id,
      createdAt: new Date(START),
    });

    const notes = await notificationsOf(t, p.account.id, 'waitlist_joined');
    expect(notes).toMatchObject([{ dedupKey: `waitlist_joined:${res.body.id}`, link: '/cardfile' }]);
    const mails = await emailsOf(t, p.account.id, 'waitlist_joined');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(JOINED_SUBJECT);
    // Never the person or the specialty in a subject; the body says who and where.
    expect(mails[0].subject).not.toContain(busy.setup.specialty.name);
    expect(mails[0].subject).not.toContain(p.person.lastName);
    expect(mails[0].textBody).toContain('Врач: Петров Сергей Иванович');
    expect(mails[0].textBody).toContain(busy.setup.organisation.address);
  });

  it('puts the person in line for any doctor of the specialty when all of them are busy', async () => {
    const busy = await busyDoctor(t);
    const other = await colleague(t, busy.setup, [new Date('2026-11-29T06:00:00Z')]);
    await createAppointmentRow(t.ctx, other.slots[0], busy.filler.person.id, { source: 'registry' });
    const p = await createPatient(t);
    const entry = await join(p.client, p.person.id, busy.setup.doctor.id, 'specialty');
    expect(entry).toMatchObject({ kind: 'specialty', doctor: null, place: 1, offersLeft: 3 });
    expect(await entryRow(t, entry.id)).toMatchObject({ doctorId: null, specialtyId: busy.setup.specialty.id });
  });

  it('allows one entry per doctor and one per specialty for the same person', async () => {
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    await join(p.client, p.person.id, busy.setup.doctor.id, 'doctor');
    t.clock.advance(1_000);
    await join(p.client, p.person.id, busy.setup.doctor.id, 'specialty');
    t.clock.advance(1_000);
    const before = await countRows(t);
    expectError(
      await p.client.post('/api/waitlist', { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' }),
      409,
      'WAITLIST_ALREADY',
    );
    expectError(
      await p.client.post('/api/waitlist', {
        personId: p.person.id,
        doctorId: busy.setup.doctor.id,
        kind: 'specialty',
      }),
      409,
      'WAITLIST_ALREADY',
    );
    expect(await countRows(t)).toEqual(before);
    // Another person of the same card file may join the same line.
    const child = await createPerson(t.ctx, p.account.id, { firstName: 'Пётр', birthDate: '2016-02-10', sex: 'M' });
    // Behind both of this person's entries: each competes for this doctor's time.
    expect((await join(p.client, child.id, busy.setup.doctor.id)).place).toBe(3);
  });

  describe('refusals change nothing', () => {
    async function refused(
      client: TestClient,
      body: unknown,
      status: number,
      code: ErrorCode,
    ): Promise<{ status: number; body: unknown }> {
      const before = await countRows(t);
      const res = await client.post('/api/waitlist', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body).toMatchObject({ code });
      expect(await countRows(t)).toEqual(before);
      return res;
    }

    it('asks an anonymous caller to sign in', async () => {
      const busy = await busyDoctor(t);
      const p = await createPatient(t);
      const anonymous = t.client();
      await anonymous.ensureCsrf();
      const res = await refused(
        anonymous,
        { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        401,
        'NOT_AUTHENTICATED',
      );
      expect(res.body).toMatchObject({ message: errorCatalogue.NOT_AUTHENTICATED.message });
    });

    it('rejects bad input field by field', async () => {
      const p = await createPatient(t);
      const res = await refused(p.client, { personId: 'nope', doctorId: -1, kind: 'any' }, 400, 'VALIDATION_FAILED');
      expect(Object.keys((res.body as { fields: Record<string, string> }).fields).sort()).toEqual([
        'doctorId',
        'kind',
        'personId',
      ]);
      expect((res.body as { fields: Record<string, string> }).fields.kind).toBe('Выберите тип записи в очередь');
      await refused(p.client, {}, 400, 'VALIDATION_FAILED');
    });

    it('refuses someone else’s person as not found', async () => {
      const busy = await busyDoctor(t);
      const p = await createPatient(t);
      const stranger = await createPatient(t);
      const res = await refused(
        p.client,
        { personId: stranger.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        404,
        'PERSON_NOT_FOUND',
      );
      expect(res.body).toMatchObject({ message: errorCatalogue.PERSON_NOT_FOUND.message });
    });

    it('refuses a person whose data is on review or rejected', async () => {
      const busy = await busyDoctor(t);
      const p = await createPatient(t);
      const pending = await createPerson(t.ctx, p.account.id, { status: 'pending', firstName: 'Ольга' });
      const rejected = await createPerson(t.ctx, p.account.id, { status: 'rejected', firstName: 'Вера' });
      await refused(
        p.client,
        { personId: pending.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        409,
        'PERSON_NOT_CONFIRMED',
      );
      await refused(
        p.client,
        { personId: rejected.id, doctorId: busy.setup.doctor.id, kind: 'specialty' },
        409,
        'PERSON_REJECTED',
      );
    });

    it('refuses an unknown or inactive doctor', async () => {
      const p = await createPatient(t);
      await refused(p.client, { personId: p.person.id, doctorId: 999_999, kind: 'doctor' }, 404, 'DOCTOR_NOT_FOUND');
    });

    it('refuses a person the specialist does not see (age, sex)', async () => {
      const paediatric = await busyDoctor(t, { specialty: { maxAge: 18 } });
      const gynaecology = await busyDoctor(t, { specialty: { sex: 'F' } });
      const adultMan = await createPatient(t, { person: { sex: 'M', birthDate: '1980-01-01', firstName: 'Иван' } });
      await refused(
        adultMan.client,
        { personId: adultMan.person.id, doctorId: paediatric.setup.doctor.id, kind: 'doctor' },
        409,
        'AGE_RESTRICTED',
      );
      await refused(
        adultMan.client,
        { personId: adultMan.person.id, doctorId: gynaecology.setup.doctor.id, kind: 'specialty' },
        409,
        'SEX_RESTRICTED',
      );
    });

    it('refuses when the organisation keeps no waitlist, and says to call the registry', async () => {
      const busy = await busyDoctor(t, { organisation: { waitlistAllowed: false, phone: '+7 3412 55-66-77' } });
      const p = await createPatient(t);
      const res = await refused(
        p.client,
        { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        409,
        'WAITLIST_NOT_ALLOWED',
      );
      expect((res.body as { message: string }).message).toBe(
        'Эта медицинская организация не ведёт очередь через портал. Записаться можно по телефону регистратуры: +7 3412 55-66-77.',
      );
    });

    it('refuses when there is free time to book instead (the doctor, or any doctor of the specialty)', async () => {
      const setup = await createBookableSetup(t.ctx);
      const p = await createPatient(t);
      await refused(
        p.client,
        { personId: p.person.id, doctorId: setup.doctor.id, kind: 'doctor' },
        409,
        'WAITLIST_NOT_NEEDED',
      );

      // This doctor is busy, but a colleague of the same specialty has free time.
      const busy = await busyDoctor(t);
      await colleague(t, busy.setup, [busy.setup.slots[5].startAt]);
      await refused(
        p.client,
        { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'specialty' },
        409,
        'WAITLIST_NOT_NEEDED',
      );
      // ... while the line for this very doctor is open.
      await join(p.client, p.person.id, busy.setup.doctor.id, 'doctor');

      // A slot whose booking hold lapsed is free time too.
      const lapsed = await busyDoctor(t);
      const [extra] = await createSlots(t.ctx, lapsed.setup.doctor.id, [new Date('2026-11-29T06:00:00Z')]);
      await holdSlotRow(t.ctx, extra.id, {
        personId: lapsed.filler.person.id,
        accountId: lapsed.filler.accountId,
        heldUntil: new Date('2026-11-25T08:59:00Z'),
      });
      await refused(
        p.client,
        { personId: p.person.id, doctorId: lapsed.setup.doctor.id, kind: 'doctor' },
        409,
        'WAITLIST_NOT_NEEDED',
      );
    });

    it('refuses a person who already has an upcoming visit to this specialty (no offer could be made)', async () => {
      const busy = await busyDoctor(t);
      const p = await createPatient(t);
      const other = await colleague(t, busy.setup, [new Date('2026-11-30T06:00:00Z')]);
      await createAppointmentRow(t.ctx, other.slots[0], p.person.id, {
        source: 'portal',
        bookedByAccountId: p.account.id,
      });
      await refused(
        p.client,
        { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        409,
        'SPECIALTY_LIMIT_REACHED',
      );
    });

    it('lets the organisation switch the waitlist back on', async () => {
      const busy = await busyDoctor(t, { organisation: { waitlistAllowed: false } });
      const p = await createPatient(t);
      await refused(
        p.client,
        { personId: p.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' },
        409,
        'WAITLIST_NOT_ALLOWED',
      );
      await t.ctx.db
        .update(organisations)
        .set({ waitlistAllowed: true })
        .where(eq(organisations.id, busy.setup.organisation.id));
      await join(p.client, p.person.id, busy.setup.doctor.id);
    });
  });
});

describe('leaving the waitlist', () => {
  it('ends the entry; the card file no longer shows it; a second leave is refused', async () => {
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    const entry = await join(p.client, p.person.id, busy.setup.doctor.id);
    t.clock.advance(60_000);
    const res = await p.client.post(`/api/waitlist/${entry.id}/leave`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await entryRow(t, entry.id)).toMatchObject({
      status: 'left',
      endReason: 'left',
      endedAt: new Date('2026-11-25T09:01:00Z'),
    });
    expect((await cardFile(p.client))[0].waitlist).toEqual([]);
    const mails = await emailsOf(t, p.account.id, 'waitlist_left');
    expect(mails.map((m) => m.subject)).toEqual([LEFT_SUBJECT]);

    expectError(await p.client.post(`/api/waitlist/${entry.id}/leave`), 409, 'ENTRY_ENDED');
    // The person may join the same line again.
    await join(p.client, p.person.id, busy.setup.doctor.id);
  });

  it('withdraws a pending offer: the time goes to the next in line', async () => {
    const busy = await busyDoctor(t);
    const first = await createPatient(t);
    const second = await createPatient(t);
    const a = await join(first.client, first.person.id, busy.setup.doctor.id);
    t.clock.advance(60_000);
    const b = await join(second.client, second.person.id, busy.setup.doctor.id);
    const slot = busy.setup.slots[2];
    await freeSlot(busy, slot.id);
    const offer = await pendingOfferOf(t, a.id);
    expect(offer).toMatchObject({ slotId: slot.id });

    expect((await first.client.post(`/api/waitlist/${a.id}/leave`)).status).toBe(200);
    expect(await entryRow(t, a.id)).toMatchObject({ status: 'left' });
    expect(await offersOf(t, a.id)).toMatchObject([{ id: offer!.id, status: 'withdrawn' }]);
    const next = await pendingOfferOf(t, b.id);
    expect(next).toMatchObject({ slotId: slot.id, status: 'pending' });
    expect(await slotState(t, slot.id)).toMatchObject({
      status: 'held',
      holdOfferId: next!.id,
      holdPersonId: second.person.id,
    });
  });

  it('withdraws a pending offer: with nobody else in line the time becomes free', async () => {
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    const entry = await join(p.client, p.person.id, busy.setup.doctor.id);
    await freeSlot(busy, busy.setup.slots[3].id);
    expect(await pendingOfferOf(t, entry.id)).not.toBeNull();
    expect((await p.client.post(`/api/waitlist/${entry.id}/leave`)).status).toBe(200);
    expect(await slotState(t, busy.setup.slots[3].id)).toMatchObject({
      status: 'free',
      holdOfferId: null,
      holdPersonId: null,
      heldUntil: null,
    });
  });

  it('refuses someone else’s entry as not found, an anonymous caller and a bad id', async () => {
    const busy = await busyDoctor(t);
    const p = await createPatient(t);
    const stranger = await createPatient(t);
    const entry = await join(p.client, p.person.id, busy.setup.doctor.id);
    expectError(await stranger.client.post(`/api/waitlist/${entry.id}/leave`), 404, 'ENTRY_NOT_FOUND');
    const anonymous = t.client();
    await anonymous.ensureCsrf();
    expectError(await anonymous.post(`/api/waitlist/${entry.id}/leave`), 401, 'NOT_AUTHENTICATED');
    const bad = await p.client.post('/api/waitlist/not-a-uuid/leave');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await entryRow(t, entry.id)).toMatchObject({ status: 'waiting', endedAt: null });
  });
});

describe('the card file', () => {
  it('shows each person’s entries with the place in line, offers left and the pending offer', async () => {
    const busy = await busyDoctor(t);
    const early = await createPatient(t);
    const p = await createPatient(t);
    const child = await createPerson(t.ctx, p.account.id, { firstName: 'Пётр', birthDate: '2016-02-10', sex: 'M' });
    await join(early.client, early.person.id, busy.setup.doctor.id, 'specialty');
    t.clock.advance(60_000);
    const doctorEntry = await join(p.client, p.person.id, busy.setup.doctor.id, 'doctor');
    t.clock.advance(60_000);
    const specialtyEntry = await join(p.client, p.person.id, busy.setup.doctor.id, 'specialty');
    t.clock.advance(60_000);
    const childEntry = await join(p.client, child.id, busy.setup.doctor.id, 'doctor');

    let persons = await cardFile(p.client);
    expect(persons.map((x) => x.id)).toEqual([p.person.id, child.id]);
    // The doctor's line: the earlier specialty entry competes for this doctor's time too.
    expect(persons[0].waitlist.map((e) => [e.id, e.kind, e.place, e.offersLeft, e.offer])).toEqual([
      [doctorEntry.id, 'doctor', 2, 3, null],
      [specialtyEntry.id, 'specialty', 2, 3, null],
    ]);
    expect(persons[1].waitlist.map((e) => [e.id, e.place])).toEqual([[childEntry.id, 4]]);
    // Nobody else's entries show up.
    expect((await cardFile(early.client))[0].waitlist).toHaveLength(1);

    // A slot frees up: the earliest entry (someone else's) gets it; then another one: this person's doctor entry.
    await freeSlot(busy, busy.setup.slots[4].id);
    await freeSlot(busy, busy.setup.slots[5].id);
    persons = await cardFile(p.client);
    const [withOffer, waiting] = persons[0].waitlist;
    expect(withOffer).toMatchObject({ id: doctorEntry.id, status: 'offered', place: 2, offersLeft: 3 });
    expect(withOffer.offer).toMatchObject({
      entryId: doctorEntry.id,
      status: 'pending',
      slotId: busy.setup.slots[5].id,
      startAt: busy.setup.slots[5].startAt.toISOString(),
      localStart: '2026-11-28T10:30',
      timeZone: 'Europe/Samara',
      // 24 hours from now (09:03 UTC), before the cut-off at 18:00 Samara on the 27th.
      deadline: '2026-11-26T09:03:00.000Z',
      localDeadline: '2026-11-26T13:03',
      person: { id: p.person.id, name: 'Иванова Мария Петровна' },
      doctor: { id: busy.setup.doctor.id, name: 'Петров Сергей Иванович', specialty: busy.setup.specialty.name },
      organisation: { id: busy.setup.organisation.id },
      offersLeftAfter: 2,
    });
    // The person's other entry to the same specialty waits: one visit per specialty.
    expect(waiting).toMatchObject({ id: specialtyEntry.id, status: 'waiting', offer: null });
    expect(persons[1].waitlist[0]).toMatchObject({ status: 'waiting', offer: null });
  });

  it('shows no entries to an anonymous caller', async () => {
    const res = await t.client().get('/api/cardfile');
    expect(res.status).toBe(401);
  });
});
