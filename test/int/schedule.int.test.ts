// A doctor's schedule over HTTP (who sees what, the horizon, validation) and the expansion
// of schedule templates into slots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { ScheduleResponse, ScheduleSlot } from '../../src/shared/api/index.js';
import { queryRows } from '../../src/server/db/index.js';
import { regionSettings, slots as slotsTable } from '../../src/server/db/schema.js';
import { expandDoctorTemplates, expandTemplatesAhead } from '../../src/server/modules/schedule/schedule.service.js';
import { offerFreeSlotsToWaitlist } from '../../src/server/modules/waitlist/matching.service.js';
import { addDays, isoWeekday, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import {
  blockSlotRows,
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createOrganisation,
  createSlots,
  createSpecialty,
  createTemplate,
  holdSlotRow,
} from '../factories/catalogue.js';
import { createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
const START = '2026-11-25T09:00:00Z'; // 13:00 local in Samara (UTC+4), Wednesday 25 November 2026.
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());

const TZ = 'Europe/Samara';
const at = (date: string, time: string) => zonedToInstant(date, time, TZ);

function allSlots(s: ScheduleResponse): ScheduleSlot[] {
  return s.days.flatMap((d) => d.slots);
}
function slotById(s: ScheduleResponse, id: number): ScheduleSlot | undefined {
  return allSlots(s).find((x) => x.id === id);
}

async function newDoctor(orgOpts: Parameters<typeof createOrganisation>[1] = {}) {
  const organisation = await createOrganisation(t.ctx, orgOpts);
  const specialty = await createSpecialty(t.ctx);
  const doctor = await createDoctor(t.ctx, { organisationId: organisation.id, specialtyId: specialty.id });
  return { organisation, specialty, doctor };
}

describe('GET /api/doctors/:id/schedule for anyone', () => {
  it('shows the horizon day by day in local time, without the slots that already started', async () => {
    t.clock.set(START);
    const { doctor } = await newDoctor();
    const [past, later, tomorrow, lastDay, beyond] = await createSlots(t.ctx, doctor.id, [
      at('2026-11-25', '12:30'),
      at('2026-11-25', '15:00'),
      at('2026-11-26', '08:00'),
      at('2026-12-08', '19:30'),
      at('2026-12-09', '08:00'),
    ]);
    const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.horizonEnd).toBe('2026-12-08');
    expect(s.days).toHaveLength(14);
    expect(s.days[0].date).toBe('2026-11-25');
    expect(s.days[13].date).toBe('2026-12-08');
    expect(s.days[0].slots.map((x) => x.id)).toEqual([later.id]);
    expect(s.days[0].slots[0]).toEqual({
      id: later.id,
      startAt: '2026-11-25T11:00:00.000Z',
      endAt: '2026-11-25T11:30:00.000Z',
      time: '15:00',
      state: 'free',
      appointmentId: null,
      cancellable: false,
    });
    expect(s.days[1].slots.map((x) => [x.id, x.time])).toEqual([[tomorrow.id, '08:00']]);
    expect(s.days[13].slots.map((x) => [x.id, x.time])).toEqual([[lastDay.id, '19:30']]);
    expect(slotById(s, past.id)).toBeUndefined();
    expect(slotById(s, beyond.id)).toBeUndefined();
    expect(s.hasFreeInHorizon).toBe(true);
    expect(s.doctor).toMatchObject({ id: doctor.id, freeCount: 3, nearestFreeAt: later.startAt.toISOString() });
  });

  it('shows other people’s appointments and live holds only as busy, never who', async () => {
    t.clock.set(START);
    const { organisation, specialty, doctor } = await createBookableSetup(t.ctx);
    expect(organisation.timeZone).toBe(TZ);
    expect(specialty.id).toBeGreaterThan(0);
    const ids = await createSlots(t.ctx, doctor.id, [
      at('2026-11-27', '11:00'),
      at('2026-11-27', '11:30'),
      at('2026-11-27', '12:00'),
      at('2026-11-27', '12:30'),
    ]);
    const [portalSlot, registrySlot, heldSlot, blockedSlot] = ids;
    const owner = await createPatient(t);
    await createAppointmentRow(t.ctx, portalSlot, owner.person.id, {
      source: 'portal',
      bookedByAccountId: owner.account.id,
    });
    await createAppointmentRow(t.ctx, registrySlot, owner.person.id, { source: 'registry' });
    await holdSlotRow(t.ctx, heldSlot.id, {
      personId: owner.person.id,
      accountId: owner.account.id,
      heldUntil: new Date('2026-11-25T09:10:00Z'),
    });
    await blockSlotRows(t.ctx, [blockedSlot.id]);

    const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(res.status).toBe(200);
    expect(slotById(res.body, portalSlot.id)).toMatchObject({ state: 'busy', appointmentId: null, cancellable: false });
    expect(slotById(res.body, registrySlot.id)).toMatchObject({ state: 'busy', appointmentId: null });
    expect(slotById(res.body, heldSlot.id)).toMatchObject({ state: 'busy' });
    expect(slotById(res.body, blockedSlot.id)).toMatchObject({ state: 'blocked' });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(owner.person.id);
    expect(text).not.toContain(owner.account.id);
    expect(text).not.toContain(owner.person.lastName);
    // The six free slots of the setup remain.
    expect(res.body.doctor.freeCount).toBe(6);
  });

  it('shows an expired hold as free', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    const holder = await createPatient(t);
    await holdSlotRow(t.ctx, slots[0].id, {
      personId: holder.person.id,
      accountId: holder.account.id,
      heldUntil: new Date('2026-11-25T08:50:00Z'),
    });
    const anon = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(slotById(anon.body, slots[0].id)?.state).toBe('free');
    const mine = await holder.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(slotById(mine.body, slots[0].id)?.state).toBe('free');
    expect(anon.body.doctor.freeCount).toBe(6);
  });

  it('says when there is no free time in the horizon', async () => {
    t.clock.set(START);
    const { doctor } = await newDoctor();
    const [a, b] = await createSlots(t.ctx, doctor.id, [at('2026-11-26', '08:00'), at('2026-12-10', '08:00')]);
    const p = await createPatient(t);
    await createAppointmentRow(t.ctx, a, p.person.id, { source: 'infomat' });
    expect(b.id).toBeGreaterThan(a.id);
    const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(res.body.hasFreeInHorizon).toBe(false);
    expect(res.body.doctor).toMatchObject({ freeCount: 0, nearestFreeAt: null });
  });
});

