// The card file through HTTP: who sees which visits (SPEC section 6) in an e-mail session
// and in a ЕСИА session, ordering and the past-visit limit, the cancel explanations, a fixed
// number of queries whatever the number of people.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppointmentDetail, CardFilePerson } from '../../src/shared/api/index.js';
import { addDays, zonedToInstant } from '../../src/shared/time.js';
import { createBookableSetup, createSlots, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson, type PersonRow } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { insertAppointment, sessionClient } from './booking.helpers.js';

const START = '2026-11-25T09:00:00Z';
const ZONE = 'Europe/Samara';

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

describe('who sees which visits', () => {
  let accountId: string;
  let main: PersonRow;
  let child: PersonRow;
  let password: TestClient;
  let esia: TestClient;
  let other: { accountId: string; client: TestClient };
  const ids: Record<string, string> = {};
  let setups: BookableSetup[];

  beforeAll(async () => {
    const p = await createPatient(t);
    accountId = p.account.id;
    main = p.person;
    password = p.client;
    child = await createPerson(t.ctx, accountId, { firstName: 'Пётр', birthDate: '2016-02-10', sex: 'M' });
    esia = await sessionClient(t, accountId, 'esia');
    setups = [];
    for (let i = 0; i < 4; i++) setups.push(await createBookableSetup(t.ctx));

    // This account's portal bookings: the main person (27th, 10:00 and 26th 10:30 elsewhere) and the child.
    const book = async (setup: BookableSetup, slotIndex: number, personId: string) => {
      const res = await password.post<AppointmentDetail>('/api/appointments', {
        slotId: setup.slots[slotIndex].id,
        personId,
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    ids.mainPortalLater = await book(setups[0], 2, main.id); // 27th 10:00
    ids.mainPortalSooner = await book(setups[1], 1, main.id); // 26th 10:30
    ids.childPortal = await book(setups[0], 3, child.id); // 27th 10:30
    // The registry booked the main person and the child directly.
    ids.mainRegistry = await insertAppointment(t, { slot: setups[2].slots[4], personId: main.id, source: 'registry' }); // 28th 10:00
    ids.childRegistry = await insertAppointment(t, {
      slot: setups[2].slots[0],
      personId: child.id,
      source: 'registry',
    });

    // Another account has the same real person (same СНИЛС) in its card file, and booked them on the portal.
    const otherAccount = await createAccount(t.ctx);
    await createPerson(t.ctx, otherAccount.id, { isMain: true, lastName: 'Сидоров', sex: 'M' });
    const sameReal = await createPerson(t.ctx, otherAccount.id, { snils: main.snils, policy: main.policy });
    const otherClient = await sessionClient(t, otherAccount.id);
    const res = await otherClient.post<AppointmentDetail>('/api/appointments', {
      slotId: setups[3].slots[0].id,
      personId: sameReal.id,
    });
    expect(res.status).toBe(201);
    ids.otherAccountsPortal = res.body.id;
    // ... and the doctor recorded a visit of the same real person against that other card file's row.
    ids.linkedDoctor = await insertAppointment(t, {
      slot: setups[3].slots[5],
      personId: sameReal.id,
      source: 'doctor',
    }); // 28th 10:30
    other = { accountId: otherAccount.id, client: otherClient };
  });

  it('e-mail session: only this account’s portal bookings, the main person first', async () => {
    const persons = await cardFile(password);
    expect(persons.map((p) => p.id)).toEqual([main.id, child.id]);
    expect(persons[0]).toMatchObject({ isMain: true, lastName: 'Иванова', snils: main.snils, status: 'confirmed' });
    expect(persons[0].futureVisits.map((v) => v.id)).toEqual([ids.mainPortalSooner, ids.mainPortalLater]);
    expect(persons[1].futureVisits.map((v) => v.id)).toEqual([ids.childPortal]);
    expect(persons.flatMap((p) => p.pastVisits)).toEqual([]);
  });

  it('ЕСИА session: the main person’s visits from every channel; others still portal only', async () => {
    const persons = await cardFile(esia);
    expect(persons[0].futureVisits.map((v) => v.id)).toEqual([
      ids.mainPortalSooner, // 26th 10:30
      ids.mainPortalLater, // 27th 10:00
      ids.mainRegistry, // 28th 10:00
      ids.linkedDoctor, // 28th 10:30, recorded in another card file
    ]);
    const linked = persons[0].futureVisits[3];
    expect(linked).toMatchObject({ personId: main.id, source: 'doctor', cancellable: false });
    expect(persons[1].futureVisits.map((v) => v.id)).toEqual([ids.childPortal]);
    // The other account's portal booking of the same real person is never shown.
    expect(persons.flatMap((p) => p.futureVisits.map((v) => v.id))).not.toContain(ids.otherAccountsPortal);

    const detail = await esia.get<AppointmentDetail>(`/api/appointments/${ids.linkedDoctor}`);
    expect(detail.status).toBe(200);
    expect(detail.body.person).toEqual({ id: main.id, name: 'Иванова Мария Петровна' });
  });

  it('hides other channels’ visits from the e-mail session on every endpoint', async () => {
    for (const id of [ids.mainRegistry, ids.childRegistry, ids.linkedDoctor, ids.otherAccountsPortal]) {
      const res = await password.get(`/api/appointments/${id}`);
      expect(res.status).toBe(404);
      expect((await password.get(`/api/appointments/${id}/ics`)).status).toBe(404);
    }
    // A child's registry visit stays hidden even in a ЕСИА session.
    expect((await esia.get(`/api/appointments/${ids.childRegistry}`)).status).toBe(404);
  });

  it('shows the other account only its own booking, never this account’s', async () => {
    const persons = await cardFile(other.client);
    expect(persons.flatMap((p) => p.futureVisits.map((v) => v.id))).toEqual([ids.otherAccountsPortal]);
    const esiaOther = await sessionClient(t, other.accountId, 'esia');
    const again = await cardFile(esiaOther);
    // Its main person is someone else: the shared person's other visits stay hidden.
    expect(again.flatMap((p) => p.futureVisits.map((v) => v.id))).toEqual([ids.otherAccountsPortal]);
    expect((await other.client.get(`/api/appointments/${ids.mainPortalLater}`)).status).toBe(404);
  });

  it('explains why a visit cannot be cancelled online', async () => {
    t.clock.set('2026-11-26T14:30:00Z'); // 18:30 Samara on the 26th: the 27th's lists are prepared
    const persons = await cardFile(esia);
    const byId = new Map(persons.flatMap((p) => p.futureVisits).map((v) => [v.id, v]));
    const phone = setups[0].organisation.phone;
    expect(byId.get(ids.mainPortalLater)).toMatchObject({
      cancellable: false,
      cancelUntil: '2026-11-26T14:00:00.000Z',
      cancelBlockedReason: `Отмена через портал закрыта в 18:00 накануне визита: регистратура уже сформировала списки пациентов и подобрала медицинские карты. Позвоните в регистратуру по телефону ${phone}.`,
    });
    // The 28th's visit can still be cancelled until 18:00 on the 27th.
    const registry = byId.get(ids.mainRegistry);
    expect(registry).toMatchObject({ cancellable: false, cancelUntil: '2026-11-27T14:00:00.000Z' });
    expect(registry?.cancelBlockedReason).toBe(
      `Запись сделана не через портал: отменить её можно в регистратуре по телефону ${setups[2].organisation.phone}.`,
    );
    // The visit at 10:30 on the 26th has begun: it is now a past visit, without an explanation.
    expect(persons[0].pastVisits.map((v) => v.id)).toEqual([ids.mainPortalSooner]);
    expect(persons[0].pastVisits[0]).toMatchObject({ cancellable: false, cancelBlockedReason: null, status: 'booked' });
  });
});

describe('past visits', () => {
  it('lists everything else newest first, at most 20', async () => {
    const p = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    // 25 visits at 09:00 Samara on each of the 25 days before today.
    const starts = Array.from({ length: 25 }, (_, i) => zonedToInstant(addDays('2026-11-25', -(i + 1)), '09:00', ZONE));
    const past = await createSlots(t.ctx, setup.doctor.id, starts);
    const pastIds = new Map<number, string>();
    for (const slot of past) {
      pastIds.set(
        slot.startAt.getTime(),
        await insertAppointment(t, {
          slot,
          personId: p.person.id,
          source: 'portal',
          bookedByAccountId: p.account.id,
          status: 'visited',
        }),
      );
    }
    // A cancelled future visit is not a past one: it stays among the future visits, marked cancelled.
    const cancelled = await insertAppointment(t, {
      slot: setup.slots[0],
      personId: p.person.id,
      source: 'portal',
      bookedByAccountId: p.account.id,
      status: 'cancelled',
    });
    const future = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[3].id,
      personId: p.person.id,
    });

    const [person] = await cardFile(p.client);
    expect(person.futureVisits.map((v) => [v.id, v.status])).toEqual([
      [cancelled, 'cancelled'],
      [future.body.id, 'booked'],
    ]);
    expect(person.pastVisits).toHaveLength(20);
    const newestFirst = [...past]
      .sort((a, b) => b.startAt.getTime() - a.startAt.getTime())
      .map((s) => pastIds.get(s.startAt.getTime()));
    expect(person.pastVisits.map((v) => v.id)).toEqual(newestFirst.slice(0, 20));
    expect(person.pastVisits[0]).toMatchObject({ status: 'visited', cancellable: false, cancelBlockedReason: null });
  });
});

describe('the card file request', () => {
  it('uses the same number of queries for one person as for six with visits', async () => {
    type Queryable = { query: (...args: unknown[]) => unknown };
    const client = (t.database.db as unknown as { $client: Queryable }).$client;
    const count = async (c: TestClient) => {
      const spy = vi.spyOn(client, 'query');
      try {
        await cardFile(c);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };

    const single = await createPatient(t);
    const many = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const extra = await createBookableSetup(t.ctx);
    for (let i = 0; i < 5; i++) {
      const person = await createPerson(t.ctx, many.account.id, { firstName: `Имя${'абвгд'[i]}` });
      const slot = i < 3 ? setup.slots[i * 2] : extra.slots[(i - 3) * 2];
      expect((await many.client.post('/api/appointments', { slotId: slot.id, personId: person.id })).status).toBe(201);
    }
    const one = await count(single.client);
    const six = await count(many.client);
    expect(one).toBeGreaterThan(0);
    expect(six).toBe(one);
    expect((await cardFile(many.client)).flatMap((p) => p.futureVisits)).toHaveLength(5);
  });

  it('asks an anonymous caller to sign in', async () => {
    const res = await t.client().get('/api/cardfile');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('shows a person on review without visits', async () => {
    const p = await createPatient(t);
    const pending = await createPerson(t.ctx, p.account.id, { status: 'pending', firstName: 'Ольга' });
    const persons = await cardFile(p.client);
    expect(persons.map((x) => [x.id, x.status, x.futureVisits.length, x.pastVisits.length])).toEqual([
      [p.person.id, 'confirmed', 0, 0],
      [pending.id, 'pending', 0, 0],
    ]);
  });
});
