// A person's history through HTTP (SPEC 8a): GET /api/persons/:id/history shows who booked,
// cancelled or marked each visit, when (in the organisation's zone) and through which channel,
// for exactly the visits the session may see (SPEC 6): an e-mail session the account's portal
// bookings, an ЕСИА session the holder's visits from every channel too; another account's
// booking of the same real person never; someone else's person is refused.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonHistoryResponse } from '../../src/shared/api/index.js';
import { localDateTimeOf } from '../../src/shared/time.js';
import { appointments } from '../../src/server/db/schema.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { insertAppointment, sessionClient } from './booking.helpers.js';

let t: TestContext;
let setup: BookableSetup;
let accountId: string;
let mainId: string;
let childId: string;
let otherPersonId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestContext();
  const account = await createAccount(t.ctx);
  accountId = account.id;
  const main = await createPerson(t.ctx, accountId, { isMain: true });
  mainId = main.id;
  childId = (await createPerson(t.ctx, accountId, { firstName: 'Пётр', birthDate: '2018-02-03', sex: 'M' })).id;
  // Another card file holding the same real person as the holder (e.g. the clinic register, or a relative's).
  const other = await createAccount(t.ctx);
  const copy = await createPerson(t.ctx, other.id, { snils: main.snils, birthDate: main.birthDate });
  otherPersonId = (await createPerson(t.ctx, other.id, { isMain: true })).id;
  setup = await createBookableSetup(t.ctx);
  const s = setup.slots;

  ids.portal = await insertAppointment(t, {
    slot: s[4],
    personId: mainId,
    source: 'portal',
    bookedByAccountId: accountId,
  });
  ids.registry = await insertAppointment(t, { slot: s[0], personId: copy.id, source: 'registry' });
  ids.foreign = await insertAppointment(t, {
    slot: s[1],
    personId: copy.id,
    source: 'portal',
    bookedByAccountId: other.id,
  });
  ids.child = await insertAppointment(t, {
    slot: s[2],
    personId: childId,
    source: 'portal',
    bookedByAccountId: accountId,
  });
  ids.clinicCancelled = await insertAppointment(t, { slot: s[3], personId: copy.id, source: 'doctor' });
  const at = (ms: number) => new Date(t.ctx.now().getTime() + ms);
  await t.ctx.db
    .update(appointments)
    .set({ status: 'cancelled', cancelledAt: at(60_000), cancelledBy: 'clinic', cancelledVia: 'registry' })
    .where(eq(appointments.id, ids.clinicCancelled));
  ids.visited = await insertAppointment(t, { slot: s[5], personId: copy.id, source: 'infomat', status: 'visited' });
  await t.ctx.db
    .update(appointments)
    .set({ statusChangedAt: at(120_000), statusChangedVia: 'doctor' })
    .where(eq(appointments.id, ids.visited));
});
afterAll(async () => t.close());

const lines = (h: PersonHistoryResponse) =>
  h.entries.map((e) => [Object.entries(ids).find(([, id]) => id === e.appointmentId)?.[0], e.kind, e.who, e.channel]);

describe('the holder’s history', () => {
  it('an e-mail session: only this account’s portal bookings, with the cancel made through the API', async () => {
    const c = await sessionClient(t, accountId, 'password');
    t.clock.advance(5 * 60_000);
    const cancel = await c.post(`/api/appointments/${ids.portal}/cancel`, {});
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const res = await c.get<PersonHistoryResponse>(`/api/persons/${mainId}/history`);
    expect(res.status).toBe(200);
    expect(lines(res.body)).toEqual([
      ['portal', 'cancelled', 'you', 'portal'],
      ['portal', 'booked', 'you', 'portal'],
    ]);
    const cancelled = res.body.entries[0];
    expect(cancelled.at).toBe(t.ctx.now().toISOString());
    // In the organisation's zone, not the server's.
    expect(cancelled.localAt).toBe(localDateTimeOf(t.ctx.now(), setup.organisation.timeZone));
    expect(cancelled.timeZone).toBe(setup.organisation.timeZone);
    expect(cancelled.visit).toMatchObject({
      localStart: localDateTimeOf(setup.slots[4].startAt, setup.organisation.timeZone),
      organisation: setup.organisation.name,
    });
  });

  it('an ЕСИА session: every channel’s visits of the holder too, never another account’s portal booking', async () => {
    const c = await sessionClient(t, accountId, 'esia');
    const res = await c.get<PersonHistoryResponse>(`/api/persons/${mainId}/history`);
    expect(res.status).toBe(200);
    const seen = lines(res.body);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['portal', 'cancelled', 'you', 'portal'],
        ['registry', 'booked', 'registry', 'registry'],
        ['clinicCancelled', 'booked', 'doctor', 'doctor'],
        ['clinicCancelled', 'cancelled', 'clinic', 'clinic_decision'],
        ['visited', 'booked', 'you', 'infomat'],
        ['visited', 'visited', 'doctor', 'doctor'],
      ]),
    );
    expect(seen.some((l) => l[0] === 'foreign' || l[0] === undefined)).toBe(false);
    // Newest first.
    const times = res.body.entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('another person of the card file', () => {
  it.each(['password', 'esia'] as const)('a %s session sees this account’s portal bookings only', async (method) => {
    const c = await sessionClient(t, accountId, method);
    const res = await c.get<PersonHistoryResponse>(`/api/persons/${childId}/history`);
    expect(res.status).toBe(200);
    expect(res.body.person).toEqual({ id: childId, name: 'Иванова Пётр Петровна' });
    expect(lines(res.body)).toEqual([['child', 'booked', 'you', 'portal']]);
  });
});

describe('refusals', () => {
  it('someone else’s person is not found, whatever the session', async () => {
    for (const method of ['password', 'esia'] as const) {
      const c = await sessionClient(t, accountId, method);
      const res = await c.get<{ code: string }>(`/api/persons/${otherPersonId}/history`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('PERSON_NOT_FOUND');
    }
  });

  it('an id that is not one is a 400; an unknown one a 404', async () => {
    const c = await sessionClient(t, accountId);
    const bad = await c.get<{ code: string }>('/api/persons/12345/history');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const unknown = await c.get<{ code: string }>('/api/persons/00000000-0000-4000-8000-000000000000/history');
    expect(unknown.status).toBe(404);
  });

  it('a staff account has no card file: FORBIDDEN', async () => {
    const moderator = await createAccount(t.ctx, { role: 'moderator' });
    const c = await sessionClient(t, moderator.id);
    const res = await c.get<{ code: string }>(`/api/persons/${mainId}/history`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('without a session: sign in first', async () => {
    const res = await t.client().get<{ code: string }>(`/api/persons/${mainId}/history`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('NOT_AUTHENTICATED');
  });
});
