// Booking events by e-mail through a real SMTP server running in the test: the message
// arrives once, with a plain-text and an HTML part, a link that leads to the visit, and a
// subject that names neither the person nor the specialty. The same event is in the
// in-portal list.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/server/db/schema.js';
import { createMailTransport } from '../../src/server/modules/notify/mail.transport.js';
import { deliverDue } from '../../src/server/modules/notify/outbox.worker.js';
import type { AppointmentDetail, NotificationItem } from '../../src/shared/api/index.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { book, patient } from './notify.helpers.js';

interface Received {
  to: string[];
  raw: string;
}

let t: TestContext;
let smtp: SMTPServer;
const received: Received[] = [];
const log = { warn: () => undefined };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
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
  const port = (smtp.server.address() as AddressInfo).port;
  t = await createTestContext({ now: '2026-11-25T09:00:00Z', env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
});
afterAll(async () => {
  await t.close();
  smtp.close();
});

// ---------- a small MIME reader: headers, RFC 2047 words, multipart parts, transfer encodings ----------

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const flat = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(flat[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function parseMessage(raw: string): { subject: string; parts: Map<string, string> } {
  const { headers, body } = splitHead(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  expect(boundary, 'a multipart message').toBeDefined();
  const parts = new Map<string, string>();
  for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
    const part = splitHead(chunk.replace(/^\r\n/, ''));
    const type = (part.headers.get('content-type') ?? '').split(';')[0].trim();
    parts.set(type, decodeBody(part.body, part.headers.get('content-transfer-encoding')));
  }
  return { subject: decodeWords(headers.get('subject') ?? ''), parts };
}

describe('booking events by e-mail', () => {
  it('a booking arrives once, in two parts, with a working link and a discreet subject', async () => {
    const p = await patient(t);
    const { appointment, setup } = await book(t, p, { specialty: { name: 'Венеролог' } });
    const transport = createMailTransport(t.config);
    expect(await deliverDue(t.ctx, transport, log)).toBe(1);
    expect(await deliverDue(t.ctx, transport, log)).toBe(0);
    transport.close();

    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual([p.email]);
    const mail = parseMessage(received[0].raw);
    expect(mail.subject).toBe('Вы записаны на приём');
    for (const secret of [setup.specialty.name, 'Иванова', 'Мария', 'Петров'])
      expect(mail.subject).not.toContain(secret);

    const text = mail.parts.get('text/plain') ?? '';
    const html = mail.parts.get('text/html') ?? '';
    expect(text).toContain('Дата и время: пятница, 27 ноября 2026 г., 10:00 (местное время)');
    expect(text).toContain(`Номер записи: ${appointment.reference}`);
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain(appointment.reference);

    // The link: the same in both parts, on the portal, to this visit - which its account can open.
    const link = /Открыть запись: (\S+)/.exec(text)?.[1];
    expect(link).toBe(`http://portal.test/appointments/${appointment.id}`);
    expect(html).toContain(`href="${link}"`);
    const opened = await p.client.get<AppointmentDetail>(`/api${new URL(link!).pathname}`);
    expect(opened.status).toBe(200);
    expect(opened.body.reference).toBe(appointment.reference);

    // The in-portal list has the same event, leading to the same page.
    const list = await p.client.get<{ items: NotificationItem[] }>('/api/notifications');
    expect(list.body.items.map((i) => [i.kind, i.link])).toEqual([['booking_made', new URL(link!).pathname]]);
  });

  it('a cancellation arrives once and says who cancelled', async () => {
    const p = await patient(t);
    const { appointment } = await book(t, p, { slot: 4 });
    expect((await p.client.post(`/api/appointments/${appointment.id}/cancel`)).status).toBe(200);
    received.length = 0;
    const transport = createMailTransport(t.config);
    expect(await deliverDue(t.ctx, transport, log)).toBe(2); // booked, cancelled
    expect(await deliverDue(t.ctx, transport, log)).toBe(0);
    transport.close();
    const cancelled = received.map((r) => parseMessage(r.raw)).filter((m) => m.subject === 'Запись на приём отменена');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].parts.get('text/plain')).toContain('Запись отменена из вашей учётной записи на портале.');
    expect(cancelled[0].parts.get('text/html')).toContain('Запись отменена из вашей учётной записи на портале.');

    const list = await p.client.get<{ items: NotificationItem[] }>('/api/notifications');
    expect(list.body.items.map((i) => i.kind)).toEqual(['booking_cancelled', 'booking_made']);
    expect(list.body.items[0].body).toContain('Запись отменена из вашей учётной записи на портале.');
  });

  it('a copy sent again after a crash is the same message: the Message-ID comes from the outbox row', async () => {
    const p = await patient(t);
    await book(t, p, { slot: 0 });
    received.length = 0;
    const transport = createMailTransport(t.config);
    try {
      expect(await deliverDue(t.ctx, transport, log)).toBe(1);
      const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, p.email));
      expect(row.status).toBe('sent');
      // The crash: the message went out but the process died before marking it sent, so
      // the row is due again when its lease runs out.
      await t.ctx.db
        .update(outbox)
        .set({ status: 'pending', sentAt: null, lockedUntil: null })
        .where(eq(outbox.id, row.id));
      expect(await deliverDue(t.ctx, transport, log)).toBe(1);
      expect(received).toHaveLength(2);
      const ids = received.map((r) => splitHead(r.raw).headers.get('message-id'));
      expect(ids).toEqual([`<${row.id}@portal.test>`, `<${row.id}@portal.test>`]);
      expect(ids[0]).not.toContain(p.email);
    } finally {
      transport.close();
    }
  });
});
