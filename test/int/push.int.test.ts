// Web Push end to end: a local HTTP server in this test stands in for the push service.
// The test plays the browser: it makes the P-256 key pair and the auth secret, subscribes
// through HTTP, a booking triggers an event, the push worker step delivers it, and the
// test checks the VAPID header and decrypts the payload itself (RFC 8291 + RFC 8188).
// Then: 410 deletes the subscription, 500 is retried later.
import { once } from 'node:events';
import { createHmac, createPublicKey, createDecipheriv, hkdfSync, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushOutbox, pushSubscriptions } from '../../src/server/db/schema.js';
import { createPushTransport } from '../../src/server/modules/notify/push.transport.js';
import { deliverPushDue } from '../../src/server/modules/notify/push.worker.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { book, browserPushKeys, patient, pushRowsOf, vapidEnv, type BrowserPushKeys } from './notify.helpers.js';

const START = '2026-11-25T09:00:00Z';
const env = vapidEnv();

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let t: TestContext;
let server: http.Server;
let port: number;
const received: Received[] = [];
/** What the stand-in push service answers next (default 201 Created). */
let answer: { status: number; headers?: Record<string, string> } = { status: 201 };
const logged: { obj: object; msg: string }[] = [];
const log = { warn: (obj: object, msg: string) => logged.push({ obj, msg }) };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  t = await createTestContext({ now: START, env });
});
afterAll(async () => {
  await t.close();
  server.close();
});
afterEach(async () => {
  // Each test sees only its own deliveries.
  await t.ctx.db.delete(pushOutbox);
  received.length = 0;
  logged.length = 0;
  answer = { status: 201 };
  t.clock.set(START);
});

let subscriptionSeq = 0;
async function subscribedPatient() {
  const p = await patient(t);
  const keys = browserPushKeys();
  subscriptionSeq += 1;
  const endpoint = `http://127.0.0.1:${port}/push/${subscriptionSeq}`;
  const res = await p.client.post('/api/push/subscriptions', {
    endpoint,
    keys: { p256dh: keys.p256dh, auth: keys.auth },
  });
  expect(res.status).toBe(200);
  return { ...p, keys, endpoint };
}

// ---------- the browser's side: RFC 8291 (Web Push encryption) over RFC 8188 (aes128gcm) ----------

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** HKDF-Expand for one block (length <= 32), written out as RFC 5869 does. */
function hkdfExpand(prk: Buffer, info: Buffer, length: number): Buffer {
  return hmac(prk, Buffer.concat([info, Buffer.from([1])])).subarray(0, length);
}

