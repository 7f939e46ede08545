// The family from ЕСИА (SPEC 8a): at an ЕСИА sign-in the children ЕСИА knows join the card
// file, confirmed, with their СНИЛС, birth certificate and полис; a child entered by hand with
// the same СНИЛС is linked and confirmed instead of duplicated; the next sign-in adds nothing
// twice; changed names in ЕСИА are copied onto the people; ЕСИА not answering about the
// children never stops the sign-in. Against the stand-in, on PGlite and PostgreSQL.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardFilePerson, SessionResponse } from '../../src/shared/api/index.js';
import { accounts, auditLog, persons } from '../../src/server/db/schema.js';
import { STANDIN, todayOf } from '../../src/server/esia-standin/citizens.js';
import { createAccount, createPerson, signIn, uniquePolicy } from '../factories/identity.js';
import { createEsiaTestContext, redirectedTo, signInThroughEsia, type EsiaTestContext } from './esia.helpers.js';
import { AppError } from '../../src/server/errors.js';
import type { EsiaClient } from '../../src/server/modules/identity/esia/esia.client.js';
import { syncFamily, type FamilyLog } from '../../src/server/modules/identity/esia/family.service.js';

const digits = (snils: string) => snils.replace(/\D/g, '');
const [MIKHAIL, SOFYA] = STANDIN.anna.kids;

async function peopleOf(e: EsiaTestContext, accountId: string) {
  // Main person first, then by first name (rows added in one transaction share their time).
  return e.t.ctx.db
    .select()
    .from(persons)
    .where(eq(persons.accountId, accountId))
    .orderBy(desc(persons.isMain), asc(persons.firstName));
}

async function auditOf(e: EsiaTestContext, personIds: string[]) {
  return e.t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'person'), inArray(auditLog.entityId, personIds)))
    .orderBy(auditLog.id);
}

/** An e-mail account of Anna (confirmed main person, same СНИЛС and birth date as ЕСИА's). */
async function annaByEmail(e: EsiaTestContext) {
  const account = await createAccount(e.t.ctx, { email: `anna.${Date.now()}@example.test` });
  const main = await createPerson(e.t.ctx, account.id, {
    isMain: true,
    lastName: 'Иванова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    snils: digits(STANDIN.anna.snils!),
    birthDate: STANDIN.anna.birthDate,
  });
  return { account, main };
}

describe('a first ЕСИА sign-in that completes the registration', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext();
  });
  afterAll(async () => e.close());

  it('brings both children into the new card file, confirmed, with СНИЛС, birth certificate and полис', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/esia/register');
    // Nothing is written before the полис is entered, the children neither.
    expect(await e.t.ctx.db.select().from(persons)).toHaveLength(0);
    const done = await c.post<SessionResponse>('/api/esia/registration', { policy: uniquePolicy() });
    expect(done.status).toBe(200);
    const accountId = done.body.account!.id;
    const people = await peopleOf(e, accountId);
    expect(people.map((p) => [p.firstName, p.isMain, p.status, p.esiaOid])).toEqual([
      ['Анна', true, 'confirmed', null],
      ['Михаил', false, 'confirmed', MIKHAIL.id],
      ['Софья', false, 'confirmed', SOFYA.id],
    ]);
    expect(people[2]).toMatchObject({
      lastName: 'Иванова',
      middleName: 'Андреевна',
      birthDate: '2022-04-09',
      sex: 'F',
      snils: SOFYA.snils,
      policy: SOFYA.policy,
      birthCertSeries: 'IV-НИ',
      birthCertNumber: '718342',
      decidedBy: null,
    });
    const card = await c.get<{ persons: CardFilePerson[] }>('/api/cardfile');
    // The card file shows the certificate ЕСИА gave (to this account only).
    expect(card.body.persons.find((p) => p.firstName === 'Софья')?.birthCertificate).toEqual({
      series: 'IV-НИ',
      number: '718342',
    });
    expect(card.body.persons.find((p) => p.firstName === 'Анна')?.birthCertificate).toBeNull();
    expect(card.body.persons.map((p) => [p.firstName, p.status]).sort()).toEqual([
      ['Анна', 'confirmed'],
      ['Михаил', 'confirmed'],
      ['Софья', 'confirmed'],
    ]);
    const audit = await auditOf(
      e,
      people.slice(1).map((p) => p.id),
    );
    expect(audit.map((a) => [a.action, a.entityId, a.actorAccountId]).sort()).toEqual(
      [
        ['person.esia_kid_add', people[1].id, accountId],
        ['person.esia_kid_add', people[2].id, accountId],
      ].sort(),
    );
    // Ids only: no names, СНИЛС or certificate in the audit log.
    expect(JSON.stringify(audit.map((a) => a.details))).not.toMatch(/Софья|Михаил|\d{6}/);
  });
});

