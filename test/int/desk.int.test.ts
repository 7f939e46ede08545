// The registry desk through HTTP: finding patients, registering a new one, a patient's visits
// at the organisation, booking (source registry), cancelling with the reason, blocking and
// freeing slots — and the refusals: signed out, wrong role, another organisation, bad input.
// Every refusal also checks that nothing was written.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ChannelVisit,
  ScheduleResponse,
  StaffDoctorsResponse,
  StaffPatient,
  StaffPatientResponse,
} from '../../src/shared/api/index.js';
import { appointments, notifications, persons, slots, waitlistOffers } from '../../src/server/db/schema.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAppointmentRow, createBookableSetup, createSlots, type BookableSetup } from '../factories/catalogue.js';
import {
  createAccount,
  createPatient,
  createPerson,
  signIn,
  uniquePolicy,
  uniqueSnils,
} from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, type StaffAccount } from '../factories/staff.js';

interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

let t: TestContext;
let home: BookableSetup;
let other: BookableSetup;
let registrar: StaffAccount & { client: TestClient };
let otherRegistrar: StaffAccount & { client: TestClient };

beforeAll(async () => {
  t = await createTestContext();
  home = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: home.organisation.id });
  otherRegistrar = await createSignedInStaff(t, { role: 'registrar', organisationId: other.organisation.id });
});
afterAll(async () => t.close());

