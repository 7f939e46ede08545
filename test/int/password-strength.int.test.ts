// New passwords against common and breached passwords through HTTP (NIST SP 800-63B): sign-up
// and the reset link refuse a common password, one built from the account's e-mail or names,
// and a guessable one, each with its code, a Russian reason and `details.field`, writing
// nothing; a strong password is taken. (The web form keeps only its length check.)
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, emailTokens } from '../../src/server/db/schema.js';
import { insertEmailToken } from '../../src/server/modules/identity/identity.repository.js';
import { hmac, randomToken } from '../../src/server/modules/session/session.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { changedTables, tableDigests } from '../support/db-dump.js';

type Problem = { code: string; message: string; details?: { field?: string } };

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('sign-up', () => {
  const refused: Array<[email: string, password: string, code: string, message: RegExp]> = [
    ['new.patient@example.test', 'qwerty1234', 'PASSWORD_TOO_COMMON', /слишком распространён/],
    ['new.patient@example.test', 'password12', 'PASSWORD_TOO_COMMON', /слишком распространён/],
    ['new.patient@example.test', 'P@ssw0rd123', 'PASSWORD_TOO_COMMON', /слишком распространён/],
    ['svetlana.korneeva@example.test', 'korneeva2026', 'PASSWORD_HAS_PERSONAL_DATA', /адрес электронной почты или имя/],
    ['new.patient@example.test', 'abcdefgh12', 'PASSWORD_TOO_GUESSABLE', /легко подобрать/],
  ];
  it.each(refused)('%s with %s → 400 %s, nothing written', async (email, password, code, message) => {
    const before = await tableDigests(t);
    const res = await t.client().post<Problem>('/api/auth/signup', { email, password });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toMatch(message);
    expect(res.body.details).toEqual({ field: 'password' });
    expect(changedTables(before, await tableDigests(t))).toEqual([]);
  });

  it('a strong password is taken (202), also one with a common word inside', async () => {
    for (const [email, password] of [
      ['strong.one@example.test', 'Signup-journey-2'],
      ['strong.two@example.test', 'Secret-phrase-42'],
    ]) {
      const res = await t.client().post('/api/auth/signup', { email, password });
      expect(res.status, password).toBe(202);
    }
  });

  it('the answer for a common password is the same for a registered and a new address', async () => {
    const known = await createAccount(t.ctx, { email: 'registered.user@example.test' });
    const a = await t.client().post<Problem>('/api/auth/signup', { email: known.email, password: 'qwerty1234' });
    const b = await t
      .client()
      .post<Problem>('/api/auth/signup', { email: 'never.seen@example.test', password: 'qwerty1234' });
    expect([a.status, a.body]).toEqual([b.status, b.body]);
  });
});

describe('password reset', () => {
  async function resetLink(accountId: string): Promise<string> {
    const token = randomToken();
    await insertEmailToken(t.ctx.db, {
      tokenHash: hmac(t.config.sessionSecret, token),
      accountId,
      purpose: 'reset',
      expiresAt: new Date(t.ctx.now().getTime() + 3_600_000),
      createdAt: t.ctx.now(),
    });
    return token;
  }

  it('refuses a common password, the account’s e-mail or names, a guessable one; the link still works after', async () => {
    const account = await createAccount(t.ctx, { email: 'marina.volkova@example.test' });
    await createPerson(t.ctx, account.id, {
      isMain: true,
      lastName: 'Волкова',
      firstName: 'Марина',
      middleName: 'Олеговна',
    });
    const token = await resetLink(account.id);
    const cases: Array<[string, string]> = [
      ['qwerty1234', 'PASSWORD_TOO_COMMON'],
      ['volkova1985', 'PASSWORD_HAS_PERSONAL_DATA'],
      ['Волкова19850', 'PASSWORD_HAS_PERSONAL_DATA'],
      ['Марина2026', 'PASSWORD_HAS_PERSONAL_DATA'],
      ['aaaaaaaaa1', 'PASSWORD_TOO_GUESSABLE'],
    ];
    for (const [password, code] of cases) {
      const before = await tableDigests(t);
      const res = await t.client().post<Problem>('/api/auth/reset', { token, password });
      expect(res.status, password).toBe(400);
      expect(res.body.code, password).toBe(code);
      expect(res.body.details).toEqual({ field: 'password' });
      expect(changedTables(before, await tableDigests(t)), password).toEqual([]);
    }
    const hashBefore = (await t.ctx.db.select().from(accounts).where(eq(accounts.id, account.id)))[0].passwordHash;
    const ok = await t.client().post('/api/auth/reset', { token, password: 'Новый-пароль-2026' });
    expect(ok.status).toBe(200);
    const [after] = await t.ctx.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(after.passwordHash).not.toBe(hashBefore);
    const [used] = await t.ctx.db
      .select()
      .from(emailTokens)
      .where(eq(emailTokens.tokenHash, hmac(t.config.sessionSecret, token)));
    expect(used.usedAt).not.toBeNull();
    const login = await t.client().post('/api/auth/login', { email: account.email, password: 'Новый-пароль-2026' });
    expect(login.status).toBe(200);
  });

  it('an unknown link is TOKEN_INVALID whatever the password', async () => {
    const res = await t.client().post<Problem>('/api/auth/reset', { token: randomToken(), password: 'qwerty1234' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });
});
