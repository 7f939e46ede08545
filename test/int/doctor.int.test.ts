// The doctor's office through HTTP: the list of this doctor's patients today and in the
// coming days, a follow-up booking (source doctor) into this doctor's or a colleague's
// schedule, the outcome of a visit — and the refusals: signed out, wrong role, another
// organisation, someone who is not this doctor's patient, bad input. Refusals write nothing.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ChannelVisit,
  DoctorPatientsResponse,
  StaffDoctorsResponse,
  StaffPatientResponse,
} from '../../src/shared/api/index.js';
import type { PersonHistoryResponse } from '../../src/shared/api/index.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import { appointments, slots } from '../../src/server/db/schema.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  type BookableSetup,
  type DoctorRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson, signIn } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, type StaffAccount } from '../factories/staff.js';

interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

let t: TestContext;
let home: BookableSetup;
let other: BookableSetup;
let colleague: DoctorRow;
let doctor: StaffAccount & { client: TestClient };
let tz: string;

beforeAll(async () => {
  t = await createTestContext();
  home = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  colleague = await createDoctor(t.ctx, {
    organisationId: home.organisation.id,
    specialtyId: home.specialty.id,
    lastName: 'Коллегова',
  });
  doctor = await createSignedInStaff(t, {
    role: 'doctor',
    organisationId: home.organisation.id,
    doctorId: home.doctor.id,
  });
  tz = home.organisation.timeZone;
});
afterAll(async () => t.close());

async function snapshot() {
  return {
    appointments: await t.ctx.db
      .select({ id: appointments.id, status: appointments.status })
      .from(appointments)
      .orderBy(appointments.id),
    slots: await t.ctx.db.select({ id: slots.id, status: slots.status }).from(slots).orderBy(slots.id),
  };
}

/** A free slot of a doctor `daysAhead` local days from now at a local time. */
async function slotAt(doctorId: number, daysAhead: number, time: string) {
  const date = addDays(localDateOf(t.ctx.now(), tz), daysAhead);
  return (await createSlots(t.ctx, doctorId, [zonedToInstant(date, time, tz)], 30))[0];
}

describe('access', () => {
  const endpoints: [method: 'GET' | 'POST', url: () => string, body?: () => unknown][] = [
    ['GET', () => '/api/doctor/patients'],
    ['GET', () => '/api/doctor/patients/00000000-0000-4000-8000-000000000002'],
    ['GET', () => '/api/doctor/doctors'],
    ['GET', () => `/api/doctor/doctors/${home.doctor.id}/schedule`],
    [
      'POST',
      () => '/api/doctor/appointments',
      () => ({ patientId: '00000000-0000-4000-8000-000000000002', slotId: home.slots[0].id }),
    ],
    [
      'POST',
      () => '/api/doctor/appointments/00000000-0000-4000-8000-000000000002/outcome',
      () => ({ status: 'visited' }),
    ],
  ];

  it('refuses a signed-out visitor (401), a patient and a registrar (403) on every endpoint; writes nothing', async () => {
    const anonymous = t.client();
    const { client: patient } = await createPatient(t);
    const registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: home.organisation.id });
    const before = await snapshot();
    for (const [method, url, body] of endpoints) {
      const payload = body?.() ?? (method === 'POST' ? {} : undefined);
      const anon = await anonymous.request<ErrorBody>(method, url(), payload);
      expect(anon.status, `${method} ${url()}`).toBe(401);
      expect(anon.body.code).toBe('NOT_AUTHENTICATED');
      for (const client of [patient, registrar.client]) {
        const res = await client.request<ErrorBody>(method, url(), payload);
        expect(res.status, `${method} ${url()}`).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the list of patients', () => {
  it('shows this doctor’s appointments of today and the coming days with names, not cancelled ones, not a colleague’s', async () => {
    const anna = await createRegisterPatient(t.ctx, {
      lastName: 'Сидорова',
      firstName: 'Анна',
      middleName: 'Ильинична',
      birthDate: '1970-05-06',
    });
    const boris = await createRegisterPatient(t.ctx, {
      lastName: 'Борисов',
      firstName: 'Борис',
      middleName: null,
      sex: 'M',
    });
    // Today 14:00 local (the clock is at 13:00 local), and the day after tomorrow.
    const today = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 0, '14:00'), anna.id, {
      source: 'registry',
    });
    const later = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 2, '12:00'), boris.id, {
      source: 'infomat',
    });
    const cancelled = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 2, '12:30'), anna.id, {
      source: 'registry',
      status: 'cancelled',
    });
    const colleagues = await createAppointmentRow(t.ctx, await slotAt(colleague.id, 1, '12:00'), boris.id, {
      source: 'registry',
    });

    const res = await doctor.client.get<DoctorPatientsResponse>('/api/doctor/patients');
    expect(res.status).toBe(200);
    const todayDate = localDateOf(t.ctx.now(), tz);
    expect(res.body.today).toBe(todayDate);
    expect(res.body.doctor.id).toBe(home.doctor.id);
    expect(res.body.days[0].date).toBe(todayDate);
    const all = res.body.days.flatMap((d) => d.appointments);
    const ids = all.map((a) => a.id);
    expect(ids).toContain(today.id);
    expect(ids).toContain(later.id);
    expect(ids).not.toContain(cancelled.id);
    expect(ids).not.toContain(colleagues.id);
    expect(res.body.days[0].appointments.find((a) => a.id === today.id)).toMatchObject({
      patientId: anna.id,
      patient: { name: 'Сидорова Анна Ильинична', birthDate: '1970-05-06', sex: 'F' },
      localStart: `${todayDate}T14:00`,
      status: 'booked',
      source: 'registry',
      outcomeAllowed: false,
    });
    expect(all.find((a) => a.id === later.id)?.patient.name).toBe('Борисов Борис');
  });

  it('lists the organisation’s doctors for a follow-up with a colleague', async () => {
    const res = await doctor.client.get<StaffDoctorsResponse>('/api/doctor/doctors');
    expect(res.status).toBe(200);
    expect(res.body.doctors.map((d) => d.id).sort()).toEqual([home.doctor.id, colleague.id].sort());
  });
});

