// «Не смогу прийти» through HTTP (SPEC section 8a): after the cut-off the account that booked a
// portal visit releases it; the visit stays booked and marked, its time is offered to the
// waitlist (the slot stays booked, nothing is held); a confirm cancels the visit as released,
// books the offer's person and tells the releasing account; decline moves the offer on;
// nobody confirming leaves the visit booked with the mark; a visit under two hours away only
// gets the mark; the clinic cancelling a released visit hands the slot to the pending offer.
// Refusals: bad ids, someone else's visit, before the cut-off, other channels, twice.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4). The busy doctor's
// slots are at 10:00 and 10:30 Samara (06:00 and 06:30 UTC) on the 26th, 27th, 28th; the cut-off
// for the 27th is 18:00 Samara on the 26th = 14:00 UTC.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentDetail, CardFilePerson, WaitlistEntry } from '../../src/shared/api/index.js';
import { appointments, waitlistOffers } from '../../src/server/db/schema.js';
import { RELEASED_TAKEN_SUBJECT } from '../../src/server/modules/booking/booking.emails.js';
import type { DoctorPatientsResponse, StaffPatientResponse } from '../../src/shared/api/index.js';
import { processWaitlist } from '../../src/server/modules/waitlist/waitlist.worker.js';
import { createSlots } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';
import { clientWithSession } from '../factories/sessions.js';
import { createSignedInStaff } from '../factories/staff.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { expectError } from '../support/expect.js';
import { insertAppointment, slotState } from './booking.helpers.js';
import {
  busyDoctor,
  emailsOf,
  join,
  notificationsOf,
  offersOfSlot,
  pendingOfferOf,
  type BusyDoctor,
} from './waitlist.helpers.js';

const START = '2026-11-25T09:00:00Z';
/** 19:00 Samara on the 26th: online cancelling of the 27th's visits closed an hour ago. */
const AFTER_CUTOFF = '2026-11-26T15:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

type Patient = Awaited<ReturnType<typeof createPatient>>;

async function appointmentRow(id: string) {
  const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.id, id));
  return rows[0];
}

async function appointmentsOfPerson(personId: string) {
  return t.ctx.db.select().from(appointments).where(eq(appointments.personId, personId));
}

/** A busy doctor, `n` patients in its line (a minute apart), the clock after the cut-off; the filler's visit on Friday 27th 10:00 Samara. */
async function scene(n: number, at = AFTER_CUTOFF) {
  const busy = await busyDoctor(t);
  const people: Patient[] = [];
  const entries: WaitlistEntry[] = [];
  for (let i = 0; i < n; i++) {
    const p = await createPatient(t, { person: { firstName: ['Анна', 'Борис'][i] ?? 'Вера' } });
    people.push(p);
    entries.push(await join(p.client, p.person.id, busy.setup.doctor.id));
    t.clock.advance(60_000);
  }
  t.clock.set(at);
  const slot = busy.setup.slots[2];
  const visitId = busy.filler.appointments.get(slot.id) ?? '';
  return { busy, people, entries, slot, visitId };
}

async function release(busy: BusyDoctor, visitId: string) {
  return busy.filler.client.post<AppointmentDetail>(`/api/appointments/${visitId}/release`);
}