async function count(table: typeof appointments | typeof persons): Promise<number> {
  return (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
}

async function snapshot() {
  return {
    appointments: await count(appointments),
    persons: await count(persons),
    slots: await t.ctx.db.select({ id: slots.id, status: slots.status }).from(slots).orderBy(slots.id),
    appointmentStatuses: await t.ctx.db
      .select({ id: appointments.id, status: appointments.status })
      .from(appointments)
      .orderBy(appointments.id),
  };
}

/** A fresh free slot of the home doctor, `days` local days ahead at 15:00 (kept apart from the setup's slots). */
async function freshSlot(setup: BookableSetup, daysAhead: number, hour = 15) {
  const start = new Date(t.ctx.now().getTime() + daysAhead * 86_400_000);
  start.setUTCHours(hour - 4, 0, 0, 0);
  return (await createSlots(t.ctx, setup.doctor.id, [start], 30))[0];
}

describe('access', () => {
  const endpoints: [method: 'GET' | 'POST', url: () => string, body?: () => unknown][] = [
    ['POST', () => '/api/desk/patients/search', () => ({ by: 'policy', policy: '1234567890123456' })],
    ['POST', () => '/api/desk/patients', () => ({})],
    ['GET', () => '/api/desk/patients/00000000-0000-4000-8000-000000000002'],
    ['GET', () => '/api/desk/doctors'],
    ['GET', () => `/api/desk/doctors/${home.doctor.id}/schedule`],
    [
      'POST',
      () => '/api/desk/appointments',
      () => ({ patientId: '00000000-0000-4000-8000-000000000002', slotId: home.slots[0].id }),
    ],
    ['POST', () => '/api/desk/appointments/00000000-0000-4000-8000-000000000002/cancel', () => ({ by: 'patient' })],
    ['POST', () => `/api/desk/slots/${home.slots[0].id}/block`],
    ['POST', () => `/api/desk/slots/${home.slots[0].id}/unblock`],
  ];

  it('refuses a signed-out visitor with 401 on every endpoint, before looking at the input', async () => {
    const anonymous = t.client();
    const before = await snapshot();
    for (const [method, url, body] of endpoints) {
      const res = await anonymous.request<ErrorBody>(method, url(), body?.() ?? (method === 'POST' ? {} : undefined));
      expect(res.status, `${method} ${url()}`).toBe(401);
      expect(res.body.code).toBe('NOT_AUTHENTICATED');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a patient, a moderator and a doctor with 403 on every endpoint', async () => {
    const { client: patient } = await createPatient(t);
    const mod = await createAccount(t.ctx, { role: 'moderator' });
    const moderator = await signIn(t, mod.email, mod.password);
    const doctor = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: home.organisation.id,
      doctorId: home.doctor.id,
    });
    const before = await snapshot();
    for (const client of [patient, moderator, doctor.client]) {
      for (const [method, url, body] of endpoints) {
        const res = await client.request<ErrorBody>(method, url(), body?.() ?? (method === 'POST' ? {} : undefined));
        expect(res.status, `${method} ${url()}`).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('finding a patient', () => {
  it('finds a confirmed portal person by полис, by СНИЛС and by name with date of birth; never a pending one', async () => {
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, {
      isMain: true,
      lastName: 'Колесникова',
      firstName: 'Дарья',
      birthDate: '1991-02-03',
    });
    const pending = await createPerson(t.ctx, account.id, {
      status: 'pending',
      lastName: 'Колесникова',
      firstName: 'Дарья',
    });

    const byPolicy = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'policy',
      policy: person.policy,
    });
    expect(byPolicy.status).toBe(200);
    expect(byPolicy.body.patients).toEqual([
      {
        patientId: person.id,
        inRegister: false,
        lastName: 'Колесникова',
        firstName: 'Дарья',
        middleName: person.middleName,
        birthDate: '1991-02-03',
        sex: person.sex,
        snils: person.snils,
        policy: person.policy,
      },
    ]);

    const formattedSnils = `${person.snils.slice(0, 3)}-${person.snils.slice(3, 6)}-${person.snils.slice(6, 9)} ${person.snils.slice(9)}`;
    const bySnils = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'snils',
      snils: formattedSnils,
    });
    expect(bySnils.body.patients.map((p) => p.patientId)).toEqual([person.id]);

    const byName = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'name',
      lastName: 'колесникова',
      firstName: 'Дарья',
      birthDate: '1991-02-03',
    });
    expect(byName.body.patients.map((p) => p.patientId)).toEqual([person.id]);
    const pendingSearch = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'policy',
      policy: pending.policy,
    });
    expect(pendingSearch.body.patients).toEqual([]);
  });

  it('prefers the register row of the same real person: one result', async () => {
    const account = await createAccount(t.ctx);
    const portal = await createPerson(t.ctx, account.id, { isMain: true });
    const register = await createRegisterPatient(t.ctx, {
      lastName: portal.lastName,
      firstName: portal.firstName,
      snils: portal.snils,
      policy: portal.policy,
    });
    const res = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'policy',
      policy: portal.policy,
    });
    expect(res.body.patients.map((p) => [p.patientId, p.inRegister])).toEqual([[register.id, true]]);
  });

  it('answers bad input with 400 VALIDATION_FAILED and the field’s message', async () => {
    const cases: [unknown, string, string][] = [
      [{ by: 'policy', policy: '123' }, 'policy', 'Номер полиса ОМС состоит из 16 цифр'],
      [{ by: 'snils', snils: '12-34' }, 'snils', 'СНИЛС состоит из 11 цифр'],
      [{ by: 'name', lastName: '', firstName: 'Анна' }, 'lastName', 'Введите фамилию'],
      [{ by: 'name', lastName: 'Smith', firstName: 'Анна' }, 'lastName', 'Только русские буквы, дефис и пробел'],
      [
        { by: 'name', lastName: 'Иванова', firstName: 'Анна', birthDate: '1990-02-30' },
        'birthDate',
        'Проверьте дату рождения: такой даты нет',
      ],
    ];
    for (const [body, field, message] of cases) {
      const res = await registrar.client.post<ErrorBody>('/api/desk/patients/search', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields?.[field]).toBe(message);
    }
    const noKind = await registrar.client.post<ErrorBody>('/api/desk/patients/search', { policy: '1234567890123456' });
    expect(noKind.status).toBe(400);
    expect(noKind.body.code).toBe('VALIDATION_FAILED');
  });

  it('takes personal data only in the body: the search has no GET form', async () => {
    // GET …/patients/search is the patient page with a malformed opaque id, not a search.
    const res = await registrar.client.get<ErrorBody>('/api/desk/patients/search?policy=1234567890123456');
    expect(res.status).toBe(400);
    expect(res.body.fields?.patientId).toBe('Неверный идентификатор пациента');
  });
});

