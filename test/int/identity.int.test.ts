// Accounts through HTTP: sign-up → e-mail → confirmation → session, login, logout,
// password recovery, enumeration resistance, rate limits, CSRF.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, emailTokens, outbox, outboxJobs, sessions } from '../../src/server/db/schema.js';
import { hmac } from '../../src/server/modules/session/session.js';
import { createAccount, outboxFor, runJobs, signIn, tokenFromLink } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

interface SessionBody {
  account: { id: string; email: string; role: string; authMethod: string; mainPersonStatus: string | null } | null;
  csrfToken: string;
}

async function count(
  table: typeof accounts | typeof outbox | typeof outboxJobs | typeof emailTokens | typeof sessions,
): Promise<number> {
  const rows = await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return rows[0].n;
}

async function accountByEmail(email: string) {
  const rows = await t.ctx.db.select().from(accounts).where(eq(accounts.email, email));
  return rows[0];
}

let seq = 0;
const freshEmail = () => `signup-${Date.now()}-${++seq}@example.test`;

describe('sign-up, confirmation and the first session', () => {
  it('creates an unconfirmed account, e-mails a one-time link and signs in when it is used', async () => {
    const email = freshEmail();
    const c = t.client();
    const res = await c.post('/api/auth/signup', { email: `  ${email.toUpperCase()} `, password: 'Надёжный-пароль-7' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });

    // The request only enqueued a job (the password already hashed, never stored in clear);
    // the worker creates the account and the e-mail.
    expect(await accountByEmail(email)).toBeUndefined();
    const [job] = await t.ctx.db.select().from(outboxJobs).where(eq(outboxJobs.kind, 'signup'));
    expect(job.payload).toEqual({ email, passwordHash: expect.stringMatching(/^\$argon2id\$/) });
    expect(JSON.stringify(job.payload)).not.toContain('Надёжный-пароль-7');
    expect(await runJobs(t.ctx)).toBe(1);
    expect(await count(outboxJobs)).toBe(0);

    const account = await accountByEmail(email);
    expect(account).toBeDefined();
    expect(account.emailConfirmedAt).toBeNull();
    expect(account.role).toBe('patient');
    expect(account.passwordHash).toMatch(/^\$argon2id\$/);

    const mails = await outboxFor(t.ctx, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'signup_confirm', status: 'pending', accountId: account.id });
    expect(mails[0].subject).toBe('Подтверждение адреса электронной почты');
    expect(mails[0].textBody).toContain('http://portal.test/confirm-email?token=');
    const token = tokenFromLink(mails[0].textBody, '/confirm-email');

    // Only the token's HMAC is stored, valid for 24 hours.
    const tokens = await t.ctx.db.select().from(emailTokens).where(eq(emailTokens.accountId, account.id));
    expect(tokens).toHaveLength(1);
    expect(tokens[0].tokenHash).toBe(hmac(t.config.sessionSecret, token));
    expect(tokens[0].tokenHash).not.toBe(token);
    expect(tokens[0].purpose).toBe('confirm');
    expect(tokens[0].expiresAt.getTime() - t.clock.current.getTime()).toBe(24 * 3_600_000);
    expect(mails[0].dedupKey).toBe(`signup_confirm:${tokens[0].tokenHash.slice(0, 16)}`);

    // Before confirmation the password is right but login is refused.
    const early = await t.client().post('/api/auth/login', { email, password: 'Надёжный-пароль-7' });
    expect(early.status).toBe(403);
    expect(early.body).toMatchObject({ code: 'EMAIL_NOT_CONFIRMED' });

    const confirm = await c.post<SessionBody>('/api/auth/confirm-email', { token });
    expect(confirm.status).toBe(200);
    expect(confirm.body.account).toEqual({
      id: account.id,
      email,
      role: 'patient',
      authMethod: 'password',
      organisationId: null,
      doctorId: null,
      mainPersonStatus: null,
    });
    expect(confirm.body.csrfToken).toBe(c.csrfToken);
    expect(c.cookies.has('priyom_session')).toBe(true);

    const session = await c.get<SessionBody>('/api/session');
    expect(session.body.account?.id).toBe(account.id);

    const after = await accountByEmail(email);
    expect(after.emailConfirmedAt?.toISOString()).toBe(t.clock.current.toISOString());
    const used = await t.ctx.db.select().from(emailTokens).where(eq(emailTokens.accountId, account.id));
    expect(used[0].usedAt).not.toBeNull();

    // The link works once.
    const again = await t.client().post('/api/auth/confirm-email', { token });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'TOKEN_INVALID' });

    // Now the password works.
    const login = await t.client().post<SessionBody>('/api/auth/login', { email, password: 'Надёжный-пароль-7' });
    expect(login.status).toBe(200);
    expect(login.body.account?.email).toBe(email);
  });

  it('answers a registered address exactly like a new one and e-mails the holder instead', async () => {
    const existing = await createAccount(t.ctx);
    const newcomer = freshEmail();
    const accountsBefore = await count(accounts);

    const forNew = await t.client().post('/api/auth/signup', { email: newcomer, password: 'Другой-пароль-42' });
    const forExisting = await t.client().post('/api/auth/signup', {
      email: existing.email.toUpperCase(),
      password: 'Другой-пароль-42',
    });
    expect(forExisting.status).toBe(forNew.status);
    expect(forExisting.body).toEqual(forNew.body);
    expect(forExisting.raw.headers['set-cookie']).toEqual(forNew.raw.headers['set-cookie']);
    expect(await runJobs(t.ctx)).toBe(2);
    expect(await count(accounts)).toBe(accountsBefore + 1);

    const mails = await outboxFor(t.ctx, existing.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].kind).toBe('signup_existing');
    expect(mails[0].textBody).toContain('уже есть учётная запись');
    expect(mails[0].textBody).toContain('http://portal.test/forgot-password');
    expect(mails[0].textBody).not.toContain('token=');

    // The holder's password is untouched; the attempted one does not work.
    await signIn(t, existing.email, existing.password);
    const wrong = await t.client().post('/api/auth/login', { email: existing.email, password: 'Другой-пароль-42' });
    expect(wrong.status).toBe(401);
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = {
      accounts: await count(accounts),
      outbox: await count(outbox),
      jobs: await count(outboxJobs),
      tokens: await count(emailTokens),
    };
    const weak = await t.client().post<{ code: string; fields: Record<string, string> }>('/api/auth/signup', {
      email: freshEmail(),
      password: 'short1',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('VALIDATION_FAILED');
    expect(weak.body.fields.password).toBe('Пароль должен быть не короче 10 символов и содержать буквы и цифры');

    const noDigits = await t.client().post<{ fields: Record<string, string> }>('/api/auth/signup', {
      email: freshEmail(),
      password: 'толькобуквыиникакихцифр',
    });
    expect(noDigits.status).toBe(400);
    expect(noDigits.body.fields.password).toBeDefined();

    const badEmail = await t.client().post<{ fields: Record<string, string> }>('/api/auth/signup', {
      email: 'not-an-address',
      password: 'Надёжный-пароль-7',
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.fields.email).toBe('Введите адрес электронной почты в формате name@example.ru');

    expect({
      accounts: await count(accounts),
      outbox: await count(outbox),
      jobs: await count(outboxJobs),
      tokens: await count(emailTokens),
    }).toEqual(before);
  });

  it('refuses an expired, unknown or wrong-purpose confirmation token', async () => {
    const email = freshEmail();
    await t.client().post('/api/auth/signup', { email, password: 'Надёжный-пароль-7' });
    await runJobs(t.ctx);
    const token = tokenFromLink((await outboxFor(t.ctx, email))[0].textBody, '/confirm-email');

    const garbage = await t.client().post('/api/auth/confirm-email', { token: 'x'.repeat(43) });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'Ссылка недействительна или устарела. Запросите новую.',
    });

    const saved = t.clock.current;
    try {
      t.clock.advance(24 * 3_600_000); // exactly 24 h later: expired
      const late = await t.client().post('/api/auth/confirm-email', { token });
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      t.clock.set(saved);
    }
    expect((await accountByEmail(email)).emailConfirmedAt).toBeNull();

    // A reset token does not confirm an address through the confirmation endpoint.
    await t.client().post('/api/auth/forgot', { email });
    await runJobs(t.ctx);
    const resetMail = (await outboxFor(t.ctx, email)).find((m) => m.kind === 'password_reset');
    const resetToken = tokenFromLink(resetMail!.textBody, '/reset-password');
    const wrongPurpose = await t.client().post('/api/auth/confirm-email', { token: resetToken });
    expect(wrongPurpose.status).toBe(400);
    expect(wrongPurpose.body).toMatchObject({ code: 'TOKEN_INVALID' });
    expect((await accountByEmail(email)).emailConfirmedAt).toBeNull();

    // Still valid one millisecond before expiry.
    t.clock.advance(24 * 3_600_000 - 1);
    try {
      const ok = await t.client().post('/api/auth/confirm-email', { token });
      expect(ok.status).toBe(200);
    } finally {
      t.clock.set(saved);
    }
  });
});

