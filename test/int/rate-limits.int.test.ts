// The per-minute rate limits of the patient's families of routes (src/server/rate-limits.ts):
// joining the waitlist, checking e-mail links' tokens, and every other change a patient
// makes. Each family has one counter per account (per client address before sign-in) across
// its routes; at the limit the answer is 429 RATE_LIMITED and nothing is written.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/server/errors.js';
import {
  accounts,
  appointments,
  notificationPreferences,
  persons,
  waitlistEntries,
} from '../../src/server/db/schema.js';
import type { JsonResponse } from '../support/client.js';
import { createAppointmentRow, createBookableSetup } from '../factories/catalogue.js';
import {
  createAccount,
  createPerson,
  outboxFor,
  runJobs,
  tokenFromLink,
  uniquePolicy,
  uniqueSnils,
} from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';
import { busyDoctor } from './waitlist.helpers.js';

const WAITLIST = 2;
const TOKEN = 3;
const PATIENT = 4;

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({
    env: {
      WAITLIST_RATE_PER_MINUTE: String(WAITLIST),
      TOKEN_RATE_PER_MINUTE: String(TOKEN),
      PATIENT_RATE_PER_MINUTE: String(PATIENT),
    },
  });
});
afterAll(async () => t.close());

function expectLimited(res: JsonResponse): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ code: 'RATE_LIMITED', message: errorCatalogue.RATE_LIMITED.message });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

async function patientWithPerson() {
  const account = await createAccount(t.ctx);
  const person = await createPerson(t.ctx, account.id, { isMain: true, status: 'confirmed' });
  return { account, person, client: await sessionClient(t, account.id) };
}

function personInput() {
  return {
    lastName: 'Петров',
    firstName: 'Алексей',
    middleName: 'Игоревич',
    birthDate: '1979-03-21',
    sex: 'M',
    snils: uniqueSnils(),
    policy: uniquePolicy(),
    phone: '+7 912 000-11-22',
  };
}

describe('joining the waitlist', () => {
  it(`allows ${WAITLIST} a minute per account, then 429 with nothing written; another account is not affected`, async () => {
    const busy = await busyDoctor(t);
    const a = await patientWithPerson();
    const join = { personId: a.person.id, doctorId: busy.setup.doctor.id, kind: 'doctor' };
    // Refused attempts count too (a script guessing ids pays for each try).
    for (let i = 0; i < WAITLIST; i++) {
      expect((await a.client.post('/api/waitlist', { ...join, doctorId: 0 })).status).toBe(400);
    }
    expectLimited(await a.client.post('/api/waitlist', join));
    expect(await t.ctx.db.select().from(waitlistEntries).where(eq(waitlistEntries.personId, a.person.id))).toHaveLength(
      0,
    );

    const b = await patientWithPerson();
    const ok = await b.client.post('/api/waitlist', {
      personId: b.person.id,
      doctorId: busy.setup.doctor.id,
      kind: 'doctor',
    });
    expect(ok.status).toBe(201);
    // The other families keep their own counters: the limited account can still change its settings.
    expect((await a.client.put('/api/notifications/preferences', { email: false, push: true })).status).toBe(200);
  });
});

describe('checking e-mail links (guessing tokens)', () => {
  it(`allows ${TOKEN} checks a minute per address across confirmation and reset, then 429 with nothing changed`, async () => {
    const email = `limits-${Date.now()}@example.test`;
    await t.client().post('/api/auth/signup', { email, password: 'Надёжный-пароль-7' });
    await runJobs(t.ctx);
    const token = tokenFromLink((await outboxFor(t.ctx, email))[0].textBody, '/confirm-email');

    const guesser = t.client();
    await guesser.ensureCsrf();
    const answers: number[] = [];
    answers.push((await guesser.post('/api/auth/confirm-email', { token: 'a'.repeat(43) })).status);
    answers.push(
      (await guesser.post('/api/auth/reset', { token: 'b'.repeat(43), password: 'Новый-пароль-2026' })).status,
    );
    answers.push((await guesser.post('/api/auth/confirm-email', { token: 'c'.repeat(43) })).status);
    expect(answers).toEqual(Array(TOKEN).fill(400));
    // Now even the right token is refused, from this address, on both routes.
    expectLimited(await guesser.post('/api/auth/confirm-email', { token }));
    expectLimited(await t.client().post('/api/auth/reset', { token, password: 'Новый-пароль-2026' }));
    const [row] = await t.ctx.db.select().from(accounts).where(sql`lower(${accounts.email}) = ${email}`);
    expect(row.emailConfirmedAt).toBeNull();
    expect(guesser.cookies.has('priyom_session')).toBe(false);
  });
});

