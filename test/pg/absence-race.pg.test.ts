// A doctor's absence under concurrency on real PostgreSQL: the sick day is closed while
// patients book the same doctor, and two clerks decide the same visits at once. Afterwards no
// visit is lost or doubled, and no closed time is booked, free or offered unnoticed: every
// booked visit inside the closed time is on the absence's list.
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absenceVisits, appointments, slots, waitlistOffers } from '../../src/server/db/schema.js';
import { AppError } from '../../src/server/errors.js';
import { closeDays } from '../../src/server/modules/absence/absence.service.js';
import { decideAll, decideVisit } from '../../src/server/modules/absence/decisions.service.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import { createAppointmentRow, createBookableSetup, createDoctor, createSlots } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createRegisterPatient } from '../factories/staff.js';
import { sessionClient } from '../int/booking.helpers.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());

const TZ = 'Europe/Samara';

async function clerk(organisationId: number): Promise<string> {
  const a = await createAccount(t.ctx);
  await t.ctx.db.execute(
    sql`update accounts set role = 'registrar', organisation_id = ${organisationId} where id = ${a.id}`,
  );
  return a.id;
}

async function settle<T>(p: Promise<T>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('closing a sick day while patients book', () => {
  it('every slot in the closed time ends blocked or booked-and-listed; nothing free, held or offered', async () => {
    for (let round = 0; round < 3; round++) {
      const setup = await createBookableSetup(t.ctx);
      const org = setup.organisation.id;
      const today = localDateOf(t.ctx.now(), TZ);
      const day1 = addDays(today, 1);
      // 24 slots of 15 minutes on day 1 from 12:00 (the setup's own are at 10:00 and 10:30).
      const starts = Array.from(
        { length: 24 },
        (_, i) => new Date(zonedToInstant(day1, '12:00', TZ).getTime() + i * 15 * 60_000),
      );
      const daySlots = await createSlots(t.ctx, setup.doctor.id, starts, 15);
      const patients = [];
      for (let i = 0; i < 24; i++) {
        const account = await createAccount(t.ctx);
        const person = await createPerson(t.ctx, account.id, { isMain: true });
        patients.push({ person, client: await sessionClient(t, account.id) });
      }
      const staff = { accountId: await clerk(org), organisationId: org };
      const bookings = patients.map(async (p, i) => {
        // Stagger a little so some bookings land before, some during, some after the close.
        await new Promise((r) => setTimeout(r, (i % 6) * 3));
        const res = await p.client.post<{ code?: string }>('/api/appointments', {
          slotId: daySlots[i].id,
          personId: p.person.id,
        });
        return res.status === 201 ? 'booked' : (res.body.code ?? String(res.status));
      });
      const closing = (async () => {
        await new Promise((r) => setTimeout(r, 8));
        return closeDays(t.ctx, staff, setup.doctor.id, { fromDate: day1, toDate: day1, reason: 'sick' });
      })();
      const [results, absence] = await Promise.all([Promise.all(bookings), closing]);
      for (const r of results) expect(['booked', 'SLOT_TAKEN', 'SLOT_BLOCKED']).toContain(r);

      const range = { startsAt: new Date(absence.startsAt), endsAt: new Date(absence.endsAt) };
      const inRange = await t.ctx.db
        .select({ id: slots.id, status: slots.status })
        .from(slots)
        .where(
          and(eq(slots.doctorId, setup.doctor.id), lt(slots.startAt, range.endsAt), gt(slots.endAt, range.startsAt)),
        );
      const booked = inRange.filter((s) => s.status === 'booked').map((s) => s.id);
      expect(inRange.every((s) => s.status === 'blocked' || s.status === 'booked')).toBe(true);
      expect(booked.length).toBe(results.filter((r) => r === 'booked').length);
      // Every booked visit in the closed time is on the list, once.
      const visits = booked.length
        ? await t.ctx.db
            .select({ id: appointments.id })
            .from(appointments)
            .where(and(inArray(appointments.slotId, booked), eq(appointments.status, 'booked')))
        : [];
      const listed = await t.ctx.db
        .select({ id: absenceVisits.appointmentId })
        .from(absenceVisits)
        .where(eq(absenceVisits.absenceId, absence.id));
      expect(listed.map((l) => l.id).sort()).toEqual(visits.map((v) => v.id).sort());
      expect(
        await t.ctx.db
          .select()
          .from(waitlistOffers)
          .where(
            and(
              inArray(
                waitlistOffers.slotId,
                inRange.map((s) => s.id),
              ),
              eq(waitlistOffers.status, 'pending'),
            ),
          ),
      ).toEqual([]);
    }
  });
});

describe('two clerks deciding the same visits at once', () => {
  it('each visit ends moved, cancelled, offered or still booked — never in two places', async () => {
    const setup = await createBookableSetup(t.ctx);
    const org = setup.organisation.id;
    const today = localDateOf(t.ctx.now(), TZ);
    const day2 = addDays(today, 2);
    const colleague = await createDoctor(t.ctx, { organisationId: org, specialtyId: setup.specialty.id });
    const colleagueSlots = await createSlots(
      t.ctx,
      colleague.id,
      Array.from(
        { length: 30 },
        (_, i) => new Date(zonedToInstant(addDays(today, 3), '08:00', TZ).getTime() + i * 20 * 60_000),
      ),
      20,
    );
    const starts = Array.from(
      { length: 12 },
      (_, i) => new Date(zonedToInstant(day2, '12:00', TZ).getTime() + i * 20 * 60_000),
    );
    const ownSlots = await createSlots(t.ctx, setup.doctor.id, starts, 20);
    const visits = [];
    for (let i = 0; i < ownSlots.length; i++) {
      if (i % 2 === 0) {
        const account = await createAccount(t.ctx);
        const person = await createPerson(t.ctx, account.id, { isMain: true });
        visits.push(
          await createAppointmentRow(t.ctx, ownSlots[i], person.id, {
            source: 'portal',
            bookedByAccountId: account.id,
          }),
        );
      } else {
        const person = await createRegisterPatient(t.ctx);
        visits.push(await createAppointmentRow(t.ctx, ownSlots[i], person.id, { source: 'registry' }));
      }
    }
    const a = { accountId: await clerk(org), organisationId: org };
    const b = { accountId: await clerk(org), organisationId: org };
    const absence = await closeDays(t.ctx, a, setup.doctor.id, { fromDate: day2, toDate: day2, reason: 'sick' });
    expect(absence.visits).toHaveLength(12);

    const outcomes = await Promise.all([
      settle(decideAll(t.ctx, a, absence.id, { action: 'move', doctorIds: [colleague.id] })),
      settle(decideAll(t.ctx, b, absence.id, { action: 'cancel' })),
      ...visits.map((v, i) =>
        settle(
          decideVisit(t.ctx, i % 2 ? a : b, absence.id, v.id, { action: 'move', slotId: colleagueSlots[29 - i].id }),
        ),
      ),
      ...visits.map((v) => settle(decideVisit(t.ctx, a, absence.id, v.id, { action: 'cancel' }))),
    ]);
    for (const o of outcomes) expect(['ok', 'VISIT_ALREADY_DECIDED', 'SLOT_TAKEN']).toContain(o);

    const rows = await t.ctx.db.select().from(absenceVisits).where(eq(absenceVisits.absenceId, absence.id));
    for (const v of visits) {
      const r = rows.find((x) => x.appointmentId === v.id);
      expect(r).toBeDefined();
      const [old] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, v.id));
      const personBooked = await t.ctx.db
        .select({ id: appointments.id, slotId: appointments.slotId })
        .from(appointments)
        .where(and(eq(appointments.personId, v.personId), eq(appointments.status, 'booked')));
      if (r?.state === 'moved') {
        expect(old.status).toBe('cancelled');
        expect(personBooked.map((p) => p.id)).toEqual([r.newAppointmentId]);
      } else if (r?.state === 'cancelled') {
        expect(old.status).toBe('cancelled');
        expect(personBooked).toEqual([]);
      } else if (r?.state === 'offered') {
        expect(old.status).toBe('booked');
        expect(personBooked.map((p) => p.id)).toEqual([v.id]);
        const [held] = await t.ctx.db
          .select()
          .from(slots)
          .where(eq(slots.id, r.offerSlotId as number));
        expect([held.status, held.holdOfferId]).toEqual(['held', r.offerId]);
      } else {
        expect(old.status).toBe('booked');
      }
    }
    // Each of the colleague's times holds at most one visit or one offer.
    const taken = rows.filter((r) => r.state === 'offered' || r.state === 'moved').map((r) => r.offerSlotId);
    expect(new Set(taken).size).toBe(taken.length);
    // The closed time stays closed.
    const own = await t.ctx.db
      .select({ status: slots.status })
      .from(slots)
      .where(
        inArray(
          slots.id,
          ownSlots.map((s) => s.id),
        ),
      );
    expect(own.every((s) => s.status === 'blocked' || s.status === 'booked')).toBe(true);
  });
});
