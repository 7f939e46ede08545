// The CSRF token through HTTP: an HMAC of the browser's session (before sign-in, of its
// pre-session id), renewed in the same answer at sign-in (password, e-mail confirmation,
// ЕСИА) and at sign-out; a token of another session or from before sign-in is refused, and
// so is a request without the header. The integration API (API keys) stays exempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { SessionResponse } from '../../src/shared/api/index.js';
import { emailTokens, persons } from '../../src/server/db/schema.js';
import {
  CSRF_COOKIE,
  hmac,
  PRESESSION_COOKIE,
  randomToken,
  SESSION_COOKIE,
} from '../../src/server/modules/session/session.js';
import { STANDIN } from '../../src/server/esia-standin/citizens.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { createAccount, createPatient, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createEsiaTestContext, redirectedTo, signInThroughEsia, type EsiaTestContext } from './esia.helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

const personBody = () => ({
  lastName: 'Проверкина',
  firstName: 'Дарья',
  birthDate: '2015-04-01',
  sex: 'F',
  snils: uniqueSnils(),
  policy: uniquePolicy(),
});

async function personCount(accountId: string): Promise<number> {
  const rows = await t.ctx.db.select({ n: count() }).from(persons).where(eq(persons.accountId, accountId));
  return Number(rows[0].n);
}

/** A state-changing call with the client's cookies and exactly this CSRF header (or none). */
async function withToken(
  client: TestClient,
  token: string | null,
  url = '/api/notifications/read-all',
  body: unknown = {},
  app = t.app,
) {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(token === null ? {} : { 'x-csrf-token': token }),
    },
    payload: body as Record<string, unknown>,
  });
  return { status: res.statusCode, body: res.json<{ code?: string }>() };
}

describe('the token follows the session', () => {
  it('is the same for one browser until it signs in, and changes at sign-in and at sign-out', async () => {
    const a = await createAccount(t.ctx);
    const c = t.client();
    const anonymous = await c.get<SessionResponse>('/api/session');
    expect(c.cookies.get(PRESESSION_COOKIE)).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
    const again = await c.get<SessionResponse>('/api/session');
    expect(again.body.csrfToken).toBe(anonymous.body.csrfToken);
    expect(c.cookies.get(CSRF_COOKIE)).toBe(anonymous.body.csrfToken);

    const login = await c.post<SessionResponse>('/api/auth/login', { email: a.email, password: a.password });
    expect(login.status).toBe(200);
    // The new token comes in the same answer, as the cookie the web app reads and in the body.
    expect(login.body.csrfToken).not.toBe(anonymous.body.csrfToken);
    expect(login.raw.cookies.find((k) => k.name === CSRF_COOKIE)?.value).toBe(login.body.csrfToken);
    expect((await c.get<SessionResponse>('/api/session')).body.csrfToken).toBe(login.body.csrfToken);

    const logout = await c.post('/api/auth/logout');
    expect(logout.status).toBe(200);
    const afterLogout = logout.raw.cookies.find((k) => k.name === CSRF_COOKIE)?.value;
    expect(afterLogout).toBeTruthy();
    expect([anonymous.body.csrfToken, login.body.csrfToken]).not.toContain(afterLogout);
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await c.get<SessionResponse>('/api/session')).body).toEqual({ account: null, csrfToken: afterLogout });

    // The signed-out session's token, and the one from before sign-in, are refused now.
    expect(
      (await withToken(c, login.body.csrfToken, '/api/auth/login', { email: a.email, password: a.password })).body.code,
    ).toBe('CSRF_FAILED');
    expect(
      (await withToken(c, anonymous.body.csrfToken, '/api/auth/login', { email: a.email, password: a.password })).body
        .code,
    ).toBe('CSRF_FAILED');
    expect((await withToken(c, afterLogout!, '/api/auth/login', { email: a.email, password: a.password })).status).toBe(
      200,
    );
  });

  it('refuses the token from before sign-in once signed in, and writes nothing', async () => {
    const { account } = await createPatient(t);
    const c = t.client();
    const before = await c.ensureCsrf();
    expect((await c.post('/api/auth/login', { email: account.email, password: account.password })).status).toBe(200);
    const persons = await personCount(account.id);

    const stale = await withToken(c, before, '/api/persons', personBody());
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({ code: 'CSRF_FAILED' });
    expect(await personCount(account.id)).toBe(persons);

    expect((await withToken(c, c.csrfToken, '/api/persons', personBody())).status).toBe(201);
    expect(await personCount(account.id)).toBe(persons + 1);
  });

  it('refuses the token of another session, also when the cookie is copied too', async () => {
    const a = await createPatient(t);
    const b = await createPatient(t);
    const bToken = await b.client.ensureCsrf();
    const persons = await personCount(a.account.id);

    expect((await withToken(a.client, bToken, '/api/persons', personBody())).body.code).toBe('CSRF_FAILED');
    // Double-submit is not enough any more: a cookie planted with the other session's token does not match this session.
    a.client.cookies.set(CSRF_COOKIE, bToken);
    expect((await withToken(a.client, bToken, '/api/persons', personBody())).body.code).toBe('CSRF_FAILED');
    expect(await personCount(a.account.id)).toBe(persons);
  });

  it('refuses a request without the header, or with no session and no pre-session id', async () => {
    const { account, client } = await createPatient(t);
    const persons = await personCount(account.id);
    const missing = await withToken(client, null, '/api/persons', personBody());
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('CSRF_FAILED');
    expect((await withToken(client, '', '/api/persons', personBody())).body.code).toBe('CSRF_FAILED');
    expect(await personCount(account.id)).toBe(persons);

    // A made-up token in both the cookie and the header of a browser the server never saw.
    const stranger = t.client();
    stranger.cookies.set(CSRF_COOKIE, 'x'.repeat(43));
    const res = await withToken(stranger, 'x'.repeat(43), '/api/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
  });

  it('renews the token when an e-mail confirmation signs the browser in', async () => {
    const c = t.client();
    const before = await c.ensureCsrf();
    // An unconfirmed account and its confirmation link's token, as sign-up leaves them.
    const a = await createAccount(t.ctx, { emailConfirmed: false });
    const token = randomToken();
    await t.ctx.db.insert(emailTokens).values({
      tokenHash: hmac(t.config.sessionSecret, token),
      accountId: a.id,
      purpose: 'confirm',
      expiresAt: new Date(t.ctx.now().getTime() + 3_600_000),
    });
    const confirmed = await c.post<SessionResponse>('/api/auth/confirm-email', { token });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.csrfToken).not.toBe(before);
    expect(c.cookies.get(CSRF_COOKIE)).toBe(confirmed.body.csrfToken);
    expect((await withToken(c, before)).body.code).toBe('CSRF_FAILED');
    expect((await withToken(c, confirmed.body.csrfToken)).status).toBe(200);
  });
});

