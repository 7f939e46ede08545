// Moving a visit through HTTP (SPEC section 8a): to another time of the same doctor and to a
// colleague of the same specialty and organisation, the one-per-specialty limit not blocking
// it, the notification «Визит перенесён», the old time offered to the waitlist, the feed; and
// every refusal writing nothing: someone else's visit, another channel's, after the cut-off,
// a visit already moved, a target of another specialty or organisation, the same time, a
// taken or past time, bad ids and bodies, no CSRF token, no session.
// The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara (UTC+4).
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import type { MoveResponse } from '../../src/shared/api/move.js';
import { queryRows } from '../../src/server/db/index.js';
import { appointments, notifications, referrals, specialties } from '../../src/server/db/schema.js';
import { zonedToInstant } from '../../src/shared/time.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createOrganisation,
  createSlots,
  createSpecialty,
} from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { expectError } from '../support/expect.js';
import { errorCatalogue, type ErrorCode } from '../../src/server/errors.js';
import { moveRefusalMessage } from '../../src/server/modules/visits/move.rules.js';
import { countAppointments, emailsTo, insertAppointment, sessionClient, slotState } from './booking.helpers.js';
import { colleague, fillSlots, join, pendingOfferOf } from './waitlist.helpers.js';

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

async function notificationKinds(accountId: string): Promise<string[]> {
  const rows = await t.ctx.db
    .select({ kind: notifications.kind })
    .from(notifications)
    .where(eq(notifications.accountId, accountId));
  return rows.map((r) => r.kind).sort();
}

/** A patient with a portal booking at 10:00 Samara on Friday 27 November (the setup's slots[2]). */
async function bookedPatient(opts: { cutoffOverride?: string | null } = {}) {
  const patient = await createPatient(t);
  const setup = await createBookableSetup(t.ctx, { organisation: { cutoffOverride: opts.cutoffOverride ?? null } });
  const slot = setup.slots[2];
  const res = await patient.client.post<AppointmentDetail>('/api/appointments', {
    slotId: slot.id,
    personId: patient.person.id,
  });
  expect(res.status).toBe(201);
  return { ...patient, setup, slot, appointment: res.body };
}

type Booked = Awaited<ReturnType<typeof bookedPatient>>;

/** Nothing of a refused move was written: the visit booked in its slot, no other appointment, no notice. */
async function expectUnmoved(p: Booked, targetSlotId?: number) {
  expect(await appointmentRow(p.appointment.id)).toMatchObject({
    status: 'booked',
    cancelledAt: null,
    cancelReason: null,
  });
  expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'booked' });
  expect(await countAppointments(t, { personId: p.person.id })).toBe(1);
  expect(await notificationKinds(p.account.id)).toEqual(['booking_made']);
  if (targetSlotId !== undefined) expect(await countAppointments(t, { slotId: targetSlotId })).toBeLessThanOrEqual(1);
}

/** A refusal the cancel rule and a move share: the catalogue's code and status, the move's own wording. */
function expectMoveRefusal(res: { status: number; body: unknown }, status: number, code: ErrorCode) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const message = moveRefusalMessage(code);
  expect(message).not.toBeNull();
  expect(res.body).toEqual({ code, message });
  expect(message).not.toBe(errorCatalogue[code].message);
}

const move = (p: { client: Booked['client'] }, id: string, slotId: unknown) =>
  p.client.post<MoveResponse>(`/api/appointments/${id}/move`, { slotId });

