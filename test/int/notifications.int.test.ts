// The in-portal notification list, the account's channels and this browser's Web Push
// subscription, through HTTP: happy paths, someone else's data, anonymous callers, bad
// input (with nothing written), and what notify() writes for each channel preference.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notificationPreferences, notifications, pushSubscriptions, systemKeys } from '../../src/server/db/schema.js';
import { notify } from '../../src/server/modules/notify/notify.service.js';
import type { NotifyEvent } from '../../src/server/modules/notify/notify.rules.js';
import { loadOrCreateDemoVapidKeys, vapidKeys } from '../../src/server/modules/notify/vapid.js';
import type { NotificationItem } from '../../src/shared/api/index.js';
import { createTestContext, type TestContext } from '../support/context.js';
import {
  book,
  browserPushKeys,
  countRows,
  emailsOf,
  notificationsOf,
  patient,
  pushRowsOf,
  vapidEnv,
  type Patient,
} from './notify.helpers.js';
import { expectError } from '../support/expect.js';

const START = '2026-11-25T09:00:00Z';
const env = vapidEnv();

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START, env });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

let seq = 0;
function event(accountId: string, over: Partial<NotifyEvent> = {}): NotifyEvent {
  seq += 1;
  return {
    accountId,
    kind: 'test_event',
    dedupKey: `test_event:${accountId}:${seq}`,
    title: `Событие ${seq}`,
    body: 'Проверочное уведомление.',
    link: '/cardfile',
    email: { subject: 'Проверка', paragraphs: ['Здравствуйте!'], actionLabel: 'Открыть' },
    ...over,
  };
}

async function record(e: NotifyEvent): Promise<boolean> {
  return notify(t.ctx.db, { publicUrl: t.config.publicUrl }, e, t.ctx.now());
}

type List = { items: NotificationItem[]; unreadCount: number };

function subscriptionBody(endpoint = `https://push.example.test/send/${Math.random().toString(36).slice(2)}`) {
  const k = browserPushKeys();
  return { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } };
}