describe('releasing after the cut-off', () => {
  it('marks the visit, keeps it booked and offers its time to the oldest entry without holding the slot', async () => {
    const { busy, people, entries, slot, visitId } = await scene(2);
    const res = await release(busy, visitId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: visitId,
      status: 'booked',
      releasedAt: AFTER_CUTOFF.replace('Z', '.000Z'),
      releasable: false,
      cancellable: false,
      cancelReason: null,
    });
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked', releasedAt: new Date(AFTER_CUTOFF) });
    // The slot stays booked by the released visit: the one-active-per-slot index is untouched.
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'booked', holdOfferId: null, holdPersonId: null });

    const offer = await pendingOfferOf(t, entries[0].id);
    // 24 hours from now would be 15:00 UTC on the 27th; an hour before the visit (05:00 UTC) comes first.
    expect(offer).toMatchObject({
      slotId: slot.id,
      status: 'pending',
      releasedAppointmentId: visitId,
      deadline: new Date('2026-11-27T05:00:00Z'),
    });
    expect(await pendingOfferOf(t, entries[1].id)).toBeNull();
    expect(await notificationsOf(t, people[0].account.id, 'waitlist_offer')).toHaveLength(1);
    const [mail] = await emailsOf(t, people[0].account.id, 'waitlist_offer');
    expect(mail.textBody).toContain('пятница, 27 ноября 2026 г., 10:00');

    // Nobody can take the time past the offer: not a stranger, not the next in line.
    const stranger = await createPatient(t);
    for (const p of [stranger, people[1]]) {
      expectError(
        await p.client.post('/api/appointments', { slotId: slot.id, personId: p.person.id }),
        409,
        'SLOT_TAKEN',
      );
    }

    // The card file shows the mark and no second «Не смогу прийти».
    const card = await busy.filler.client.get<{ persons: CardFilePerson[] }>('/api/cardfile');
    const row = card.body.persons[0].futureVisits.find((v) => v.id === visitId);
    expect(row).toMatchObject({ status: 'booked', releasable: false, releasedAt: AFTER_CUTOFF.replace('Z', '.000Z') });
  });

  it('is offered (releasable) only after the cut-off, on the visit page and in the card file', async () => {
    const { busy, visitId } = await scene(0, '2026-11-26T13:59:00Z');
    const before = await busy.filler.client.get<AppointmentDetail>(`/api/appointments/${visitId}`);
    expect(before.body).toMatchObject({ cancellable: true, releasable: false });
    t.clock.set('2026-11-26T14:00:00Z');
    const after = await busy.filler.client.get<AppointmentDetail>(`/api/appointments/${visitId}`);
    expect(after.body).toMatchObject({ cancellable: false, releasable: true, releasedAt: null });
  });

  it('with nobody waiting: only the mark', async () => {
    const { busy, slot, visitId } = await scene(0);
    expect((await release(busy, visitId)).status).toBe(200);
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked', releasedAt: new Date(AFTER_CUTOFF) });
    expect(await offersOfSlot(t, slot.id)).toEqual([]);
  });

  it('less than two hours before the visit: no offer (under an hour would be left to answer), only the mark', async () => {
    const { busy, entries, slot, visitId } = await scene(1, '2026-11-27T04:30:00Z');
    expect((await release(busy, visitId)).status).toBe(200);
    expect(await appointmentRow(visitId)).toMatchObject({
      status: 'booked',
      releasedAt: new Date('2026-11-27T04:30:00Z'),
    });
    expect(await pendingOfferOf(t, entries[0].id)).toBeNull();
    expect(await offersOfSlot(t, slot.id)).toEqual([]);
  });
});

