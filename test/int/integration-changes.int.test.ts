// The integration change log (migration 0012): the triggers record what integrators see of
// appointments and slots, whoever writes, with the writing organisation; and a feed cursor
// issued before the log (microseconds and an appointment id) still continues where it was.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import type { IntegrationAppointment } from '../../src/shared/api/index.js';
import { createAppointmentRow, createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, feedUntil, issueKey } from './integration-api.helpers.js';

type Feed = { appointments: IntegrationAppointment[]; nextCursor: string; hasMore: boolean };
type Change = { event_type: string; organisation_id: number; appointment_id: string | null; slot_id: string | null };

let t: TestContext;
let clinic: BookableSetup;
let key: string;

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  key = (
    await issueKey(await signIn(t, acc.email, acc.password), { organisationId: clinic.organisation.id, channel: 'mis' })
  ).key;
});
afterAll(async () => t.close());

async function changesAfter(id: number): Promise<Change[]> {
  return queryRows<Change>(
    t.ctx.db,
    sql`select event_type, organisation_id, appointment_id, slot_id::text as slot_id
          from integration_changes where id > ${id} order by xid, id`,
  );
}

async function lastChangeId(): Promise<number> {
  const [r] = await queryRows<{ id: string | null }>(
    t.ctx.db,
    sql`select max(id)::text as id from integration_changes`,
  );
  return Number(r.id ?? 0);
}

describe('the triggers', () => {
  it('record slots made, taken, blocked and removed, and an appointment’s life, with the organisation', async () => {
    const other = await createBookableSetup(t.ctx); // its slots: slot.created of another organisation
    let mark = await lastChangeId();
    const { account, person } = await createPatient(t);
    const visit = await createAppointmentRow(t.ctx, clinic.slots[0], person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });
    const slotId = String(clinic.slots[0].id);
    expect(await changesAfter(mark)).toEqual([
      { event_type: 'slot.updated', organisation_id: clinic.organisation.id, appointment_id: null, slot_id: slotId },
      {
        event_type: 'appointment.created',
        organisation_id: clinic.organisation.id,
        appointment_id: visit.id,
        slot_id: null,
      },
    ]);

    // A change integrators do not see (a held slot booked: busy both times; a column they are
    // not shown) is no event.
    mark = await lastChangeId();
    await t.ctx.db.execute(sql`update slots set off_template = true where id = ${clinic.slots[0].id}`);
    await t.ctx.db.execute(sql`update appointments set cancelled_via = null where id = ${visit.id}`);
    expect(await changesAfter(mark)).toEqual([]);

    // The clinic cancels through the API: the visit cancelled, its slot free again.
    const res = await apiCall(t, 'POST', `/api/integration/v1/appointments/${visit.id}/status`, key, {
      status: 'cancelled',
    });
    expect(res.status).toBe(200);
    const cancelled = await changesAfter(mark);
    expect(cancelled.map((c) => c.event_type).sort()).toEqual(['appointment.cancelled', 'slot.updated']);

    // Blocked, then removed.
    mark = await lastChangeId();
    await t.ctx.db.execute(sql`update slots set status = 'blocked' where id = ${clinic.slots[5].id}`);
    await t.ctx.db.execute(sql`delete from slots where id = ${clinic.slots[5].id}`);
    const last = await changesAfter(mark);
    expect(last.map((c) => [c.event_type, c.slot_id])).toEqual([
      ['slot.updated', String(clinic.slots[5].id)],
      ['slot.deleted', String(clinic.slots[5].id)],
    ]);
    const [data] = await queryRows<{ status: string }>(
      t.ctx.db,
      sql`select data->>'status' as status from integration_changes where id = ${mark + 1}`,
    );
    expect(data.status).toBe('blocked');

    const [foreign] = await queryRows<{ n: string }>(
      t.ctx.db,
      sql`select count(*) as n from integration_changes
           where event_type = 'slot.created' and organisation_id = ${other.organisation.id}`,
    );
    expect(Number(foreign.n)).toBe(other.slots.length);
  });
});

describe('a cursor issued before the change log', () => {
  it('continues after the appointment it names, in the old order, and then follows the log', async () => {
    const setup = await createBookableSetup(t.ctx);
    const acc = await createAccount(t.ctx, { role: 'operator' });
    const { key: k } = await issueKey(await signIn(t, acc.email, acc.password), {
      organisationId: setup.organisation.id,
      channel: 'mis',
    });
    const visits: { id: string }[] = [];
    const start = t.clock.current;
    for (const slot of setup.slots.slice(0, 4)) {
      // Made a second apart: the old feed's order is by the time of the last change.
      t.clock.advance(1_000);
      const { account, person } = await createPatient(t);
      visits.push(
        await createAppointmentRow(t.ctx, slot, person.id, { source: 'portal', bookedByAccountId: account.id }),
      );
    }
    t.clock.set(start);
    // The database as migration 0012 leaves it: the log is the existing appointments, entered
    // once in the old feed's order (the migration's own statement, run again on an empty log).
    const migration = readFileSync('src/server/db/migrations/0012_integration_events.sql', 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .find((s) => s.includes('INSERT INTO integration_changes') && s.includes('FROM appointments a'));
    expect(backfill).toBeDefined();
    await t.ctx.db.execute(sql`truncate integration_changes cascade`);
    await t.ctx.db.execute(sql.raw(backfill ?? ''));

    // The old cursor named the second visit: its last change in microseconds, and its id.
    const [second] = await queryRows<{ us: string }>(
      t.ctx.db,
      sql`select (extract(epoch from greatest(created_at, coalesce(status_changed_at, created_at), coalesce(cancelled_at, created_at))) * 1000000)::bigint::text as us
            from appointments where id = ${visits[1].id}`,
    );
    const legacy = Buffer.from(`${second.us}.${visits[1].id}`, 'utf8').toString('base64url');
    const after = await feedUntil<Feed>(t, `/api/integration/v1/appointments?since=${legacy}`, k, (b) =>
      b.appointments.some((a) => a.id === visits[3].id),
    );
    expect(after.status).toBe(200);
    expect(after.body.appointments.map((a) => a.id)).toEqual([visits[2].id, visits[3].id]);
    expect(after.body.nextCursor).not.toBe(legacy);

    // From the new cursor on, the log: the first visit changes and comes again.
    await apiCall(t, 'POST', `/api/integration/v1/appointments/${visits[0].id}/status`, k, { status: 'cancelled' });
    const next = await feedUntil<Feed>(
      t,
      `/api/integration/v1/appointments?since=${after.body.nextCursor}`,
      k,
      (b) => b.appointments.length > 0,
    );
    expect(next.body.appointments.map((a) => [a.id, a.status])).toEqual([[visits[0].id, 'cancelled']]);
  });
});
