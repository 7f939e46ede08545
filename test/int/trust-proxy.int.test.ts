// TRUST_PROXY through HTTP: by default X-Forwarded-For is not believed, so made-up values do
// not escape a rate limit; with the proxy's address configured, each forwarded client is
// counted on its own, and a caller that is not the proxy is still counted by its address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAccount } from '../factories/identity.js';
import { outbox } from '../../src/server/db/schema.js';

const LIMIT = 10;
const PROXY = '10.0.0.5';

/** A browser's cookies and CSRF token, for calls sent with a chosen peer address and headers. */
async function browser(t: TestContext): Promise<{ cookie: string; csrf: string }> {
  const c = t.client();
  const csrf = await c.ensureCsrf();
  return { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), csrf };
}

async function post(
  t: TestContext,
  b: { cookie: string; csrf: string },
  url: string,
  payload: Record<string, unknown>,
  from: { remoteAddress: string; forwardedFor?: string },
): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url,
    remoteAddress: from.remoteAddress,
    headers: {
      cookie: b.cookie,
      'x-csrf-token': b.csrf,
      ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
    },
    payload,
  });
  return res.statusCode;
}

const madeUp = (i: number) => `198.51.100.${i % 250}, 203.0.113.${(i * 7) % 250}`;

describe('without TRUST_PROXY (the default)', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ env: { LOGIN_RATE_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(async () => t.close());

  it('counts logins by the connection: made-up X-Forwarded-For values still get 429 after the limit', async () => {
    const a = await createAccount(t.ctx);
    const b = await browser(t);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 40; i++) {
      statuses.push(
        await post(
          t,
          b,
          '/api/auth/login',
          { email: a.email, password: 'Wrong-password-9' },
          { remoteAddress: '192.0.2.10', forwardedFor: madeUp(i) },
        ),
      );
    }
    expect(statuses.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual(Array(40).fill(429));
  });

  it('sends no more reset e-mails than the limit, whatever X-Forwarded-For says', async () => {
    const a = await createAccount(t.ctx);
    const b = await browser(t);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push(
        await post(
          t,
          b,
          '/api/auth/forgot',
          { email: a.email },
          { remoteAddress: '192.0.2.11', forwardedFor: madeUp(i) },
        ),
      );
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - LIMIT);
    expect((await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, a.email))).length).toBeLessThanOrEqual(
      LIMIT,
    );
  });
});

describe('TRUST_PROXY set to the proxy in front of the app', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ env: { LOGIN_RATE_PER_MINUTE: String(LIMIT), TRUST_PROXY: PROXY } });
  });
  afterAll(async () => t.close());

  it('counts each forwarded client on its own', async () => {
    const a = await createAccount(t.ctx);
    const b = await browser(t);
    const first: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      first.push(
        await post(
          t,
          b,
          '/api/auth/login',
          { email: a.email, password: 'Wrong-password-9' },
          { remoteAddress: PROXY, forwardedFor: '198.51.100.20' },
        ),
      );
    }
    expect(first.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(first.slice(LIMIT)).toEqual([429, 429]);
    // Another client behind the same proxy has its own allowance.
    expect(
      await post(
        t,
        b,
        '/api/auth/login',
        { email: a.email, password: 'Wrong-password-9' },
        { remoteAddress: PROXY, forwardedFor: '198.51.100.21' },
      ),
    ).toBe(401);
  });

  it('does not believe X-Forwarded-For from an address that is not the proxy', async () => {
    const a = await createAccount(t.ctx);
    const b = await browser(t);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) {
      statuses.push(
        await post(
          t,
          b,
          '/api/auth/login',
          { email: a.email, password: 'Wrong-password-9' },
          { remoteAddress: '192.0.2.30', forwardedFor: madeUp(i) },
        ),
      );
    }
    expect(statuses.slice(LIMIT)).toEqual(Array(5).fill(429));
  });
});
