// A doctor's absence through HTTP (SPEC section 8): closing a doctor's days, the affected
// visits and each decision (cancel; move — offered to a portal account, direct for other
// channels; confirm, decline, expiry), all at once, reopening, the public notice, the
// integration feed — and the refusals: signed out, wrong role, another organisation, bad
// input, a second decision. Every refusal also checks that nothing was written.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbsenceDetail, DoctorAbsenceNotices, MoveOffer } from '../../src/shared/api/absence.js';
import type { AppointmentDetail } from '../../src/shared/api/index.js';
import {
  absenceVisits,
  appointments,
  auditLog,
  doctorAbsences,
  notifications,
  slots,
  waitlistEntries,
  waitlistOffers,
} from '../../src/server/db/schema.js';
import { expireDueMoves } from '../../src/server/modules/absence/decisions.service.js';
import { expandDoctorTemplates } from '../../src/server/modules/schedule/schedule.service.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  createSpecialty,
  createTemplate,
  holdSlotRow,
  type BookableSetup,
  type DoctorRow,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, type StaffAccount } from '../factories/staff.js';
import { feedUntil, issueKey } from './integration-api.helpers.js';

interface ErrorBody {
  code: string;
  message: string;
}

let t: TestContext;
let registrar: StaffAccount & { client: TestClient };
let otherRegistrar: StaffAccount & { client: TestClient };

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

const TZ = 'Europe/Samara';

/** A fresh clinic: the absent doctor (setup), a colleague of the same specialty with free time, the desk. */
async function clinic() {
  const home = await createBookableSetup(t.ctx);
  const colleague = await createDoctor(t.ctx, {
    organisationId: home.organisation.id,
    specialtyId: home.specialty.id,
    lastName: 'Соколова',
    firstName: 'Анна',
  });
  const today = localDateOf(t.ctx.now(), TZ);
  const colleagueSlots = await createSlots(
    t.ctx,
    colleague.id,
    [1, 2, 3, 4].flatMap((d) => [
      zonedToInstant(addDays(today, d), '11:00', TZ),
      zonedToInstant(addDays(today, d), '11:30', TZ),
    ]),
    30,
  );
  registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: home.organisation.id });
  const other = await createBookableSetup(t.ctx);
  otherRegistrar = await createSignedInStaff(t, { role: 'registrar', organisationId: other.organisation.id });
  return { home, colleague, colleagueSlots, other, today };
}

const day = (today: string, n: number) => addDays(today, n);

async function slotStatus(id: number): Promise<string> {
  return (await t.ctx.db.select({ status: slots.status }).from(slots).where(eq(slots.id, id)))[0].status;
}