describe('ЕСИА sign-ins to an e-mail account that already holds a child', () => {
  let e: EsiaTestContext;
  let accountId: string;
  let mainId: string;
  let byHandId: string;
  beforeAll(async () => {
    e = await createEsiaTestContext();
    const anna = await annaByEmail(e);
    accountId = anna.account.id;
    mainId = anna.main.id;
    // Mikhail typed in by hand, waiting for the moderator, his first name spelt differently.
    byHandId = (
      await createPerson(e.t.ctx, accountId, {
        lastName: 'Иванов',
        firstName: 'Михаэль',
        middleName: 'Андреевич',
        sex: 'M',
        snils: MIKHAIL.snils!,
        birthDate: MIKHAIL.birthDate(todayOf(e.t.clock.current)),
        status: 'pending',
      })
    ).id;
  });
  afterAll(async () => e.close());

  it('links and confirms the hand-entered child instead of duplicating him, and adds the other', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/cardfile');
    const people = await peopleOf(e, accountId);
    expect(people).toHaveLength(3);
    const mikhail = people.find((p) => p.id === byHandId)!;
    expect(mikhail).toMatchObject({
      firstName: 'Михаил',
      status: 'confirmed',
      esiaOid: MIKHAIL.id,
      birthCertSeries: 'III-НИ',
      birthCertNumber: '604215',
    });
    expect(people.find((p) => p.esiaOid === SOFYA.id)).toMatchObject({ status: 'confirmed', firstName: 'Софья' });
    const audit = await auditOf(e, [byHandId]);
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      [
        'person.esia_kid_update',
        {
          via: 'esia',
          fields: ['firstName', 'esiaOid', 'status', 'birthCertSeries', 'birthCertNumber'],
        },
      ],
    ]);
  });

  it('a second sign-in adds nobody twice and writes nothing new', async () => {
    const before = await peopleOf(e, accountId);
    const auditBefore = (await e.t.ctx.db.select().from(auditLog)).length;
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.anna.oid))).toBe('/cardfile');
    expect(await peopleOf(e, accountId)).toEqual(before);
    expect(await e.t.ctx.db.select().from(auditLog)).toHaveLength(auditBefore);
  });

  it('copies names changed in ЕСИА onto the main person and the child at the next sign-in', async () => {
    // The card file holds older names (as if ЕСИА's had changed since).
    await e.t.ctx.db.update(persons).set({ lastName: 'Смирнова' }).where(eq(persons.id, mainId));
    await e.t.ctx.db.update(persons).set({ firstName: 'Софии', middleName: null }).where(eq(persons.esiaOid, SOFYA.id));
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.anna.oid))).toBe('/cardfile');
    const people = await peopleOf(e, accountId);
    expect(people.find((p) => p.id === mainId)).toMatchObject({ lastName: 'Иванова', status: 'confirmed' });
    const sofya = people.find((p) => p.esiaOid === SOFYA.id)!;
    expect(sofya).toMatchObject({ firstName: 'Софья', middleName: 'Андреевна' });
    const audit = await auditOf(e, [mainId, sofya.id]);
    expect(audit.slice(-2).map((a) => [a.action, a.entityId, a.details])).toEqual([
      ['person.esia_update', mainId, { via: 'esia', fields: ['lastName'] }],
      ['person.esia_kid_update', sofya.id, { via: 'esia', fields: ['firstName', 'middleName'] }],
    ]);
  });

  it('an e-mail session of the same account sees the children ЕСИА brought', async () => {
    const account = (await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, accountId)))[0];
    const c = await signIn(e.t, account.email!, 'Test-password-1');
    const card = await c.get<{ persons: CardFilePerson[] }>('/api/cardfile');
    expect(card.body.persons.map((p) => p.firstName).sort()).toEqual(['Анна', 'Михаил', 'Софья']);
  });
});

