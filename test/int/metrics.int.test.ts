// /metrics through HTTP (src/server/metrics.ts): refused without the token (and absent when no
// token is configured), a booking and a refused booking counted with their outcome, requests
// by route pattern, the queues, offers and pools reported, and no personal data or raw URL
// (ids, query strings) in any label.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/server/app.js';
import { appointments } from '../../src/server/db/schema.js';
import { businessEventOf, metricsTokenMatches, outcomeOf } from '../../src/server/metrics.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, testConfig, type TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(async () => t.close());

async function scrape(): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.body;
}

/** The value of one series, 0 if absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('/metrics', () => {
  it('is refused without the token or with a wrong one, and is no part of the API docs', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'NOT_AUTHENTICATED' });
      expect(res.body).not.toContain('priyom_');
    }
  });

  it('does not exist when no token is configured', async () => {
    const config = testConfig({ ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}) });
    const app: FastifyInstance = await build({ ...t.ctx, config }, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await app.close();
    }
  });

  it('counts a booking and a refused one by outcome, requests by route pattern, and carries no personal data', async () => {
    const setup = await createBookableSetup(t.ctx);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true, status: 'confirmed', lastName: 'Метрикова' });
    const client = await sessionClient(t, account.id);
    const slot = setup.slots[0]!;
    const before = await scrape();
    const okSeries = 'priyom_bookings_total{channel="portal",outcome="ok",service="priyom"}';
    const takenSeries = 'priyom_bookings_total{channel="portal",outcome="SLOT_TAKEN",service="priyom"}';

    const booked = await client.post('/api/appointments', { slotId: slot.id, personId: person.id });
    expect(booked.status).toBe(201);
    const again = await client.post('/api/appointments', { slotId: slot.id, personId: person.id });
    expect(again.status).toBe(409);
    expect(await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slot.id))).toHaveLength(1);
    await client.get(`/api/doctors/${setup.doctor.id}/schedule?from=2026-11-26`);

    const after = await scrape();
    expect(value(after, okSeries) - value(before, okSeries)).toBe(1);
    expect(value(after, takenSeries) - value(before, takenSeries)).toBe(1);
    // Requests by the route's pattern, never the URL with its ids or query.
    expect(after).toContain('route="/api/doctors/:id/schedule"');
    expect(after).toMatch(/priyom_http_request_duration_seconds_count\{[^}]*route="\/api\/appointments"/);
    expect(after).not.toContain(`/api/doctors/${setup.doctor.id}/`);
    expect(after).not.toContain('from=2026');
    // Queues, offers, pools (PostgreSQL only) and the event loop are reported.
    for (const name of [
      'priyom_queue_backlog{queue="email"',
      'priyom_queue_oldest_seconds{queue="jobs"',
      'priyom_offers_pending',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(after).toContain(name);
    }
    if (t.databaseUrl) expect(after).toContain('priyom_db_pool_in_use{pool="main"');
    // The booking's e-mail waits in the outbox: the backlog shows it.
    expect(value(after, 'priyom_queue_backlog{queue="email",service="priyom"}')).toBeGreaterThan(0);
    // No personal data anywhere in the answer.
    for (const secret of [account.email, person.snils, person.policy, 'Метрикова', person.id, account.id]) {
      expect(after).not.toContain(secret);
    }
  });
});

describe('the metrics rules', () => {
  it.each([
    ['POST', '/api/appointments', { kind: 'booking', channel: 'portal' }],
    ['POST', '/api/desk/appointments', { kind: 'booking', channel: 'desk' }],
    ['POST', '/api/kiosk/appointments', { kind: 'booking', channel: 'kiosk' }],
    ['POST', '/api/integration/v1/appointments', { kind: 'booking', channel: 'integration' }],
    ['POST', '/api/appointments/:id/cancel', { kind: 'cancel', channel: 'portal' }],
    ['POST', '/api/desk/appointments/:id/cancel', { kind: 'cancel', channel: 'desk' }],
    ['POST', '/api/offers/:id/confirm', { kind: 'offer', answer: 'confirm' }],
    ['POST', '/api/offers/:id/decline', { kind: 'offer', answer: 'decline' }],
    ['GET', '/api/appointments', null],
    ['POST', '/api/holds', null],
  ])('%s %s', (method, route, expected) => {
    expect(businessEventOf(method, route)).toEqual(expected);
  });

  it.each([
    [201, undefined, 'ok'],
    [409, '{"code":"SLOT_TAKEN","message":"…"}', 'SLOT_TAKEN'],
    [400, '{"code":"NOT_A_CODE_WE_HAVE","message":"…"}', 'http_4xx'],
    [503, 'not json', 'http_5xx'],
  ])('status %i -> %s', (status, payload, expected) => {
    expect(outcomeOf(status, payload)).toBe(expected);
  });

  it.each([
    [`Bearer ${TOKEN}`, true],
    [`Bearer ${TOKEN}x`, false],
    [TOKEN, false],
    [undefined, false],
  ])('token header %s: %s', (header, expected) => {
    expect(metricsTokenMatches(header, TOKEN)).toBe(expected);
  });
});
