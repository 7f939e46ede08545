// Every way an ЕСИА sign-in fails, against the stand-in on a real port: each ends on the
// portal's error page with its code (and only a code in the URL), gives no session and
// writes no account, person or link.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accounts, esiaRequests } from '../../src/server/db/schema.js';
import { STANDIN } from '../../src/server/esia-standin/citizens.js';
import { createAccount, createPerson, signIn } from '../factories/identity.js';
import {
  consent,
  counts,
  createEsiaTestContext,
  expectErrorPage,
  redirectedTo,
  signInThroughEsia,
  startLogin,
  type EsiaTestContext,
} from './esia.helpers.js';

let e: EsiaTestContext;
const START = '2026-11-25T09:00:00Z';

beforeAll(async () => {
  e = await createEsiaTestContext({ timeoutMs: 500, hangMs: 5_000 });
});
afterAll(async () => e.close());
afterEach(() => {
  e.setFaults();
  e.t.clock.set(START);
});

/** Runs a failing sign-in and checks that nothing but the used-up state was written. */
async function expectNothingWritten(run: () => Promise<void>): Promise<void> {
  const before = await counts(e.t);
  await run();
  expect(await counts(e.t)).toEqual(before);
}

describe('the answer from ЕСИА', () => {
  it('«Отказать» on ЕСИА’s page: access_denied ends on the error page', async () => {
    const c = e.t.client();
    await expectNothingWritten(async () => {
      const back = await consent(await startLogin(c), 'deny');
      expect(back).toContain('error=access_denied');
      expectErrorPage(await c.get(back), 'ESIA_DENIED');
    });
  });

  it('an unknown state is refused', async () => {
    const c = e.t.client();
    await startLogin(c);
    expectErrorPage(
      await c.get('/api/esia/callback?state=0f8fad5b-d9cb-469f-a165-70867728950e&code=x'),
      'ESIA_STATE_INVALID',
    );
    expectErrorPage(await c.get('/api/esia/callback?state=not-a-uuid&code=x'), 'ESIA_STATE_INVALID');
    expectErrorPage(await c.get('/api/esia/callback'), 'ESIA_STATE_INVALID');
  });

  it('a replayed answer (the same state and code twice) is refused the second time', async () => {
    const c = e.t.client();
    const back = await consent(await startLogin(c), { citizen: STANDIN.untrusted.oid });
    const first = await c.get(back);
    expect(redirectedTo(first)).toBe('/esia/register');
    await expectNothingWritten(async () => {
      expectErrorPage(await c.get(back), 'ESIA_STATE_USED');
    });
  });

  it('a replayed code with a fresh state: ЕСИА refuses the used code', async () => {
    const c = e.t.client();
    const back = await consent(await startLogin(c), { citizen: STANDIN.untrusted.oid });
    expect(redirectedTo(await c.get(back))).toBe('/esia/register');
    const oldCode = new URLSearchParams(back.split('?')[1]).get('code')!;
    const fresh = new URLSearchParams((await startLogin(c)).search).get('state')!;
    await expectNothingWritten(async () => {
      expectErrorPage(
        await c.get(`/api/esia/callback?state=${fresh}&code=${encodeURIComponent(oldCode)}`),
        'ESIA_CODE_REJECTED',
      );
    });
  });

  it('an expired code is refused by ЕСИА', async () => {
    const c = e.t.client();
    const back = await consent(await startLogin(c), { citizen: STANDIN.yo.oid });
    e.t.clock.advance(2 * 60_000); // the stand-in's codes live one minute
    await expectNothingWritten(async () => {
      expectErrorPage(await c.get(back), 'ESIA_CODE_REJECTED');
    });
  });

  it('a sign-in left too long on ЕСИА’s page: the request has expired', async () => {
    const c = e.t.client();
    const authorize = await startLogin(c);
    const back = await consent(authorize, { citizen: STANDIN.yo.oid });
    e.t.clock.advance(11 * 60_000);
    await expectNothingWritten(async () => {
      expectErrorPage(await c.get(back), 'ESIA_REQUEST_EXPIRED');
    });
    // Even the refused request is used up.
    const state = new URLSearchParams(authorize.search).get('state')!;
    const rows = await e.t.ctx.db.select().from(esiaRequests).where(eq(esiaRequests.state, state));
    expect(rows[0].usedAt).not.toBeNull();
  });

  it('an answer arriving in another browser (no or another binding cookie) is refused', async () => {
    const started = e.t.client();
    const back = await consent(await startLogin(started), { citizen: STANDIN.yo.oid });
    const other = e.t.client();
    await startLogin(other); // has a binding cookie of its own
    await expectNothingWritten(async () => {
      expectErrorPage(await other.get(back), 'ESIA_BROWSER_MISMATCH');
    });
    const bare = e.t.client();
    const back2 = await consent(await startLogin(started), { citizen: STANDIN.yo.oid });
    expectErrorPage(await bare.get(back2), 'ESIA_BROWSER_MISMATCH');
    // The victim's own browser cannot use it any more either: the state is spent.
    expectErrorPage(await started.get(back2), 'ESIA_STATE_USED');
  });
});