describe('ЕСИА not answering about the children', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext();
  });
  afterAll(async () => e.close());

  it('signs in all the same, with the card file as it was; the next sign-in brings the children', async () => {
    const { account } = await annaByEmail(e);
    e.setFaults('kids-down');
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/cardfile');
    expect((await c.get<SessionResponse>('/api/session')).body.account?.authMethod).toBe('esia');
    expect(await peopleOf(e, account.id)).toHaveLength(1);

    e.setFaults();
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.anna.oid))).toBe('/cardfile');
    expect((await peopleOf(e, account.id)).map((p) => p.firstName)).toEqual(['Анна', 'Михаил', 'Софья']);
  });

  it('a first sign-in completes its registration without the children when ЕСИА does not give them', async () => {
    const fresh = await createEsiaTestContext();
    try {
      fresh.setFaults('kids-down');
      const c = fresh.t.client();
      expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/esia/register');
      const done = await c.post<SessionResponse>('/api/esia/registration', { policy: uniquePolicy() });
      expect(done.status).toBe(200);
      expect(await peopleOf(fresh, done.body.account!.id)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('an untrusted ЕСИА account brings no children', async () => {
    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.untrusted.oid))).toBe('/esia/register');
    const done = await c.post<SessionResponse>('/api/esia/registration', { policy: uniquePolicy() });
    expect(done.status).toBe(200);
    expect(await peopleOf(e, done.body.account!.id)).toHaveLength(1);
  });
});

describe('what the family sync logs', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext();
  });
  afterAll(async () => e.close());

  function recorder(): { log: FamilyLog; lines: string[] } {
    const lines: string[] = [];
    const push = (fields: Record<string, unknown>, message: string) => {
      lines.push(JSON.stringify({ fields, message }));
    };
    return { log: { warn: push, info: push }, lines };
  }
  const person = {
    status: 'Registered' as const,
    trusted: true,
    lastName: 'Иванова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    birthDate: STANDIN.anna.birthDate,
    sex: 'F' as const,
    snils: digits(STANDIN.anna.snils!),
  };
  const tokens = { accessToken: 'token', oid: STANDIN.anna.oid };

  it('ЕСИА failing: the error code only, and the card file is as it was', async () => {
    const { account } = await annaByEmail(e);
    const failing = { kids: async () => Promise.reject(new AppError('ESIA_TIMEOUT')) } as unknown as EsiaClient;
    const { log, lines } = recorder();
    await syncFamily(e.t.ctx, failing, { tokens, person, accountId: account.id, log });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).fields).toEqual({ esiaKids: 'ESIA_TIMEOUT' });
    expect(await peopleOf(e, account.id)).toHaveLength(1);
  });

  it('children the card file cannot hold: their reasons only, never their data', async () => {
    const { account } = await annaByEmail(e);
    const noPolicy = {
      kids: async () => [
        {
          oid: SOFYA.id,
          lastName: 'Иванова',
          firstName: 'Софья',
          middleName: null,
          birthDate: '2022-04-09',
          sex: 'F',
          snils: SOFYA.snils,
          birthCert: null,
          policy: null,
        },
      ],
    } as unknown as EsiaClient;
    const { log, lines } = recorder();
    await syncFamily(e.t.ctx, noPolicy, { tokens, person, accountId: account.id, log });
    expect(lines.map((l) => JSON.parse(l).fields)).toEqual([{ esiaKidsSkipped: ['no-policy'] }]);
    expect(lines.join('\n')).not.toMatch(/Софья|Иванова|\d{11}/);
    expect(await peopleOf(e, account.id)).toHaveLength(1);
  });
});