describe('login', () => {
  it('signs in with the right password and reports the main person status', async () => {
    const a = await createAccount(t.ctx, { email: `Mixed.Case-${++seq}@Example.test` });
    const c = t.client();
    const res = await c.post<SessionBody>('/api/auth/login', { email: a.email.toUpperCase(), password: a.password });
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({
      id: a.id,
      role: 'patient',
      authMethod: 'password',
      mainPersonStatus: null,
    });
    const cookie = res.raw.cookies.find((k) => k.name === 'priyom_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const rows = await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).toBe(hmac(t.config.sessionSecret, cookie!.value));
    expect(rows[0].authMethod).toBe('password');
  });

  it('gives one answer for an unknown address and a wrong password, another for an unconfirmed address', async () => {
    const a = await createAccount(t.ctx);
    const unconfirmed = await createAccount(t.ctx, { emailConfirmed: false });
    const before = await count(sessions);

    const unknown = await t
      .client()
      .post('/api/auth/login', { email: 'nobody-here@example.test', password: a.password });
    const wrong = await t.client().post('/api/auth/login', { email: a.email, password: 'Wrong-password-9' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'Неверный адрес электронной почты или пароль.',
    });
    expect(wrong.body).toEqual(unknown.body);

    const notConfirmedWrongPassword = await t.client().post('/api/auth/login', {
      email: unconfirmed.email,
      password: 'Wrong-password-9',
    });
    expect(notConfirmedWrongPassword.body).toEqual(unknown.body);
    const notConfirmed = await t
      .client()
      .post('/api/auth/login', { email: unconfirmed.email, password: unconfirmed.password });
    expect(notConfirmed.status).toBe(403);
    expect(notConfirmed.body).toMatchObject({ code: 'EMAIL_NOT_CONFIRMED' });

    const empty = await t.client().post<{ code: string; fields: Record<string, string> }>('/api/auth/login', {
      email: a.email,
      password: '',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.password).toBe('Введите пароль');

    expect(await count(sessions)).toBe(before);
  });

  it('replaces the browser’s previous session on a new login', async () => {
    const a = await createAccount(t.ctx);
    const c = await signIn(t, a.email, a.password);
    const again = await c.post('/api/auth/login', { email: a.email, password: a.password });
    expect(again.status).toBe(200);
    const rows = await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).toBe(hmac(t.config.sessionSecret, c.cookies.get('priyom_session')!));
  });

  it('refuses login without the CSRF header', async () => {
    const a = await createAccount(t.ctx);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: a.email, password: a.password },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CSRF_FAILED' });
    const c = t.client();
    await c.ensureCsrf();
    const mismatched = await c.request(
      'POST',
      '/api/auth/signup',
      { email: freshEmail(), password: 'Надёжный-пароль-7' },
      {
        'x-csrf-token': 'a-different-token-of-enough-length',
      },
    );
    expect(mismatched.status).toBe(403);
    expect(mismatched.body).toMatchObject({ code: 'CSRF_FAILED' });
  });
});