function decryptWebPush(body: Buffer, browser: BrowserPushKeys): string {
  // RFC 8188 header: salt (16) | record size (4, big-endian) | idlen (1) | keyid (the server's ephemeral public key).
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idlen);
  expect(idlen).toBe(65);
  expect(asPublic[0]).toBe(0x04);
  const records = body.subarray(21 + idlen);

  // RFC 8291 section 3.3-3.4: the input keying material from the ECDH secret and the auth secret.
  const uaPublic = browser.ecdh.getPublicKey();
  const ecdhSecret = browser.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'latin1'), uaPublic, asPublic]);
  const ikm = hkdfExpand(hmac(browser.authBytes, ecdhSecret), keyInfo, 32);
  // The same with node's HKDF, as a cross-check of the hand-written steps.
  expect(Buffer.from(hkdfSync('sha256', ecdhSecret, browser.authBytes, keyInfo, 32))).toEqual(ikm);

  // RFC 8188 section 2.2-2.3: content-encryption key and nonce.
  const prk = hmac(salt, ikm);
  const cek = hkdfExpand(prk, Buffer.from('Content-Encoding: aes128gcm\0', 'latin1'), 16);
  const nonceBase = hkdfExpand(prk, Buffer.from('Content-Encoding: nonce\0', 'latin1'), 12);

  const plain: Buffer[] = [];
  for (let seq = 0, offset = 0; offset < records.length; seq++, offset += rs) {
    const record = records.subarray(offset, Math.min(offset + rs, records.length));
    // The record's nonce: the base nonce XOR the record's sequence number (big-endian).
    const nonce = Buffer.from(nonceBase);
    for (let i = 0; i < 6; i++) nonce[11 - i] ^= Math.floor(seq / 256 ** i) % 256;
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Strip the zero padding, then the delimiter: 0x02 in the last record, 0x01 before it.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const isLast = offset + rs >= records.length;
    expect(padded[end]).toBe(isLast ? 0x02 : 0x01);
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain).toString('utf8');
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` (RFC 8292): key, audience, subject, ES256 signature. */
function checkVapid(header: string | undefined, audience: string) {
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  expect(m, `Authorization header: ${header}`).not.toBeNull();
  const [, jwt, k] = m as RegExpExecArray;
  expect(k).toBe(env.VAPID_PUBLIC_KEY);
  const [h, p, s] = jwt.split('.');
  expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ES256' });
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  expect(claims.aud).toBe(audience);
  expect(claims.sub).toBe('mailto:ops@example.test');
  expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  const pub = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  expect(ok).toBe(true);
}

describe('Web Push delivery', () => {
  it('delivers an encrypted {title, body, url} with a VAPID signature, once', async () => {
    const p = await subscribedPatient();
    const { appointment, setup } = await book(t, p, { specialty: { name: 'Психиатр-нарколог' } });
    const transport = createPushTransport(t.config.vapid!);

    expect(await deliverPushDue(t.ctx, transport, log)).toBe(1);
    expect(await deliverPushDue(t.ctx, transport, log)).toBe(0);
    expect(received).toHaveLength(1);
    const [msg] = received;
    expect(msg.path).toBe(p.endpoint.slice(`http://127.0.0.1:${port}`.length));
    expect(msg.headers['content-encoding']).toBe('aes128gcm');
    expect(msg.headers['content-type']).toBe('application/octet-stream');
    expect(Number(msg.headers.ttl)).toBe(86_400);
    checkVapid(msg.headers.authorization, `http://127.0.0.1:${port}`);

    const payload = JSON.parse(decryptWebPush(msg.body, p.keys)) as Record<string, unknown>;
    expect(payload).toEqual({
      title: 'Вы записаны на приём',
      body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время). Подробности — на портале.',
      url: `/appointments/${appointment.id}`,
    });
    // Nothing that names the person or the specialty crosses the push service, even encrypted.
    const text = JSON.stringify(payload);
    expect(text).not.toContain(setup.specialty.name);
    expect(text).not.toContain('Иванова');
    expect(text).not.toContain('Мария');

    const [row] = await pushRowsOf(t, p.accountId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(row.sentAt?.toISOString()).toBe(START.replace('Z', '.000Z'));
  });

  it('sends one message to each of the account’s browsers', async () => {
    const p = await subscribedPatient();
    const second = browserPushKeys();
    const endpoint2 = `http://127.0.0.1:${port}/push/second-${p.accountId}`;
    await p.client.post('/api/push/subscriptions', {
      endpoint: endpoint2,
      keys: { p256dh: second.p256dh, auth: second.auth },
    });
    await book(t, p);
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(2);
    expect(received.map((r) => r.path).sort()).toEqual(
      [new URL(p.endpoint).pathname, new URL(endpoint2).pathname].sort(),
    );
    const toSecond = received.find((r) => r.path === new URL(endpoint2).pathname);
    expect(JSON.parse(decryptWebPush(toSecond!.body, second))).toMatchObject({ title: 'Вы записаны на приём' });
  });

  it('deletes the subscription when the push service answers 410 Gone', async () => {
    const p = await subscribedPatient();
    await book(t, p);
    answer = { status: 410 };
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(1);
    expect(received).toHaveLength(1);
    expect(
      await t.ctx.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, p.endpoint)),
    ).toHaveLength(0);
    expect(await pushRowsOf(t, p.accountId)).toHaveLength(0);
    // The log names ids and the status, never the endpoint.
    expect(JSON.stringify(logged)).not.toContain(p.endpoint);
    // The next event has nowhere to go.
    answer = { status: 201 };
    await book(t, p, { slot: 4 });
    expect(await pushRowsOf(t, p.accountId)).toHaveLength(0);
  });

  it('retries a 500 later with back-off, then delivers', async () => {
    const p = await subscribedPatient();
    await book(t, p);
    const transport = createPushTransport(t.config.vapid!);
    answer = { status: 500 };
    expect(await deliverPushDue(t.ctx, transport, log)).toBe(1);
    let [row] = await pushRowsOf(t, p.accountId);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'push service answered 500',
      lockedUntil: null,
    });
    expect(row.nextAttemptAt.getTime() - t.ctx.now().getTime()).toBe(30_000);

    // Not due yet.
    answer = { status: 201 };
    expect(await deliverPushDue(t.ctx, transport, log)).toBe(0);
    t.clock.advance(30_000);
    expect(await deliverPushDue(t.ctx, transport, log)).toBe(1);
    [row] = await pushRowsOf(t, p.accountId);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(received).toHaveLength(2);
    expect(
      await t.ctx.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, p.endpoint)),
    ).toHaveLength(1);
  });

  it('waits as long as a 429 asks, and retries when the service cannot be reached', async () => {
    const p = await subscribedPatient();
    await book(t, p);
    answer = { status: 429, headers: { 'retry-after': '600' } };
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(1);
    let [row] = await pushRowsOf(t, p.accountId);
    expect(row.nextAttemptAt.getTime() - t.ctx.now().getTime()).toBe(600_000);

    // The push service is away: a connection refused is a failed attempt, not a lost message.
    await t.ctx.db
      .update(pushSubscriptions)
      .set({ endpoint: 'http://127.0.0.1:1/push/away' })
      .where(eq(pushSubscriptions.accountId, p.accountId));
    t.clock.advance(600_000);
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(1);
    [row] = await pushRowsOf(t, p.accountId);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row.nextAttemptAt.getTime() - t.ctx.now().getTime()).toBe(60_000);
  });

  it('gives up on a refusal that repeating will not fix', async () => {
    const p = await subscribedPatient();
    await book(t, p);
    answer = { status: 413 };
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(1);
    const [row] = await pushRowsOf(t, p.accountId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    t.clock.advance(3_600_000);
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(0);
    // The subscription itself stays.
    expect(
      await t.ctx.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, p.endpoint)),
    ).toHaveLength(1);
  });

  it('leaves a claimed message to its lease: a worker that died mid-send is retried after it expires', async () => {
    const p = await subscribedPatient();
    await book(t, p);
    const [row] = await pushRowsOf(t, p.accountId);
    await t.ctx.db
      .update(pushOutbox)
      .set({ lockedUntil: new Date(t.ctx.now().getTime() + 120_000) })
      .where(eq(pushOutbox.id, row.id));
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(0);
    t.clock.advance(121_000);
    expect(await deliverPushDue(t.ctx, createPushTransport(t.config.vapid!), log)).toBe(1);
    expect(received).toHaveLength(1);
  });
});