describe('registering a new patient', () => {
  const identity = () => ({
    lastName: 'Шишкина',
    firstName: 'Вера',
    middleName: 'Олеговна',
    birthDate: '1979-08-21',
    sex: 'F',
    snils: uniqueSnils(),
    policy: uniquePolicy(),
  });

  it('adds the patient to the clinic register, confirmed, and refuses the same СНИЛС or полис again', async () => {
    const data = identity();
    const res = await registrar.client.post<StaffPatient>('/api/desk/patients', data);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...data, inRegister: true });
    const [row] = await t.ctx.db.select().from(persons).where(eq(persons.id, res.body.patientId));
    expect(row).toMatchObject({
      accountId: REGISTER_ACCOUNT_ID,
      status: 'confirmed',
      snils: data.snils,
      policy: data.policy,
    });

    const before = await count(persons);
    const again = await registrar.client.post<ErrorBody>('/api/desk/patients', { ...identity(), snils: data.snils });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PATIENT_EXISTS');
    const samePolicy = await registrar.client.post<ErrorBody>('/api/desk/patients', {
      ...identity(),
      policy: data.policy,
    });
    expect(samePolicy.body.code).toBe('PATIENT_EXISTS');
    expect(await count(persons)).toBe(before);

    // The desk then finds the patient it registered.
    const found = await registrar.client.post<{ patients: StaffPatient[] }>('/api/desk/patients/search', {
      by: 'snils',
      snils: data.snils,
    });
    expect(found.body.patients.map((p) => p.patientId)).toEqual([res.body.patientId]);
  });

  it('refuses a wrong СНИЛС checksum, a short полис, a missing name and sex with field messages; writes nothing', async () => {
    const before = await count(persons);
    const good = identity();
    const bad = {
      ...good,
      snils: `${good.snils.slice(0, 9)}${good.snils.slice(9) === '00' ? '01' : '00'}`,
      policy: '12345',
      firstName: '',
      sex: undefined,
    };
    const res = await registrar.client.post<ErrorBody>('/api/desk/patients', bad);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields).toMatchObject({
      snils: 'Проверьте СНИЛС: контрольное число не совпадает',
      policy: 'Номер полиса ОМС состоит из 16 цифр',
      firstName: 'Введите имя',
      sex: 'Укажите пол',
    });
    expect(await count(persons)).toBe(before);
  });
});