describe('faults of ЕСИА', () => {
  const cases: Array<[string, Parameters<EsiaTestContext['setFaults']>[0], string]> = [
    ['the token endpoint answers 500', 'token-error', 'ESIA_PROVIDER_ERROR'],
    ['the token endpoint hangs (timeout)', 'token-timeout', 'ESIA_TIMEOUT'],
    ['the access token’s signature is wrong', 'token-bad-signature', 'ESIA_TOKEN_INVALID'],
    ['the access token has no urn:esia:sbj_id', 'token-no-subject', 'ESIA_NO_SUBJECT'],
    ['the token response echoes another state', 'token-wrong-state', 'ESIA_STATE_MISMATCH'],
    ['the person endpoint is down', 'person-down', 'ESIA_PROVIDER_ERROR'],
  ];
  it.each(cases)('%s: %s -> %s', async (_name, fault, code) => {
    const c = e.t.client();
    const back = await consent(await startLogin(c), { citizen: STANDIN.yo.oid });
    e.setFaults(fault);
    await expectNothingWritten(async () => {
      const started = Date.now();
      expectErrorPage(await c.get(back), code);
      // The portal gives up (ESIA_TIMEOUT_MS) long before the hanging stand-in would answer.
      expect(Date.now() - started).toBeLessThan(4_000);
    });
  });

  it('the error page’s text comes from the catalogue, in Russian, and unknown codes read as the generic failure', async () => {
    const c = e.t.client();
    const res = await c.get<{ code: string; message: string }>('/api/esia/errors/ESIA_TIMEOUT');
    expect(res.body).toEqual({
      code: 'ESIA_TIMEOUT',
      message: 'Госуслуги не ответили вовремя. Попробуйте войти немного позже.',
    });
    expect((await c.get<{ code: string }>('/api/esia/errors/SLOT_TAKEN')).body.code).toBe('INTERNAL');
  });
});

describe('who ЕСИА says the person is', () => {
  it('a deleted ЕСИА account is refused', async () => {
    const c = e.t.client();
    await expectNothingWritten(async () => {
      expectErrorPage(await signInThroughEsia(c, STANDIN.deleted.oid), 'ESIA_ACCOUNT_DELETED');
    });
  });

  it('an untrusted ЕСИА account cannot be linked to an e-mail account', async () => {
    const account = await createAccount(e.t.ctx);
    await createPerson(e.t.ctx, account.id, {
      isMain: true,
      snils: STANDIN.untrusted.snils!,
      birthDate: STANDIN.untrusted.birthDate,
    });
    const c = await signIn(e.t, account.email, account.password);
    const start = await c.post<{ url: string }>('/api/esia/link', { password: account.password });
    expect(start.status).toBe(200);
    await expectNothingWritten(async () => {
      const back = await consent(new URL(start.body.url), { citizen: STANDIN.untrusted.oid });
      expectErrorPage(await c.get(back), 'ESIA_UNTRUSTED');
    });
    const rows = await e.t.ctx.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(rows[0].esiaOid).toBeNull();
  });

  it('a link answer arriving in a session of another account is refused', async () => {
    const a = await createAccount(e.t.ctx);
    const b = await createAccount(e.t.ctx);
    const ca = await signIn(e.t, a.email, a.password);
    const start = await ca.post<{ url: string }>('/api/esia/link', { password: a.password });
    const back = await consent(new URL(start.body.url), { citizen: STANDIN.yo.oid });
    // The same browser signs in as b before the answer arrives.
    const login = await ca.post('/api/auth/login', { email: b.email, password: b.password });
    expect(login.status).toBe(200);
    await expectNothingWritten(async () => {
      expectErrorPage(await ca.get(back), 'ESIA_BROWSER_MISMATCH');
    });
  });
});

describe('ЕСИА switched off', () => {
  it('the start is the error page, and the login page is told there is no ЕСИА', async () => {
    const { createTestContext } = await import('../support/context.js');
    const off = await createTestContext();
    try {
      const c = off.client();
      expect((await c.get('/api/esia/config')).body).toEqual({ enabled: false });
      expectErrorPage(await c.get('/api/esia/start'), 'ESIA_UNAVAILABLE');
    } finally {
      await off.close();
    }
  });
});