describe('ЕСИА sign-in', () => {
  let e: EsiaTestContext;
  beforeAll(async () => {
    e = await createEsiaTestContext();
  });
  afterAll(async () => e.close());

  it('a first sign-in (registration) and a returning one each set the new session’s token', async () => {
    const c = e.t.client();
    const anonymous = await c.ensureCsrf();
    expect(redirectedTo(await signInThroughEsia(c, STANDIN.yo.oid))).toBe('/esia/register');
    const done = await c.post<SessionResponse>('/api/esia/registration', { policy: uniquePolicy() });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.csrfToken).not.toBe(anonymous);
    expect(c.cookies.get(CSRF_COOKIE)).toBe(done.body.csrfToken);
    expect((await c.get<SessionResponse>('/api/session')).body.csrfToken).toBe(done.body.csrfToken);
    expect((await withToken(c, anonymous, undefined, undefined, e.t.app)).body.code).toBe('CSRF_FAILED');
    expect((await withToken(c, done.body.csrfToken, undefined, undefined, e.t.app)).status).toBe(200);

    expect((await c.post('/api/auth/logout')).status).toBe(200);
    const signedOut = c.cookies.get(CSRF_COOKIE);
    // Signing in again: the callback (a navigation) sets the session and its token together.
    const back = await signInThroughEsia(c, STANDIN.yo.oid);
    expect(back.status).toBe(303);
    const renewed = back.raw.cookies.find((k) => k.name === CSRF_COOKIE)?.value;
    expect(renewed).toBeTruthy();
    expect([anonymous, done.body.csrfToken, signedOut]).not.toContain(renewed);
    expect((await c.get<SessionResponse>('/api/session')).body).toMatchObject({
      account: { authMethod: 'esia' },
      csrfToken: renewed,
    });
    expect((await withToken(c, signedOut!, undefined, undefined, e.t.app)).body.code).toBe('CSRF_FAILED');
    expect((await withToken(c, renewed!, undefined, undefined, e.t.app)).status).toBe(200);
  });
});
