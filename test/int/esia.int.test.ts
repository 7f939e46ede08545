// Signing in through ЕСИА against the stand-in: a first sign-in completes the registration
// (trusted -> confirmed main person, untrusted or without СНИЛС -> the moderator), the
// session is an ЕСИА one and the card file shows the main person's visits from every
// channel; linking an e-mail account from its settings (password first); an oid linked
// to one account never links to another.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardFilePerson, SessionResponse } from '../../src/shared/api/index.js';
import type { EsiaLinkStatus, EsiaRegistration } from '../../src/shared/api/esia.js';
import { accounts, auditLog, esiaRequests, outbox, persons, sessions } from '../../src/server/db/schema.js';
import { STANDIN } from '../../src/server/esia-standin/citizens.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson, signIn, uniquePolicy } from '../factories/identity.js';
import { insertAppointment } from './booking.helpers.js';
import {
  counts,
  createEsiaTestContext,
  expectErrorPage,
  redirectedTo,
  requestCount,
  signInThroughEsia,
  startLogin,
  consent,
  type EsiaTestContext,
} from './esia.helpers.js';

let e: EsiaTestContext;
beforeAll(async () => {
  e = await createEsiaTestContext();
});
afterAll(async () => e.close());

const digits = (snils: string) => snils.replace(/\D/g, '');

async function accountByOid(oid: string) {
  return (await e.t.ctx.db.select().from(accounts).where(eq(accounts.esiaOid, oid)))[0];
}
async function mainOf(accountId: string) {
  return (
    await e.t.ctx.db
      .select()
      .from(persons)
      .where(and(eq(persons.accountId, accountId), eq(persons.isMain, true)))
  )[0];
}
async function sessionMethods(accountId: string): Promise<string[]> {
  return (await e.t.ctx.db.select().from(sessions).where(eq(sessions.accountId, accountId))).map((s) => s.authMethod);
}

describe('a first sign-in of a trusted person', () => {
  let accountId: string;
  const policy = uniquePolicy();

  it('goes to the registration page; nothing is written before the полис is entered', async () => {
    const c = e.t.client();
    const before = await counts(e.t);
    const res = await signInThroughEsia(c, STANDIN.yo.oid, '/doctors');
    expect(redirectedTo(res)).toBe('/esia/register');
    // The data waits in a sealed HttpOnly cookie, never in the URL.
    const cookie = res.raw.cookies.find((k) => k.name === 'priyom_esia_reg');
    expect(cookie).toMatchObject({ httpOnly: true, path: '/api/esia', sameSite: 'Lax' });
    expect(cookie!.value).not.toContain('Семёнова');
    expect(String(res.headers.location)).not.toMatch(/\d{11}/);
    expect(await counts(e.t)).toEqual(before);

    const reg = await c.get<EsiaRegistration>('/api/esia/registration');
    expect(reg.body).toEqual({
      lastName: 'Семёнова-Ёлкина',
      firstName: 'Алёна',
      middleName: 'Фёдоровна',
      birthDate: '1993-08-30',
      sex: 'F',
      snils: digits(STANDIN.yo.snils!),
      email: 'alena.semyonova@example.org',
      confirmed: true,
      existingAccount: false,
    });
    // A tampered cookie is worth nothing.
    const tampered = e.t.client();
    tampered.cookies.set('priyom_esia_reg', `${cookie!.value.slice(0, -4)}AAAA`);
    const refused = await tampered.get<{ code: string }>('/api/esia/registration');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('ESIA_REGISTRATION_EXPIRED');

    const bad = await c.post<{ code: string; fields: Record<string, string> }>('/api/esia/registration', {
      policy: '123',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.policy).toBe('Номер полиса ОМС состоит из 16 цифр');
    expect(await counts(e.t)).toEqual(before);

    const done = await c.post<SessionResponse>('/api/esia/registration', { policy });
    expect(done.status).toBe(200);
    expect(done.body.account).toMatchObject({
      authMethod: 'esia',
      role: 'patient',
      mainPersonStatus: 'confirmed',
      email: 'alena.semyonova@example.org',
    });
    accountId = done.body.account!.id;
    expect((await c.get<SessionResponse>('/api/session')).body.account?.authMethod).toBe('esia');
    expect(c.cookies.has('priyom_esia_reg')).toBe(false);
  });

  it('keys the account on the oid, with a confirmed main person from ЕСИА’s data and no password', async () => {
    const account = await accountByOid(STANDIN.yo.oid);
    expect(account).toMatchObject({ id: accountId, passwordHash: null, esiaOid: STANDIN.yo.oid });
    expect(account.esiaLinkedAt).toEqual(e.t.clock.current);
    const main = await mainOf(accountId);
    expect(main).toMatchObject({
      lastName: 'Семёнова-Ёлкина',
      firstName: 'Алёна',
      middleName: 'Фёдоровна',
      birthDate: '1993-08-30',
      sex: 'F',
      snils: digits(STANDIN.yo.snils!),
      policy,
      phone: '+79120000104',
      status: 'confirmed',
      decidedBy: null,
    });
    const audit = await e.t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, main.id));
    expect(audit.map((a) => a.action)).toEqual(['person.confirm_esia']);
    expect(await sessionMethods(accountId)).toEqual(['esia']);
  });

  it('signs in again straight to the card file (ЕСИА is re-read, nothing new is made)', async () => {
    const before = await counts(e.t);
    const c = e.t.client();
    const res = await signInThroughEsia(c, STANDIN.yo.oid, '/doctors');
    expect(redirectedTo(res)).toBe('/doctors');
    expect(res.raw.cookies.find((k) => k.name === 'priyom_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect((await c.get<SessionResponse>('/api/session')).body.account).toMatchObject({
      id: accountId,
      authMethod: 'esia',
    });
    expect(await counts(e.t)).toEqual({ ...before, sessions: before.sessions + 1 });
  });

  it('the card file of the ЕСИА session shows the main person’s visits from every channel, never another account’s portal booking', async () => {
    const main = await mainOf(accountId);
    const setup = await createBookableSetup(e.t.ctx);
    const registry = await insertAppointment(e.t, { slot: setup.slots[0], personId: main.id, source: 'registry' });
    const infomat = await insertAppointment(e.t, { slot: setup.slots[1], personId: main.id, source: 'infomat' });
    const queue = await insertAppointment(e.t, { slot: setup.slots[2], personId: main.id, source: 'electronic_queue' });
    // Someone else's card file holds the same person and booked her through the portal.
    const other = await createAccount(e.t.ctx);
    const copy = await createPerson(e.t.ctx, other.id, { isMain: false, snils: main.snils, birthDate: main.birthDate });
    const foreign = await insertAppointment(e.t, {
      slot: setup.slots[3],
      personId: copy.id,
      source: 'portal',
      bookedByAccountId: other.id,
    });

    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.yo.oid))).toBe('/cardfile');
    const res = await c.get<{ persons: CardFilePerson[] }>('/api/cardfile');
    expect(res.status).toBe(200);
    const ids = res.body.persons[0].futureVisits.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining([registry, infomat, queue]));
    expect(ids).not.toContain(foreign);
  });
});