async function counts() {
  const n = async (
    table: typeof doctorAbsences | typeof absenceVisits | typeof appointments | typeof auditLog | typeof notifications,
  ) => (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
  return {
    absences: await n(doctorAbsences),
    visits: await n(absenceVisits),
    appointments: await n(appointments),
    audit: await n(auditLog),
    notifications: await n(notifications),
    slots: await t.ctx.db.select({ id: slots.id, status: slots.status }).from(slots).orderBy(slots.id),
    statuses: await t.ctx.db
      .select({ id: appointments.id, status: appointments.status })
      .from(appointments)
      .orderBy(appointments.id),
  };
}

async function close(client: TestClient, doctorId: number, body: Record<string, unknown>) {
  return client.post<AbsenceDetail & ErrorBody>(`/api/desk/doctors/${doctorId}/absences`, body);
}

async function notificationKinds(accountId: string): Promise<string[]> {
  const rows = await t.ctx.db
    .select({ kind: notifications.kind })
    .from(notifications)
    .where(eq(notifications.accountId, accountId))
    .orderBy(notifications.id);
  return rows.map((r) => r.kind);
}

describe('access and bad input', () => {
  it('refuses anonymous (401), a patient, a doctor and a moderator (403), another organisation (404), and writes nothing', async () => {
    const { home, today } = await clinic();
    const body = { fromDate: day(today, 1), toDate: day(today, 2), reason: 'sick' };
    const { client: patient } = await createPatient(t);
    const doctor = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: home.organisation.id,
      doctorId: home.doctor.id,
    });
    const mod = await createAccount(t.ctx, { role: 'moderator' });
    const moderator = await signIn(t, mod.email, mod.password);
    const before = await counts();

    const anon = await close(t.client(), home.doctor.id, body);
    expect([anon.status, anon.body.code]).toEqual([401, 'NOT_AUTHENTICATED']);
    for (const c of [patient, doctor.client, moderator]) {
      const res = await close(c, home.doctor.id, body);
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      const list = await c.get<ErrorBody>('/api/desk/absences');
      expect(list.status).toBe(403);
    }
    const foreign = await close(otherRegistrar.client, home.doctor.id, body);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'DOCTOR_NOT_FOUND']);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad dates, a bad reason, control characters, the past and more than a year, writing nothing', async () => {
    const { home, today } = await clinic();
    const before = await counts();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ fromDate: day(today, 2), toDate: day(today, 1), reason: 'sick' }, 400, 'VALIDATION_FAILED'],
      [{ fromDate: day(today, 1), toDate: day(today, 1), reason: 'flu' }, 400, 'VALIDATION_FAILED'],
      [{ fromDate: '2026-13-01', toDate: day(today, 1), reason: 'sick' }, 400, 'VALIDATION_FAILED'],
      // Not a calendar date: it would roll over into March.
      [{ fromDate: day(today, 1), toDate: '2027-02-30', reason: 'sick' }, 400, 'VALIDATION_FAILED'],
      [
        { fromDate: day(today, 1), toDate: day(today, 1), reason: 'other', comment: 'курсы\u202e' },
        400,
        'VALIDATION_FAILED',
      ],
      [{ fromDate: day(today, -3), toDate: day(today, -1), reason: 'vacation' }, 400, 'ABSENCE_IN_PAST'],
      [{ fromDate: day(today, 1), toDate: day(today, 400), reason: 'vacation' }, 400, 'ABSENCE_TOO_LONG'],
    ];
    for (const [body, status, code] of cases) {
      const res = await close(registrar.client, home.doctor.id, body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const notADoctor = await close(registrar.client, 999_999, {
      fromDate: day(today, 1),
      toDate: day(today, 1),
      reason: 'sick',
    });
    expect(notADoctor.status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('closing a sick day', () => {
  it('blocks free and held time, withdraws a waitlist offer without counting it, lists every booked visit with contacts, audit-logs', async () => {
    const { home, today } = await clinic();
    const [free, portalSlot, registrySlot, offerSlot, holdSlot, blockedBefore] = home.slots;
    const portal = await createPatient(t, {
      person: { lastName: 'Ершова', firstName: 'Ольга', phone: '+79120000001' },
    });
    const portalVisit = await createAppointmentRow(t.ctx, portalSlot, portal.person.id, {
      source: 'portal',
      bookedByAccountId: portal.account.id,
    });
    const walkIn = await createRegisterPatient(t.ctx, { lastName: 'Шутов', firstName: 'Илья', phone: '+79120000002' });
    const registryVisit = await createAppointmentRow(t.ctx, registrySlot, walkIn.id, { source: 'registry' });
    // A waitlisted person holds an offer of the third slot.
    const waiting = await createPatient(t);
    const [entry] = await t.ctx.db
      .insert(waitlistEntries)
      .values({
        personId: waiting.person.id,
        accountId: waiting.account.id,
        organisationId: home.organisation.id,
        specialtyId: home.specialty.id,
        doctorId: home.doctor.id,
        status: 'offered',
        offersMade: 1,
        createdAt: new Date(t.ctx.now().getTime() - 86_400_000),
      })
      .returning();
    const [offer] = await t.ctx.db
      .insert(waitlistOffers)
      .values({
        entryId: entry.id,
        slotId: offerSlot.id,
        deadline: new Date(t.ctx.now().getTime() + 3_600_000 * 5),
        createdAt: t.ctx.now(),
      })
      .returning();
    await t.ctx.db
      .update(slots)
      .set({
        status: 'held',
        holdPersonId: waiting.person.id,
        holdAccountId: waiting.account.id,
        heldUntil: offer.deadline,
        holdOfferId: offer.id,
      })
      .where(eq(slots.id, offerSlot.id));
    const someone = await createPatient(t);
    await holdSlotRow(t.ctx, holdSlot.id, {
      personId: someone.person.id,
      accountId: someone.account.id,
      heldUntil: new Date(t.ctx.now().getTime() + 600_000),
    });
    await t.ctx.db.update(slots).set({ status: 'blocked' }).where(eq(slots.id, blockedBefore.id));

    const res = await close(registrar.client, home.doctor.id, {
      fromDate: day(today, 1),
      toDate: day(today, 3),
      reason: 'sick',
      comment: 'Больничный лист',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reason: 'sick',
      comment: 'Больничный лист',
      fromDate: day(today, 1),
      toDate: day(today, 3),
      openVisits: 2,
      cancelledAt: null,
    });
    expect(res.body.publicNotice).toMatch(/^Врач не принимает с \d\d\.\d\d до \d\d\.\d\d включительно$/);
    expect(
      res.body.visits.map((v) => [
        v.appointmentId,
        v.source,
        v.patient.name,
        v.patient.phone,
        v.portalAccount,
        v.state,
      ]),
    ).toEqual([
      [portalVisit.id, 'portal', 'Ершова Ольга Петровна', '+79120000001', true, 'open'],
      [registryVisit.id, 'registry', 'Шутов Илья Петровна', '+79120000002', false, 'open'],
    ]);
    expect(res.body.visits[0].patient.email).toBe(portal.account.email);
    for (const s of [free, offerSlot, holdSlot, blockedBefore]) expect(await slotStatus(s.id)).toBe('blocked');
    for (const s of [portalSlot, registrySlot]) expect(await slotStatus(s.id)).toBe('booked');
    const [o] = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offer.id));
    expect(o.status).toBe('withdrawn');
    const [e] = await t.ctx.db.select().from(waitlistEntries).where(eq(waitlistEntries.id, entry.id));
    expect([e.status, e.offersMade, e.createdAt.getTime()]).toEqual(['waiting', 0, entry.createdAt.getTime()]);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'absence.close'), eq(auditLog.entityId, String(res.body.id))));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorAccountId).toBe(registrar.id);
    expect(JSON.stringify(audit[0].details)).not.toMatch(/Ершова|Шутов|Больничный/);

    // The doctor's public notice: no diagnosis, no comment.
    const notices = await t.client().get<DoctorAbsenceNotices>(`/api/doctors/${home.doctor.id}/absences`);
    expect(notices.body.notices.map((n) => n.text)).toEqual([res.body.publicNotice]);
    expect(JSON.stringify(notices.body)).not.toMatch(/Больничный|болезнь/i);

    // Closing an overlapping range again is refused; nothing written.
    const before = await counts();
    const again = await close(registrar.client, home.doctor.id, {
      fromDate: day(today, 3),
      toDate: day(today, 5),
      reason: 'vacation',
    });
    expect([again.status, again.body.code]).toEqual([409, 'ABSENCE_OVERLAPS']);
    expect(await counts()).toEqual(before);

    // Another organisation's desk sees none of it.
    expect((await otherRegistrar.client.get<ErrorBody>(`/api/desk/absences/${res.body.id}`)).status).toBe(404);
    const list = await registrar.client.get<{ absences: { id: number }[] }>('/api/desk/absences');
    expect(list.body.absences.map((a) => a.id)).toContain(res.body.id);
    expect(
      (await otherRegistrar.client.get<{ absences: { id: number }[] }>('/api/desk/absences')).body.absences.map(
        (a) => a.id,
      ),
    ).not.toContain(res.body.id);

    // The desk cannot open one closed time of it: the absence is reopened as a whole.
    const openOne = await registrar.client.post<ErrorBody>(`/api/desk/slots/${free.id}/unblock`);
    expect([openOne.status, openOne.body.code]).toEqual([409, 'SLOT_IN_ABSENCE']);
    expect(await slotStatus(free.id)).toBe('blocked');

    // A slot published inside the closed time (templates, a clinic system) is blocked at once.
    const [late] = await createSlots(t.ctx, home.doctor.id, [zonedToInstant(day(today, 2), '15:00', TZ)], 30);
    expect(await slotStatus(late.id)).toBe('blocked');
  });
});

