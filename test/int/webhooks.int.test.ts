// Webhooks of the integration API (issue 17, «Changes out»): every endpoint through HTTP with its
// refusals (no key, another key's or organisation's subscription, malformed input: nothing
// written), and delivery to a REAL HTTP receiver on a random port: signatures verified, only the
// key's organisation's events and no personal data, the receiver down for a while (delivered
// later, once per id), a worker killed mid-delivery (delivered after the restart), back-off to
// failure, the delivery log and replays.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { webhookDeliveries, webhookSubscriptions } from '../../src/server/db/schema.js';
import {
  claimDueDeliveries,
  dispatchChanges,
} from '../../src/server/modules/channels/integration/webhooks/webhooks.repository.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  verifySignature,
} from '../../src/server/modules/channels/integration/webhooks/webhooks.rules.js';
import { createWebhookSender } from '../../src/server/modules/channels/integration/webhooks/webhooks.transport.js';
import {
  deliverWebhooksDue,
  deliveryLeaseMs,
  dispatchAll,
} from '../../src/server/modules/channels/integration/webhooks/webhooks.worker.js';
import { createAppointmentRow, createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from './integration-api.helpers.js';

const BASE = '/api/integration/v1/webhooks';

type Problem = { code: string; message: string };
type Created = { id: string; url: string; eventTypes: string[]; createdAt: string; secret: string };
type Delivery = {
  id: number;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  replays: number;
};

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let misKey: { key: string; id: string };
let secondKey: { key: string; id: string };
let otherKey: { key: string; id: string };

async function call<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  key: string | null,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
  const res = await t.app.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T, headers: res.headers };
}

async function counts(): Promise<{ subscriptions: number; deliveries: number }> {
  const [r] = await queryRows<{ s: string; d: string }>(
    t.ctx.db,
    sql`select (select count(*) from webhook_subscriptions) as s, (select count(*) from webhook_deliveries) as d`,
  );
  return { subscriptions: Number(r.s), deliveries: Number(r.d) };
}

// ---------- a real receiver ----------

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

