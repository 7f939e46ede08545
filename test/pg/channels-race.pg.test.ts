// The channels under concurrency on real PostgreSQL: the registry desk, the kiosk, a clinic
// system and portal patients race for one slot, and one patient is booked through several
// channels at once — the database keeps one appointment per slot and the per-person limits.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, appointments, persons } from '../../src/server/db/schema.js';
import { queryRows } from '../../src/server/db/index.js';
import { AppError } from '../../src/server/errors.js';
import { bookForPatient, type ChannelActor } from '../../src/server/modules/channels/channel-booking.service.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import { createBookableSetup, createDoctor, createSlots, createSpecialty } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from '../int/booking.helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'booked';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('channels racing on PostgreSQL', () => {
  it('desk, kiosk, a clinic system and portal patients race for one slot: exactly one wins', async () => {
    const setup = await createBookableSetup(t.ctx);
    const org = setup.organisation.id;
    const clerk = await createAccount(t.ctx);
    await t.ctx.db.execute(
      sql`update accounts set role = 'registrar', organisation_id = ${org} where id = ${clerk.id}`,
    );
    const [key] = await t.ctx.db
      .insert(apiKeys)
      .values({
        organisationId: org,
        channel: 'electronic_queue',
        label: 'очередь',
        keyHash: `race-${org}`,
        keyPrefix: 'race',
      })
      .returning();
    const actors: ChannelActor[] = [
      { kind: 'staff', organisationId: org, accountId: clerk.id, role: 'registrar', doctorId: null },
      { kind: 'kiosk', organisationId: org, deviceId: '00000000-0000-4000-8000-00000000a001' },
      { kind: 'api', organisationId: org, apiKeyId: key.id, channel: 'electronic_queue' },
    ];
    const channelPatients = [];
    for (let i = 0; i < 12; i++) {
      const account = await createAccount(t.ctx);
      channelPatients.push(await createPerson(t.ctx, account.id, { isMain: true }));
    }
    const portal = [];
    for (let i = 0; i < 12; i++) {
      const account = await createAccount(t.ctx);
      const person = await createPerson(t.ctx, account.id, { isMain: true });
      portal.push({ person, client: await sessionClient(t, account.id) });
    }
    const slotId = setup.slots[0].id;
    const results = await Promise.all([
      ...channelPatients.map((p, i) =>
        outcome(bookForPatient(t.ctx, actors[i % actors.length], { patientId: p.id, slotId })),
      ),
      ...portal.map(async (p) => {
        const res = await p.client.post<{ code?: string }>('/api/appointments', { slotId, personId: p.person.id });
        return res.status === 201 ? 'booked' : (res.body.code ?? String(res.status));
      }),
    ]);
    const tally = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
    expect(tally).toEqual({ booked: 1, SLOT_TAKEN: 23 });
    const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slotId));
    expect(rows.filter((r) => r.status === 'booked')).toHaveLength(1);
  });

  it('the same real person booked at the same time on the portal and at the desk, at once: one wins', async () => {
    const setup = await createBookableSetup(t.ctx);
    const org = setup.organisation.id;
    const clerk = await createAccount(t.ctx);
    await t.ctx.db.execute(
      sql`update accounts set role = 'registrar', organisation_id = ${org} where id = ${clerk.id}`,
    );
    const desk: ChannelActor = {
      kind: 'staff',
      organisationId: org,
      accountId: clerk.id,
      role: 'registrar',
      doctorId: null,
    };
    for (let round = 0; round < 3; round++) {
      const account = await createAccount(t.ctx);
      const person = await createPerson(t.ctx, account.id, { isMain: true });
      const client = await sessionClient(t, account.id);
      const specialty = await createSpecialty(t.ctx);
      const colleague = await createDoctor(t.ctx, { organisationId: org, specialtyId: specialty.id });
      const start = setup.slots[round * 2].startAt;
      const [other] = await createSlots(t.ctx, colleague.id, [start]);
      const results = await Promise.all([
        client
          .post<{ code?: string }>('/api/appointments', { slotId: setup.slots[round * 2].id, personId: person.id })
          .then((r) => (r.status === 201 ? 'booked' : (r.body.code ?? String(r.status)))),
        outcome(bookForPatient(t.ctx, desk, { patientId: person.id, slotId: other.id })),
      ]);
      expect(results.sort()).toEqual(['OVERLAPPING_APPOINTMENT', 'booked']);
    }
  });

  it('one patient booked through three channels at once to one specialty: the limit holds, one register row', async () => {
    const setup = await createBookableSetup(t.ctx);
    const org = setup.organisation.id;
    const clerk = await createAccount(t.ctx);
    await t.ctx.db.execute(
      sql`update accounts set role = 'registrar', organisation_id = ${org} where id = ${clerk.id}`,
    );
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    const desk: ChannelActor = {
      kind: 'staff',
      organisationId: org,
      accountId: clerk.id,
      role: 'registrar',
      doctorId: null,
    };
    const kiosk: ChannelActor = {
      kind: 'kiosk',
      organisationId: org,
      deviceId: '00000000-0000-4000-8000-00000000a002',
    };
    // Six different free slots of the same doctor, on three days: at most one may be booked (limit 1).
    const results = await Promise.all(
      setup.slots.map((s, i) =>
        outcome(bookForPatient(t.ctx, i % 2 === 0 ? desk : kiosk, { patientId: person.id, slotId: s.id })),
      ),
    );
    expect(results.filter((r) => r === 'booked')).toHaveLength(1);
    expect(results.filter((r) => r !== 'booked').every((r) => r === 'SPECIALTY_LIMIT_REACHED')).toBe(true);
    const register = await t.ctx.db.select().from(persons).where(eq(persons.snils, person.snils));
    expect(register.filter((p) => p.accountId === REGISTER_ACCOUNT_ID)).toHaveLength(1);
    const active = await queryRows<{ n: string }>(
      t.ctx.db,
      sql`select count(*) as n from appointments a join persons p on p.id = a.person_id where p.snils = ${person.snils} and a.status = 'booked'`,
    );
    expect(Number(active[0].n)).toBe(1);
  });
});
