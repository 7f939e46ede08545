// A refused time names the doctor's nearest free times (booking.service namingFreeTimes):
// POST /api/appointments and POST /api/holds answer 409 SLOT_TAKEN with details.freeSlots —
// only times the patient could take now, of that doctor, at most ten, in order of start.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/server/errors.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import { createBookableSetup, createDoctor, createSlots } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { countAppointments, setSlotStatus, slotState } from './booking.helpers.js';

const START = '2026-11-25T09:00:00Z';
const ZONE = 'Europe/Samara';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

interface Refusal {
  code: string;
  message: string;
  details?: { freeSlots: { id: number; startAt: string }[] };
}

const named = (slots: { id: number; startAt: Date }[]) =>
  slots.map((s) => ({ id: s.id, startAt: s.startAt.toISOString() }));

describe('SLOT_TAKEN names the free times', () => {
  it('lists the doctor’s other free times a patient could take now, for a booking and for a hold', async () => {
    const setup = await createBookableSetup(t.ctx);
    const [s0, s1, s2, s3, s4, s5] = setup.slots;
    const today = localDateOf(t.ctx.now(), ZONE);
    // Not offered: a time that has begun today, one past the 14-day horizon, a blocked one,
    // one another account holds, and any other doctor's time.
    await createSlots(t.ctx, setup.doctor.id, [
      zonedToInstant(today, '09:00', ZONE),
      zonedToInstant(addDays(today, 20), '10:00', ZONE),
    ]);
    await setSlotStatus(t, s5.id, 'blocked');
    const other = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    await createSlots(t.ctx, other.id, [zonedToInstant(addDays(today, 1), '11:00', ZONE)]);
    const holder = await createPatient(t);
    expect((await holder.client.post('/api/holds', { slotId: s4.id, personId: holder.person.id })).status).toBe(200);
    const first = await createPatient(t);
    expect((await first.client.post('/api/appointments', { slotId: s2.id, personId: first.person.id })).status).toBe(
      201,
    );

    const late = await createPatient(t);
    const booking = await late.client.post<Refusal>('/api/appointments', { slotId: s2.id, personId: late.person.id });
    expect(booking.status).toBe(409);
    expect(booking.body).toEqual({
      code: 'SLOT_TAKEN',
      message: errorCatalogue.SLOT_TAKEN.message,
      details: { freeSlots: named([s0, s1, s3]) },
    });
    const hold = await late.client.post<Refusal>('/api/holds', { slotId: s2.id, personId: late.person.id });
    expect(hold.status).toBe(409);
    expect(hold.body.details).toEqual({ freeSlots: named([s0, s1, s3]) });
    // Nothing was written for the refused patient.
    expect(await countAppointments(t, { personId: late.person.id })).toBe(0);
    expect(await slotState(t, s0.id)).toMatchObject({ status: 'free' });

    // Another account's live hold is "taken" too, and once it runs out that time is offered.
    const onHeld = await late.client.post<Refusal>('/api/holds', { slotId: s4.id, personId: late.person.id });
    expect(onHeld.body).toMatchObject({ code: 'SLOT_TAKEN', details: { freeSlots: named([s0, s1, s3]) } });
    t.clock.advance(10 * 60_000);
    const later = await late.client.post<Refusal>('/api/appointments', { slotId: s2.id, personId: late.person.id });
    expect(later.body.details).toEqual({ freeSlots: named([s0, s1, s3, s4]) });
  });

  it('names at most ten, the nearest to the refused time, in order of start', async () => {
    const setup = await createBookableSetup(t.ctx);
    const day = addDays(localDateOf(t.ctx.now(), ZONE), 5);
    const times = Array.from({ length: 15 }, (_, i) =>
      zonedToInstant(day, `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`, ZONE),
    );
    const slots = await createSlots(t.ctx, setup.doctor.id, times, 30);
    const middle = slots[7]; // 11:30; the nearest are 09:00–11:00 and 12:00–14:00
    const first = await createPatient(t);
    expect(
      (await first.client.post('/api/appointments', { slotId: middle.id, personId: first.person.id })).status,
    ).toBe(201);

    const late = await createPatient(t);
    const res = await late.client.post<Refusal>('/api/appointments', { slotId: middle.id, personId: late.person.id });
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual({ freeSlots: named([...slots.slice(2, 7), ...slots.slice(8, 13)]) });
  });

  it('says nothing is left with an empty list', async () => {
    const setup = await createBookableSetup(t.ctx);
    const [only, ...rest] = setup.slots;
    for (const s of rest) await setSlotStatus(t, s.id, 'blocked');
    const first = await createPatient(t);
    expect((await first.client.post('/api/appointments', { slotId: only.id, personId: first.person.id })).status).toBe(
      201,
    );
    const late = await createPatient(t);
    const res = await late.client.post<Refusal>('/api/appointments', { slotId: only.id, personId: late.person.id });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'SLOT_TAKEN', details: { freeSlots: [] } });
  });

  it('adds nothing to other refusals', async () => {
    const setup = await createBookableSetup(t.ctx);
    await setSlotStatus(t, setup.slots[0].id, 'blocked');
    const p = await createPatient(t);
    const res = await p.client.post<Refusal>('/api/appointments', { slotId: setup.slots[0].id, personId: p.person.id });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'SLOT_BLOCKED', message: errorCatalogue.SLOT_BLOCKED.message });
  });
});