describe('someone from the waitlist confirms', () => {
  it('cancels the released visit as «освобождена пациентом», books the offer’s person and tells the releasing account', async () => {
    const { busy, people, entries, slot, visitId } = await scene(1);
    expect((await release(busy, visitId)).status).toBe(200);
    const offer = await pendingOfferOf(t, entries[0].id);
    t.clock.advance(30 * 60_000);

    const res = await people[0].client.post<AppointmentDetail>(`/api/offers/${offer!.id}/confirm`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'booked',
      personId: people[0].person.id,
      startAt: slot.startAt.toISOString(),
    });

    const takenAt = new Date(Date.parse(AFTER_CUTOFF) + 30 * 60_000);
    expect(await appointmentRow(visitId)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
      cancelledVia: 'portal',
      cancelReason: 'released',
      cancelledByAccountId: busy.filler.accountId,
      cancelledAt: takenAt,
    });
    const booked = (await appointmentsOfPerson(people[0].person.id)).filter((a) => a.status === 'booked');
    expect(booked).toMatchObject([{ slotId: slot.id, source: 'portal', bookedByAccountId: people[0].account.id }]);
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'booked', holdOfferId: null });
    const [closed] = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offer!.id));
    expect(closed.status).toBe('accepted');

    // The releasing account is told, and sees the visit as released by the patient.
    const told = await notificationsOf(t, busy.filler.accountId, 'booking_cancelled');
    expect(told).toMatchObject([{ title: RELEASED_TAKEN_SUBJECT, link: `/appointments/${visitId}` }]);
    expect(told[0].body).toContain('занял другой пациент');
    const [mail] = await emailsOf(t, busy.filler.accountId, 'booking_cancelled');
    expect(mail.subject).toBe(RELEASED_TAKEN_SUBJECT);
    const view = await busy.filler.client.get<AppointmentDetail>(`/api/appointments/${visitId}`);
    expect(view.body).toMatchObject({ status: 'cancelled', cancelReason: 'released', releasable: false });
    // The one booked there now is told «Вы записаны».
    expect(await notificationsOf(t, people[0].account.id, 'booking_made')).toHaveLength(1);
  });

  it('a decline moves the offer on to the next entry, with the same deadline rule', async () => {
    const { busy, people, entries, visitId } = await scene(2);
    expect((await release(busy, visitId)).status).toBe(200);
    const first = await pendingOfferOf(t, entries[0].id);
    t.clock.advance(60 * 60_000);
    expect((await people[0].client.post(`/api/offers/${first!.id}/decline`)).status).toBe(200);
    const next = await pendingOfferOf(t, entries[1].id);
    expect(next).toMatchObject({ releasedAppointmentId: visitId, deadline: new Date('2026-11-27T05:00:00Z') });
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked' });
  });

  it('when nobody confirms before the deadline, the visit stays booked and marked', async () => {
    const { busy, entries, slot, visitId } = await scene(1);
    expect((await release(busy, visitId)).status).toBe(200);
    const offer = await pendingOfferOf(t, entries[0].id);
    t.clock.set('2026-11-27T05:00:01Z');
    const step = await processWaitlist(t.ctx);
    expect(step.expired).toBeGreaterThanOrEqual(1);
    const [closed] = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offer!.id));
    expect(closed.status).toBe('expired');
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked', releasedAt: new Date(AFTER_CUTOFF) });
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'booked' });
    expect((await offersOfSlot(t, slot.id)).filter((o) => o.status === 'pending')).toEqual([]);
    expect(await notificationsOf(t, busy.filler.accountId, 'booking_cancelled')).toEqual([]);
  });

  it('when the clinic cancels the released visit meanwhile, the slot is held for the pending offer, which still confirms', async () => {
    const { busy, people, entries, slot, visitId } = await scene(1);
    expect((await release(busy, visitId)).status).toBe(200);
    const offer = await pendingOfferOf(t, entries[0].id);
    const desk = await createSignedInStaff(t, { role: 'registrar', organisationId: busy.setup.organisation.id });
    const cancelled = await desk.client.post(`/api/desk/appointments/${visitId}/cancel`, { by: 'patient' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'held', holdOfferId: offer!.id });
    expect(await offersOfSlot(t, slot.id)).toHaveLength(1);
    const res = await people[0].client.post<AppointmentDetail>(`/api/offers/${offer!.id}/confirm`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'cancelled', cancelReason: null });
  });
});