class Receiver {
  server: Server | null = null;
  port = 0;
  received: Received[] = [];
  /** Event ids the receiver acted on (after deduplication). */
  processed = new Set<string>();
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private hanging: (() => void)[] = [];

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: req.headers, body });
        if (this.mode === 'hang') {
          this.hanging.push(() => res.destroy());
          return;
        }
        if (this.mode === 'fail') {
          res.writeHead(503).end('temporarily down');
          return;
        }
        this.processed.add(String(req.headers['priyom-event-id']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/priyom/events`;
  }

  async stop(): Promise<void> {
    for (const h of this.hanging.splice(0)) h();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.headers['priyom-event-type'] === type);
  }
}

const receivers: Receiver[] = [];
async function receiver(): Promise<Receiver> {
  const r = new Receiver();
  await r.start();
  receivers.push(r);
  return r;
}

const silent = { warn: () => {} };
let send: ReturnType<typeof createWebhookSender>;

/**
 * The fan-out until it has taken every change written so far. On PostgreSQL a change waits
 * while any older transaction of the server runs (another test file's, say): a moment at most.
 */
async function settle(ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    await dispatchAll(t.ctx);
    const [r] = await queryRows<{ behind: boolean }>(
      t.ctx.db,
      sql`select exists (select 1 from integration_changes c, webhook_dispatch d
                          where (c.xid, c.id) > (d.xid, d.change_id)) as behind`,
    );
    if (!r.behind) return;
    if (Date.now() > until) throw new Error('the fan-out did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One worker pass: fan-out, then every due delivery (as the worker loop does). */
async function workerPass(): Promise<number> {
  await settle();
  let n = 0;
  for (;;) {
    const k = await deliverWebhooksDue(t.ctx, send, silent);
    n += k;
    if (k === 0) return n;
  }
}

beforeAll(async () => {
  t = await createTestContext({ env: { WEBHOOK_TIMEOUT_MS: '2000' } });
  send = createWebhookSender(t.ctx.config.webhooks);
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, acc.email, acc.password);
  misKey = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' });
  secondKey = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'electronic_queue' });
  otherKey = await issueKey(operator, { organisationId: other.organisation.id, channel: 'mis' });
});
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
  // Each test starts with no subscriptions (and so no deliveries).
  await t.ctx.db.delete(webhookSubscriptions);
});
afterAll(async () => t.close());

describe('registering webhooks', () => {
  it('creates a subscription with its secret shown once, lists it without the secret, deletes it', async () => {
    const created = await call<Created>('POST', BASE, misKey.key, {
      url: 'http://127.0.0.1:9/priyom/events',
      eventTypes: ['appointment.*', 'slot.updated'],
    });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/priyom/events',
      eventTypes: ['appointment.*', 'slot.updated'],
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The secret is not stored: only a salt it is derived from.
    const [row] = await t.ctx.db
      .select()
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.id, created.body.id));
    expect(JSON.stringify(row)).not.toContain(created.body.secret.slice(6));

    const list = await call<{ webhooks: Record<string, unknown>[] }>('GET', BASE, misKey.key);
    expect(list.status).toBe(200);
    expect(list.body.webhooks).toEqual([
      {
        id: created.body.id,
        url: created.body.url,
        eventTypes: created.body.eventTypes,
        createdAt: created.body.createdAt,
      },
    ]);
    // Another key of the same organisation and another organisation's key see nothing of it.
    expect((await call<{ webhooks: unknown[] }>('GET', BASE, secondKey.key)).body.webhooks).toEqual([]);
    expect((await call<{ webhooks: unknown[] }>('GET', BASE, otherKey.key)).body.webhooks).toEqual([]);

    expect((await call('DELETE', `${BASE}/${created.body.id}`, misKey.key)).status).toBe(204);
    expect((await call<{ webhooks: unknown[] }>('GET', BASE, misKey.key)).body.webhooks).toEqual([]);
    const again = await call<Problem>('DELETE', `${BASE}/${created.body.id}`, misKey.key);
    expect([again.status, again.body.code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
  });

  const good = { url: 'https://mis.example.ru/priyom/events', eventTypes: ['appointment.*'] };
  it.each([
    ['no key', null, good, 401, 'API_KEY_MISSING'],
    ['a malformed key', 'priyom_short', good, 401, 'API_KEY_INVALID'],
    ['an unknown key', `priyom_${'x'.repeat(43)}`, good, 401, 'API_KEY_INVALID'],
    ['no body', 'mis', undefined, 400, 'VALIDATION_FAILED'],
    ['a malformed URL', 'mis', { ...good, url: 'mis.example.ru/events' }, 400, 'VALIDATION_FAILED'],
    ['an empty URL', 'mis', { ...good, url: '' }, 400, 'VALIDATION_FAILED'],
    ['another scheme', 'mis', { ...good, url: 'ftp://mis.example.ru/events' }, 400, 'WEBHOOK_URL_NOT_ALLOWED'],
    ['credentials in the URL', 'mis', { ...good, url: 'https://u:p@mis.example.ru/e' }, 400, 'WEBHOOK_URL_NOT_ALLOWED'],
    ['no event types', 'mis', { ...good, eventTypes: [] }, 400, 'VALIDATION_FAILED'],
    ['an unknown event type', 'mis', { ...good, eventTypes: ['appointment.deleted'] }, 400, 'VALIDATION_FAILED'],
    ['a repeated event type', 'mis', { ...good, eventTypes: ['slot.*', 'slot.*'] }, 400, 'VALIDATION_FAILED'],
  ] as const)('refuses %s with %i %s and writes nothing', async (_, key, body, status, code) => {
    const before = await counts();
    const res = await call<Problem>('POST', BASE, key === 'mis' ? misKey.key : key, body);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.body.message).toMatch(/[а-яА-Я]/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an eleventh subscription of one key with 409, writing nothing', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await call('POST', BASE, misKey.key, { url: `https://mis.example.ru/e/${i}`, eventTypes: ['slot.*'] });
      expect(r.status).toBe(201);
    }
    const before = await counts();
    const res = await call<Problem>('POST', BASE, misKey.key, {
      url: 'https://mis.example.ru/e/10',
      eventTypes: ['slot.*'],
    });
    expect([res.status, res.body.code]).toEqual([409, 'WEBHOOK_LIMIT_REACHED']);
    expect(await counts()).toEqual(before);
    // Another key has its own ten.
    expect(
      (await call('POST', BASE, secondKey.key, { url: 'https://mis.example.ru/e', eventTypes: ['slot.*'] })).status,
    ).toBe(201);
  });

  it('answers another key’s or organisation’s subscription as not found and changes nothing', async () => {
    const mine = await call<Created>('POST', BASE, misKey.key, {
      url: 'https://mis.example.ru/e',
      eventTypes: ['slot.*'],
    });
    const id = mine.body.id;
    for (const key of [secondKey.key, otherKey.key]) {
      for (const [method, url, body] of [
        ['DELETE', `${BASE}/${id}`, undefined],
        ['GET', `${BASE}/${id}/deliveries`, undefined],
        ['POST', `${BASE}/${id}/deliveries/1/replay`, undefined],
        ['POST', `${BASE}/${id}/replay`, { since: 'evt_1' }],
      ] as const) {
        const res = await call<Problem>(method, url, key, body);
        expect([method, url, res.status, res.body.code]).toEqual([method, url, 404, 'WEBHOOK_NOT_FOUND']);
      }
    }
    expect((await call<{ webhooks: unknown[] }>('GET', BASE, misKey.key)).body.webhooks).toHaveLength(1);
  });

  it.each([
    ['DELETE', `${BASE}/not-a-uuid`, undefined, 400, 'VALIDATION_FAILED'],
    ['GET', `${BASE}/not-a-uuid/deliveries`, undefined, 400, 'VALIDATION_FAILED'],
    ['GET', `${BASE}/__ID__/deliveries?limit=0`, undefined, 400, 'VALIDATION_FAILED'],
    ['GET', `${BASE}/__ID__/deliveries?before=abc`, undefined, 400, 'VALIDATION_FAILED'],
    ['POST', `${BASE}/__ID__/deliveries/0/replay`, undefined, 400, 'VALIDATION_FAILED'],
    ['POST', `${BASE}/__ID__/deliveries/99999/replay`, undefined, 404, 'WEBHOOK_DELIVERY_NOT_FOUND'],
    ['POST', `${BASE}/__ID__/replay`, { since: '42' }, 400, 'VALIDATION_FAILED'],
    ['POST', `${BASE}/__ID__/replay`, { since: 'evt_99999999' }, 404, 'WEBHOOK_EVENT_NOT_FOUND'],
    ['GET', `${BASE}/00000000-0000-4000-8000-000000000000/deliveries`, undefined, 404, 'WEBHOOK_NOT_FOUND'],
  ] as const)('%s %s -> %i %s', async (method, url, body, status, code) => {
    const mine = await call<Created>('POST', BASE, misKey.key, {
      url: 'https://mis.example.ru/e',
      eventTypes: ['slot.*'],
    });
    const before = await counts();
    const res = await call<Problem>(method, url.replace('__ID__', mine.body.id), misKey.key, body);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await counts()).toEqual(before);
  });
});

