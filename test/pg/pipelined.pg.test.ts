// Pipelined transactions (db/pipelined.ts) on real PostgreSQL: BEGIN travels with the first
// statement and COMMIT with the last; everything else behaves as an ordinary transaction.
import net from 'node:net';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { canPipeline, pipelinedTransaction } from '../../src/server/db/pipelined.js';
import { preparedSql } from '../../src/server/db/prepared.js';
import { bookingPaths } from '../../src/server/modules/booking/booking.service.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { countAppointments, sessionClient } from '../int/booking.helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  await t.ctx.db.execute(sql`create table pipelined_probe (id int primary key, note text not null)`);
});
afterAll(async () => t.close());

const insertProbe = preparedSql<{ id: number }>(
  'test_pipelined_insert',
  sql`insert into pipelined_probe (id, note) values (${sql.placeholder('id')}::int, ${sql.placeholder('note')}) returning id`,
);
const lockProbe = preparedSql<{ id: number; note: string }>(
  'test_pipelined_lock',
  sql`select id, note from pipelined_probe where id = ${sql.placeholder('id')}::int for update`,
);

const planCacheMode = preparedSql<{ mode: string }>(
  'test_pipelined_plan_cache_mode',
  sql`select current_setting('plan_cache_mode') as mode`,
);

async function notes(): Promise<Record<number, string>> {
  const rows = await queryRows<{ id: number; note: string }>(
    t.ctx.db,
    sql`select id, note from pipelined_probe order by id`,
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.note]));
}

describe('pipelinedTransaction', () => {
  it('is there on PostgreSQL', () => {
    expect(canPipeline(t.ctx.db)).toBe(true);
  });

  it('keeps the generic plan of each statement inside its transactions only (the booking statements are not planned per execution)', async () => {
    const inside = await pipelinedTransaction(t.ctx.db, async (tx) => tx.begin(planCacheMode, {}));
    expect(inside).toEqual([{ mode: 'force_generic_plan' }]);
    const withTimeout = await pipelinedTransaction(t.ctx.db, async (tx) =>
      tx.begin(planCacheMode, {}, { lockTimeoutMs: 500 }),
    );
    expect(withTimeout).toEqual([{ mode: 'force_generic_plan' }]);
    // Other transactions keep PostgreSQL's default.
    const plain = await queryRows<{ mode: string }>(t.ctx.db, sql`select current_setting('plan_cache_mode') as mode`);
    expect(plain).toEqual([{ mode: 'auto' }]);
  });

  it('commits what ran between begin and commitWith, and sends each pair in one write', async () => {
    // A connection opened first (its start-up is written too), then count the writes the
    // connection makes to PostgreSQL's port while the transaction runs.
    await pipelinedTransaction(t.ctx.db, async (tx) => tx.begin(lockProbe, { id: 0 }));
    const port = Number(new URL(t.databaseUrl!).port || 5432);
    const proto = net.Socket.prototype as unknown as Record<
      '_write' | '_writev',
      (this: net.Socket, ...args: unknown[]) => unknown
    >;
    const original = { _write: proto._write, _writev: proto._writev };
    let writes = 0;
    for (const k of ['_write', '_writev'] as const) {
      proto[k] = function (this: net.Socket, ...args: unknown[]) {
        if (this.remotePort === port) writes += 1;
        return original[k].apply(this, args);
      };
    }
    let result: number[];
    try {
      result = await pipelinedTransaction(t.ctx.db, async (tx) => {
        const first = await tx.begin(insertProbe, { id: 1, note: 'first' });
        const second = await tx.commitWith(insertProbe, { id: 2, note: 'second' });
        return [first[0].id, second[0].id];
      });
    } finally {
      Object.assign(proto, original);
    }
    expect(result).toEqual([1, 2]);
    expect(writes).toBe(2);
    expect(await notes()).toMatchObject({ 1: 'first', 2: 'second' });
  });

  it('holds its locks until the commit: another session waits on the locked row', async () => {
    const other = new pg.Client({ connectionString: t.databaseUrl! });
    await other.connect();
    try {
      await pipelinedTransaction(t.ctx.db, async (tx) => {
        const [row] = await tx.begin(lockProbe, { id: 1 });
        expect(row.note).toBe('first');
        await other.query('begin');
        await expect(
          other.query('select id from pipelined_probe where id = 1 for update nowait'),
        ).rejects.toMatchObject({ code: '55P03' });
        await other.query('rollback');
        await tx.commitWith(insertProbe, { id: 3, note: 'third' });
      });
      await other.query('begin');
      await other.query('select id from pipelined_probe where id = 1 for update nowait');
      await other.query('rollback');
    } finally {
      await other.end();
    }
  });

  it('rolls back when the callback throws or returns before committing', async () => {
    await expect(
      pipelinedTransaction(t.ctx.db, async (tx) => {
        await tx.begin(insertProbe, { id: 10, note: 'thrown' });
        throw new Error('refused by a rule');
      }),
    ).rejects.toThrow('refused by a rule');
    const none = await pipelinedTransaction(t.ctx.db, async (tx) => {
      await tx.begin(insertProbe, { id: 11, note: 'abandoned' });
      return null;
    });
    expect(none).toBeNull();
    expect(await notes()).not.toHaveProperty('10');
    expect(await notes()).not.toHaveProperty('11');
  });

  it('ends the transaction when the last statement fails (the COMMIT behind it rolls back), and the connection stays usable', async () => {
    await expect(
      pipelinedTransaction(t.ctx.db, async (tx) => {
        await tx.begin(insertProbe, { id: 20, note: 'before the clash' });
        await tx.commitWith(insertProbe, { id: 1, note: 'clash' });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await notes()).not.toHaveProperty('20');
    // Every pooled connection still works (none is left inside a transaction).
    const again = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        pipelinedTransaction(t.ctx.db, async (tx) => {
          await tx.begin(lockProbe, { id: 2 + (i % 2) });
          return (await tx.commitWith(insertProbe, { id: 100 + i, note: `n${i}` }))[0].id;
        }),
      ),
    );
    expect(again).toEqual(Array.from({ length: 25 }, (_, i) => 100 + i));
  });

  it('with a lock timeout, gives up waiting for a row another session holds (55P03) and rolls back', async () => {
    const other = new pg.Client({ connectionString: t.databaseUrl! });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from pipelined_probe where id = 1 for update');
      const started = Date.now();
      await expect(
        pipelinedTransaction(t.ctx.db, async (tx) => {
          await tx.begin(lockProbe, { id: 1 }, { lockTimeoutMs: 100 });
          return tx.commitWith(insertProbe, { id: 40, note: 'never' });
        }),
      ).rejects.toMatchObject({ code: '55P03' });
      expect(Date.now() - started).toBeLessThan(5_000);
      await other.query('rollback');
      expect(await notes()).not.toHaveProperty('40');
      // The timeout was the transaction's own: the next one waits as long as it must.
      const rows = await pipelinedTransaction(t.ctx.db, async (tx) => tx.begin(lockProbe, { id: 1 }));
      expect(rows).toEqual([{ id: 1, note: 'first' }]);
    } finally {
      await other.end();
    }
  });

  it('refuses misuse', async () => {
    await expect(
      pipelinedTransaction(t.ctx.db, async (tx) => tx.commitWith(insertProbe, { id: 30, note: 'x' })),
    ).rejects.toThrow('commit before begin');
    await expect(
      pipelinedTransaction(t.ctx.db, async (tx) => tx.begin(lockProbe, { id: 1 }, { lockTimeoutMs: 0.5 })),
    ).rejects.toThrow('bad lock timeout');
  });
});