describe('moving to another time of the same doctor', () => {
  it('books the new time, cancels the old one as moved, frees it, and tells the account once', async () => {
    const p = await bookedPatient();
    const target = p.setup.slots[4]; // Saturday 28 November, 10:00 Samara
    // One visit per specialty: an ordinary booking of the new time is refused ...
    expectError(
      await p.client.post('/api/appointments', { slotId: target.id, personId: p.person.id }),
      409,
      'SPECIALTY_LIMIT_REACHED',
    );
    // ... a move is not: the visit it replaces no longer counts.
    const res = await move(p, p.appointment.id, target.id);
    expect(res.status).toBe(200);
    const moved = res.body;
    expect(moved.id).not.toBe(p.appointment.id);
    expect(moved.reference).not.toBe(p.appointment.reference);
    expect(moved).toMatchObject({
      status: 'booked',
      source: 'portal',
      personId: p.person.id,
      startAt: target.startAt.toISOString(),
      localStart: '2026-11-28T10:00',
      cancellable: true,
      doctor: { id: p.setup.doctor.id },
      movedFrom: {
        id: p.appointment.id,
        reference: p.appointment.reference,
        startAt: p.slot.startAt.toISOString(),
        localStart: '2026-11-27T10:00',
      },
    });

    expect(await appointmentRow(p.appointment.id)).toMatchObject({
      status: 'cancelled',
      cancelledAt: new Date(START),
      cancelledByAccountId: p.account.id,
      cancelledBy: 'patient',
      cancelledVia: 'portal',
      cancelReason: 'moved',
      movedFromId: null,
    });
    expect(await appointmentRow(moved.id)).toMatchObject({
      status: 'booked',
      source: 'portal',
      slotId: target.id,
      personId: p.person.id,
      bookedByAccountId: p.account.id,
      movedFromId: p.appointment.id,
      cancelReason: null,
    });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'free', holdAccountId: null });
    expect(await slotState(t, target.id)).toMatchObject({ status: 'booked' });

    // One notice «Визит перенесён» (in the portal, by e-mail): no «Вы записаны», no «отменена».
    expect(await notificationKinds(p.account.id)).toEqual(['booking_made', 'booking_moved']);
    const mails = (await emailsTo(t, p.account.email)).filter((m) => m.kind === 'booking_moved');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Визит перенесён');
    expect(mails[0].textBody).toContain('перенесена');
    expect(mails[0].textBody).toContain('суббота, 28 ноября 2026 г., 10:00');
    expect(mails[0].textBody).toContain('пятница, 27 ноября 2026 г., 10:00');
    expect(mails[0].textBody).toContain(moved.reference);
    expect((await emailsTo(t, p.account.email)).filter((m) => m.kind === 'booking_cancelled')).toHaveLength(0);

    // The card file: the new visit ahead and movable; the old one cancelled, no longer movable.
    const card = await p.client.get<{
      persons: {
        futureVisits: { id: string; status: string; cancellable: boolean }[];
        pastVisits: { id: string; status: string; cancellable: boolean }[];
      }[];
    }>('/api/cardfile');
    const listed = [...card.body.persons[0].futureVisits, ...card.body.persons[0].pastVisits];
    expect(card.body.persons[0].futureVisits.filter((v) => v.status === 'booked').map((v) => v.id)).toEqual([moved.id]);
    expect(listed.find((v) => v.id === moved.id)).toMatchObject({ status: 'booked', cancellable: true });
    expect(listed.find((v) => v.id === p.appointment.id)).toMatchObject({ status: 'cancelled', cancellable: false });

    // The freed time can be booked by someone else.
    const other = await createPatient(t);
    expect(
      (await other.client.post('/api/appointments', { slotId: p.slot.id, personId: other.person.id })).status,
    ).toBe(201);
  });

  it('refuses a second move of the same visit, and moves the new one again', async () => {
    const p = await bookedPatient();
    const first = await move(p, p.appointment.id, p.setup.slots[4].id);
    expect(first.status).toBe(200);
    const again = await move(p, p.appointment.id, p.setup.slots[5].id);
    expectError(again, 409, 'VISIT_ALREADY_MOVED');
    expect(await slotState(t, p.setup.slots[5].id)).toMatchObject({ status: 'free' });

    const second = await move(p, first.body.id, p.setup.slots[0].id);
    expect(second.status).toBe(200);
    expect(second.body.movedFrom.id).toBe(first.body.id);
    expect(await appointmentRow(second.body.id)).toMatchObject({ movedFromId: first.body.id, status: 'booked' });
    expect(await appointmentRow(first.body.id)).toMatchObject({ status: 'cancelled', cancelReason: 'moved' });
    // A plain cancel of a moved-away visit says it is cancelled.
    expectError(await p.client.post(`/api/appointments/${p.appointment.id}/cancel`), 409, 'ALREADY_CANCELLED');
  });

  it('moves a family member’s visit booked by this account', async () => {
    const p = await createPatient(t);
    const child = await createPerson(t.ctx, p.account.id, {
      firstName: 'Пётр',
      birthDate: '2016-03-02',
      sex: 'M',
      status: 'confirmed',
    });
    const setup = await createBookableSetup(t.ctx);
    const booked = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[2].id,
      personId: child.id,
    });
    expect(booked.status).toBe(201);
    const res = await move(p, booked.body.id, setup.slots[3].id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ personId: child.id, person: { id: child.id } });
    expect(await appointmentRow(res.body.id)).toMatchObject({ personId: child.id, movedFromId: booked.body.id });
  });
});