describe('delivering to a real receiver', () => {
  async function subscribe(r: Receiver, eventTypes: string[], key = misKey.key): Promise<Created> {
    const res = await call<Created>('POST', BASE, key, { url: r.url, eventTypes });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function deliveriesOf(id: string, key = misKey.key): Promise<Delivery[]> {
    const res = await call<{ deliveries: Delivery[] }>('GET', `${BASE}/${id}/deliveries?limit=200`, key);
    expect(res.status).toBe(200);
    return res.body.deliveries;
  }

  async function pushVisit(setup: BookableSetup, key: string, slot: number) {
    const res = await call<{ id: string }>('POST', '/api/integration/v1/appointments', key, {
      externalId: `wh-${Date.now()}-${slot}-${Math.random().toString(36).slice(2, 8)}`,
      source: 'registry',
      slotId: setup.slots[slot].id,
      patient: {
        lastName: 'Сорокина',
        firstName: 'Вера',
        middleName: 'Ильинична',
        birthDate: '1984-06-02',
        sex: 'F',
        snils: uniqueSnils(),
        policy: uniquePolicy(),
      },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('signs every event; only the key’s organisation’s events, only the types asked for, no personal data', async () => {
    const r = await receiver();
    const sub = await subscribe(r, ['appointment.*', 'slot.updated']);
    const visitId = await pushVisit(clinic, misKey.key, 0);
    await pushVisit(other, otherKey.key, 0); // another organisation: never sent here
    expect(await workerPass()).toBeGreaterThan(0);

    expect(r.received.map((x) => x.headers['priyom-event-type']).sort()).toEqual([
      'appointment.created',
      'slot.updated',
    ]);
    const now = Math.floor(t.clock.current.getTime() / 1000);
    for (const x of r.received) {
      const signature = String(x.headers['priyom-signature']);
      expect(verifySignature(sub.secret, signature, x.body, now)).toBe(true);
      expect(verifySignature(sub.secret, signature, x.body.replace('"', ' "'), now)).toBe(false);
      expect(x.headers['content-type']).toBe('application/json');
      const body = JSON.parse(x.body) as { id: string; organisationId: number };
      expect(body.id).toBe(x.headers['priyom-event-id']);
      expect(body.organisationId).toBe(clinic.organisation.id);
      expect(x.body).not.toMatch(/Сорокина|Вера|1984-06-02|snils|policy/);
    }
    const created = JSON.parse(r.ofType('appointment.created')[0].body) as Record<string, unknown>;
    expect(created).toMatchObject({
      type: 'appointment.created',
      data: { appointment: { id: visitId, status: 'booked', source: 'registry', slotId: clinic.slots[0].id } },
    });
    const slot = JSON.parse(r.ofType('slot.updated')[0].body) as Record<string, unknown>;
    expect(slot).toMatchObject({ data: { slot: { id: clinic.slots[0].id, status: 'busy' } } });

    // The log: delivered on the first attempt with the receiver's status.
    const log = await deliveriesOf(sub.id);
    expect(log.map((d) => [d.eventType, d.status, d.attempts, d.lastStatusCode, d.nextAttemptAt])).toEqual(
      expect.arrayContaining([
        ['appointment.created', 'delivered', 1, 204, null],
        ['slot.updated', 'delivered', 1, 204, null],
      ]),
    );
    // A further pass sends nothing again.
    expect(await workerPass()).toBe(0);
    expect(r.received).toHaveLength(2);

    // A cancellation through the API is the next event.
    await call('POST', `/api/integration/v1/appointments/${visitId}/status`, misKey.key, { status: 'cancelled' });
    await workerPass();
    const cancelled = r.ofType('appointment.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(JSON.parse(cancelled[0].body)).toMatchObject({
      data: { appointment: { id: visitId, status: 'cancelled', cancelledBy: 'clinic' } },
    });
    expect(JSON.parse(cancelled[0].body).sequence).toBeGreaterThan(
      JSON.parse(r.ofType('appointment.created')[0].body).sequence,
    );
  });

  it('the receiver down for a while: retried with back-off, delivered later, once per id', async () => {
    const start = t.clock.current;
    try {
      const r = await receiver();
      const port = r.port;
      const sub = await subscribe(r, ['appointment.created']);
      await r.stop(); // down: connection refused
      const { account, person } = await createPatient(t);
      await createAppointmentRow(t.ctx, clinic.slots[1], person.id, {
        source: 'portal',
        bookedByAccountId: account.id,
      });
      await workerPass();
      let [d] = await deliveriesOf(sub.id);
      expect([d.status, d.attempts, d.lastStatusCode, d.lastError]).toEqual(['pending', 1, null, 'ECONNREFUSED']);
      expect(d.nextAttemptAt).toBe(new Date(t.clock.current.getTime() + 10_000).toISOString());

      // Up again, but answering 503: not due yet, then due and failed again (20 s more).
      await r.start(port);
      r.mode = 'fail';
      expect(await workerPass()).toBe(0);
      t.clock.advance(10_000);
      expect(await workerPass()).toBe(1);
      [d] = await deliveriesOf(sub.id);
      expect([d.status, d.attempts, d.lastStatusCode, d.lastError]).toEqual(['pending', 2, 503, 'HTTP 503']);
      expect(d.nextAttemptAt).toBe(new Date(t.clock.current.getTime() + 20_000).toISOString());

      r.mode = 'ok';
      t.clock.advance(20_000);
      expect(await workerPass()).toBe(1);
      [d] = await deliveriesOf(sub.id);
      expect([d.status, d.attempts, d.lastStatusCode]).toEqual(['delivered', 3, 204]);
      const ids = r.received.map((x) => x.headers['priyom-event-id']);
      expect(new Set(ids).size).toBe(1); // the same event id on every attempt
      expect(r.processed.size).toBe(1);
      expect(ids).toHaveLength(2); // the 503 and the 204 (the refused connection never arrived)
      t.clock.advance(3_600_000);
      expect(await workerPass()).toBe(0);
    } finally {
      t.clock.set(start);
    }
  });

  it('a worker killed mid-delivery: its lease runs out and the event goes again after the restart', async () => {
    const start = t.clock.current;
    try {
      const r = await receiver();
      const sub = await subscribe(r, ['appointment.created']);
      const { account, person } = await createPatient(t);
      await createAppointmentRow(t.ctx, clinic.slots[2], person.id, {
        source: 'portal',
        bookedByAccountId: account.id,
      });
      await settle();

      // The first worker claims the delivery and sends it; the receiver takes the request but the
      // worker dies before the answer (nothing after the claim is written).
      r.mode = 'hang';
      const claimed = await claimDueDeliveries(t.ctx.db, t.ctx.now(), 20, deliveryLeaseMs(t.ctx));
      expect(claimed).toHaveLength(1);
      const body = JSON.stringify({ id: `evt_${claimed[0].change.id}` });
      await send({ url: r.url, headers: { 'priyom-event-id': `evt_${claimed[0].change.id}` }, body }).catch(() => {});
      expect(r.received).toHaveLength(1);

      // A restarted worker: the lease still holds, so nothing is sent twice at once ...
      r.mode = 'ok';
      expect(await workerPass()).toBe(0);
      // ... until it runs out; then the event goes again, with the same id, and is delivered.
      t.clock.advance(deliveryLeaseMs(t.ctx) + 1);
      expect(await workerPass()).toBe(1);
      const [d] = await deliveriesOf(sub.id);
      expect([d.status, d.attempts]).toEqual(['delivered', 1]);
      expect(r.received.map((x) => x.headers['priyom-event-id'])).toEqual([d.eventId, d.eventId]);
      expect([...r.processed]).toEqual([d.eventId]);
    } finally {
      t.clock.set(start);
    }
  });

  it('gives up after the last attempt (failed), and a replay sends it again with the same id', async () => {
    const r = await receiver();
    r.mode = 'fail';
    const sub = await subscribe(r, ['slot.*']);
    await t.ctx.db.execute(sql`update slots set status = 'blocked' where id = ${clinic.slots[3].id}`);
    await workerPass();
    const [first] = await deliveriesOf(sub.id);
    expect(first).toMatchObject({ eventType: 'slot.updated', status: 'pending', attempts: 1 });
    // The attempts before the last one, as if the hours had passed.
    await t.ctx.db
      .update(webhookDeliveries)
      .set({ attempts: MAX_DELIVERY_ATTEMPTS - 1, nextAttemptAt: t.ctx.now() })
      .where(eq(webhookDeliveries.id, first.id));
    await workerPass();
    const [failed] = await deliveriesOf(sub.id);
    expect([failed.status, failed.attempts, failed.nextAttemptAt, failed.lastError]).toEqual([
      'failed',
      MAX_DELIVERY_ATTEMPTS,
      null,
      'HTTP 503',
    ]);
    expect(await workerPass()).toBe(0);

    // Replay one delivery: pending at once, attempts afresh, then delivered with the same event id.
    r.mode = 'ok';
    const replayed = await call<Delivery>('POST', `${BASE}/${sub.id}/deliveries/${failed.id}/replay`, misKey.key);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'pending', attempts: 0, replays: 1, eventId: failed.eventId });
    expect(await workerPass()).toBe(1);
    expect(r.received.at(-1)?.headers['priyom-event-id']).toBe(failed.eventId);

    // Replay since an event: everything of the subscription from it on that is not waiting.
    await t.ctx.db.execute(sql`update slots set status = 'free' where id = ${clinic.slots[3].id}`);
    await workerPass();
    const since = await call<{ replayed: number }>('POST', `${BASE}/${sub.id}/replay`, misKey.key, {
      since: failed.eventId,
    });
    expect(since.body).toEqual({ replayed: 2 });
    const before = r.received.length;
    expect(await workerPass()).toBe(2);
    expect(r.received.slice(before).map((x) => x.headers['priyom-event-id'])).toHaveLength(2);
  });

  it('pages the delivery log newest first', async () => {
    const r = await receiver();
    const sub = await subscribe(r, ['slot.*']);
    for (const s of clinic.slots.slice(4, 6)) {
      await t.ctx.db.execute(sql`update slots set status = 'blocked' where id = ${s.id}`);
      await t.ctx.db.execute(sql`update slots set status = 'free' where id = ${s.id}`);
    }
    await workerPass();
    const page1 = await call<{ deliveries: Delivery[]; nextBefore: number }>(
      'GET',
      `${BASE}/${sub.id}/deliveries?limit=3`,
      misKey.key,
    );
    expect(page1.body.deliveries).toHaveLength(3);
    expect(page1.body.nextBefore).toBe(page1.body.deliveries[2].id);
    const page2 = await call<{ deliveries: Delivery[]; nextBefore: number | null }>(
      'GET',
      `${BASE}/${sub.id}/deliveries?limit=3&before=${page1.body.nextBefore}`,
      misKey.key,
    );
    expect(page2.body.deliveries).toHaveLength(1);
    expect(page2.body.nextBefore).toBeNull();
    const ids = [...page1.body.deliveries, ...page2.body.deliveries].map((d) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('sends nothing for changes made before the subscription, nor to a revoked key', async () => {
    const r = await receiver();
    await t.ctx.db.execute(sql`update slots set status = 'blocked' where id = ${clinic.slots[4].id}`);
    // The fan-out has not run yet: the change is older than the subscription all the same.
    const sub = await subscribe(r, ['slot.*']);
    await workerPass();
    expect(r.received).toEqual([]);
    expect(await dispatchChanges(t.ctx.db, t.ctx.now(), 10)).toBe(0);

    const acc = await createAccount(t.ctx, { role: 'operator' });
    const operator = await signIn(t, acc.email, acc.password);
    const revoked = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'registry' });
    const rr = await receiver();
    await subscribe(rr, ['slot.*'], revoked.key);
    expect((await operator.post(`/api/operator/api-keys/${revoked.id}/revoke`, {})).status).toBe(200);
    await t.ctx.db.execute(sql`update slots set status = 'free' where id = ${clinic.slots[4].id}`);
    await workerPass();
    expect(rr.received).toEqual([]);
    expect(r.received).toHaveLength(1); // the live subscription got the change
    expect((await deliveriesOf(sub.id))[0].eventType).toBe('slot.updated');
  });
});