describe('portal bookings on PostgreSQL', () => {
  it('go through the pipelined transaction once the settings are cached, with the same rules and answers', async () => {
    const setup = await createBookableSetup(t.ctx);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    const client = await sessionClient(t, account.id);
    const first = await client.post('/api/appointments', { slotId: setup.slots[0].id, personId: person.id });
    expect(first.status).toBe(201);
    const before = { ...bookingPaths };
    const other = await createBookableSetup(t.ctx);
    const second = await client.post('/api/appointments', { slotId: other.slots[3].id, personId: person.id });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      personId: person.id,
      status: 'booked',
      source: 'portal',
      startAt: other.slots[3].startAt.toISOString(),
      reference: expect.stringMatching(/^ПР-/),
      doctor: { id: other.doctor.id },
      cancellable: true,
    });
    expect(bookingPaths.pipelined).toBe(before.pipelined + 1);
    expect(bookingPaths.ordinary).toBe(before.ordinary);
    // A refusal in the pipelined path writes nothing and answers as before.
    const taken = await client.post('/api/appointments', { slotId: other.slots[3].id, personId: person.id });
    expect(taken).toMatchObject({ status: 409, body: { code: 'SLOT_TAKEN' } });
    const limit = await client.post('/api/appointments', { slotId: setup.slots[5].id, personId: person.id });
    expect(limit).toMatchObject({ status: 409, body: { code: 'SPECIALTY_LIMIT_REACHED' } });
    expect(await countAppointments(t, { personId: person.id })).toBe(2);
  });
});