describe('the clinic sees the mark', () => {
  it('on the desk’s patient page and the doctor’s list: releasedAt', async () => {
    const { busy, visitId } = await scene(0);
    expect((await release(busy, visitId)).status).toBe(200);
    const desk = await createSignedInStaff(t, { role: 'registrar', organisationId: busy.setup.organisation.id });
    const page = await desk.client.get<StaffPatientResponse>(`/api/desk/patients/${busy.filler.person.id}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.visits.find((v) => v.id === visitId)).toMatchObject({
      status: 'booked',
      releasedAt: AFTER_CUTOFF.replace('Z', '.000Z'),
      cancelReason: null,
    });
    const doctor = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: busy.setup.organisation.id,
      doctorId: busy.setup.doctor.id,
    });
    const list = await doctor.client.get<DoctorPatientsResponse>('/api/doctor/patients');
    expect(list.status).toBe(200);
    const all = list.body.days.flatMap((d) => d.appointments);
    expect(all.find((a) => a.id === visitId)).toMatchObject({ releasedAt: AFTER_CUTOFF.replace('Z', '.000Z') });
    expect(all.filter((a) => a.releasedAt !== null)).toHaveLength(1);
  });
});

describe('refusals change nothing', () => {
  it('bad ids, someone else’s visit, anonymous', async () => {
    const { busy, visitId } = await scene(0);
    const stranger = await createPatient(t);
    expectError(await stranger.client.post(`/api/appointments/${visitId}/release`), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(
      await busy.filler.client.post('/api/appointments/00000000-0000-4000-8000-000000000000/release'),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    const bad = await busy.filler.client.post('/api/appointments/not-a-uuid/release');
    expect(bad.status).toBe(400);
    const anonymous = t.client();
    await anonymous.ensureCsrf();
    expect((await anonymous.post(`/api/appointments/${visitId}/release`)).status).toBe(401);
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked', releasedAt: null });
  });

  it('before the cut-off: cancel instead (RELEASE_BEFORE_CUTOFF)', async () => {
    const { busy, slot, visitId } = await scene(1, '2026-11-26T13:00:00Z');
    expectError(await release(busy, visitId), 409, 'RELEASE_BEFORE_CUTOFF');
    expect(await appointmentRow(visitId)).toMatchObject({ status: 'booked', releasedAt: null });
    expect(await offersOfSlot(t, slot.id)).toEqual([]);
  });

  it('twice: ALREADY_RELEASED, and no second offer', async () => {
    const { busy, slot, visitId } = await scene(2);
    expect((await release(busy, visitId)).status).toBe(200);
    t.clock.advance(60_000);
    expectError(await release(busy, visitId), 409, 'ALREADY_RELEASED');
    expect(await offersOfSlot(t, slot.id)).toHaveLength(1);
    expect(await appointmentRow(visitId)).toMatchObject({ releasedAt: new Date(AFTER_CUTOFF) });
  });

  it('a visit booked through another channel: NOT_CANCELLABLE_HERE (ЕСИА session sees it), not found otherwise', async () => {
    const busy = await busyDoctor(t);
    const [extra] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-11-27T07:00:00Z')]);
    const registry = await insertAppointment(t, { slot: extra, personId: busy.filler.person.id, source: 'registry' });
    t.clock.set(AFTER_CUTOFF);
    const esia = await clientWithSession(t, busy.filler.accountId, 'esia');
    await esia.ensureCsrf();
    expectError(await esia.post(`/api/appointments/${registry}/release`), 409, 'NOT_CANCELLABLE_HERE');
    expectError(await busy.filler.client.post(`/api/appointments/${registry}/release`), 404, 'APPOINTMENT_NOT_FOUND');
    expect(await appointmentRow(registry)).toMatchObject({ status: 'booked', releasedAt: null });
  });

  it('a visit that has started or is cancelled: VISIT_IN_PAST / ALREADY_CANCELLED', async () => {
    const { busy, visitId } = await scene(0, '2026-11-27T06:00:00Z');
    expectError(await release(busy, visitId), 409, 'VISIT_IN_PAST');
    t.clock.set('2026-11-25T10:00:00Z');
    const other = busy.filler.appointments.get(busy.setup.slots[4].id) ?? '';
    expect((await busy.filler.client.post(`/api/appointments/${other}/cancel`)).status).toBe(200);
    t.clock.set('2026-11-27T15:00:00Z');
    expectError(await release(busy, other), 409, 'ALREADY_CANCELLED');
  });
});
