// Cancelling through HTTP: before and after the cut-off (region time and an organisation's
// override, across local midnight while the server runs in UTC), twice, after the visit,
// other channels' appointments, someone else's, anonymous, bad input.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import { appointments } from '../../src/server/db/schema.js';
import { zonedToInstant } from '../../src/shared/time.js';
import { createBookableSetup, createSlots } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { countAppointments, emailsTo, insertAppointment, sessionClient, slotState } from './booking.helpers.js';
import { expectError } from '../support/expect.js';

const START = '2026-11-25T09:00:00Z';
const ZONE = 'Europe/Samara';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

async function appointmentRow(id: string) {
  const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.id, id));
  return rows[0];
}

/** A patient with a portal booking at 10:00 Samara on Friday 27 November (06:00 UTC). */
async function bookedPatient(opts: { cutoffOverride?: string | null; start?: Date } = {}) {
  const patient = await createPatient(t);
  const setup = await createBookableSetup(t.ctx, { organisation: { cutoffOverride: opts.cutoffOverride ?? null } });
  const slot = opts.start ? (await createSlots(t.ctx, setup.doctor.id, [opts.start]))[0] : setup.slots[2];
  const res = await patient.client.post<AppointmentDetail>('/api/appointments', {
    slotId: slot.id,
    personId: patient.person.id,
  });
  expect(res.status).toBe(201);
  return { ...patient, setup, slot, appointment: res.body };
}