describe('logout', () => {
  it('deletes the session row and clears the cookie', async () => {
    const a = await createAccount(t.ctx);
    const c = await signIn(t, a.email, a.password);
    expect((await c.get('/api/persons')).status).toBe(200);

    const res = await c.post('/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(c.cookies.has('priyom_session')).toBe(false);
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id))).toHaveLength(0);
    expect((await c.get<SessionBody>('/api/session')).body.account).toBeNull();
    const after = await c.get('/api/persons');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('is harmless without a session', async () => {
    const res = await t.client().post('/api/auth/logout');
    expect(res.status).toBe(200);
  });

  it('needs the CSRF header (no logout by a foreign page)', async () => {
    const a = await createAccount(t.ctx);
    const c = await signIn(t, a.email, a.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `priyom_session=${c.cookies.get('priyom_session')}` },
    });
    expect(res.statusCode).toBe(403);
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id))).toHaveLength(1);
  });
});

describe('forgotten password', () => {
  it('answers the same for known and unknown addresses and e-mails a one-hour link only to the known one', async () => {
    const a = await createAccount(t.ctx);
    const outboxBefore = await count(outbox);
    const known = await t.client().post('/api/auth/forgot', { email: a.email.toUpperCase() });
    const unknown = await t.client().post('/api/auth/forgot', { email: 'never-registered@example.test' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual({ ok: true });
    expect(unknown.body).toEqual(known.body);
    // Both only enqueued a job; the worker e-mails the known address and nobody else.
    expect(await count(outbox)).toBe(outboxBefore);
    expect(await runJobs(t.ctx)).toBe(2);
    expect(await count(outbox)).toBe(outboxBefore + 1);

    const mails = await outboxFor(t.ctx, a.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'password_reset', subject: 'Восстановление пароля' });
    const token = tokenFromLink(mails[0].textBody, '/reset-password');
    expect(mails[0].textBody).toContain(`http://portal.test/reset-password?token=${token}`);
    const rows = await t.ctx.db
      .select()
      .from(emailTokens)
      .where(eq(emailTokens.tokenHash, hmac(t.config.sessionSecret, token)));
    expect(rows[0].purpose).toBe('reset');
    expect(rows[0].expiresAt.getTime() - t.clock.current.getTime()).toBe(3_600_000);
  });

  it('sets the new password, ends every session, and the link works once', async () => {
    const a = await createAccount(t.ctx);
    const signedIn = await signIn(t, a.email, a.password);
    const otherDevice = await signIn(t, a.email, a.password);
    await t.client().post('/api/auth/forgot', { email: a.email });
    await t.client().post('/api/auth/forgot', { email: a.email }); // an older and a newer link
    await runJobs(t.ctx);
    const [older, newer] = (await outboxFor(t.ctx, a.email)).map((m) => tokenFromLink(m.textBody, '/reset-password'));

    const res = await t.client().post('/api/auth/reset', { token: newer, password: 'Новый-пароль-2026' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });

    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id))).toHaveLength(0);
    expect((await signedIn.get('/api/persons')).status).toBe(401);
    expect((await otherDevice.get<SessionBody>('/api/session')).body.account).toBeNull();

    const oldPassword = await t.client().post('/api/auth/login', { email: a.email, password: a.password });
    expect(oldPassword.status).toBe(401);
    await signIn(t, a.email, 'Новый-пароль-2026');

    const reuse = await t.client().post('/api/auth/reset', { token: newer, password: 'Ещё-один-пароль-1' });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ code: 'TOKEN_INVALID' });
    // The older link was used up by the reset as well.
    const olderLink = await t.client().post('/api/auth/reset', { token: older, password: 'Ещё-один-пароль-1' });
    expect(olderLink.status).toBe(400);
    expect(olderLink.body).toMatchObject({ code: 'TOKEN_INVALID' });
    await signIn(t, a.email, 'Новый-пароль-2026');
  });

  it('refuses an expired link (one hour) and changes nothing', async () => {
    const a = await createAccount(t.ctx);
    await t.client().post('/api/auth/forgot', { email: a.email });
    await runJobs(t.ctx);
    const token = tokenFromLink((await outboxFor(t.ctx, a.email))[0].textBody, '/reset-password');
    const before = await accountByEmail(a.email);
    const saved = t.clock.current;
    try {
      t.clock.advance(3_600_000);
      const res = await t.client().post('/api/auth/reset', { token, password: 'Новый-пароль-2026' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      t.clock.set(saved);
    }
    expect((await accountByEmail(a.email)).passwordHash).toBe(before.passwordHash);
    await signIn(t, a.email, a.password);
  });

  it('refuses a weak new password and keeps the link usable', async () => {
    const a = await createAccount(t.ctx);
    await t.client().post('/api/auth/forgot', { email: a.email });
    await runJobs(t.ctx);
    const token = tokenFromLink((await outboxFor(t.ctx, a.email))[0].textBody, '/reset-password');
    const weak = await t.client().post<{ code: string; fields: Record<string, string> }>('/api/auth/reset', {
      token,
      password: 'abc',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.fields.password).toBeDefined();
    const tokenRow = await t.ctx.db
      .select()
      .from(emailTokens)
      .where(eq(emailTokens.tokenHash, hmac(t.config.sessionSecret, token)));
    expect(tokenRow[0].usedAt).toBeNull();
    expect((await t.client().post('/api/auth/reset', { token, password: 'Новый-пароль-2026' })).status).toBe(200);
  });

  it('refuses a confirmation token used as a reset token', async () => {
    const email = freshEmail();
    await t.client().post('/api/auth/signup', { email, password: 'Надёжный-пароль-7' });
    await runJobs(t.ctx);
    const confirmToken = tokenFromLink((await outboxFor(t.ctx, email))[0].textBody, '/confirm-email');
    const res = await t.client().post('/api/auth/reset', { token: confirmToken, password: 'Новый-пароль-2026' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('confirms an unconfirmed address: the holder proved they read its mail', async () => {
    const a = await createAccount(t.ctx, { emailConfirmed: false });
    await t.client().post('/api/auth/forgot', { email: a.email });
    await runJobs(t.ctx);
    const token = tokenFromLink((await outboxFor(t.ctx, a.email))[0].textBody, '/reset-password');
    expect((await t.client().post('/api/auth/reset', { token, password: 'Новый-пароль-2026' })).status).toBe(200);
    expect((await accountByEmail(a.email)).emailConfirmedAt).not.toBeNull();
    await signIn(t, a.email, 'Новый-пароль-2026');
  });
});

describe('rate limits', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await createTestContext({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
  });
  afterAll(async () => limited.close());

  it('allows three login attempts a minute from one address, then answers 429 RATE_LIMITED', async () => {
    const a = await createAccount(limited.ctx);
    const c = limited.client();
    for (let i = 0; i < 3; i++) {
      const res = await c.post('/api/auth/login', { email: a.email, password: 'Wrong-password-9' });
      expect(res.status).toBe(401);
    }
    const blocked = await c.post('/api/auth/login', { email: a.email, password: a.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      code: 'RATE_LIMITED',
      message: 'Слишком много попыток. Подождите минуту и попробуйте снова.',
    });
    expect(await limited.ctx.db.select().from(sessions).where(eq(sessions.accountId, a.id))).toHaveLength(0);
  });

  it('limits sign-up and password recovery too', async () => {
    const c = limited.client();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await c.post('/api/auth/signup', { email: freshEmail(), password: 'Надёжный-пароль-7' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const forgot: number[] = [];
    for (let i = 0; i < 4; i++) forgot.push((await c.post('/api/auth/forgot', { email: freshEmail() })).status);
    expect(forgot).toEqual([202, 202, 202, 429]);
  });
});