describe('moving to a colleague', () => {
  it('moves to another doctor of the same specialty and organisation', async () => {
    const p = await bookedPatient();
    const other = await colleague(t, p.setup, [zonedToInstant('2026-11-28', '12:00', ZONE)]);
    const res = await move(p, p.appointment.id, other.slots[0].id);
    expect(res.status).toBe(200);
    expect(res.body.doctor.id).toBe(other.doctor.id);
    expect(await appointmentRow(res.body.id)).toMatchObject({
      doctorId: other.doctor.id,
      movedFromId: p.appointment.id,
    });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'free' });
  });

  it('moves to a colleague at the very same time (the old visit no longer overlaps)', async () => {
    const p = await bookedPatient();
    const other = await colleague(t, p.setup, [p.slot.startAt]);
    const res = await move(p, p.appointment.id, other.slots[0].id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ doctor: { id: other.doctor.id }, startAt: p.slot.startAt.toISOString() });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'free' });
  });

  it('refuses a doctor of another specialty in the same organisation, and writes nothing', async () => {
    const p = await bookedPatient();
    const specialty = await createSpecialty(t.ctx);
    const doctor = await createDoctor(t.ctx, { organisationId: p.setup.organisation.id, specialtyId: specialty.id });
    const [slot] = await createSlots(t.ctx, doctor.id, [zonedToInstant('2026-11-28', '12:00', ZONE)]);
    expectError(await move(p, p.appointment.id, slot.id), 409, 'MOVE_TARGET_NOT_ALLOWED');
    await expectUnmoved(p);
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'free' });
  });

  it('refuses a doctor of the same specialty in another organisation, and writes nothing', async () => {
    const p = await bookedPatient();
    const organisation = await createOrganisation(t.ctx);
    const doctor = await createDoctor(t.ctx, { organisationId: organisation.id, specialtyId: p.setup.specialty.id });
    const [slot] = await createSlots(t.ctx, doctor.id, [zonedToInstant('2026-11-28', '12:00', ZONE)]);
    expectError(await move(p, p.appointment.id, slot.id), 409, 'MOVE_TARGET_NOT_ALLOWED');
    await expectUnmoved(p);
    expect(await slotState(t, slot.id)).toMatchObject({ status: 'free' });
  });
});

