// The ЕСИА stand-in on a real port and the portal (app.inject) configured to use it, plus
// a browser-like walk through the sign-in: start -> ЕСИА's consent page -> callback.
import { isNotNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { ESIA_DEV_KEY } from '../../src/server/config.js';
import { accounts, esiaRequests, persons, sessions } from '../../src/server/db/schema.js';
import { buildStandinServer, type StandinControl, type StandinFault } from '../../src/server/esia-standin/standin.js';
import type { TestClient, JsonResponse } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';

export const ESIA_CLIENT_ID = 'PRIYOM-TEST';
export const CALLBACK = 'http://portal.test/api/esia/callback';

export interface EsiaTestContext {
  t: TestContext;
  standin: FastifyInstance;
  control: StandinControl;
  /** The stand-in's base URL (http://127.0.0.1:port). */
  base: string;
  setFaults(...faults: StandinFault[]): void;
  close(): Promise<void>;
}

export async function createEsiaTestContext(
  opts: { timeoutMs?: number; hangMs?: number; env?: Record<string, string> } = {},
): Promise<EsiaTestContext> {
  let t: TestContext | null = null;
  const { app: standin, control } = await buildStandinServer({
    clientId: ESIA_CLIENT_ID,
    devKey: ESIA_DEV_KEY,
    redirectUris: [CALLBACK],
    // The stand-in shares the portal's test clock (codes expire, timestamps are compared).
    now: () => (t ? t.ctx.now() : new Date('2026-11-25T09:00:00Z')),
    hangMs: opts.hangMs ?? 3_000,
  });
  await standin.listen({ host: '127.0.0.1', port: 0 });
  const address = standin.server.address();
  if (!address || typeof address === 'string') throw new Error('the stand-in did not listen');
  const base = `http://127.0.0.1:${address.port}`;
  t = await createTestContext({
    env: {
      ESIA_ENABLED: '1',
      ESIA_CLIENT_ID,
      ESIA_BASE_URL: base,
      ESIA_TIMEOUT_MS: String(opts.timeoutMs ?? 600),
      ...opts.env,
    },
  });
  const ctx = t;
  return {
    t: ctx,
    standin,
    control,
    base,
    setFaults: (...faults) => {
      control.faults = new Set(faults);
    },
    async close() {
      await ctx.close();
      await standin.close();
    },
  };
}

/** GET /api/esia/start: the redirect to ЕСИА's authorization endpoint. */
export async function startLogin(client: TestClient, returnTo?: string): Promise<URL> {
  const res = await client.get(`/api/esia/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(303);
  return new URL(String(res.headers.location));
}

/**
 * What the browser does on ЕСИА: opens the consent page, chooses the citizen (or presses
 * «Отказать»), and follows the redirect back. Returns the callback's path and query.
 */
export async function consent(authorizeUrl: URL, choice: { citizen: string } | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(page.status, `consent page: ${page.status} ${page.headers.get('location') ?? ''}`).toBe(200);
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(request && action).toBeTruthy();
  const form = new URLSearchParams({ request: request!, decision: choice === 'deny' ? 'deny' : 'allow' });
  if (choice !== 'deny') form.set('citizen', choice.citizen);
  const res = await fetch(new URL(action!, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  return back.pathname + back.search;
}

/** The whole sign-in as a browser: start, consent, callback. Returns the callback's answer. */
export async function signInThroughEsia(client: TestClient, citizen: string, returnTo?: string): Promise<JsonResponse> {
  const callback = await consent(await startLogin(client, returnTo), { citizen });
  return client.get(callback);
}

/** The page the callback sent the browser to. */
export function redirectedTo(res: JsonResponse): string {
  expect(res.status, JSON.stringify(res.body)).toBe(303);
  return String(res.headers.location);
}

export function expectErrorPage(res: JsonResponse, code: string): void {
  expect(redirectedTo(res)).toBe(`/esia/error?code=${code}`);
  // No session cookie was handed out.
  expect(res.raw.cookies.find((c) => c.name === 'priyom_session')).toBeUndefined();
}

export async function counts(
  t: TestContext,
): Promise<{ accounts: number; persons: number; sessions: number; linked: number }> {
  const n = sql<number>`count(*)::int`;
  const db = t.ctx.db;
  return {
    accounts: (await db.select({ n }).from(accounts))[0].n,
    persons: (await db.select({ n }).from(persons))[0].n,
    sessions: (await db.select({ n }).from(sessions))[0].n,
    linked: (await db.select({ n }).from(accounts).where(isNotNull(accounts.esiaOid)))[0].n,
  };
}

export async function requestCount(t: TestContext): Promise<number> {
  return (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(esiaRequests))[0].n;
}
