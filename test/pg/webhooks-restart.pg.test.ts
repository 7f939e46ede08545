// A webhook worker process killed mid-delivery (SIGKILL while the receiver holds the request):
// after the restart its lease runs out and the event is delivered, with the same event id, so
// the receiver acts on it once. Real PostgreSQL, a real worker process, a real HTTP receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookSubscriptions } from '../../src/server/db/schema.js';
import { createAppointmentRow, createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from '../int/integration-api.helpers.js';

let t: TestContext;
const children: ChildProcess[] = [];
let server: Server | null = null;

beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t.close();
});

/** Starts the worker process with its clock at `now`; resolves when it is running. */
async function startWorkerProcess(now: Date): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/pg/webhook-worker.child.ts', t.databaseUrl ?? '', now.toISOString()],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return child;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a webhook worker killed mid-delivery', () => {
  it('delivers the event after the restart, once per id at the receiver', async () => {
    // The receiver: holds the first request without answering, then answers 204 and
    // deduplicates by the event id.
    const received: string[] = [];
    const processed = new Set<string>();
    let hang = true;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['priyom-event-id']);
        received.push(id);
        if (hang) return; // the worker waits for an answer that never comes
        processed.add(id);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const setup = await createBookableSetup(t.ctx);
    const acc = await createAccount(t.ctx, { role: 'operator' });
    const { key } = await issueKey(await signIn(t, acc.email, acc.password), {
      organisationId: setup.organisation.id,
      channel: 'mis',
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/integration/v1/webhooks',
      headers: { authorization: `Bearer ${key}` },
      payload: { url: `http://127.0.0.1:${port}/events`, eventTypes: ['appointment.created'] },
    });
    expect(created.statusCode).toBe(201);
    const subscriptionId = (created.json() as { id: string }).id;
    const { account, person } = await createPatient(t);
    await createAppointmentRow(t.ctx, setup.slots[0], person.id, { source: 'portal', bookedByAccountId: account.id });

    // The first worker takes the event and is killed while the receiver holds the request.
    const first = await startWorkerProcess(t.clock.current);
    await until('the first attempt to arrive', () => received.length === 1);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const [leased] = await t.ctx.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, subscriptionId));
    expect(leased).toMatchObject({ status: 'pending', attempts: 0, deliveredAt: null });
    expect(leased.lockedUntil).not.toBeNull();

    // Restarted after the lease ran out (its clock past locked_until): delivered.
    hang = false;
    const lockedUntil = leased.lockedUntil ?? new Date(0);
    const second = await startWorkerProcess(new Date(lockedUntil.getTime() + 1_000));
    await until('the delivery', async () => {
      const [d] = await t.ctx.db
        .select({ status: webhookDeliveries.status })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.subscriptionId, subscriptionId));
      return d?.status === 'delivered';
    });
    second.kill('SIGKILL');
    await new Promise((r) => second.once('exit', r));

    const [done] = await t.ctx.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, subscriptionId));
    expect(done).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204 });
    const eventId = `evt_${done.changeId}`;
    expect(received).toEqual([eventId, eventId]); // sent twice (at least once) ...
    expect([...processed]).toEqual([eventId]); // ... acted on once
    await t.ctx.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, subscriptionId));
  }, 60_000);
});