describe('the new time', () => {
  it('refuses the same time', async () => {
    const p = await bookedPatient();
    expectError(await move(p, p.appointment.id, p.slot.id), 409, 'MOVE_SAME_TIME');
    await expectUnmoved(p);
  });

  it('refuses a time someone booked, naming the doctor’s free times, and writes nothing', async () => {
    const p = await bookedPatient();
    const other = await createPatient(t);
    const target = p.setup.slots[4];
    expect(
      (await other.client.post('/api/appointments', { slotId: target.id, personId: other.person.id })).status,
    ).toBe(201);
    const res = await move(p, p.appointment.id, target.id);
    expectError(res, 409, 'SLOT_TAKEN');
    const free = (res.body as { details?: { freeSlots: { id: number }[] } }).details?.freeSlots ?? [];
    expect(free.map((f) => f.id)).toContain(p.setup.slots[3].id);
    await expectUnmoved(p);
    expect(await countAppointments(t, { slotId: target.id })).toBe(1);
  });

  it('refuses a time that has passed, a blocked time and one kept for the registry', async () => {
    const p = await bookedPatient();
    const [past] = await createSlots(t.ctx, p.setup.doctor.id, [new Date('2026-11-25T05:00:00Z')]);
    expectError(await move(p, p.appointment.id, past.id), 409, 'SLOT_IN_PAST');
    const [blocked, registry] = await createSlots(t.ctx, p.setup.doctor.id, [
      zonedToInstant('2026-11-28', '14:00', ZONE),
      zonedToInstant('2026-11-28', '14:30', ZONE),
    ]);
    await t.ctx.db.execute(sql`update slots set status = 'blocked' where id = ${blocked.id}`);
    await t.ctx.db.execute(sql`update slots set channel = 'registry' where id = ${registry.id}`);
    expectError(await move(p, p.appointment.id, blocked.id), 409, 'SLOT_BLOCKED');
    expectError(await move(p, p.appointment.id, registry.id), 409, 'SLOT_NOT_FOR_PORTAL');
    await expectUnmoved(p);
  });

  it('refuses a time overlapping another visit of the person, and writes nothing', async () => {
    const p = await bookedPatient();
    // Another specialty's visit at 10:00 on Saturday, booked at the registry for the same person.
    const other = await createBookableSetup(t.ctx);
    await insertAppointment(t, { slot: other.slots[4], personId: p.person.id, source: 'registry' });
    const res = await move(p, p.appointment.id, p.setup.slots[4].id);
    expectError(res, 409, 'OVERLAPPING_APPOINTMENT');
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'booked', cancelReason: null });
    expect(await slotState(t, p.slot.id)).toMatchObject({ status: 'booked' });
    expect(await slotState(t, p.setup.slots[4].id)).toMatchObject({ status: 'free' });
  });
});

describe('which visit may be moved', () => {
  it('closes at the cut-off, like cancelling: refused after it with a move’s wording', async () => {
    const p = await bookedPatient();
    t.clock.set('2026-11-26T14:00:00Z'); // 18:00 Samara the day before
    const res = await move(p, p.appointment.id, p.setup.slots[4].id);
    expectMoveRefusal(res, 409, 'CUTOFF_PASSED');
    expect((res.body as unknown as { message: string }).message).toMatch(/^Перенести запись через портал уже нельзя/);
    await expectUnmoved(p);
    expect(await slotState(t, p.setup.slots[4].id)).toMatchObject({ status: 'free' });

    t.clock.set('2026-11-26T13:59:00Z'); // 17:59: still open
    expect((await move(p, p.appointment.id, p.setup.slots[4].id)).status).toBe(200);
  });

  it('follows an organisation’s own cut-off', async () => {
    const p = await bookedPatient({ cutoffOverride: '12:00' });
    t.clock.set('2026-11-26T08:30:00Z'); // 12:30 Samara
    expectMoveRefusal(await move(p, p.appointment.id, p.setup.slots[4].id), 409, 'CUTOFF_PASSED');
    await expectUnmoved(p);
  });

  it('refuses another channel’s visit: not found in an e-mail session, not here in a ЕСИА session', async () => {
    const p = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const id = await insertAppointment(t, { slot: setup.slots[2], personId: p.person.id, source: 'registry' });
    expectError(await move(p, id, setup.slots[4].id), 404, 'APPOINTMENT_NOT_FOUND');
    const esia = await sessionClient(t, p.account.id, 'esia');
    const res = await esia.post(`/api/appointments/${id}/move`, { slotId: setup.slots[4].id });
    expectMoveRefusal(res, 409, 'NOT_CANCELLABLE_HERE');
    expect((res.body as { message: string }).message).toBe(
      'Эту запись можно перенести только через регистратуру медицинской организации.',
    );
    expect(await appointmentRow(id)).toMatchObject({ status: 'booked' });
    expect(await slotState(t, setup.slots[4].id)).toMatchObject({ status: 'free' });
  });

  it('refuses a visit that has begun and a cancelled one', async () => {
    const p = await bookedPatient();
    t.clock.set('2026-11-27T06:00:00Z');
    expectMoveRefusal(await move(p, p.appointment.id, p.setup.slots[4].id), 409, 'VISIT_IN_PAST');
    t.clock.set(START);
    expect((await p.client.post(`/api/appointments/${p.appointment.id}/cancel`)).status).toBe(200);
    expectMoveRefusal(await move(p, p.appointment.id, p.setup.slots[4].id), 409, 'ALREADY_CANCELLED');
    expect(await slotState(t, p.setup.slots[4].id)).toMatchObject({ status: 'free' });
  });
});