describe('every other change a patient makes', () => {
  it(`allows ${PATIENT} a minute per account across the family's routes, then 429 with nothing written`, async () => {
    const a = await patientWithPerson();
    const setup = await createBookableSetup(t.ctx);
    const visit = await createAppointmentRow(t.ctx, setup.slots[2], a.person.id, {
      source: 'portal',
      bookedByAccountId: a.account.id,
    });
    const answers: number[] = [];
    answers.push((await a.client.post('/api/persons', personInput())).status);
    answers.push((await a.client.put('/api/notifications/preferences', { email: false, push: false })).status);
    answers.push((await a.client.post('/api/notifications/read-all')).status);
    answers.push((await a.client.request('DELETE', `/api/holds/${setup.slots[0].id}`)).status);
    expect(answers).toEqual([201, 200, 200, 404]);

    const personsBefore = await t.ctx.db.select().from(persons).where(eq(persons.accountId, a.account.id));
    expectLimited(await a.client.post(`/api/appointments/${visit.id}/cancel`));
    expectLimited(await a.client.post('/api/persons', personInput()));
    expectLimited(await a.client.put(`/api/persons/${a.person.id}`, personInput()));
    expectLimited(await a.client.put('/api/notifications/preferences', { email: true, push: true }));
    expectLimited(await a.client.post('/api/offers/00000000-0000-4000-8000-000000000000/confirm'));
    expectLimited(await a.client.post('/api/offers/00000000-0000-4000-8000-000000000000/decline'));
    expectLimited(await a.client.post('/api/waitlist/00000000-0000-4000-8000-000000000000/leave'));
    expectLimited(await a.client.post('/api/moves/00000000-0000-4000-8000-000000000000/confirm'));
    expectLimited(await a.client.post('/api/moves/00000000-0000-4000-8000-000000000000/decline'));
    expectLimited(await a.client.post('/api/notifications/1/read'));
    expectLimited(
      await a.client.post('/api/push/subscriptions', {
        endpoint: 'https://push.example.test/x',
        keys: { p256dh: 'x', auth: 'y' },
      }),
    );
    expectLimited(
      await a.client.request('DELETE', '/api/push/subscriptions?endpoint=https%3A%2F%2Fpush.example.test%2Fx'),
    );

    const [still] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(still.status).toBe('booked');
    expect(await t.ctx.db.select().from(persons).where(eq(persons.accountId, a.account.id))).toEqual(personsBefore);
    const [prefs] = await t.ctx.db
      .select()
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.accountId, a.account.id)));
    expect(prefs).toMatchObject({ email: false, push: false });

    // Per account: another account's changes go through; booking keeps its own limit.
    const b = await patientWithPerson();
    expect((await b.client.post('/api/persons', personInput())).status).toBe(201);
    const other = await createBookableSetup(t.ctx);
    expect((await a.client.post('/api/holds', { slotId: other.slots[1].id, personId: a.person.id })).status).toBe(200);
  });

  it('counts anonymous callers by address: they are refused as unauthenticated until the limit, then 429', async () => {
    const anon = t.client();
    await anon.ensureCsrf();
    for (let i = 0; i < PATIENT; i++) expect((await anon.post('/api/notifications/read-all')).status).toBe(401);
    expectLimited(await anon.post('/api/notifications/read-all'));
  });
});
