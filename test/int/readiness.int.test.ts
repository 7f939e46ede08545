// /readyz through HTTP: ready on a migrated database; not ready (503 MIGRATIONS_PENDING) while
// the database lacks the newest migration this code ships, as when a new release starts
// before its migrations ran; SHUTTING_DOWN once draining. And the worker's hand-back at
// shutdown: e-mails claimed but not yet sent are released at once, not left leased.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/server/db/schema.js';
import { latestMigrationWhen } from '../../src/server/db/index.js';
import { deliverDue } from '../../src/server/modules/notify/outbox.worker.js';
import { enqueueEmail } from '../../src/server/modules/notify/notify.service.js';
import type { MailTransport } from '../../src/server/modules/notify/mail.transport.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('/readyz', () => {
  it('is not ready while the newest migration is missing, ready once it is applied, not ready when draining', async () => {
    const newest = latestMigrationWhen();
    // Pretend the newest migration has not run yet (it is put back below).
    await t.ctx.db.execute(
      sql`update drizzle.__drizzle_migrations set created_at = created_at - 1 where created_at = ${newest}`,
    );
    const pending = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toMatchObject({ code: 'MIGRATIONS_PENDING' });
    expect(pending.headers['retry-after']).toBeDefined();
    await t.ctx.db.execute(
      sql`update drizzle.__drizzle_migrations set created_at = ${newest} where created_at = ${newest - 1}`,
    );
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');

    t.app.readiness.draining = true;
    try {
      const draining = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(draining.statusCode).toBe(503);
      expect(draining.json()).toMatchObject({ code: 'SHUTTING_DOWN' });
      // Requests are still served while draining: only readiness changed.
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      t.app.readiness.draining = false;
    }
  });
});

describe('the worker at shutdown', () => {
  it('sends the message in hand and hands back the leases of the others', async () => {
    const now = t.ctx.now();
    for (let i = 0; i < 3; i++) {
      await enqueueEmail(
        t.ctx.db,
        {
          accountId: null,
          kind: 'test',
          dedupKey: `drain-${i}`,
          to: `drain-${i}@example.test`,
          subject: 'Тест',
          text: 'Тест',
          html: '<p>Тест</p>',
        },
        now,
      );
    }
    let stopping = false;
    const sent: string[] = [];
    const transport: MailTransport = {
      async send(message) {
        sent.push(message.to);
        stopping = true; // SIGTERM arrives while the first message is being sent
      },
      close() {},
    };
    expect(await deliverDue(t.ctx, transport, { warn: () => undefined }, 20, () => stopping)).toBe(3);
    expect(sent).toHaveLength(1);
    const rows = await t.ctx.db.select().from(outbox);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(1);
    // The other two are pending with no lease: another worker takes them at once.
    const released = await t.ctx.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), isNull(outbox.lockedUntil)));
    expect(released).toHaveLength(2);
  });
});
