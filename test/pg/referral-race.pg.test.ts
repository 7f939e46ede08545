// One referral, two bookings at once, on real PostgreSQL (PGlite has one session and cannot
// race): the same real person (one СНИЛС) in two card files — the mother's and the father's —
// books a specialty «по направлению» at two different times at the same moment, each with the
// child's one referral. Exactly one booking wins; the other hears REFERRAL_USED (the referral
// rows are locked in the booking's transaction; the unique index has the last word).
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { referrals, specialties } from '../../src/server/db/schema.js';
import { addDays, localDateOf } from '../../src/shared/time.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  createSpecialty,
} from '../factories/catalogue.js';
import { createAccount, createPerson, uniqueSnils, uniquePolicy } from '../factories/identity.js';
import { createSignedInStaff } from '../factories/staff.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from '../int/booking.helpers.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

describe('one referral, two bookings at once', () => {
  it('from two card files of one child, and twice from one: one wins each time, the other is REFERRAL_USED', async () => {
    const setup = await createBookableSetup(t.ctx, { specialty: { name: 'кардиолог детский' } });
    await t.ctx.db.update(specialties).set({ selfBooking: false }).where(eq(specialties.id, setup.specialty.id));
    const therapy = await createSpecialty(t.ctx, { name: 'педиатр участковый' });
    const issuing = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: therapy.id });
    const doctor = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: setup.organisation.id,
      doctorId: issuing.id,
    });
    const child = { snils: uniqueSnils(), policy: uniquePolicy(), birthDate: '2018-03-03', lastName: 'Иванов' };
    const mother = await createAccount(t.ctx);
    const father = await createAccount(t.ctx);
    const inMother = await createPerson(t.ctx, mother.id, { ...child, firstName: 'Пётр', sex: 'M' });
    const inFather = await createPerson(t.ctx, father.id, { ...child, firstName: 'Пётр', sex: 'M' });
    const today = localDateOf(t.ctx.now(), setup.organisation.timeZone);
    const [seen] = await createSlots(t.ctx, issuing.id, [new Date('2026-11-25T12:00:00Z')]);
    await createAppointmentRow(t.ctx, seen, inMother.id, { source: 'registry' });
    const issued = await doctor.client.post<{ id: string }>(`/api/doctor/patients/${inMother.id}/referrals`, {
      specialtyId: setup.specialty.id,
      validUntil: addDays(today, 10),
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);

    const motherClient = await sessionClient(t, mother.id);
    const fatherClient = await sessionClient(t, father.id);
    const tally = (rs: { status: number; body: unknown }[]) =>
      rs.map((r) => `${r.status} ${(r.body as { code?: string }).code ?? ''}`.trim()).sort();

    const both = await Promise.all([
      motherClient.post('/api/appointments', { slotId: setup.slots[0].id, personId: inMother.id }),
      fatherClient.post('/api/appointments', { slotId: setup.slots[2].id, personId: inFather.id }),
    ]);
    expect(tally(both)).toEqual(['201', '409 REFERRAL_USED']);

    // Given back by the winner's cancel, then two bookings of the same card-file row at once.
    const winner = both.find((r) => r.status === 201) as { body: { id: string } };
    const winnerClient = both[0].status === 201 ? motherClient : fatherClient;
    expect((await winnerClient.post(`/api/appointments/${winner.body.id}/cancel`)).status).toBe(200);
    const twice = await Promise.all([
      motherClient.post('/api/appointments', { slotId: setup.slots[3].id, personId: inMother.id }),
      motherClient.post('/api/appointments', { slotId: setup.slots[4].id, personId: inMother.id }),
    ]);
    expect(tally(twice)).toEqual(['201', '409 REFERRAL_USED']);

    const used = await queryRows<{ n: string }>(
      t.ctx.db,
      sql`select count(*) as n from appointments where referral_id = ${issued.body.id} and status <> 'cancelled'`,
    );
    expect(Number(used[0].n)).toBe(1);
    const rows = await t.ctx.db.select({ id: referrals.id }).from(referrals).where(eq(referrals.id, issued.body.id));
    expect(rows).toHaveLength(1);
  });
});