describe('cancelling before the cut-off', () => {
  it('cancels, frees the slot for others, sends the e-mail and moves the visit to the past list', async () => {
    const p = await bookedPatient();
    const res = await p.client.post<AppointmentDetail>(`/api/appointments/${p.appointment.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: p.appointment.id,
      reference: p.appointment.reference,
      status: 'cancelled',
      cancellable: false,
      cancelBlockedReason: null,
    });
    expect(await appointmentRow(p.appointment.id)).toMatchObject({
      status: 'cancelled',
      cancelledAt: new Date(START),
      cancelledByAccountId: p.account.id,
    });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'free', holdAccountId: null, heldUntil: null });

    const mails = (await emailsTo(t, p.account.email)).filter((m) => m.kind === 'booking_cancelled');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Запись на приём отменена');
    expect(mails[0].textBody).toContain('пятница, 27 ноября 2026 г., 10:00');
    expect(mails[0].textBody).toContain(p.appointment.reference);

    const card = await p.client.get<{
      persons: { futureVisits: { id: string; status: string }[]; pastVisits: unknown[] }[];
    }>('/api/cardfile');
    // A cancelled visit whose time has not come is not a past one.
    expect(card.body.persons[0].futureVisits).toMatchObject([{ id: p.appointment.id, status: 'cancelled' }]);
    expect(card.body.persons[0].pastVisits).toEqual([]);

    // The freed time can be booked by someone else.
    const other = await createPatient(t);
    expect(
      (await other.client.post('/api/appointments', { slotId: p.slot.id, personId: other.person.id })).status,
    ).toBe(201);
    // ... and the same person may book again (the cancelled visit no longer counts).
    expect(
      (await p.client.post('/api/appointments', { slotId: p.setup.slots[4].id, personId: p.person.id })).status,
    ).toBe(201);
  });

  it('refuses a second cancellation', async () => {
    const p = await bookedPatient();
    expect((await p.client.post(`/api/appointments/${p.appointment.id}/cancel`)).status).toBe(200);
    expectError(await p.client.post(`/api/appointments/${p.appointment.id}/cancel`), 409, 'ALREADY_CANCELLED');
    expect((await emailsTo(t, p.account.email)).filter((m) => m.kind === 'booking_cancelled')).toHaveLength(1);
  });
});

describe('the cut-off', () => {
  it('closes at 18:00 Samara the day before: refused after it, the slot stays booked', async () => {
    const p = await bookedPatient();
    t.clock.set('2026-11-26T13:59:00Z'); // 17:59 Samara on the 26th
    const before = await p.client.get<AppointmentDetail>(`/api/appointments/${p.appointment.id}`);
    expect(before.body.cancellable).toBe(true);

    t.clock.set('2026-11-26T14:00:00Z'); // 18:00 Samara: the registry is preparing the lists
    const detail = await p.client.get<AppointmentDetail>(`/api/appointments/${p.appointment.id}`);
    expect(detail.body).toMatchObject({ cancellable: false, cancelUntil: '2026-11-26T14:00:00.000Z' });
    expect(detail.body.cancelBlockedReason).toMatch(/^Отмена через портал закрыта в 18:00 накануне визита/);

    const res = await p.client.post(`/api/appointments/${p.appointment.id}/cancel`);
    expectError(res, 409, 'CUTOFF_PASSED');
    expect((res.body as { message: string }).message).toContain(
      'сформировала списки пациентов и подобрала медицинские карты',
    );
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'booked', cancelledAt: null });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'booked' });
    expect((await emailsTo(t, p.account.email)).filter((m) => m.kind === 'booking_cancelled')).toHaveLength(0);
  });

  it('works across local midnight while the server runs in UTC', async () => {
    // 00:30 Samara on the 27th = 20:30 UTC on the 26th; cut-off 18:00 Samara on the 26th = 14:00 UTC.
    const start = zonedToInstant('2026-11-27', '00:30', ZONE);
    expect(start.toISOString()).toBe('2026-11-26T20:30:00.000Z');
    const late = await bookedPatient({ start });
    expect(late.appointment.cancelUntil).toBe('2026-11-26T14:00:00.000Z');
    t.clock.set('2026-11-26T14:00:00Z');
    expectError(await late.client.post(`/api/appointments/${late.appointment.id}/cancel`), 409, 'CUTOFF_PASSED');
    expect(await slotState(t, late.slot.id)).toMatchObject({ status: 'booked' });

    t.clock.set(START);
    const early = await bookedPatient({ start: zonedToInstant('2026-11-27', '00:30', ZONE) });
    t.clock.set('2026-11-26T13:59:00Z'); // 17:59 Samara
    expect((await early.client.post(`/api/appointments/${early.appointment.id}/cancel`)).status).toBe(200);
  });

  it('follows an organisation’s own cut-off time', async () => {
    // The organisation closes cancellations at 12:00 Samara (08:00 UTC) the day before.
    const p = await bookedPatient({ cutoffOverride: '12:00' });
    expect(p.appointment.cancelUntil).toBe('2026-11-26T08:00:00.000Z');
    t.clock.set('2026-11-26T08:30:00Z'); // 12:30 Samara: the region's 18:00 would still allow it
    const detail = await p.client.get<AppointmentDetail>(`/api/appointments/${p.appointment.id}`);
    expect(detail.body.cancelBlockedReason).toMatch(/^Отмена через портал закрыта в 12:00 накануне визита/);
    expectError(await p.client.post(`/api/appointments/${p.appointment.id}/cancel`), 409, 'CUTOFF_PASSED');
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'booked' });

    t.clock.set(START);
    const q = await bookedPatient({ cutoffOverride: '12:00' });
    t.clock.set('2026-11-26T07:59:00Z'); // 11:59 Samara
    expect((await q.client.post(`/api/appointments/${q.appointment.id}/cancel`)).status).toBe(200);
  });

  it('refuses a visit that has already begun', async () => {
    const p = await bookedPatient();
    t.clock.set('2026-11-27T06:00:00Z'); // 10:00 Samara on the 27th
    expectError(await p.client.post(`/api/appointments/${p.appointment.id}/cancel`), 409, 'VISIT_IN_PAST');
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'booked' });
  });
});

describe('appointments made through other channels', () => {
  it('cannot be cancelled online: hidden from an e-mail session, refused in a ЕСИА session', async () => {
    const p = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const id = await insertAppointment(t, { slot: setup.slots[2], personId: p.person.id, source: 'registry' });

    // Signed in with e-mail: the registry's appointment is not shown at all (SPEC section 6).
    expectError(await p.client.post(`/api/appointments/${id}/cancel`), 404, 'APPOINTMENT_NOT_FOUND');

    // Signed in through ЕСИА: shown, but only the registry can cancel it.
    const esia = await sessionClient(t, p.account.id, 'esia');
    const detail = await esia.get<AppointmentDetail>(`/api/appointments/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ source: 'registry', cancellable: false });
    expect(detail.body.cancelBlockedReason).toBe(
      `Запись сделана не через портал: отменить её можно в регистратуре по телефону ${setup.organisation.phone}.`,
    );
    expectError(await esia.post(`/api/appointments/${id}/cancel`), 409, 'NOT_CANCELLABLE_HERE');

    expect(await appointmentRow(id)).toMatchObject({ status: 'booked', cancelledAt: null });
    expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'booked' });
  });
});

describe('who may cancel', () => {
  it('refuses someone else’s appointment as not found, and anonymous callers', async () => {
    const p = await bookedPatient();
    const intruder = await createPatient(t);
    expectError(
      await intruder.client.post(`/api/appointments/${p.appointment.id}/cancel`),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    const anon = t.client();
    expectError(await anon.post(`/api/appointments/${p.appointment.id}/cancel`), 401, 'NOT_AUTHENTICATED');
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'booked' });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'booked' });
  });

  it('refuses a malformed id and writes nothing', async () => {
    const p = await bookedPatient();
    const res = await p.client.post('/api/appointments/not-an-id/cancel');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await countAppointments(t, { personId: p.person.id })).toBe(1);
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'booked' });
  });
});