describe('a follow-up booking', () => {
  it('books this doctor’s patient into this doctor’s and into a colleague’s schedule (source doctor)', async () => {
    const { person } = await createPatient(t);
    await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 0, '15:00'), person.id, {
      source: 'portal',
      bookedByAccountId: person.accountId,
    });

    const page = await doctor.client.get<StaffPatientResponse>(`/api/doctor/patients/${person.id}`);
    expect(page.status).toBe(200);
    expect(page.body.patient.patientId).toBe(person.id);

    const ownSlot = await slotAt(home.doctor.id, 5, '09:00');
    const res = await doctor.client.post<ChannelVisit>('/api/doctor/appointments', {
      patientId: person.id,
      slotId: ownSlot.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: 'doctor', status: 'booked', doctor: { id: home.doctor.id } });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(row).toMatchObject({ source: 'doctor', bookedByStaffAccountId: doctor.id, bookedByAccountId: null });

    // A colleague of another specialty would be the usual case; the same specialty's limit (1) is taken now.
    const otherSpecialty = await createDoctor(t.ctx, {
      organisationId: home.organisation.id,
      specialtyId: other.specialty.id,
      lastName: 'Смежный',
    });
    const colleagueSlot = await slotAt(otherSpecialty.id, 6, '09:00');
    const toColleague = await doctor.client.post<ChannelVisit>('/api/doctor/appointments', {
      patientId: person.id,
      slotId: colleagueSlot.id,
    });
    expect(toColleague.status).toBe(201);
    expect(toColleague.body).toMatchObject({ source: 'doctor', doctor: { id: otherSpecialty.id } });
  });

  it('refuses someone who is not this doctor’s patient, another organisation’s slot and bad input; writes nothing', async () => {
    const stranger = await createRegisterPatient(t.ctx);
    await createAppointmentRow(t.ctx, await slotAt(colleague.id, 0, '16:00'), stranger.id, { source: 'registry' });
    const patient = await createRegisterPatient(t.ctx);
    await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 0, '16:30'), patient.id, { source: 'registry' });
    const freeHere = await slotAt(home.doctor.id, 7, '09:00');
    const freeThere = await slotAt(other.doctor.id, 7, '09:00');
    const before = await snapshot();

    const notMine = await doctor.client.post<ErrorBody>('/api/doctor/appointments', {
      patientId: stranger.id,
      slotId: freeHere.id,
    });
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('PATIENT_NOT_FOUND');
    const notMinePage = await doctor.client.get<ErrorBody>(`/api/doctor/patients/${stranger.id}`);
    expect(notMinePage.status).toBe(404);
    const elsewhere = await doctor.client.post<ErrorBody>('/api/doctor/appointments', {
      patientId: patient.id,
      slotId: freeThere.id,
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('SLOT_NOT_FOUND');
    const schedule = await doctor.client.get<ErrorBody>(`/api/doctor/doctors/${other.doctor.id}/schedule`);
    expect(schedule.status).toBe(404);
    expect(schedule.body.code).toBe('DOCTOR_NOT_FOUND');
    const bad = await doctor.client.post<ErrorBody>('/api/doctor/appointments', { patientId: patient.id, slotId: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.slotId).toBe('Выберите время');

    expect(await snapshot()).toEqual(before);
  });
});