describe('GET /api/doctors/:id/schedule for a signed-in account', () => {
  it('marks this account’s own portal appointments as mine, with the cut-off', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    const me = await createPatient(t);
    const child = await createPerson(t.ctx, me.account.id, { birthDate: '2019-05-05', sex: 'M' });
    const other = await createPatient(t);
    // slots: 26, 27, 28 November at 10:00 and 10:30 local.
    const tomorrowMine = await createAppointmentRow(t.ctx, slots[0], me.person.id, {
      bookedByAccountId: me.account.id,
    });
    const laterMine = await createAppointmentRow(t.ctx, slots[2], child.id, { bookedByAccountId: me.account.id });
    // My main person, booked at the infomat (even if the channel had recorded this account): not a portal booking.
    await createAppointmentRow(t.ctx, slots[3], me.person.id, { source: 'infomat', bookedByAccountId: me.account.id });
    // The same person booked through the portal by another account: not mine either.
    await createAppointmentRow(t.ctx, slots[4], me.person.id, { bookedByAccountId: other.account.id });
    // Someone else's.
    await createAppointmentRow(t.ctx, slots[5], other.person.id, { bookedByAccountId: other.account.id });

    const res = await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(res.status).toBe(200);
    // Now 13:00 on 25 Nov; the cut-off for 26 Nov is 18:00 on 25 Nov: still cancellable.
    expect(slotById(res.body, slots[0].id)).toMatchObject({
      state: 'mine',
      appointmentId: tomorrowMine.id,
      cancellable: true,
    });
    expect(slotById(res.body, slots[2].id)).toMatchObject({
      state: 'mine',
      appointmentId: laterMine.id,
      cancellable: true,
    });
    expect(slotById(res.body, slots[1].id)).toMatchObject({ state: 'free', appointmentId: null });
    for (const s of [slots[3], slots[4], slots[5]]) {
      expect(slotById(res.body, s.id)).toMatchObject({ state: 'busy', appointmentId: null, cancellable: false });
    }

    const theirs = await other.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(slotById(theirs.body, slots[0].id)).toMatchObject({ state: 'busy', appointmentId: null });
    expect(slotById(theirs.body, slots[4].id)).toMatchObject({ state: 'mine' });
    expect(slotById(theirs.body, slots[5].id)).toMatchObject({ state: 'mine' });
    expect(JSON.stringify(theirs.body)).not.toContain(tomorrowMine.id);

    // 18:00 local on 25 Nov (14:00 UTC): the cut-off for tomorrow's visit has passed.
    t.clock.set('2026-11-25T14:00:00Z');
    const after = await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(slotById(after.body, slots[0].id)).toMatchObject({ state: 'mine', cancellable: false });
    expect(slotById(after.body, slots[2].id)).toMatchObject({ state: 'mine', cancellable: true });
    t.clock.set(START);
  });

  it('uses the organisation’s own cut-off', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx, { organisation: { cutoffOverride: '12:00' } });
    const me = await createPatient(t);
    await createAppointmentRow(t.ctx, slots[0], me.person.id, { bookedByAccountId: me.account.id });
    const res = await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    // 13:00 local is after the organisation's 12:00 cut-off for tomorrow.
    expect(slotById(res.body, slots[0].id)).toMatchObject({ state: 'mine', cancellable: false });
  });

  it('shows a cancelled appointment’s slot as free again', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    const me = await createPatient(t);
    await createAppointmentRow(t.ctx, slots[1], me.person.id, {
      bookedByAccountId: me.account.id,
      status: 'cancelled',
    });
    const res = await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(slotById(res.body, slots[1].id)).toMatchObject({ state: 'free', appointmentId: null });
  });

  it('marks this account’s live hold as held_by_me, others see busy', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    const me = await createPatient(t);
    const other = await createPatient(t);
    await holdSlotRow(t.ctx, slots[0].id, {
      personId: me.person.id,
      accountId: me.account.id,
      heldUntil: new Date('2026-11-25T09:10:00Z'),
    });
    expect(
      slotById((await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`)).body, slots[0].id)?.state,
    ).toBe('held_by_me');
    expect(
      slotById((await other.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`)).body, slots[0].id)
        ?.state,
    ).toBe('busy');
    // Eleven minutes later the hold has expired.
    t.clock.set('2026-11-25T09:11:00Z');
    expect(
      slotById((await me.client.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`)).body, slots[0].id)?.state,
    ).toBe('free');
    t.clock.set(START);
  });
});

describe('GET /api/doctors/:id/schedule: the range', () => {
  it('shows the asked days, never before today nor after the horizon', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    const c = t.client();
    const two = await c.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule?from=2026-11-27&days=2`);
    expect(two.status).toBe(200);
    expect(two.body.days.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28']);
    expect(allSlots(two.body).map((s) => s.id)).toEqual([slots[2].id, slots[3].id, slots[4].id, slots[5].id]);
    // The figures still cover the whole horizon.
    expect(two.body.doctor.freeCount).toBe(6);
    expect(two.body.doctor.nearestFreeAt).toBe(slots[0].startAt.toISOString());

    const clipped = await c.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule?from=2026-12-07&days=10`);
    expect(clipped.body.days.map((d) => d.date)).toEqual(['2026-12-07', '2026-12-08']);

    const fromPast = await c.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule?from=2026-11-20&days=7`);
    // 20-26 November asked; 25 and 26 remain.
    expect(fromPast.body.days.map((d) => d.date)).toEqual(['2026-11-25', '2026-11-26']);

    const beyond = await c.get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule?from=2026-12-20`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.days).toEqual([]);
    expect(beyond.body.hasFreeInHorizon).toBe(true);
  });

  it('follows the operator’s horizon', async () => {
    t.clock.set(START);
    const { doctor, slots } = await createBookableSetup(t.ctx);
    await t.ctx.db.update(regionSettings).set({ horizonDays: 2 }).where(eq(regionSettings.id, 1));
    try {
      const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
      expect(res.body.horizonEnd).toBe('2026-11-26');
      expect(res.body.days.map((d) => d.date)).toEqual(['2026-11-25', '2026-11-26']);
      expect(allSlots(res.body).map((s) => s.id)).toEqual([slots[0].id, slots[1].id]);
      expect(res.body.doctor.freeCount).toBe(2);
    } finally {
      await t.ctx.db.update(regionSettings).set({ horizonDays: 14 }).where(eq(regionSettings.id, 1));
    }
  });

  it('moves to the next local day at local midnight, not UTC midnight', async () => {
    // 20:30 UTC on 25 Nov is 00:30 on 26 Nov in Samara.
    t.clock.set('2026-11-25T20:30:00Z');
    const { doctor } = await newDoctor();
    const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(res.body.days[0].date).toBe('2026-11-26');
    expect(res.body.horizonEnd).toBe('2026-12-09');
    t.clock.set(START);
  });

  it.each([
    ['from=2026-02-30', 'from'],
    ['from=26.11.2026', 'from'],
    ['from=', 'from'],
    ['days=0', 'days'],
    ['days=32', 'days'],
    ['days=abc', 'days'],
    ['days=1.5', 'days'],
  ])('rejects %s with 400 naming the field', async (query, field) => {
    const { doctor } = await newDoctor();
    const res = await t
      .client()
      .get<{ code: string; fields: Record<string, string> }>(`/api/doctors/${doctor.id}/schedule?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.fields)).toContain(field);
  });

  it('answers 404 for an unknown doctor and 400 for a malformed id', async () => {
    const c = t.client();
    const unknown = await c.get('/api/doctors/876543/schedule');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'DOCTOR_NOT_FOUND' });
    const bad = await c.get('/api/doctors/x1/schedule');
    expect(bad.status).toBe(400);
  });
});