describe('a first sign-in of an untrusted person, or one without a СНИЛС', () => {
  it('untrusted: the main person waits for the moderator, like an e-mail sign-up', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.untrusted.oid))).toBe('/esia/register');
    expect((await c.get<EsiaRegistration>('/api/esia/registration')).body).toMatchObject({
      confirmed: false,
      snils: digits(STANDIN.untrusted.snils!),
    });
    const done = await c.post<SessionResponse>('/api/esia/registration', { policy: uniquePolicy() });
    expect(done.body.account).toMatchObject({ authMethod: 'esia', mainPersonStatus: 'pending' });
    const account = await accountByOid(STANDIN.untrusted.oid);
    expect((await mainOf(account.id)).status).toBe('pending');
    // In the moderators' queue.
    const moderator = await createAccount(e.t.ctx, { role: 'moderator' });
    const m = await signIn(e.t, moderator.email, moderator.password);
    const queue = await m.get<{ items: Array<{ id: string }> }>('/api/moderation/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((p) => p.id)).toContain((await mainOf(account.id)).id);
  });

  it('no СНИЛС in ЕСИА: the page asks for it, and the person waits for the moderator', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.noSnils.oid))).toBe('/esia/register');
    expect((await c.get<EsiaRegistration>('/api/esia/registration')).body).toMatchObject({
      snils: null,
      confirmed: false,
      email: null,
    });
    const before = await counts(e.t);
    const missing = await c.post<{ fields: Record<string, string> }>('/api/esia/registration', {
      policy: uniquePolicy(),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual({ snils: 'Введите СНИЛС' });
    const wrong = await c.post<{ fields: Record<string, string> }>('/api/esia/registration', {
      policy: uniquePolicy(),
      snils: '150-000-050 00',
    });
    expect(wrong.body.fields.snils).toBe('Проверьте СНИЛС: контрольное число не совпадает');
    expect(await counts(e.t)).toEqual(before);
    const { snilsWithChecksum } = await import('../../src/shared/validation.js');
    const snils = snilsWithChecksum('150000050');
    const done = await c.post<SessionResponse>('/api/esia/registration', {
      policy: uniquePolicy(),
      snils: `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`,
    });
    expect(done.body.account).toMatchObject({ authMethod: 'esia', mainPersonStatus: 'pending', email: null });
    const account = await accountByOid(STANDIN.noSnils.oid);
    expect(account.email).toBeNull();
    expect(await mainOf(account.id)).toMatchObject({ snils, status: 'pending' });
  });
});

