// The integration change feed on real PostgreSQL with transactions that commit out of order:
// T1 starts and writes, T2 writes and commits, a reader reads, T1 commits, and the reader, going
// on from its cursor, must still get T1's change (the feed orders by the writing transaction and
// holds a change back only while an older transaction is still running).
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import type { IntegrationAppointment } from '../../src/shared/api/index.js';
import { createAppointmentRow, createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, issueKey } from '../int/integration-api.helpers.js';

type Feed = { appointments: IntegrationAppointment[]; nextCursor: string; hasMore: boolean };
const V1 = '/api/integration/v1';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.databaseUrl ?? undefined });
  await c.connect();
  return c;
}

/**
 * Reads the feed from `cursor` until it returns something or `ms` pass (a transaction of another
 * database on the same server, e.g. another test file, may hold the snapshot's horizon briefly).
 */
async function readUntilSome(key: string, cursor: string | null, ms = 10_000): Promise<Feed> {
  const until = Date.now() + ms;
  for (;;) {
    const since = cursor ? `since=${cursor}&` : '';
    const res = await apiCall<Feed>(t, 'GET', `${V1}/appointments?${since}limit=500`, key);
    expect(res.status).toBe(200);
    if (res.body.appointments.length > 0 || Date.now() > until) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the change feed with transactions committing out of order', () => {
  it('never passes over the change of a transaction that committed after a later one was read', async () => {
    const setup = await createBookableSetup(t.ctx);
    const operator = await createAccount(t.ctx, { role: 'operator' });
    const { key } = await issueKey(await signIn(t, operator.email, operator.password), {
      organisationId: setup.organisation.id,
      channel: 'mis',
    });
    const a = await createPatient(t);
    const b = await createPatient(t);
    const first = await createAppointmentRow(t.ctx, setup.slots[0], a.person.id, {
      source: 'portal',
      bookedByAccountId: a.account.id,
    });
    const second = await createAppointmentRow(t.ctx, setup.slots[1], b.person.id, {
      source: 'portal',
      bookedByAccountId: b.account.id,
    });
    const start = await readUntilSome(key, null);
    expect(start.appointments.map((x) => x.id)).toEqual([first.id, second.id]);
    const c0 = start.nextCursor;

    const t1 = await connect();
    const t2 = await connect();
    try {
      // T1 starts and writes: the clinic cancels the first visit, not yet committed.
      await t1.query('begin');
      await t1.query(
        `update appointments set status = 'cancelled', cancelled_by = 'clinic', cancelled_at = now(), status_changed_at = now() where id = $1`,
        [first.id],
      );
      // T2 writes and commits after T1 began: the second visit is recorded as visited.
      await t2.query('begin');
      await t2.query(`update appointments set status = 'visited', status_changed_at = now() where id = $1`, [
        second.id,
      ]);
      await t2.query('commit');
      const [order] = await queryRows<{ t1_before_t2: boolean }>(
        t.ctx.db,
        sql`select (select max(xid) from integration_changes where appointment_id = ${second.id})
                 > (select coalesce(max(xid), 0) from integration_changes where appointment_id = ${first.id}) as t1_before_t2`,
      );
      expect(order.t1_before_t2).toBe(true);

      // The reader reads while T1 is still open: T2's change waits behind T1 (it would have
      // moved the cursor past T1's change otherwise).
      const during = await apiCall<Feed>(t, 'GET', `${V1}/appointments?since=${c0}&limit=500`, key);
      expect(during.status).toBe(200);
      expect(during.body.appointments).toEqual([]);
      const c1 = during.body.nextCursor;

      // T1 commits; the reader goes on from its cursor and gets T1's change, then T2's.
      await t1.query('commit');
      // (A writing transaction of another database on the server may hold T2 back a moment
      // longer: read on from the cursor until both have come.)
      const after = await readUntilSome(key, c1);
      while (after.appointments.length < 2) {
        const more = await readUntilSome(key, after.nextCursor);
        if (more.appointments.length === 0) break;
        after.appointments.push(...more.appointments);
        after.nextCursor = more.nextCursor;
      }
      expect(after.appointments.map((x) => [x.id, x.status])).toEqual([
        [first.id, 'cancelled'],
        [second.id, 'visited'],
      ]);
      const nothing = await apiCall<Feed>(t, 'GET', `${V1}/appointments?since=${after.nextCursor}`, key);
      expect(nothing.body.appointments).toEqual([]);
    } finally {
      await t1.query('rollback').catch(() => {});
      await t1.end();
      await t2.end();
    }
  });

  it('keeps a rolled-back change out and lets the next one through', async () => {
    const setup = await createBookableSetup(t.ctx);
    const operator = await createAccount(t.ctx, { role: 'operator' });
    const { key } = await issueKey(await signIn(t, operator.email, operator.password), {
      organisationId: setup.organisation.id,
      channel: 'mis',
    });
    const p = await createPatient(t);
    const visit = await createAppointmentRow(t.ctx, setup.slots[0], p.person.id, {
      source: 'portal',
      bookedByAccountId: p.account.id,
    });
    const c0 = (await readUntilSome(key, null)).nextCursor;
    const c = await connect();
    try {
      await c.query('begin');
      await c.query(`update appointments set status = 'no_show', status_changed_at = now() where id = $1`, [visit.id]);
      await c.query('rollback');
      const none = await apiCall<Feed>(t, 'GET', `${V1}/appointments?since=${c0}`, key);
      expect(none.body.appointments).toEqual([]);
      await c.query(`update appointments set status = 'visited', status_changed_at = now() where id = $1`, [visit.id]);
      const next = await readUntilSome(key, none.body.nextCursor);
      expect(next.appointments.map((x) => [x.id, x.status])).toEqual([[visit.id, 'visited']]);
    } finally {
      await c.end();
    }
  });
});
