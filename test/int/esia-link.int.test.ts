// A first ЕСИА sign-in finds the e-mail account of the same real person: exactly one
// account whose confirmed main person has ЕСИА's СНИЛС and birth date (and no ЕСИА link)
// is linked, and its holder is told by e-mail; several such accounts are not guessed
// between. The start and the callback are rate-limited like the login.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../src/shared/api/index.js';
import { accounts, outbox } from '../../src/server/db/schema.js';
import { STANDIN } from '../../src/server/esia-standin/citizens.js';
import { createAccount, createPerson } from '../factories/identity.js';
import {
  counts,
  createEsiaTestContext,
  expectErrorPage,
  redirectedTo,
  signInThroughEsia,
  type EsiaTestContext,
} from './esia.helpers.js';

const digits = (snils: string) => snils.replace(/\D/g, '');

describe('linking a first ЕСИА sign-in to the e-mail account of the same person', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext();
  });
  afterAll(async () => e.close());

  it('one confirmed match: ЕСИА signs in to that account and its holder is e-mailed', async () => {
    const anna = await createAccount(e.t.ctx, { email: 'anna.demo@example.test' });
    await createPerson(e.t.ctx, anna.id, {
      isMain: true,
      snils: digits(STANDIN.anna.snils!),
      birthDate: STANDIN.anna.birthDate,
    });
    // Same СНИЛС but another birth date, and a pending copy: neither counts.
    const near = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, near.id, { isMain: true, snils: digits(STANDIN.anna.snils!), birthDate: '1988-06-15' });
    const pending = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, pending.id, {
      isMain: true,
      status: 'pending',
      snils: digits(STANDIN.anna.snils!),
      birthDate: STANDIN.anna.birthDate,
    });
    const before = await counts(e.t);

    const c = e.t.client();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.anna.oid))).toBe('/cardfile');
    expect((await c.get<SessionResponse>('/api/session')).body.account).toMatchObject({
      id: anna.id,
      authMethod: 'esia',
      mainPersonStatus: 'confirmed',
    });
    // ЕСИА's two children of Анна join her card file (esia-kids.int.test.ts).
    expect(await counts(e.t)).toEqual({
      ...before,
      persons: before.persons + 2,
      sessions: before.sessions + 1,
      linked: before.linked + 1,
    });
    const row = (await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, anna.id)))[0];
    expect(row.esiaOid).toBe(STANDIN.anna.oid);
    expect(row.esiaLinkedAt).toEqual(e.t.clock.current);
    const mails = await e.t.ctx.db.select().from(outbox).where(eq(outbox.accountId, anna.id));
    expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([['esia_linked', 'anna.demo@example.test']]);

    // The second time it is a plain sign-in: no second letter.
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.anna.oid))).toBe('/cardfile');
    expect(await e.t.ctx.db.select().from(outbox).where(eq(outbox.accountId, anna.id))).toHaveLength(1);
  });

  it('two confirmed matches: no guessing, the person registers a new account', async () => {
    for (let i = 0; i < 2; i++) {
      const a = await createAccount(e.t.ctx);
      await createPerson(e.t.ctx, a.id, {
        isMain: true,
        snils: digits(STANDIN.yo.snils!),
        birthDate: STANDIN.yo.birthDate,
      });
    }
    const before = await counts(e.t);
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.yo.oid))).toBe('/esia/register');
    expect(await counts(e.t)).toEqual(before);
  });

  it('an untrusted person is never linked by СНИЛС', async () => {
    const a = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, a.id, {
      isMain: true,
      snils: digits(STANDIN.untrusted.snils!),
      birthDate: STANDIN.untrusted.birthDate,
    });
    expect(redirectedTo(await signInThroughEsia(e.t.client(), STANDIN.untrusted.oid))).toBe('/esia/register');
    expect((await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, a.id)))[0].esiaOid).toBeNull();
  });
});

describe('rate limits', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
  });
  afterAll(async () => e.close());

  it('too many starts from one address end on the error page, not a JSON body', async () => {
    const c = e.t.client();
    for (let i = 0; i < 3; i++) expect((await c.get('/api/esia/start')).status).toBe(303);
    expectErrorPage(await c.get('/api/esia/start'), 'RATE_LIMITED');
    for (let i = 0; i < 3; i++) await c.get('/api/esia/callback?state=x');
    expectErrorPage(await c.get('/api/esia/callback?state=x'), 'RATE_LIMITED');
  });
});