describe('the in-portal list', () => {
  it('lists the account’s own notifications, newest first, with the unread count', async () => {
    const a = await patient(t);
    const b = await patient(t);
    await record(event(a.accountId, { title: 'Первое' }));
    t.clock.advance(60_000);
    await record(event(a.accountId, { title: 'Второе', link: null }));
    await record(event(b.accountId, { title: 'Чужое' }));

    const res = await a.client.get<List>('/api/notifications');
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(2);
    expect(res.body.items.map((i) => i.title)).toEqual(['Второе', 'Первое']);
    expect(res.body.items[0]).toEqual({
      id: expect.any(Number),
      kind: 'test_event',
      title: 'Второе',
      body: 'Проверочное уведомление.',
      link: null,
      createdAt: '2026-11-25T09:01:00.000Z',
      read: false,
    });
    expect(res.body.items[1]).toMatchObject({ link: '/cardfile', createdAt: '2026-11-25T09:00:00.000Z' });
    const count = await a.client.get<{ unreadCount: number }>('/api/notifications/unread-count');
    expect(count.body).toEqual({ unreadCount: 2 });
  });

  it('shows the newest 50 and counts every unread one', async () => {
    const a = await patient(t);
    for (let i = 0; i < 55; i++) {
      await record(event(a.accountId, { title: `Номер ${i}` }));
      t.clock.advance(1_000);
    }
    const res = await a.client.get<List>('/api/notifications');
    expect(res.body.items).toHaveLength(50);
    expect(res.body.items[0].title).toBe('Номер 54');
    expect(res.body.items[49].title).toBe('Номер 5');
    expect(res.body.unreadCount).toBe(55);
  });

  it('records an event once: a repeat with the same key adds nothing', async () => {
    const a = await patient(t);
    const e = event(a.accountId);
    expect(await record(e)).toBe(true);
    expect(await record({ ...e, title: 'Повтор' })).toBe(false);
    expect(await notificationsOf(t, a.accountId)).toHaveLength(1);
    expect(await emailsOf(t, a.accountId)).toHaveLength(1);
  });

  it('marks one read, keeping when it was first read; the list and count follow', async () => {
    const a = await patient(t);
    await record(event(a.accountId));
    await record(event(a.accountId));
    const [newest, older] = (await a.client.get<List>('/api/notifications')).body.items;

    t.clock.advance(5_000);
    const res = await a.client.post(`/api/notifications/${older.id}/read`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const list = (await a.client.get<List>('/api/notifications')).body;
    expect(list.unreadCount).toBe(1);
    expect(list.items.map((i) => [i.id, i.read])).toEqual([
      [newest.id, false],
      [older.id, true],
    ]);

    t.clock.advance(5_000);
    expect((await a.client.post(`/api/notifications/${older.id}/read`)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(notifications).where(eq(notifications.id, older.id));
    expect(row.readAt?.toISOString()).toBe('2026-11-25T09:00:05.000Z');
  });

  it('refuses someone else’s notification with 404 and leaves it unread', async () => {
    const a = await patient(t);
    const b = await patient(t);
    await record(event(b.accountId));
    const [theirs] = await notificationsOf(t, b.accountId);
    expectError(await a.client.post(`/api/notifications/${theirs.id}/read`), 404, 'NOTIFICATION_NOT_FOUND');
    expectError(await a.client.post('/api/notifications/999999999/read'), 404, 'NOTIFICATION_NOT_FOUND');
    const [row] = await t.ctx.db.select().from(notifications).where(eq(notifications.id, theirs.id));
    expect(row.readAt).toBeNull();
  });

  it('refuses a malformed id with 400', async () => {
    const a = await patient(t);
    const res = await a.client.post<{ code: string }>('/api/notifications/abc/read');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('marks all the account’s notifications read, and no one else’s', async () => {
    const a = await patient(t);
    const b = await patient(t);
    await record(event(a.accountId));
    await record(event(a.accountId));
    await record(event(b.accountId));
    const res = await a.client.post('/api/notifications/read-all');
    expect(res.status).toBe(200);
    expect((await a.client.get<List>('/api/notifications')).body.unreadCount).toBe(0);
    expect((await a.client.get<List>('/api/notifications')).body.items.every((i) => i.read)).toBe(true);
    expect((await b.client.get<List>('/api/notifications')).body.unreadCount).toBe(1);
  });

  it('answers 401 to anonymous callers', async () => {
    const anon = t.client();
    await anon.ensureCsrf();
    expectError(await anon.get('/api/notifications'), 401, 'NOT_AUTHENTICATED');
    expectError(await anon.get('/api/notifications/unread-count'), 401, 'NOT_AUTHENTICATED');
    expectError(await anon.post('/api/notifications/1/read'), 401, 'NOT_AUTHENTICATED');
    expectError(await anon.post('/api/notifications/read-all'), 401, 'NOT_AUTHENTICATED');
    expectError(await anon.get('/api/notifications/preferences'), 401, 'NOT_AUTHENTICATED');
    expectError(
      await anon.put('/api/notifications/preferences', { email: true, push: true }),
      401,
      'NOT_AUTHENTICATED',
    );
    expectError(await anon.post('/api/push/subscriptions', subscriptionBody()), 401, 'NOT_AUTHENTICATED');
    expectError(
      await anon.delete('/api/push/subscriptions?endpoint=https%3A%2F%2Fpush.example.test%2Fx'),
      401,
      'NOT_AUTHENTICATED',
    );
    expectError(
      await anon.get('/api/push/subscriptions?endpoint=https%3A%2F%2Fpush.example.test%2Fx'),
      401,
      'NOT_AUTHENTICATED',
    );
  });
});

describe('channel preferences', () => {
  async function prefsRow(accountId: string) {
    return t.ctx.db.select().from(notificationPreferences).where(eq(notificationPreferences.accountId, accountId));
  }

  it('are both on until changed, and change per account', async () => {
    const a = await patient(t);
    const b = await patient(t);
    expect((await a.client.get('/api/notifications/preferences')).body).toEqual({ email: true, push: true });
    const put = await a.client.put('/api/notifications/preferences', { email: false, push: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ email: false, push: true });
    expect((await a.client.get('/api/notifications/preferences')).body).toEqual({ email: false, push: true });
    expect((await a.client.put('/api/notifications/preferences', { email: true, push: false })).body).toEqual({
      email: true,
      push: false,
    });
    expect(await prefsRow(a.accountId)).toHaveLength(1);
    expect((await b.client.get('/api/notifications/preferences')).body).toEqual({ email: true, push: true });
  });

  it('refuses a malformed body and writes nothing', async () => {
    const a = await patient(t);
    for (const body of [{ email: 'yes', push: true }, { email: true }, {}]) {
      const res = await a.client.put<{ code: string; fields: Record<string, string> }>(
        '/api/notifications/preferences',
        body,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect(await prefsRow(a.accountId)).toHaveLength(0);
  });

  async function subscribed(): Promise<Patient> {
    const p = await patient(t);
    expect((await p.client.post('/api/push/subscriptions', subscriptionBody())).status).toBe(200);
    expect((await p.client.post('/api/push/subscriptions', subscriptionBody())).status).toBe(200);
    return p;
  }

  it('both on: a booking is in the list, in the e-mail outbox and one push per device', async () => {
    const p = await subscribed();
    const { appointment } = await book(t, p);
    const listed = await notificationsOf(t, p.accountId);
    expect(listed.map((n) => [n.kind, n.link])).toEqual([['booking_made', `/appointments/${appointment.id}`]]);
    expect((await emailsOf(t, p.accountId)).map((m) => m.kind)).toEqual(['booking_made']);
    const pushes = await pushRowsOf(t, p.accountId);
    expect(pushes).toHaveLength(2);
    for (const row of pushes) {
      expect(row.status).toBe('pending');
      expect(row.payload).toEqual({
        title: 'Вы записаны на приём',
        body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время). Подробности — на портале.',
        url: `/appointments/${appointment.id}`,
      });
    }
  });

  it('e-mail off: notify() enqueues no e-mail, the list and push still get it', async () => {
    const p = await subscribed();
    await p.client.put('/api/notifications/preferences', { email: false, push: true });
    await book(t, p);
    expect(await notificationsOf(t, p.accountId)).toHaveLength(1);
    expect(await emailsOf(t, p.accountId)).toHaveLength(0);
    expect(await pushRowsOf(t, p.accountId)).toHaveLength(2);
  });

  it('push off: no push rows, the list and the e-mail still get it', async () => {
    const p = await subscribed();
    await p.client.put('/api/notifications/preferences', { email: true, push: false });
    await book(t, p);
    expect(await notificationsOf(t, p.accountId)).toHaveLength(1);
    expect(await emailsOf(t, p.accountId)).toHaveLength(1);
    expect(await pushRowsOf(t, p.accountId)).toHaveLength(0);
  });

  it('both off: the in-portal list is always on', async () => {
    const p = await subscribed();
    await p.client.put('/api/notifications/preferences', { email: false, push: false });
    await book(t, p);
    expect(await notificationsOf(t, p.accountId)).toHaveLength(1);
    expect(await emailsOf(t, p.accountId)).toHaveLength(0);
    expect(await pushRowsOf(t, p.accountId)).toHaveLength(0);
  });
});

describe('push subscriptions', () => {
  async function subscriptionRows(endpoint: string) {
    return t.ctx.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
  }

  it('gives the VAPID public key', async () => {
    const res = await t.client().get('/api/push/public-key');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ publicKey: env.VAPID_PUBLIC_KEY });
  });

  it('subscribes this browser; subscribing again updates the same row', async () => {
    const p = await patient(t);
    const body = subscriptionBody();
    expect((await p.client.post('/api/push/subscriptions', body)).body).toEqual({ ok: true });
    let rows = await subscriptionRows(body.endpoint);
    expect(rows).toMatchObject([{ accountId: p.accountId, p256dh: body.keys.p256dh, auth: body.keys.auth }]);

    const renewed = { endpoint: body.endpoint, keys: subscriptionBody().keys };
    expect((await p.client.post('/api/push/subscriptions', renewed)).status).toBe(200);
    rows = await subscriptionRows(body.endpoint);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ accountId: p.accountId, p256dh: renewed.keys.p256dh, auth: renewed.keys.auth });
  });

  it('refuses another account’s endpoint with 409 and moves nothing; that browser subscribes afresh and both keep theirs', async () => {
    const a = await patient(t);
    const b = await patient(t);
    const body = subscriptionBody();
    await a.client.post('/api/push/subscriptions', body);
    await record(event(a.accountId));
    const [before] = await subscriptionRows(body.endpoint);
    const waiting = await pushRowsOf(t, a.accountId);
    await expect(waiting).toHaveLength(1);

    // Someone who learnt the endpoint (or a second account on the same browser) posts it, with its keys or others.
    expectError(await b.client.post('/api/push/subscriptions', body), 409, 'PUSH_ENDPOINT_TAKEN');
    expectError(
      await b.client.post('/api/push/subscriptions', { endpoint: body.endpoint, keys: subscriptionBody().keys }),
      409,
      'PUSH_ENDPOINT_TAKEN',
    );
    expect(await subscriptionRows(body.endpoint)).toEqual([before]);
    expect(await pushRowsOf(t, a.accountId)).toEqual(waiting);
    const url = `/api/push/subscriptions?endpoint=${encodeURIComponent(body.endpoint)}`;
    expect((await a.client.get(url)).body).toEqual({ subscribed: true });
    expect((await b.client.get(url)).body).toEqual({ subscribed: false });

    // The web app's answer to the 409: the browser drops its old subscription and subscribes
    // again, which gives a new endpoint (web/pages/notify/push.ts).
    const fresh = subscriptionBody();
    expect((await b.client.post('/api/push/subscriptions', fresh)).status).toBe(200);
    expect((await b.client.get(`/api/push/subscriptions?endpoint=${encodeURIComponent(fresh.endpoint)}`)).body).toEqual(
      { subscribed: true },
    );
    await record(event(b.accountId));
    expect(await pushRowsOf(t, b.accountId)).toHaveLength(1);
    expect((await subscriptionRows(body.endpoint))[0].accountId).toBe(a.accountId);
  });

  it('two accounts posting one new endpoint at once: one gets it, the other 409, and it is never moved', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await patient(t);
      const b = await patient(t);
      const body = subscriptionBody();
      const [ra, rb] = await Promise.all([
        a.client.post('/api/push/subscriptions', body),
        b.client.post('/api/push/subscriptions', body),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const winner = ra.status === 200 ? a : b;
      const rows = await subscriptionRows(body.endpoint);
      expect(rows).toHaveLength(1);
      expect(rows[0].accountId).toBe(winner.accountId);
    }
  });

  it('unsubscribes only the account’s own browser', async () => {
    const a = await patient(t);
    const b = await patient(t);
    const body = subscriptionBody();
    await a.client.post('/api/push/subscriptions', body);
    const url = `/api/push/subscriptions?endpoint=${encodeURIComponent(body.endpoint)}`;

    // Whose is it? Only the owner hears "yes".
    expect((await a.client.get(url)).body).toEqual({ subscribed: true });
    expect((await b.client.get(url)).body).toEqual({ subscribed: false });
    expect(
      (
        await a.client.get(
          `/api/push/subscriptions?endpoint=${encodeURIComponent('https://push.example.test/unknown')}`,
        )
      ).body,
    ).toEqual({
      subscribed: false,
    });

    expectError(await b.client.delete(url), 404, 'PUSH_SUBSCRIPTION_NOT_FOUND');
    expect(await subscriptionRows(body.endpoint)).toHaveLength(1);

    const res = await a.client.delete(url);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await subscriptionRows(body.endpoint)).toHaveLength(0);
    expect((await a.client.get(url)).body).toEqual({ subscribed: false });
    expectError(await a.client.delete(url), 404, 'PUSH_SUBSCRIPTION_NOT_FOUND');

    for (const method of ['GET', 'DELETE'] as const) {
      const bad = await a.client.request<{ code: string }>(method, '/api/push/subscriptions?endpoint=not-a-url');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a bad subscription with 400 and writes nothing', async () => {
    const p = await patient(t);
    const before = await countRows(t, pushSubscriptions);
    const good = subscriptionBody();
    const offCurve = Buffer.from(good.keys.p256dh, 'base64url');
    offCurve[64] ^= 0x01;
    const malformed: unknown[] = [
      {},
      { endpoint: good.endpoint },
      { endpoint: 'not a url', keys: good.keys },
      { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh } },
      { endpoint: good.endpoint, keys: { p256dh: 'short', auth: good.keys.auth } },
    ];
    for (const body of malformed) {
      const res = await p.client.post<{ code: string }>('/api/push/subscriptions', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const impossible = [
      { endpoint: good.endpoint, keys: { p256dh: offCurve.toString('base64url'), auth: good.keys.auth } },
      {
        endpoint: good.endpoint,
        keys: { p256dh: good.keys.p256dh, auth: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      },
      { endpoint: 'ftp://push.example.test/x', keys: good.keys },
    ];
    for (const body of impossible)
      expectError(await p.client.post('/api/push/subscriptions', body), 400, 'PUSH_SUBSCRIPTION_INVALID');
    expect(await countRows(t, pushSubscriptions)).toBe(before);
  });
});

describe('without VAPID keys', () => {
  let off: TestContext;
  beforeAll(async () => {
    off = await createTestContext({ now: START });
  });
  afterAll(async () => off.close());

  it('push is off: no public key, no subscriptions, nothing written', async () => {
    expectError(await off.client().get('/api/push/public-key'), 503, 'PUSH_UNAVAILABLE');
    const p = await patient(off);
    expectError(await p.client.post('/api/push/subscriptions', subscriptionBody()), 503, 'PUSH_UNAVAILABLE');
    expect(await countRows(off, pushSubscriptions)).toBe(0);
    expect(await vapidKeys(off.ctx)).toBeNull();
  });

  it('in demo mode a key pair is generated once, kept in system_keys and reused after a restart', async () => {
    const demo = { ...off.ctx, config: { ...off.config, demo: true } };
    const first = await vapidKeys(demo);
    expect(first).not.toBeNull();
    expect(first?.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(first?.subject).toBe('mailto:no-reply@priyom.local');
    // "After a restart": a new process context on the same database.
    const restarted = await vapidKeys({ ...demo });
    expect(restarted).toEqual(first);
    expect(await loadOrCreateDemoVapidKeys(off.ctx.db, 'mailto:x@example.test', off.ctx.now())).toMatchObject({
      publicKey: first?.publicKey,
      privateKey: first?.privateKey,
    });
    const stored = await off.ctx.db
      .select()
      .from(systemKeys)
      .where(and(eq(systemKeys.name, 'vapid')));
    expect(stored).toHaveLength(1);
  });
});