/** A clinic with one closed day holding a portal visit and a registry visit. */
async function closedDay() {
  const c = await clinic();
  const portal = await createPatient(t);
  const portalVisit = await createAppointmentRow(t.ctx, c.home.slots[0], portal.person.id, {
    source: 'portal',
    bookedByAccountId: portal.account.id,
  });
  const portal2 = await createPatient(t);
  const portalVisit2 = await createAppointmentRow(t.ctx, c.home.slots[1], portal2.person.id, {
    source: 'portal',
    bookedByAccountId: portal2.account.id,
  });
  const walkIn = await createRegisterPatient(t.ctx);
  const registryVisit = await createAppointmentRow(t.ctx, c.home.slots[2], walkIn.id, { source: 'infomat' });
  const res = await close(registrar.client, c.home.doctor.id, {
    fromDate: day(c.today, 1),
    toDate: day(c.today, 2),
    reason: 'sick',
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { ...c, portal, portalVisit, portal2, portalVisit2, walkIn, registryVisit, absence: res.body };
}

function decide(client: TestClient, absenceId: number, appointmentId: string, body: unknown) {
  return client.post<AbsenceDetail & ErrorBody>(`/api/desk/absences/${absenceId}/visits/${appointmentId}/decide`, body);
}

describe('deciding the visits', () => {
  it('cancels by the organisation’s decision: the time stays closed, the account is told with the way back to the waitlist', async () => {
    const d = await closedDay();
    // Someone waits for this doctor: the cancelled time must not be offered to them.
    const waiting = await createPatient(t);
    await t.ctx.db.insert(waitlistEntries).values({
      personId: waiting.person.id,
      accountId: waiting.account.id,
      organisationId: d.home.organisation.id,
      specialtyId: d.home.specialty.id,
      doctorId: d.home.doctor.id,
    });

    const res = await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'cancel' });
    expect(res.status).toBe(200);
    expect(res.body.visits.find((v) => v.appointmentId === d.portalVisit.id)).toMatchObject({
      state: 'cancelled',
      outcome: 'cancelled_by_clinic',
    });
    const [a] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, d.portalVisit.id));
    expect([a.status, a.cancelledBy, a.cancelledVia]).toEqual(['cancelled', 'clinic', 'registry']);
    expect(await slotStatus(d.home.slots[0].id)).toBe('blocked');
    expect(await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.slotId, d.home.slots[0].id))).toEqual(
      [],
    );
    expect(await notificationKinds(d.portal.account.id)).toEqual(['absence_visit_cancelled']);
    const [n] = await t.ctx.db.select().from(notifications).where(eq(notifications.accountId, d.portal.account.id));
    expect(n.title).toBe('Запись отменена по решению медицинской организации');
    expect(n.link).toBe(`/waitlist/join?doctor=${d.home.doctor.id}`);

    // The same decision again: the same answer, nothing new; another decision: refused.
    const before = await counts();
    expect((await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'cancel' })).status).toBe(200);
    const other = await decide(registrar.client, d.absence.id, d.portalVisit.id, {
      action: 'move',
      slotId: d.colleagueSlots[2].id,
    });
    expect([other.status, other.body.code]).toEqual([409, 'VISIT_ALREADY_DECIDED']);
    expect(await counts()).toEqual(before);
    expect(
      await t.ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'absence.visit_cancel'), eq(auditLog.entityId, d.portalVisit.id))),
    ).toHaveLength(1);
  });

  it('a visit cancelled elsewhere meanwhile (the patient online) shows as such, and deciding it changes nothing more', async () => {
    const d = await closedDay();
    expect((await d.portal.client.post(`/api/appointments/${d.portalVisit.id}/cancel`)).status).toBe(200);
    expect(await slotStatus(d.home.slots[0].id)).toBe('blocked');
    const detail = await registrar.client.get<AbsenceDetail>(`/api/desk/absences/${d.absence.id}`);
    expect(detail.body.visits.find((v) => v.appointmentId === d.portalVisit.id)).toMatchObject({
      state: 'cancelled',
      outcome: 'cancelled_elsewhere',
    });
    expect(detail.body.openVisits).toBe(2);
    const res = await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'cancel' });
    expect(res.status).toBe(200);
    expect(res.body.visits.find((v) => v.appointmentId === d.portalVisit.id)).toMatchObject({
      state: 'cancelled',
      outcome: 'cancelled_elsewhere',
    });
    expect(await notificationKinds(d.portal.account.id)).toEqual(['booking_cancelled']);
  });

  it('refuses a move to the absent doctor, another specialty, a taken time, another organisation, and a foreign desk — writing nothing', async () => {
    const d = await closedDay();
    const otherSpecialty = await createSpecialty(t.ctx);
    const stranger = await createDoctor(t.ctx, {
      organisationId: d.home.organisation.id,
      specialtyId: otherSpecialty.id,
    });
    const [strangerSlot] = await createSlots(t.ctx, stranger.id, [zonedToInstant(day(d.today, 3), '12:00', TZ)], 30);
    const someone = await createRegisterPatient(t.ctx);
    await createAppointmentRow(t.ctx, d.colleagueSlots[0], someone.id, { source: 'registry' });
    const before = await counts();
    const cases: [TestClient, string, unknown, number, string][] = [
      [registrar.client, d.portalVisit.id, { action: 'move', slotId: d.home.slots[4].id }, 409, 'MOVE_SAME_DOCTOR'],
      [registrar.client, d.portalVisit.id, { action: 'move', slotId: strangerSlot.id }, 409, 'MOVE_OTHER_SPECIALTY'],
      [registrar.client, d.portalVisit.id, { action: 'move', slotId: d.colleagueSlots[0].id }, 409, 'SLOT_TAKEN'],
      [registrar.client, d.portalVisit.id, { action: 'move', slotId: d.other.slots[0].id }, 404, 'SLOT_NOT_FOUND'],
      [registrar.client, d.portalVisit.id, { action: 'move' }, 400, 'VALIDATION_FAILED'],
      [registrar.client, d.portalVisit.id, { action: 'postpone' }, 400, 'VALIDATION_FAILED'],
      [registrar.client, '00000000-0000-4000-8000-000000000009', { action: 'cancel' }, 404, 'VISIT_NOT_AFFECTED'],
      [otherRegistrar.client, d.portalVisit.id, { action: 'cancel' }, 404, 'ABSENCE_NOT_FOUND'],
    ];
    for (const [client, id, body, status, code] of cases) {
      const res = await decide(client, d.absence.id, id, body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const { client: patient } = await createPatient(t);
    expect((await decide(patient, d.absence.id, d.portalVisit.id, { action: 'cancel' })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('offers a portal patient the move; confirming books the new visit and cancels the old one together', async () => {
    const d = await closedDay();
    const target = d.colleagueSlots[4]; // day 3, 11:00
    const res = await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'move', slotId: target.id });
    expect(res.status).toBe(200);
    const v = res.body.visits.find((x) => x.appointmentId === d.portalVisit.id);
    expect(v).toMatchObject({ state: 'offered', newVisit: { doctorName: 'Соколова Анна Иванович' } });
    // 24 hours, the cut-off before the new visit being later.
    expect(v?.offerDeadline).toBe(new Date(t.ctx.now().getTime() + 24 * 3_600_000).toISOString());
    expect(await slotStatus(target.id)).toBe('held');
    expect(await notificationKinds(d.portal.account.id)).toEqual(['absence_move_offered']);
    const [row] = await t.ctx.db.select().from(absenceVisits).where(eq(absenceVisits.appointmentId, d.portalVisit.id));
    const offerId = row.offerId as string;

    // Nobody else sees or answers it.
    for (const c of [d.portal2.client, registrar.client]) {
      expect((await c.get<ErrorBody>(`/api/moves/${offerId}`)).status).toBe(404);
      expect((await c.post<ErrorBody>(`/api/moves/${offerId}/confirm`)).status).toBe(404);
    }
    expect((await t.client().post<ErrorBody>(`/api/moves/${offerId}/confirm`)).status).toBe(401);

    // The card file lists it (own pending moves only).
    expect((await d.portal.client.get<{ moves: MoveOffer[] }>('/api/moves')).body.moves.map((m) => m.id)).toEqual([
      offerId,
    ]);
    expect((await d.portal2.client.get<{ moves: MoveOffer[] }>('/api/moves')).body.moves).toEqual([]);
    expect((await t.client().get<ErrorBody>('/api/moves')).status).toBe(401);

    const seen = await d.portal.client.get<MoveOffer>(`/api/moves/${offerId}`);
    expect(seen.body).toMatchObject({
      status: 'pending',
      offered: { startAt: target.startAt.toISOString() },
      old: { startAt: d.portalVisit.startAt.toISOString() },
    });

    const ok = await d.portal.client.post<AppointmentDetail>(`/api/moves/${offerId}/confirm`);
    expect(ok.status).toBe(201);
    expect(ok.body.startAt).toBe(target.startAt.toISOString());
    const [old] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, d.portalVisit.id));
    expect([old.status, old.cancelledBy]).toEqual(['cancelled', 'clinic']);
    const [fresh] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, ok.body.id));
    expect([fresh.status, fresh.source, fresh.bookedByAccountId, fresh.slotId]).toEqual([
      'booked',
      'portal',
      d.portal.account.id,
      target.id,
    ]);
    const [slot] = await t.ctx.db.select().from(slots).where(eq(slots.id, target.id));
    expect([slot.status, slot.holdOfferId]).toEqual(['booked', null]);
    expect(await slotStatus(d.home.slots[0].id)).toBe('blocked');
    expect(await notificationKinds(d.portal.account.id)).toEqual(['absence_move_offered', 'booking_made']);
    expect((await d.portal.client.get<MoveOffer>(`/api/moves/${offerId}`)).body).toMatchObject({
      status: 'confirmed',
      newAppointmentId: ok.body.id,
    });
    expect((await d.portal.client.get<{ moves: MoveOffer[] }>('/api/moves')).body.moves).toEqual([]);

    const before = await counts();
    const again = await d.portal.client.post<ErrorBody>(`/api/moves/${offerId}/confirm`);
    expect([again.status, again.body.code]).toEqual([409, 'MOVE_ANSWERED']);
    expect((await d.portal.client.post<ErrorBody>(`/api/moves/${offerId}/decline`)).body.code).toBe('MOVE_ANSWERED');
    expect(await counts()).toEqual(before);
  });

  it('declining cancels the old visit by the organisation’s decision and frees the offered time; expiry does the same', async () => {
    const d = await closedDay();
    await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'move', slotId: d.colleagueSlots[4].id });
    await decide(registrar.client, d.absence.id, d.portalVisit2.id, { action: 'move', slotId: d.colleagueSlots[5].id });
    const offerOf = async (appointmentId: string) =>
      (await t.ctx.db.select().from(absenceVisits).where(eq(absenceVisits.appointmentId, appointmentId)))[0]
        .offerId as string;

    const no = await d.portal.client.post<{ ok: true; doctorId: number }>(
      `/api/moves/${await offerOf(d.portalVisit.id)}/decline`,
    );
    expect(no.status).toBe(200);
    expect(no.body.doctorId).toBe(d.home.doctor.id);
    const [old] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, d.portalVisit.id));
    expect([old.status, old.cancelledBy]).toEqual(['cancelled', 'clinic']);
    expect(await slotStatus(d.colleagueSlots[4].id)).toBe('free');
    expect(await slotStatus(d.home.slots[0].id)).toBe('blocked');
    expect(await notificationKinds(d.portal.account.id)).toEqual(['absence_move_offered', 'absence_visit_cancelled']);

    // The second patient does not answer: after the deadline the worker cancels.
    expect(await expireDueMoves(t.ctx)).toBe(0);
    const start = t.clock.current;
    try {
      t.clock.advance(24 * 3_600_000 + 1_000);
      const late = await d.portal2.client.post<ErrorBody>(`/api/moves/${await offerOf(d.portalVisit2.id)}/confirm`);
      expect([late.status, late.body.code]).toEqual([409, 'MOVE_EXPIRED']);
      expect(await expireDueMoves(t.ctx)).toBe(1);
      expect(await expireDueMoves(t.ctx)).toBe(0);
    } finally {
      t.clock.set(start);
    }
    const [old2] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, d.portalVisit2.id));
    expect(old2.status).toBe('cancelled');
    expect(await slotStatus(d.colleagueSlots[5].id)).toBe('free');
    const detail = await registrar.client.get<AbsenceDetail>(`/api/desk/absences/${d.absence.id}`);
    expect(detail.body.visits.map((v) => [v.appointmentId, v.state, v.outcome])).toEqual([
      [d.portalVisit.id, 'cancelled', 'declined'],
      [d.portalVisit2.id, 'cancelled', 'expired'],
      [d.registryVisit.id, 'open', null],
    ]);
    const body = (
      await t.ctx.db
        .select()
        .from(notifications)
        .where(
          and(eq(notifications.accountId, d.portal2.account.id), eq(notifications.kind, 'absence_visit_cancelled')),
        )
    )[0].body;
    expect(body).toMatch(/Срок ответа .* истёк/);
  });

  it('a move offered to a colleague’s time is withdrawn when the colleague’s day is closed too: the visit is open again, the time blocked', async () => {
    const d = await closedDay();
    const target = d.colleagueSlots[4]; // day 3
    await decide(registrar.client, d.absence.id, d.portalVisit.id, { action: 'move', slotId: target.id });
    const offerId = (
      await t.ctx.db.select().from(absenceVisits).where(eq(absenceVisits.appointmentId, d.portalVisit.id))
    )[0].offerId as string;
    const res = await close(registrar.client, d.colleague.id, {
      fromDate: day(d.today, 3),
      toDate: day(d.today, 3),
      reason: 'other',
    });
    expect(res.status).toBe(201);
    expect(await slotStatus(target.id)).toBe('blocked');
    const detail = await registrar.client.get<AbsenceDetail>(`/api/desk/absences/${d.absence.id}`);
    expect(detail.body.visits.find((v) => v.appointmentId === d.portalVisit.id)).toMatchObject({
      state: 'open',
      newVisit: null,
      offerDeadline: null,
    });
    expect((await d.portal.client.get<MoveOffer>(`/api/moves/${offerId}`)).body.status).toBe('withdrawn');
    const late = await d.portal.client.post<ErrorBody>(`/api/moves/${offerId}/confirm`);
    expect([late.status, late.body.code]).toEqual([409, 'MOVE_ANSWERED']);
    const [old] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, d.portalVisit.id));
    expect(old.status).toBe('booked');
    expect(await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, target.id))).toEqual([]);
  });

  it('moves another channel’s patient directly, and the integration feed carries both changes', async () => {
    const d = await closedDay();
    const op = await createAccount(t.ctx, { role: 'operator' });
    const operator = await signIn(t, op.email, op.password);
    const key = await issueKey(operator, { organisationId: d.home.organisation.id, channel: 'mis' });
    const res = await decide(registrar.client, d.absence.id, d.registryVisit.id, {
      action: 'move',
      slotId: d.colleagueSlots[2].id,
    });
    expect(res.status).toBe(200);
    const v = res.body.visits.find((x) => x.appointmentId === d.registryVisit.id);
    expect(v).toMatchObject({
      state: 'moved',
      outcome: 'moved_by_clinic',
      newVisit: { startAt: d.colleagueSlots[2].startAt.toISOString() },
    });
    const [moved] = await t.ctx.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.slotId, d.colleagueSlots[2].id), eq(appointments.status, 'booked')));
    expect([moved.personId, moved.source]).toEqual([d.walkIn.id, 'registry']);

    const start = t.clock.current;
    try {
      t.clock.advance(10_000);
      // On PostgreSQL a change is readable once every older transaction has finished (another
      // file's too): ask again until both are there.
      const feed = await feedUntil<{ appointments: { id: string; status: string; cancelledBy: string | null }[] }>(
        t,
        '/api/integration/v1/appointments?limit=500',
        key.key,
        (b) => [d.registryVisit.id, moved.id].every((id) => b.appointments.some((a) => a.id === id)),
      );
      const byId = new Map(feed.body.appointments.map((a) => [a.id, a]));
      expect(byId.get(d.registryVisit.id)).toMatchObject({ status: 'cancelled', cancelledBy: 'clinic' });
      expect(byId.get(moved.id)).toMatchObject({ status: 'booked' });
    } finally {
      t.clock.set(start);
    }
  });

  it('decides all at once: moves each to the nearest free time of the chosen doctor, or cancels all', async () => {
    const d = await closedDay();
    const bad = await registrar.client.post<ErrorBody>(`/api/desk/absences/${d.absence.id}/decide-all`, {
      action: 'move',
      doctorIds: [d.home.doctor.id],
    });
    expect([bad.status, bad.body.code]).toEqual([409, 'MOVE_SAME_DOCTOR']);
    const empty = await registrar.client.post<ErrorBody>(`/api/desk/absences/${d.absence.id}/decide-all`, {
      action: 'move',
      doctorIds: [],
    });
    expect(empty.status).toBe(400);

    const res = await registrar.client.post<{ decided: number; left: number }>(
      `/api/desk/absences/${d.absence.id}/decide-all`,
      { action: 'move', doctorIds: [d.colleague.id] },
    );
    expect(res.body).toEqual({ decided: 3, left: 0 });
    const detail = await registrar.client.get<AbsenceDetail>(`/api/desk/absences/${d.absence.id}`);
    expect(detail.body.visits.map((v) => v.state)).toEqual(['offered', 'offered', 'moved']);
    // Nearest to 10:00, 10:30 on day 1 and 10:00 on day 2: the colleague's 11:00, 11:30 on day 1, 11:00 on day 2.
    expect(detail.body.visits.map((v) => v.newVisit?.startAt)).toEqual(
      [0, 1, 2].map((i) => d.colleagueSlots[i].startAt.toISOString()),
    );
    expect(detail.body.openVisits).toBe(2);

    const again = await registrar.client.post<{ decided: number; left: number }>(
      `/api/desk/absences/${d.absence.id}/decide-all`,
      { action: 'cancel' },
    );
    expect(again.body).toEqual({ decided: 0, left: 0 });
  });
});