describe('linking Госуслуги from the settings of an e-mail account', () => {
  let account: { id: string; email: string; password: string };

  beforeAll(async () => {
    account = await createAccount(e.t.ctx);
    // Anna typed her data in herself; the moderator has not decided yet.
    await createPerson(e.t.ctx, account.id, {
      isMain: true,
      status: 'pending',
      lastName: 'Иванова',
      firstName: 'Анна',
      middleName: 'Сергеевна',
      birthDate: STANDIN.anna.birthDate,
      snils: digits(STANDIN.anna.snils!),
    });
  });

  it('a wrong password is refused and nothing is written', async () => {
    const c = await signIn(e.t, account.email, account.password);
    const before = { ...(await counts(e.t)), requests: await requestCount(e.t) };
    const res = await c.post<{ code: string }>('/api/esia/link', { password: 'Не-тот-пароль-1' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('ESIA_PASSWORD_WRONG');
    expect({ ...(await counts(e.t)), requests: await requestCount(e.t) }).toEqual(before);
    // Without the CSRF header it never gets that far.
    const noCsrf = await c.request(
      'POST',
      '/api/esia/link',
      { password: account.password },
      { 'x-csrf-token': 'wrong' },
    );
    expect(noCsrf.status).toBe(403);
    expect(await requestCount(e.t)).toBe(before.requests);
    // Signed out: 401.
    expect((await e.t.client().post('/api/esia/link', { password: account.password })).status).toBe(401);
  });

  it('deleted Госуслуги, or another real person’s (another СНИЛС), are refused', async () => {
    const c = await signIn(e.t, account.email, account.password);
    const start = await c.post<{ url: string }>('/api/esia/link', { password: account.password });
    const back = await consent(new URL(start.body.url), { citizen: STANDIN.deleted.oid });
    expectErrorPage(await c.get(back), 'ESIA_ACCOUNT_DELETED');
    const start2 = await c.post<{ url: string }>('/api/esia/link', { password: account.password });
    const other = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, other.id, { isMain: true });
    const co = await signIn(e.t, other.email, other.password);
    const startOther = await co.post<{ url: string }>('/api/esia/link', { password: other.password });
    const backOther = await consent(new URL(startOther.body.url), { citizen: STANDIN.anna.oid });
    expectErrorPage(await co.get(backOther), 'ESIA_PERSON_MISMATCH');
    expect((await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, other.id)))[0].esiaOid).toBeNull();
    // The first browser's started link is still usable.
    const back2 = await consent(new URL(start2.body.url), { citizen: STANDIN.anna.oid });
    expect(redirectedTo(await c.get(back2))).toBe('/settings?esia=linked');
  });

  it('the right password and the same person: linked, the pending main person confirmed by ЕСИА, the holder e-mailed', async () => {
    const row = (await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, account.id)))[0];
    expect(row.esiaOid).toBe(STANDIN.anna.oid);
    expect((await mainOf(account.id)).status).toBe('confirmed');
    const mails = await e.t.ctx.db.select().from(outbox).where(eq(outbox.accountId, account.id));
    expect(mails.map((m) => [m.kind, m.toAddress, m.subject])).toEqual([
      ['esia_linked', account.email, 'К личному кабинету привязаны Госуслуги'],
    ]);
    expect(mails[0].textBody).not.toMatch(/Иванова|\d{11}/);
    const requests = await e.t.ctx.db.select().from(esiaRequests).where(eq(esiaRequests.accountId, account.id));
    expect(requests.every((r) => r.purpose === 'link' && r.usedAt !== null)).toBe(true);

    const c = await signIn(e.t, account.email, account.password);
    expect((await c.get<EsiaLinkStatus>('/api/esia/link')).body).toMatchObject({
      linked: true,
      hasPassword: true,
      enabled: true,
    });
    // A second link is refused before going to ЕСИА.
    const again = await c.post<{ code: string }>('/api/esia/link', { password: account.password });
    expect(again.body.code).toBe('ESIA_OTHER_LINKED');
  });

  it('afterwards ЕСИА signs in to that account, with an ЕСИА session; e-mail and password still work', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/cardfile');
    expect((await c.get<SessionResponse>('/api/session')).body.account).toMatchObject({
      id: account.id,
      authMethod: 'esia',
      email: account.email,
    });
    const p = await signIn(e.t, account.email, account.password);
    expect((await p.get<SessionResponse>('/api/session')).body.account?.authMethod).toBe('password');
  });

  it('an oid already linked to another account is refused', async () => {
    const other = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, other.id, {
      isMain: true,
      snils: digits(STANDIN.anna.snils!),
      birthDate: STANDIN.anna.birthDate,
    });
    const c = await signIn(e.t, other.email, other.password);
    const before = await counts(e.t);
    const start = await c.post<{ url: string }>('/api/esia/link', { password: other.password });
    const back = await consent(new URL(start.body.url), { citizen: STANDIN.anna.oid });
    expectErrorPage(await c.get(back), 'ESIA_ALREADY_LINKED');
    expect(await counts(e.t)).toEqual(before);
    expect((await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, other.id)))[0].esiaOid).toBeNull();
    // The login page's start works without an account too (sanity of the browser binding).
    await startLogin(e.t.client());
  });
});