describe('who may move', () => {
  it('refuses someone else’s visit as not found, and anonymous callers', async () => {
    const p = await bookedPatient();
    const intruder = await createPatient(t);
    expectError(await move(intruder, p.appointment.id, p.setup.slots[4].id), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(
      await t.client().post(`/api/appointments/${p.appointment.id}/move`, { slotId: p.setup.slots[4].id }),
      401,
      'NOT_AUTHENTICATED',
    );
    await expectUnmoved(p);
    expect(await slotState(t, p.setup.slots[4].id)).toMatchObject({ status: 'free' });
  });

  it('refuses a request without the CSRF token', async () => {
    const p = await bookedPatient();
    const res = await p.client.request(
      'POST',
      `/api/appointments/${p.appointment.id}/move`,
      { slotId: p.setup.slots[4].id },
      { 'x-csrf-token': '' },
    );
    expectError(res, 403, 'CSRF_FAILED');
    await expectUnmoved(p);
  });

  it.each<[string, unknown]>([
    ['a missing slot', undefined],
    ['a text slot id', 'завтра'],
    ['a negative slot id', -4],
    ['a fractional slot id', 1.5],
    ['a slot id out of range', 2 ** 40],
  ])('refuses %s with VALIDATION_FAILED and writes nothing', async (_name, slotId) => {
    const p = await bookedPatient();
    const res = await p.client.post(
      `/api/appointments/${p.appointment.id}/move`,
      slotId === undefined ? {} : { slotId },
    );
    expectError(res, 400, 'VALIDATION_FAILED');
    await expectUnmoved(p);
  });

  it('refuses a malformed visit id, an unknown visit and an unknown time', async () => {
    const p = await bookedPatient();
    expectError(await move(p, 'not-an-id', p.setup.slots[4].id), 400, 'VALIDATION_FAILED');
    expectError(
      await move(p, '00000000-0000-4000-8000-000000000000', p.setup.slots[4].id),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    expectError(await move(p, p.appointment.id, 2_000_000_000), 404, 'SLOT_NOT_FOUND');
    await expectUnmoved(p);
  });
});

describe('the old time', () => {
  it('goes to the waitlist first', async () => {
    const setup = await createBookableSetup(t.ctx);
    // Every time of the doctor is taken; the mover holds Friday 10:00.
    await fillSlots(
      t,
      setup.slots.filter((_, i) => i !== 2),
    );
    const mover = await createPatient(t);
    const booked = await mover.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[2].id,
      personId: mover.person.id,
    });
    expect(booked.status).toBe(201);
    const waiter = await createPatient(t);
    const entry = await join(waiter.client, waiter.person.id, setup.doctor.id);

    const other = await colleague(t, setup, [zonedToInstant('2026-11-28', '12:00', ZONE)]);
    const res = await move(mover, booked.body.id, other.slots[0].id);
    expect(res.status).toBe(200);

    const offer = await pendingOfferOf(t, entry.id);
    expect(offer).toMatchObject({ slotId: setup.slots[2].id });
    expect(await slotState(t, setup.slots[2].id)).toMatchObject({ status: 'held', holdOfferId: offer?.id });
    expect((await emailsTo(t, waiter.account.email)).some((m) => m.kind === 'waitlist_offer')).toBe(true);
  });

  it('shows in the integration feed: the old visit cancelled, the new one created', async () => {
    const p = await bookedPatient();
    const [{ id: mark }] = await queryRows<{ id: string }>(
      t.ctx.db,
      sql`select coalesce(max(id), 0)::text as id from integration_changes`,
    );
    const res = await move(p, p.appointment.id, p.setup.slots[4].id);
    expect(res.status).toBe(200);
    const changes = await queryRows<{ event_type: string; appointment_id: string | null; status: string | null }>(
      t.ctx.db,
      sql`select event_type, appointment_id, data->>'status' as status from integration_changes
           where id > ${Number(mark)} and appointment_id is not null order by id`,
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        { event_type: 'appointment.cancelled', appointment_id: p.appointment.id, status: 'cancelled' },
        { event_type: 'appointment.created', appointment_id: res.body.id, status: 'booked' },
      ]),
    );
    expect(changes.filter((c) => c.appointment_id === res.body.id)).toHaveLength(1);
  });
});

