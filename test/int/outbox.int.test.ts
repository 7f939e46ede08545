// The e-mail outbox delivered through a real SMTP server running in the test.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/server/db/schema.js';
import { createMailTransport } from '../../src/server/modules/notify/mail.transport.js';
import { composeEmail, enqueueEmail } from '../../src/server/modules/notify/notify.service.js';
import { deliverDue } from '../../src/server/modules/notify/outbox.worker.js';
import { createTestContext, testConfig, type TestContext } from '../support/context.js';

interface Received {
  to: string[];
  raw: string;
}

let t: TestContext;
let smtp: SMTPServer;
let port: number;
const received: Received[] = [];
let refuse = false;
const log = { warn: () => undefined };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse) return callback(new Error('mailbox unavailable'));
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  port = (smtp.server.address() as AddressInfo).port;
  t = await createTestContext({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
});
afterAll(async () => {
  await t.close();
  smtp.close();
});

async function enqueue(key: string) {
  const { text, html } = composeEmail({
    paragraphs: ['Здравствуйте!', 'Проверочное письмо.'],
    action: { label: 'Открыть портал', url: 'http://portal.test/cardfile' },
  });
  await enqueueEmail(
    t.ctx.db,
    { accountId: null, kind: 'test', dedupKey: key, to: 'someone@example.org', subject: 'Проверка', text, html },
    t.ctx.now(),
  );
}

describe('outbox delivery over SMTP', () => {
  it('delivers a message once, with a plain-text and an HTML part', async () => {
    const transport = createMailTransport(t.config);
    await enqueue('once-1');
    await enqueue('once-1'); // the same event twice: one message
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    expect(await deliverDue(t.ctx, transport, log)).toBe(0);
    transport.close();
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(['someone@example.org']);
    expect(received[0].raw).toContain('text/plain');
    expect(received[0].raw).toContain('text/html');
    const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.dedupKey, 'once-1'));
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(1);
  });

  it('retries with back-off when the server refuses, then delivers', async () => {
    const transport = createMailTransport(t.config);
    received.length = 0;
    refuse = true;
    await enqueue('retry-1');
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    let [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.dedupKey, 'retry-1'));
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt.getTime() - t.ctx.now().getTime()).toBe(30_000);
    // Not due yet.
    refuse = false;
    expect(await deliverDue(t.ctx, transport, log)).toBe(0);
    t.clock.advance(30_000);
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.dedupKey, 'retry-1'));
    expect(row.status).toBe('sent');
    expect(received).toHaveLength(1);
    transport.close();
  });

  it('a worker that died mid-send leaves a lease that expires, and the message goes out after', async () => {
    const transport = createMailTransport(t.config);
    received.length = 0;
    await enqueue('crash-1');
    // Simulate a worker that claimed the message and died before sending.
    await t.ctx.db
      .update(outbox)
      .set({ lockedUntil: new Date(t.ctx.now().getTime() + 60_000) })
      .where(eq(outbox.dedupKey, 'crash-1'));
    expect(await deliverDue(t.ctx, transport, log)).toBe(0);
    t.clock.advance(61_000);
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    expect(received).toHaveLength(1);
    transport.close();
  });

  it('keeps messages in the development mailbox when SMTP is not configured', async () => {
    const transport = createMailTransport(testConfig());
    await enqueue('devbox-1');
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.dedupKey, 'devbox-1'));
    expect(row.status).toBe('sent');
  });
});