describe('template expansion', () => {
  it('never makes a free time inside a closed day: the slots it creates there are blocked, the next day’s free', async () => {
    const { home, today } = await clinic();
    const doctor = await createDoctor(t.ctx, { organisationId: home.organisation.id, specialtyId: home.specialty.id });
    for (let weekday = 1; weekday <= 7; weekday++)
      await createTemplate(t.ctx, {
        doctorId: doctor.id,
        weekday,
        startTime: '09:00',
        endTime: '11:00',
        slotMinutes: 30,
      });
    const res = await close(registrar.client, doctor.id, {
      fromDate: day(today, 5),
      toDate: day(today, 5),
      reason: 'training',
    });
    expect(res.status).toBe(201);
    expect(await expandDoctorTemplates(t.ctx, doctor.id)).toBeGreaterThan(0);
    const statusOn = async (n: number) => {
      const rows = await t.ctx.db
        .select({ status: slots.status })
        .from(slots)
        .where(
          and(
            eq(slots.doctorId, doctor.id),
            sql`${slots.startAt} >= ${zonedToInstant(day(today, n), '00:00', TZ)}`,
            sql`${slots.startAt} < ${zonedToInstant(day(today, n + 1), '00:00', TZ)}`,
          ),
        );
      return rows.map((r) => r.status);
    };
    expect(await statusOn(5)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    expect(await statusOn(6)).toEqual(['free', 'free', 'free', 'free']);
  });
});

describe('the clinic administrator', () => {
  it('closes and reopens a day of its own organisation’s doctor; another organisation’s administrator is refused', async () => {
    const { home, other, today } = await clinic();
    const admin = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: home.organisation.id });
    const foreignAdmin = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: other.organisation.id });
    const before = await counts();
    const refused = await close(foreignAdmin.client, home.doctor.id, {
      fromDate: day(today, 1),
      toDate: day(today, 1),
      reason: 'training',
    });
    expect([refused.status, refused.body.code]).toEqual([404, 'DOCTOR_NOT_FOUND']);
    expect(await counts()).toEqual(before);
    const res = await close(admin.client, home.doctor.id, {
      fromDate: day(today, 1),
      toDate: day(today, 1),
      reason: 'training',
    });
    expect(res.status).toBe(201);
    expect(res.body.publicNotice).toMatch(/^Врач не принимает: учёба \d\d\.\d\d$/);
    expect((await foreignAdmin.client.post<ErrorBody>(`/api/desk/absences/${res.body.id}/cancel`)).status).toBe(404);
    expect((await admin.client.post(`/api/desk/absences/${res.body.id}/cancel`)).status).toBe(200);
    // The doctors and their schedules for the form and the move, for the administrator too; never another organisation's.
    const list = await admin.client.get<{ doctors: { id: number }[] }>('/api/desk/absences/doctors');
    expect(list.body.doctors.map((d) => d.id)).toContain(home.doctor.id);
    expect(list.body.doctors.map((d) => d.id)).not.toContain(other.doctor.id);
    expect((await admin.client.get(`/api/desk/absences/doctors/${home.doctor.id}/schedule`)).status).toBe(200);
    expect(
      (await admin.client.get<ErrorBody>(`/api/desk/absences/doctors/${other.doctor.id}/schedule`)).body.code,
    ).toBe('DOCTOR_NOT_FOUND');
    const { client: patient } = await createPatient(t);
    expect((await patient.get<ErrorBody>('/api/desk/absences/doctors')).status).toBe(403);
  });
});