describe('a portal visit of this account booked straight in the database (the demo’s kind)', () => {
  it('moves it too', async () => {
    const p = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const row = await createAppointmentRow(t.ctx, setup.slots[1], p.person.id, {
      source: 'portal',
      bookedByAccountId: p.account.id,
    });
    const res = await move(p, row.id, setup.slots[3].id);
    expect(res.status).toBe(200);
    const rows = await t.ctx.db
      .select({ id: appointments.id })
      .from(appointments)
      .where(and(eq(appointments.personId, p.person.id), eq(appointments.status, 'booked')));
    expect(rows.map((r) => r.id)).toEqual([res.body.id]);
  });
});

describe('a referral', () => {
  /** A patient booked by referral (a specialty «по направлению») on Friday 10:00; the referral valid until `until`. */
  async function bookedByReferral(until: string) {
    const p = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    await t.ctx.db.update(specialties).set({ selfBooking: false }).where(eq(specialties.id, setup.specialty.id));
    const issuer = await createAccount(t.ctx);
    const referralId = randomUUID();
    await t.ctx.db.insert(referrals).values({
      id: referralId,
      personId: p.person.id,
      patientSnils: p.person.snils,
      specialtyId: setup.specialty.id,
      organisationId: setup.organisation.id,
      validFrom: '2026-11-25',
      validUntil: until,
      issuedByOrganisationId: setup.organisation.id,
      issuedByAccountId: issuer.id,
      createdAt: t.ctx.now(),
    });
    const res = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[2].id,
      personId: p.person.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await appointmentRow(res.body.id)).toMatchObject({ referralId });
    return { ...p, setup, referralId, appointment: res.body };
  }

  it('follows the visit to its new time', async () => {
    const p = await bookedByReferral('2026-12-20');
    const res = await move(p, p.appointment.id, p.setup.slots[4].id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await appointmentRow(res.body.id)).toMatchObject({ referralId: p.referralId, status: 'booked' });
    expect(await appointmentRow(p.appointment.id)).toMatchObject({ status: 'cancelled', cancelReason: 'moved' });
  });

  it('refuses a new time the referral does not cover, and writes nothing', async () => {
    const p = await bookedByReferral('2026-11-27'); // valid for Friday, not for Saturday
    const res = await move(p, p.appointment.id, p.setup.slots[4].id);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toMatchObject({ code: 'REFERRAL_NOT_VALID' });
    expect(await appointmentRow(p.appointment.id)).toMatchObject({
      status: 'booked',
      cancelReason: null,
      referralId: p.referralId,
    });
    expect(await countAppointments(t, { personId: p.person.id })).toBe(1);
    expect(await slotState(t, p.setup.slots[4].id)).toMatchObject({ status: 'free' });
  });
});
