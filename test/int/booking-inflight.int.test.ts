// Attempts on a slot this process is booking right now wait for that booking in memory
// (booking.service.ts): they hear SLOT_TAKEN only when it succeeded, and go on to book when it
// was refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookableSetup } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { countAppointments } from './booking.helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
});
afterAll(async () => t.close());

describe('concurrent bookings of one slot in one process', () => {
  it('a refused first attempt does not make the next one hear "just taken"', async () => {
    const setup = await createBookableSetup(t.ctx);
    const [slot] = setup.slots;
    const pending = await createPatient(t, { person: { status: 'pending' } });
    const confirmed = await createPatient(t);
    await Promise.all([pending.client.ensureCsrf(), confirmed.client.ensureCsrf()]);
    const [refused, booked] = await Promise.all([
      pending.client.post<{ code?: string }>('/api/appointments', { slotId: slot.id, personId: pending.person.id }),
      confirmed.client.post<{ code?: string }>('/api/appointments', { slotId: slot.id, personId: confirmed.person.id }),
    ]);
    expect(refused.body.code).toBe('PERSON_NOT_CONFIRMED');
    expect(booked.status).toBe(201);
    expect(await countAppointments(t, { slotId: slot.id })).toBe(1);
  });

  it('of many at once exactly one books and the others hear SLOT_TAKEN', async () => {
    const setup = await createBookableSetup(t.ctx);
    const [slot] = setup.slots;
    const patients = await Promise.all(Array.from({ length: 6 }, () => createPatient(t)));
    await Promise.all(patients.map((p) => p.client.ensureCsrf()));
    const answers = await Promise.all(
      patients.map((p) =>
        p.client.post<{ code?: string }>('/api/appointments', { slotId: slot.id, personId: p.person.id }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.body.code === 'SLOT_TAKEN')).toHaveLength(5);
    expect(await countAppointments(t, { slotId: slot.id })).toBe(1);
  });
});