describe('booking and the patient’s visits', () => {
  it('books a confirmed portal person at the desk (source registry), lists the visit and cancels it at the patient’s request', async () => {
    const { person } = await createPatient(t);
    const slot = home.slots[0];
    const res = await registrar.client.post<ChannelVisit>('/api/desk/appointments', {
      patientId: person.id,
      slotId: slot.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'booked',
      source: 'registry',
      cancellable: true,
      doctor: { id: home.doctor.id },
    });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(row).toMatchObject({
      source: 'registry',
      bookedByAccountId: null,
      bookedByStaffAccountId: registrar.id,
      slotId: slot.id,
    });
    // The visit points at the patient's register row (copied from the card file on first booking).
    const [registerRow] = await t.ctx.db.select().from(persons).where(eq(persons.id, row.personId));
    expect(registerRow).toMatchObject({ accountId: REGISTER_ACCOUNT_ID, snils: person.snils });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('booked');

    const page = await registrar.client.get<StaffPatientResponse>(`/api/desk/patients/${res.body.patientId}`);
    expect(page.status).toBe(200);
    expect(page.body.patient).toMatchObject({ patientId: res.body.patientId, snils: person.snils, inRegister: true });
    expect(page.body.visits.map((v) => v.id)).toContain(res.body.id);

    // The same time cannot be booked twice.
    const { person: someoneElse } = await createPatient(t);
    const taken = await registrar.client.post<ErrorBody>('/api/desk/appointments', {
      patientId: someoneElse.id,
      slotId: slot.id,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SLOT_TAKEN');

    const cancel = await registrar.client.post<ChannelVisit>(`/api/desk/appointments/${res.body.id}/cancel`, {
      by: 'patient',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', cancelledBy: 'patient', cancellable: false });
    const [cancelled] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
      cancelledVia: 'registry',
      cancelledByAccountId: registrar.id,
    });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('free');

    const again = await registrar.client.post<ErrorBody>(`/api/desk/appointments/${res.body.id}/cancel`, {
      by: 'patient',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_CANCELLED');
  });

  it('cancels by the organisation’s decision, also a visit booked on the portal', async () => {
    const { account, person, client } = await createPatient(t);
    const slot = await freshSlot(home, 2);
    const booked = await client.post<{ id: string }>('/api/appointments', { slotId: slot.id, personId: person.id });
    expect(booked.status).toBe(201);
    const page = await registrar.client.get<StaffPatientResponse>(`/api/desk/patients/${person.id}`);
    const visit = page.body.visits.find((v) => v.id === booked.body.id);
    expect(visit).toMatchObject({ source: 'portal', cancellable: true });
    const cancel = await registrar.client.post<ChannelVisit>(`/api/desk/appointments/${booked.body.id}/cancel`, {
      by: 'clinic',
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.cancelledBy).toBe('clinic');
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, booked.body.id));
    expect(row).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'clinic',
      cancelledVia: 'registry',
      bookedByAccountId: account.id,
    });
    // The account that booked it on the portal hears who cancelled it.
    const told = await t.ctx.db.select().from(notifications).where(eq(notifications.accountId, account.id));
    expect(told.some((n) => n.body.includes('Запись отменила медицинская организация.'))).toBe(true);
  });

  it('shows only this organisation’s visits of the patient', async () => {
    const patient = await createRegisterPatient(t.ctx);
    const here = await createAppointmentRow(t.ctx, await freshSlot(home, 3, 16), patient.id, { source: 'registry' });
    const there = await createAppointmentRow(t.ctx, await freshSlot(other, 3, 17), patient.id, { source: 'registry' });
    const res = await registrar.client.get<StaffPatientResponse>(`/api/desk/patients/${patient.id}`);
    expect(res.body.visits.map((v) => v.id)).toEqual([here.id]);
    const theirs = await otherRegistrar.client.get<StaffPatientResponse>(`/api/desk/patients/${patient.id}`);
    expect(theirs.body.visits.map((v) => v.id)).toEqual([there.id]);
  });

  it('refuses another organisation’s slot and appointment, and writes nothing', async () => {
    const patient = await createRegisterPatient(t.ctx);
    const theirSlot = await freshSlot(other, 4);
    const theirVisit = await createAppointmentRow(t.ctx, await freshSlot(other, 5), patient.id, { source: 'registry' });
    const before = await snapshot();

    const book = await registrar.client.post<ErrorBody>('/api/desk/appointments', {
      patientId: patient.id,
      slotId: theirSlot.id,
    });
    expect(book.status).toBe(404);
    expect(book.body.code).toBe('SLOT_NOT_FOUND');
    const cancel = await registrar.client.post<ErrorBody>(`/api/desk/appointments/${theirVisit.id}/cancel`, {
      by: 'clinic',
    });
    expect(cancel.status).toBe(404);
    expect(cancel.body.code).toBe('APPOINTMENT_NOT_FOUND');
    const block = await registrar.client.post<ErrorBody>(`/api/desk/slots/${theirSlot.id}/block`);
    expect(block.status).toBe(404);
    expect(block.body.code).toBe('SLOT_NOT_FOUND');
    const schedule = await registrar.client.get<ErrorBody>(`/api/desk/doctors/${other.doctor.id}/schedule`);
    expect(schedule.status).toBe(404);
    expect(schedule.body.code).toBe('DOCTOR_NOT_FOUND');

    expect(await snapshot()).toEqual(before);
  });

  it('answers bad booking and cancel input with 400 and writes nothing', async () => {
    const patient = await createRegisterPatient(t.ctx);
    const visit = await createAppointmentRow(t.ctx, await freshSlot(home, 6), patient.id, { source: 'registry' });
    const before = await snapshot();
    const noSlot = await registrar.client.post<ErrorBody>('/api/desk/appointments', { patientId: patient.id });
    expect(noSlot.status).toBe(400);
    expect(noSlot.body.fields?.slotId).toBe('Выберите время');
    const badPatient = await registrar.client.post<ErrorBody>('/api/desk/appointments', {
      patientId: 'nobody',
      slotId: home.slots[1].id,
    });
    expect(badPatient.status).toBe(400);
    expect(badPatient.body.fields?.patientId).toBe('Выберите пациента');
    const noReason = await registrar.client.post<ErrorBody>(`/api/desk/appointments/${visit.id}/cancel`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields?.by).toBe('Выберите причину отмены');
    const badReason = await registrar.client.post<ErrorBody>(`/api/desk/appointments/${visit.id}/cancel`, {
      by: 'doctor',
    });
    expect(badReason.body.fields?.by).toBe('Выберите причину отмены');
    const unknownPatient = await registrar.client.get<ErrorBody>(
      '/api/desk/patients/00000000-0000-4000-8000-0000000000aa',
    );
    expect(unknownPatient.status).toBe(404);
    expect(unknownPatient.body.code).toBe('PATIENT_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a patient whose data is still on moderation', async () => {
    const account = await createAccount(t.ctx);
    const pending = await createPerson(t.ctx, account.id, { isMain: true, status: 'pending' });
    const before = await snapshot();
    const res = await registrar.client.post<ErrorBody>('/api/desk/appointments', {
      patientId: pending.id,
      slotId: home.slots[1].id,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PATIENT_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });
});

describe('doctors and schedules', () => {
  it('lists only this organisation’s doctors, and a doctor’s schedule with free times', async () => {
    const res = await registrar.client.get<StaffDoctorsResponse>('/api/desk/doctors');
    expect(res.status).toBe(200);
    expect(res.body.organisation.id).toBe(home.organisation.id);
    expect(res.body.doctors.map((d) => d.id)).toEqual([home.doctor.id]);
    const schedule = await registrar.client.get<ScheduleResponse>(`/api/desk/doctors/${home.doctor.id}/schedule`);
    expect(schedule.status).toBe(200);
    const ids = schedule.body.days.flatMap((d) => d.slots.map((s) => s.id));
    expect(ids).toContain(home.slots[1].id);
  });
});

describe('blocking slots', () => {
  it('blocks a free time (nobody can book it, the schedule says so) and opens it again', async () => {
    const slot = await freshSlot(home, 7);
    const block = await registrar.client.post<{ slotId: number; status: string }>(`/api/desk/slots/${slot.id}/block`);
    expect(block.status).toBe(200);
    expect(block.body).toEqual({ slotId: slot.id, status: 'blocked' });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('blocked');
    const schedule = await registrar.client.get<ScheduleResponse>(`/api/desk/doctors/${home.doctor.id}/schedule`);
    expect(schedule.body.days.flatMap((d) => d.slots).find((s) => s.id === slot.id)?.state).toBe('blocked');

    const patient = await createRegisterPatient(t.ctx);
    const book = await registrar.client.post<ErrorBody>('/api/desk/appointments', {
      patientId: patient.id,
      slotId: slot.id,
    });
    expect(book.status).toBe(409);
    expect(book.body.code).toBe('SLOT_BLOCKED');

    const unblock = await registrar.client.post<{ slotId: number; status: string }>(
      `/api/desk/slots/${slot.id}/unblock`,
    );
    expect(unblock.body).toEqual({ slotId: slot.id, status: 'free' });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('free');
    const again = await registrar.client.post<ErrorBody>(`/api/desk/slots/${slot.id}/unblock`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SLOT_NOT_BLOCKED');
  });

  it('an opened time goes to the waitlist first: it comes back held for the waiting patient', async () => {
    // A doctor with every time closed: a patient joins the waitlist for this doctor.
    const setup = await createBookableSetup(t.ctx, { organisation: { waitlistAllowed: true } });
    const desk = await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id });
    for (const slot of setup.slots) {
      expect((await desk.client.post(`/api/desk/slots/${slot.id}/block`)).status).toBe(200);
    }
    const { person, client } = await createPatient(t);
    const joined = await client.post<{ id: string }>('/api/waitlist', {
      personId: person.id,
      doctorId: setup.doctor.id,
      kind: 'doctor',
    });
    expect(joined.status).toBe(201);

    const opened = await desk.client.post<{ slotId: number; status: string }>(
      `/api/desk/slots/${setup.slots[0].id}/unblock`,
    );
    expect(opened.body).toEqual({ slotId: setup.slots[0].id, status: 'held' });
    const offers = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.slotId, setup.slots[0].id));
    expect(offers.map((o) => [o.entryId, o.status])).toEqual([[joined.body.id, 'pending']]);
    // Held for an offer: the desk cannot close it now.
    const block = await desk.client.post<ErrorBody>(`/api/desk/slots/${setup.slots[0].id}/block`);
    expect(block.status).toBe(409);
    expect(block.body.code).toBe('SLOT_NOT_FREE');
  });

  it('refuses to block a booked time or a past one, and writes nothing', async () => {
    const patient = await createRegisterPatient(t.ctx);
    const bookedSlot = await freshSlot(home, 8);
    const visit = await createAppointmentRow(t.ctx, bookedSlot, patient.id, { source: 'registry' });
    const past = (await createSlots(t.ctx, home.doctor.id, [new Date(t.ctx.now().getTime() - 3_600_000)], 30))[0];
    const before = await snapshot();
    const booked = await registrar.client.post<ErrorBody>(`/api/desk/slots/${bookedSlot.id}/block`);
    expect(booked.status).toBe(409);
    expect(booked.body.code).toBe('SLOT_NOT_FREE');
    const inPast = await registrar.client.post<ErrorBody>(`/api/desk/slots/${past.id}/block`);
    expect(inPast.status).toBe(409);
    expect(inPast.body.code).toBe('SLOT_IN_PAST');
    const badId = await registrar.client.post<ErrorBody>('/api/desk/slots/abc/block');
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('VALIDATION_FAILED');
    expect(await snapshot()).toEqual(before);
    const [row] = await t.ctx.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.id, visit.id)));
    expect(row.status).toBe('booked');
  });
});