describe('reopening', () => {
  it('frees the time the absence closed (not what was blocked before), offers it to the waitlist first, audit-logs; a repeat changes nothing', async () => {
    const { home, today } = await clinic();
    await t.ctx.db.update(slots).set({ status: 'blocked' }).where(eq(slots.id, home.slots[1].id));
    const res = await close(registrar.client, home.doctor.id, {
      fromDate: day(today, 1),
      toDate: day(today, 3),
      reason: 'vacation',
      comment: 'Ежегодный',
    });
    expect(res.body.publicNotice).toMatch(/^Врач не принимает: отпуск с /);
    const waiting = await createPatient(t);
    await t.ctx.db.insert(waitlistEntries).values({
      personId: waiting.person.id,
      accountId: waiting.account.id,
      organisationId: home.organisation.id,
      specialtyId: home.specialty.id,
      doctorId: home.doctor.id,
    });

    const foreign = await otherRegistrar.client.post<ErrorBody>(`/api/desk/absences/${res.body.id}/cancel`);
    expect(foreign.status).toBe(404);
    const open = await registrar.client.post<AbsenceDetail>(`/api/desk/absences/${res.body.id}/cancel`);
    expect(open.status).toBe(200);
    expect(open.body.cancelledAt).not.toBeNull();
    const statuses = await Promise.all(home.slots.map((s) => slotStatus(s.id)));
    expect(statuses).toEqual(['held', 'blocked', 'free', 'free', 'free', 'free']);
    expect(
      (await t.client().get<DoctorAbsenceNotices>(`/api/doctors/${home.doctor.id}/absences`)).body.notices,
    ).toEqual([]);
    expect(
      await t.ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'absence.reopen'), eq(auditLog.entityId, String(res.body.id)))),
    ).toHaveLength(1);
    const before = await counts();
    expect((await registrar.client.post(`/api/desk/absences/${res.body.id}/cancel`)).status).toBe(200);
    expect(await counts()).toEqual(before);
  });
});