describe('schedule templates -> slots', () => {
  async function countSlots(doctorId: number): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from slots where doctor_id = ${doctorId}`,
    );
    return Number(rows[0].n);
  }

  it('creates the slots of every template day from today to the last bookable date, once', async () => {
    t.clock.set(START);
    const { doctor } = await newDoctor();
    // Monday to Friday 08:00-10:00 by 30 minutes (4 slots); Saturday 09:00-10:00 with a 09:20-09:40 break by 20 minutes (2 slots).
    for (let wd = 1; wd <= 5; wd++)
      await createTemplate(t.ctx, {
        doctorId: doctor.id,
        weekday: wd,
        startTime: '08:00',
        endTime: '10:00',
        slotMinutes: 30,
      });
    await createTemplate(t.ctx, {
      doctorId: doctor.id,
      weekday: 6,
      startTime: '09:00',
      endTime: '10:00',
      slotMinutes: 20,
      breakStart: '09:20',
      breakEnd: '09:40',
    });
    // 25 Nov (Wednesday, now 13:00 local: today's morning is past) to 8 Dec.
    let expected = 0;
    for (let d = '2026-11-26'; d <= '2026-12-08'; d = addDays(d, 1)) {
      const wd = isoWeekday(d);
      if (wd <= 5) expected += 4;
      else if (wd === 6) expected += 2;
    }
    expect(expected).toBe(9 * 4 + 2 * 2);
    const first = await expandDoctorTemplates(t.ctx, doctor.id);
    expect(first).toBe(expected);
    expect(await countSlots(doctor.id)).toBe(expected);
    expect(await expandDoctorTemplates(t.ctx, doctor.id)).toBe(0);

    const res = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    const byDate = new Map(res.body.days.map((d) => [d.date, d.slots.map((s) => s.time)]));
    expect(byDate.get('2026-11-25')).toEqual([]);
    expect(byDate.get('2026-11-26')).toEqual(['08:00', '08:30', '09:00', '09:30']);
    expect(byDate.get('2026-11-28')).toEqual(['09:00', '09:40']);
    expect(byDate.get('2026-11-29')).toEqual([]);
    expect(res.body.doctor.freeCount).toBe(expected);

    // A day later the horizon moves by one day: only 9 December (a Wednesday) is added.
    t.clock.set('2026-11-26T09:00:00Z');
    expect(await expandDoctorTemplates(t.ctx, doctor.id)).toBe(4);
    t.clock.set(START);
  });

  it('respects the validity of templates and leaves existing slots alone', async () => {
    t.clock.set(START);
    const { doctor } = await newDoctor();
    // Only Thursdays 26 Nov and 3 Dec.
    await createTemplate(t.ctx, {
      doctorId: doctor.id,
      weekday: 4,
      startTime: '14:00',
      endTime: '15:00',
      slotMinutes: 30,
      validFrom: '2026-11-26',
      validUntil: '2026-12-03',
    });
    const existing = await createSlots(t.ctx, doctor.id, [at('2026-11-26', '14:00')], 30);
    const p = await createPatient(t);
    await createAppointmentRow(t.ctx, existing[0], p.person.id, { source: 'doctor' });
    expect(await expandDoctorTemplates(t.ctx, doctor.id)).toBe(3);
    const rows = await t.ctx.db
      .select({ startAt: slotsTable.startAt, status: slotsTable.status })
      .from(slotsTable)
      .where(eq(slotsTable.doctorId, doctor.id))
      .orderBy(slotsTable.startAt);
    expect(rows.map((r) => [localDateOf(r.startAt, TZ), r.startAt.toISOString(), r.status])).toEqual([
      ['2026-11-26', '2026-11-26T10:00:00.000Z', 'booked'],
      ['2026-11-26', '2026-11-26T10:30:00.000Z', 'free'],
      ['2026-12-03', '2026-12-03T10:00:00.000Z', 'free'],
      ['2026-12-03', '2026-12-03T10:30:00.000Z', 'free'],
    ]);
  });

  it('skips inactive doctors and expands everyone else ahead, idempotently', async () => {
    t.clock.set(START);
    const a = await newDoctor();
    const inactiveOrg = await createOrganisation(t.ctx);
    const inactive = await createDoctor(t.ctx, {
      organisationId: inactiveOrg.id,
      specialtyId: a.specialty.id,
      active: false,
    });
    await createTemplate(t.ctx, {
      doctorId: a.doctor.id,
      weekday: 5,
      startTime: '08:00',
      endTime: '09:00',
      slotMinutes: 15,
    });
    await createTemplate(t.ctx, {
      doctorId: inactive.id,
      weekday: 5,
      startTime: '08:00',
      endTime: '09:00',
      slotMinutes: 15,
    });
    await expandTemplatesAhead(t.ctx, offerFreeSlotsToWaitlist);
    // Fridays 27 Nov and 4 Dec, 4 slots each.
    expect(await countSlots(a.doctor.id)).toBe(8);
    expect(await countSlots(inactive.id)).toBe(0);
    expect(await expandTemplatesAhead(t.ctx, offerFreeSlotsToWaitlist)).toBe(0);
  });

  it('is safe when two runs race', async () => {
    t.clock.set(START);
    const doctors = [];
    for (let i = 0; i < 5; i++) {
      const d = await newDoctor();
      for (let wd = 1; wd <= 5; wd++)
        await createTemplate(t.ctx, {
          doctorId: d.doctor.id,
          weekday: wd,
          startTime: '08:00',
          endTime: '12:00',
          slotMinutes: 15,
        });
      doctors.push(d.doctor.id);
    }
    const [x, y] = await Promise.all([
      expandTemplatesAhead(t.ctx, offerFreeSlotsToWaitlist),
      expandTemplatesAhead(t.ctx, offerFreeSlotsToWaitlist),
    ]);
    // 9 weekdays from 26 Nov to 8 Dec, 16 slots a day, 5 doctors.
    expect(x + y).toBe(5 * 9 * 16);
    for (const id of doctors) expect(await countSlots(id)).toBe(9 * 16);
    const dupes = await t.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(slotsTable)
      .where(and(gte(slotsTable.doctorId, Math.min(...doctors))))
      .groupBy(slotsTable.doctorId, slotsTable.startAt)
      .having(sql`count(*) > 1`);
    expect(dupes).toEqual([]);
  });
});