describe('the outcome of a visit', () => {
  it('records visited / no-show once the visit has started; refuses a future one, a colleague’s and bad input', async () => {
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    const past = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 0, '17:00'), person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });
    const future = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 3, '17:00'), person.id, {
      source: 'registry',
    });
    const colleagues = await createAppointmentRow(
      t.ctx,
      await slotAt(colleague.id, 0, '17:30'),
      (await createRegisterPatient(t.ctx)).id,
      { source: 'registry' },
    );

    const before = await snapshot();
    const early = await doctor.client.post<ErrorBody>(`/api/doctor/appointments/${future.id}/outcome`, {
      status: 'visited',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('VISIT_NOT_FINISHED');
    const notMine = await doctor.client.post<ErrorBody>(`/api/doctor/appointments/${colleagues.id}/outcome`, {
      status: 'no_show',
    });
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('APPOINTMENT_NOT_FOUND');
    const bad = await doctor.client.post<ErrorBody>(`/api/doctor/appointments/${past.id}/outcome`, {
      status: 'cancelled',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.status).toBe('Выберите, состоялся ли приём');
    expect(await snapshot()).toEqual(before);

    // 17:05 local: the visit has started.
    const saved = t.clock.current;
    t.clock.set(new Date(past.startAt.getTime() + 5 * 60_000));
    try {
      const list = await doctor.client.get<DoctorPatientsResponse>('/api/doctor/patients');
      expect(list.body.days.flatMap((d) => d.appointments).find((a) => a.id === past.id)?.outcomeAllowed).toBe(true);
      const res = await doctor.client.post<ChannelVisit>(`/api/doctor/appointments/${past.id}/outcome`, {
        status: 'no_show',
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('no_show');
      expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, past.id)))[0].status).toBe(
        'no_show',
      );
      const changed = await doctor.client.post<ChannelVisit>(`/api/doctor/appointments/${past.id}/outcome`, {
        status: 'visited',
      });
      expect(changed.body.status).toBe('visited');
      // The doctor marked it: the person's history says so (statusChangedVia).
      expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, past.id)))[0]).toMatchObject({
        status: 'visited',
        statusChangedVia: 'doctor',
      });
      const patient = await signIn(t, account.email, account.password);
      const history = await patient.get<PersonHistoryResponse>(`/api/persons/${person.id}/history`);
      expect(history.body.entries[0]).toMatchObject({ appointmentId: past.id, kind: 'visited', who: 'doctor' });
    } finally {
      t.clock.set(saved);
    }
  });

  it('a doctor account of another organisation sees nothing of this one', async () => {
    const theirs = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: other.organisation.id,
      doctorId: other.doctor.id,
    });
    const patient = await createRegisterPatient(t.ctx);
    const visit = await createAppointmentRow(t.ctx, await slotAt(home.doctor.id, 0, '18:00'), patient.id, {
      source: 'registry',
    });
    const list = await theirs.client.get<DoctorPatientsResponse>('/api/doctor/patients');
    expect(list.body.days.flatMap((d) => d.appointments).map((a) => a.id)).not.toContain(visit.id);
    const page = await theirs.client.get<ErrorBody>(`/api/doctor/patients/${patient.id}`);
    expect(page.status).toBe(404);
    const n = (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(appointments))[0].n;
    const outcome = await theirs.client.post<ErrorBody>(`/api/doctor/appointments/${visit.id}/outcome`, {
      status: 'visited',
    });
    expect(outcome.status).toBe(404);
    expect((await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(appointments))[0].n).toBe(n);
    expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0].status).toBe('booked');
  });
});
