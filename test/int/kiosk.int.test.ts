// The infomat through HTTP (SPEC section 8): enrolment by a registrar or an operator, the
// device guard, identification by полис + date of birth (generic refusal, attempt limits),
// the patient token, booking (source infomat, this organisation only) and cancelling
// (visits made outside the portal, before the cut-off), revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  createSpecialty,
  type BookableSetup,
} from '../factories/catalogue.js';
import { createAccount, createPerson, type PersonRow } from '../factories/identity.js';
import { sessionClient } from './booking.helpers.js';
import { accounts, appointments, auditLog, kioskDevices, persons, sessions } from '../../src/server/db/schema.js';
import { KIOSK_COOKIE } from '../../src/server/modules/channels/kiosk/kiosk.devices.service.js';
import { PORTAL_CANCEL_NOTE } from '../../src/server/modules/channels/kiosk/kiosk.rules.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import { SESSION_COOKIE } from '../../src/server/modules/session/session.js';
import type {
  KioskDevice,
  KioskHome,
  KioskIdentifyResponse,
  KioskSpecialty,
  KioskVisit,
  KioskVisitsResponse,
  ScheduleResponse,
  DoctorSummary,
} from '../../src/shared/api/index.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let registrarId: string;
let otherRegistrarId: string;
let operatorId: string;
let patient: PersonRow;
let portalAccountId: string;

const BIRTH_DATE = '1979-03-08';
const GENERIC_NOT_FOUND =
  'Не нашли пациента с такими данными. Проверьте номер полиса и дату рождения или обратитесь в регистратуру.';

async function createStaff(role: 'registrar' | 'operator', organisationId: number | null): Promise<string> {
  const rows = await t.ctx.db
    .insert(accounts)
    .values({
      email: `${role}-${organisationId ?? 'region'}-${Math.random().toString(36).slice(2)}@example.test`,
      role,
      organisationId,
      emailConfirmedAt: t.ctx.now(),
    })
    .returning({ id: accounts.id });
  return rows[0].id;
}

/** A browser switched to kiosk mode by a registrar of the organisation. */
async function kioskClient(
  staffAccountId: string = registrarId,
  body: Record<string, unknown> = { label: 'Холл, 1 этаж' },
): Promise<{ client: TestClient; device: KioskDevice }> {
  const client = await sessionClient(t, staffAccountId);
  const res = await client.post<KioskDevice>('/api/kiosk/devices', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { client, device: res.body };
}

async function identify(client: TestClient, policy: string, birthDate: string) {
  return client.post<KioskIdentifyResponse & { code?: string; message?: string }>('/api/kiosk/identify', {
    policy,
    birthDate,
  });
}

async function asPatient(
  client: TestClient,
  policy = patient.policy,
  birthDate = BIRTH_DATE,
): Promise<Record<string, string>> {
  const res = await identify(client, policy, birthDate);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { 'x-kiosk-patient': res.body.patientToken };
}

async function appointmentCount(): Promise<number> {
  const rows = await t.ctx.db.select({ n: count() }).from(appointments);
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx, { organisation: { phone: '+7 (3412) 11-22-33' } });
  other = await createBookableSetup(t.ctx);
  registrarId = await createStaff('registrar', clinic.organisation.id);
  otherRegistrarId = await createStaff('registrar', other.organisation.id);
  operatorId = await createStaff('operator', null);
  const portal = await createAccount(t.ctx);
  portalAccountId = portal.id;
  patient = await createPerson(t.ctx, portal.id, {
    isMain: true,
    status: 'confirmed',
    birthDate: BIRTH_DATE,
    firstName: 'Ольга',
    middleName: 'Ивановна',
  });
});

afterAll(async () => {
  await t.close();
});

describe('switching a browser to kiosk mode', () => {
  it('a registrar enrols this browser for their organisation: HttpOnly SameSite=Strict cookie, only its HMAC stored, signed out', async () => {
    const client = await sessionClient(t, registrarId);
    const sessionToken = client.cookies.get(SESSION_COOKIE)!;
    const res = await client.post<KioskDevice>('/api/kiosk/devices', { label: '  Холл, 2 этаж  ' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      label: 'Холл, 2 этаж',
      organisation: { id: clinic.organisation.id },
      revokedAt: null,
    });

    const cookie = res.raw.cookies.find((c) => c.name === KIOSK_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/api/kiosk');
    expect(new Date(cookie.expires!).getTime()).toBeGreaterThan(t.ctx.now().getTime() + 300 * 86_400_000);
    const [row] = await t.ctx.db.select().from(kioskDevices).where(eq(kioskDevices.id, res.body.id));
    expect(row.tokenHash).not.toContain(cookie.value);
    expect(row.tokenHash).not.toBe(cookie.value);

    // The staff member is signed out of this browser.
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, registrarId))).toHaveLength(0);
    expect(sessionToken).toBeTruthy();
    const session = await client.get<{ account: unknown }>('/api/session');
    expect(session.body.account).toBeNull();

    const home = await client.get<KioskHome>('/api/kiosk/home');
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({
      device: { id: res.body.id, label: 'Холл, 2 этаж' },
      organisation: { id: clinic.organisation.id },
    });

    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'kiosk.enrol'), eq(auditLog.entityId, res.body.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorAccountId).toBe(registrarId);
  });

  it('switching a kiosk browser on again replaces its old device, which stops working', async () => {
    const { client, device: first } = await kioskClient();
    const oldCookie = client.cookies.get(KIOSK_COOKIE)!;
    const staff = await sessionClient(t, registrarId);
    client.cookies.set(SESSION_COOKIE, staff.cookies.get(SESSION_COOKIE)!);
    client.csrfToken = null; // the CSRF token is the session's: fetched again from /api/session
    const again = await client.post<KioskDevice>('/api/kiosk/devices', { label: 'Холл, 3 этаж' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.id);
    const [old] = await t.ctx.db.select().from(kioskDevices).where(eq(kioskDevices.id, first.id));
    expect(old.revokedAt).not.toBeNull();
    const stale = t.client();
    stale.cookies.set(KIOSK_COOKIE, oldCookie);
    expect((await stale.get('/api/kiosk/home')).status).toBe(401);
    expect((await client.get<KioskHome>('/api/kiosk/home')).body.device.id).toBe(again.body.id);
  });

  it('an operator names the organisation; a registrar cannot enrol for another; patients and anonymous callers cannot enrol', async () => {
    const operator = await sessionClient(t, operatorId);
    const missing = await operator.post<{ code: string }>('/api/kiosk/devices', { label: 'Инфомат' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('KIOSK_ORGANISATION_REQUIRED');
    const unknown = await operator.post<{ code: string }>('/api/kiosk/devices', {
      label: 'Инфомат',
      organisationId: 999_999,
    });
    expect(unknown.status).toBe(400);
    const ok = await operator.post<KioskDevice>('/api/kiosk/devices', {
      label: 'Инфомат',
      organisationId: other.organisation.id,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.organisation.id).toBe(other.organisation.id);

    const registrar = await sessionClient(t, registrarId);
    const foreign = await registrar.post<{ code: string }>('/api/kiosk/devices', {
      label: 'Инфомат',
      organisationId: other.organisation.id,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('STAFF_ORGANISATION_MISMATCH');
    const empty = await registrar.post<{ code: string; fields: Record<string, string> }>('/api/kiosk/devices', {
      label: '   ',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.label).toMatch(/Введите название/);

    const patientClient = await sessionClient(t, portalAccountId);
    expect((await patientClient.post('/api/kiosk/devices', { label: 'Инфомат' })).status).toBe(403);
    const anonymous = t.client();
    expect((await anonymous.post('/api/kiosk/devices', { label: 'Инфомат' })).status).toBe(401);
    // CSRF applies to enrolment as to every state-changing request.
    const noCsrf = await sessionClient(t, registrarId);
    const refused = await noCsrf.request(
      'POST',
      '/api/kiosk/devices',
      { label: 'Инфомат' },
      { 'x-csrf-token': 'wrong-token-wrong-token' },
    );
    expect(refused.status).toBe(403);
  });
});

describe('the device guard', () => {
  it('refuses every kiosk endpoint without a device cookie, before validating the request', async () => {
    const client = t.client();
    await client.ensureCsrf();
    for (const [method, url, body] of [
      ['GET', '/api/kiosk/home', undefined],
      ['GET', '/api/kiosk/visits', undefined],
      ['GET', `/api/kiosk/doctors?specialtyId=${clinic.specialty.id}`, undefined],
      ['GET', `/api/kiosk/doctors/${clinic.doctor.id}/schedule`, undefined],
      ['POST', '/api/kiosk/identify', { policy: 'not digits', birthDate: 'never' }],
      ['POST', '/api/kiosk/appointments', { slotId: clinic.slots[0].id }],
    ] as const) {
      const res = await client.request<{ code: string }>(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(res.body.code).toBe('KIOSK_NOT_ENROLLED');
    }
    const forged = t.client();
    forged.cookies.set(KIOSK_COOKIE, 'a'.repeat(43));
    expect((await forged.get('/api/kiosk/home')).status).toBe(401);
    expect(await appointmentCount()).toBe(0);
  });

  it('a revoked kiosk is refused at once and its cookie cleared; only its organisation’s staff can revoke it', async () => {
    const { client, device } = await kioskClient();
    expect((await client.get('/api/kiosk/home')).status).toBe(200);

    const stranger = await sessionClient(t, otherRegistrarId);
    const notTheirs = await stranger.post<{ code: string }>(`/api/kiosk/devices/${device.id}/revoke`);
    expect(notTheirs.status).toBe(404);
    expect(notTheirs.body.code).toBe('KIOSK_DEVICE_NOT_FOUND');
    const strangerList = await stranger.get<{ devices: KioskDevice[] }>('/api/kiosk/devices');
    expect(strangerList.body.devices.map((d) => d.id)).not.toContain(device.id);

    const registrar = await sessionClient(t, registrarId);
    const list = await registrar.get<{ devices: KioskDevice[] }>('/api/kiosk/devices');
    expect(list.status).toBe(200);
    expect(list.body.devices.every((d) => d.organisation.id === clinic.organisation.id)).toBe(true);
    expect(list.body.devices.find((d) => d.id === device.id)).toMatchObject({
      revokedAt: null,
      lastSeenAt: expect.any(String),
    });

    const revoked = await registrar.post<KioskDevice>(`/api/kiosk/devices/${device.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBe(t.ctx.now().toISOString());

    const refused = await client.get<{ code: string }>('/api/kiosk/home');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('KIOSK_NOT_ENROLLED');
    expect(refused.raw.cookies.find((c) => c.name === KIOSK_COOKIE)?.value).toBe('');
    expect(client.cookies.has(KIOSK_COOKIE)).toBe(false);

    const operatorList = await (await sessionClient(t, operatorId)).get<{ devices: KioskDevice[] }>(
      `/api/kiosk/devices?organisationId=${clinic.organisation.id}`,
    );
    expect(operatorList.body.devices.find((d) => d.id === device.id)?.revokedAt).not.toBeNull();
  });
});

describe('identification', () => {
  it('a wrong полис or a wrong date of birth gets the same generic 404, and nothing is written', async () => {
    const { client } = await kioskClient();
    const before = await appointmentCount();
    const unknownPolicy = await identify(client, '1800000000000001', BIRTH_DATE);
    const wrongDate = await identify(client, patient.policy, '1979-03-09');
    for (const res of [unknownPolicy, wrongDate]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'KIOSK_PATIENT_NOT_FOUND', message: GENERIC_NOT_FOUND });
    }
    expect(await appointmentCount()).toBe(before);
    const registerRows = await t.ctx.db
      .select({ n: count() })
      .from(accounts)
      .where(eq(accounts.id, REGISTER_ACCOUNT_ID));
    expect(Number(registerRows[0].n)).toBe(1);
  });

  it('bad input is a 400 naming the field', async () => {
    const { client } = await kioskClient();
    const short = await client.post<{ code: string; fields: Record<string, string> }>('/api/kiosk/identify', {
      policy: '123456789012345',
      birthDate: BIRTH_DATE,
    });
    expect(short.status).toBe(400);
    expect(short.body.fields.policy).toBe('Номер полиса ОМС состоит из 16 цифр');
    const noSuchDay = await client.post<{ code: string; fields: Record<string, string> }>('/api/kiosk/identify', {
      policy: patient.policy,
      birthDate: '1979-02-30',
    });
    expect(noSuchDay.status).toBe(400);
    expect(noSuchDay.body.fields.birthDate).toBeTruthy();
    const future = await client.post<{ code: string }>('/api/kiosk/identify', {
      policy: patient.policy,
      birthDate: '2030-01-01',
    });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('BIRTH_DATE_IN_FUTURE');
    const noCsrf = await client.request(
      'POST',
      '/api/kiosk/identify',
      { policy: patient.policy, birthDate: BIRTH_DATE },
      { 'x-csrf-token': 'x'.repeat(30) },
    );
    expect(noCsrf.status).toBe(403);
  });

  it('the patient token: greeting without surname, only on this device, only for a few minutes', async () => {
    const { client } = await kioskClient();
    const res = await identify(client, patient.policy, BIRTH_DATE);
    expect(res.status).toBe(200);
    expect(res.body.patient).toEqual({ greeting: 'Ольга Ивановна' });
    expect(res.body.patientToken).not.toContain(patient.id);
    expect(JSON.stringify(res.body)).not.toContain(patient.lastName);
    const header = { 'x-kiosk-patient': res.body.patientToken };

    const visits = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, header);
    expect(visits.status).toBe(200);
    expect(visits.body.patient.greeting).toBe('Ольга Ивановна');
    expect(visits.headers['cache-control']).toBe('no-store');

    const without = await client.get<{ code: string }>('/api/kiosk/visits');
    expect(without.status).toBe(401);
    expect(without.body.code).toBe('KIOSK_PATIENT_EXPIRED');
    const tampered = await client.request('GET', '/api/kiosk/visits', undefined, {
      'x-kiosk-patient': `${res.body.patientToken.slice(0, -2)}AA`,
    });
    expect(tampered.status).toBe(401);

    const { client: anotherKiosk } = await kioskClient();
    const elsewhere = await anotherKiosk.request<{ code: string }>('GET', '/api/kiosk/visits', undefined, header);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.code).toBe('KIOSK_PATIENT_EXPIRED');

    t.clock.advance(10 * 60_000 + 1);
    try {
      const late = await client.request<{ code: string }>('GET', '/api/kiosk/visits', undefined, header);
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('KIOSK_PATIENT_EXPIRED');
    } finally {
      t.clock.advance(-(10 * 60_000 + 1));
    }
  });

  it('limits attempts per полис (failures, whether or not it exists) and per device', async () => {
    const guessed = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true, birthDate: BIRTH_DATE });
    const { client } = await kioskClient();
    for (let i = 1; i <= 5; i++)
      expect((await identify(client, guessed.policy, `1979-03-${String(10 + i)}`)).status).toBe(404);
    // The right date no longer helps for a while; the same happens to an unknown полис.
    const locked = await identify(client, guessed.policy, BIRTH_DATE);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('KIOSK_TOO_MANY_ATTEMPTS');
    const { client: elsewhere } = await kioskClient();
    expect((await identify(elsewhere, guessed.policy, BIRTH_DATE)).status).toBe(429);
    expect((await identify(elsewhere, patient.policy, BIRTH_DATE)).status).toBe(200);
    for (let i = 1; i <= 5; i++) expect((await identify(elsewhere, '1800000000000002', BIRTH_DATE)).status).toBe(404);
    expect((await identify(elsewhere, '1800000000000002', BIRTH_DATE)).status).toBe(429);

    // Per device: ten attempts a minute, whatever they are.
    const { client: busy } = await kioskClient();
    for (let i = 0; i < 10; i++)
      expect((await identify(busy, `18000000000001${String(i).padStart(2, '0')}`, BIRTH_DATE)).status).toBe(404);
    expect((await identify(busy, '1800000000000200', BIRTH_DATE)).status).toBe(429);

    t.clock.advance(16 * 60_000);
    try {
      expect((await identify(busy, guessed.policy, BIRTH_DATE)).status).toBe(200);
    } finally {
      t.clock.advance(-16 * 60_000);
    }
  });
});

describe('booking at the kiosk', () => {
  it('shows only this organisation’s doctors and schedules, and refuses another organisation’s slot without writing anything', async () => {
    const { client } = await kioskClient();
    const header = await asPatient(client);

    const specialties = await client.request<{ specialties: KioskSpecialty[] }>(
      'GET',
      '/api/kiosk/specialties',
      undefined,
      header,
    );
    expect(specialties.status).toBe(200);
    expect(specialties.body.specialties.map((s) => s.id)).toEqual([clinic.specialty.id]);
    expect(specialties.body.specialties[0]).toMatchObject({ doctorCount: 1, hasFreeTime: true, refusal: null });

    const doctors = await client.get<{ doctors: DoctorSummary[] }>(
      `/api/kiosk/doctors?specialtyId=${other.specialty.id}`,
    );
    expect(doctors.body.doctors).toEqual([]);
    const own = await client.get<{ doctors: DoctorSummary[] }>(`/api/kiosk/doctors?specialtyId=${clinic.specialty.id}`);
    expect(own.body.doctors.map((d) => d.id)).toEqual([clinic.doctor.id]);
    expect((await client.get('/api/kiosk/doctors')).status).toBe(400);

    const schedule = await client.get<ScheduleResponse>(`/api/kiosk/doctors/${clinic.doctor.id}/schedule`);
    expect(schedule.status).toBe(200);
    expect(schedule.body.days.flatMap((d) => d.slots).filter((s) => s.state === 'free')).toHaveLength(6);
    const foreignSchedule = await client.get<{ code: string }>(`/api/kiosk/doctors/${other.doctor.id}/schedule`);
    expect(foreignSchedule.status).toBe(404);
    expect(foreignSchedule.body.code).toBe('DOCTOR_NOT_FOUND');

    const before = await appointmentCount();
    const foreign = await client.request<{ code: string }>(
      'POST',
      '/api/kiosk/appointments',
      { slotId: other.slots[0].id },
      header,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('SLOT_NOT_FOUND');
    const bad = await client.request<{ code: string }>('POST', '/api/kiosk/appointments', { slotId: 'first' }, header);
    expect(bad.status).toBe(400);
    const anonymous = await client.post<{ code: string }>('/api/kiosk/appointments', { slotId: clinic.slots[0].id });
    expect(anonymous.status).toBe(401);
    expect(await appointmentCount()).toBe(before);
  });

  it('books with source infomat, lists the visit, then cancels it before the cut-off', async () => {
    const { client } = await kioskClient();
    const header = await asPatient(client);
    const slot = clinic.slots[2];
    const res = await client.request<KioskVisit>('POST', '/api/kiosk/appointments', { slotId: slot.id }, header);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      source: 'infomat',
      status: 'booked',
      doctor: { id: clinic.doctor.id, room: clinic.doctor.room },
      organisation: { id: clinic.organisation.id },
      cancellable: true,
      cancelNote: null,
    });
    expect(res.body.reference).toMatch(/^ПР-/);
    expect(res.body).not.toHaveProperty('patientId');
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(row).toMatchObject({
      source: 'infomat',
      bookedByAccountId: null,
      bookedByStaffAccountId: null,
      slotId: slot.id,
    });

    const specialties = await client.request<{ specialties: KioskSpecialty[] }>(
      'GET',
      '/api/kiosk/specialties',
      undefined,
      header,
    );
    expect(specialties.body.specialties[0].refusal).toMatch(/уже есть запись/);

    const again = await client.request<{ code: string }>(
      'POST',
      '/api/kiosk/appointments',
      { slotId: clinic.slots[3].id },
      header,
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SPECIALTY_LIMIT_REACHED');

    const visits = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, header);
    expect(visits.body.visits.map((v) => v.id)).toEqual([res.body.id]);

    const cancelled = await client.request<KioskVisit>(
      'POST',
      `/api/kiosk/appointments/${res.body.id}/cancel`,
      {},
      header,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const [after] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(after).toMatchObject({ status: 'cancelled', cancelledBy: 'patient', cancelledVia: 'infomat' });
    const emptied = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, header);
    expect(emptied.body.visits).toEqual([]);
  });

  it('cancels only the patient’s own visits made outside the portal, and only before the cut-off', async () => {
    const { client } = await kioskClient();
    const header = await asPatient(client);
    const register = await t.ctx.db.select().from(persons).where(eq(persons.policy, patient.policy));
    const registerRow = register.find((p) => p.accountId === REGISTER_ACCOUNT_ID);
    const registerPerson =
      registerRow ??
      (await createPerson(t.ctx, REGISTER_ACCOUNT_ID, {
        lastName: patient.lastName,
        firstName: patient.firstName,
        middleName: patient.middleName,
        birthDate: patient.birthDate,
        sex: 'F',
        snils: patient.snils,
        policy: patient.policy,
        status: 'confirmed',
      }));

    // Tomorrow 10:00 (registry) and the day after 10:30 (portal, made from the patient's account).
    const registry = await createAppointmentRow(t.ctx, clinic.slots[0], registerPerson.id, { source: 'registry' });
    const portal = await createAppointmentRow(t.ctx, clinic.slots[3], patient.id, {
      source: 'portal',
      bookedByAccountId: portalAccountId,
    });
    const someoneElse = await createPerson(t.ctx, (await createAccount(t.ctx)).id, { isMain: true });
    const theirs = await createAppointmentRow(t.ctx, clinic.slots[4], someoneElse.id, { source: 'registry' });

    const visits = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, header);
    const byId = new Map(visits.body.visits.map((v) => [v.id, v]));
    expect([...byId.keys()].sort()).toEqual([registry.id, portal.id].sort());
    expect(byId.get(portal.id)).toMatchObject({ cancellable: false, cancelNote: PORTAL_CANCEL_NOTE });
    expect(byId.get(registry.id)).toMatchObject({ cancellable: true, cancelNote: null });

    const refusedPortal = await client.request<{ code: string }>(
      'POST',
      `/api/kiosk/appointments/${portal.id}/cancel`,
      {},
      header,
    );
    expect(refusedPortal.status).toBe(409);
    expect(refusedPortal.body.code).toBe('NOT_CANCELLABLE_AT_KIOSK');
    const refusedTheirs = await client.request<{ code: string }>(
      'POST',
      `/api/kiosk/appointments/${theirs.id}/cancel`,
      {},
      header,
    );
    expect(refusedTheirs.status).toBe(404);

    // 19:00 local today: the cut-off (18:00 the day before) for tomorrow's visit has passed.
    t.clock.set('2026-11-25T15:00:00Z');
    try {
      const late = await asPatient(client);
      const lateVisits = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, late);
      const registryLate = lateVisits.body.visits.find((v) => v.id === registry.id)!;
      expect(registryLate.cancellable).toBe(false);
      expect(registryLate.cancelNote).toContain('Позвоните в регистратуру: +7 (3412) 11-22-33');
      const refusedLate = await client.request<{ code: string }>(
        'POST',
        `/api/kiosk/appointments/${registry.id}/cancel`,
        {},
        late,
      );
      expect(refusedLate.status).toBe(409);
      expect(refusedLate.body.code).toBe('CUTOFF_PASSED');
      expect(lateVisits.body.visits.find((v) => v.id === portal.id)).toMatchObject({ cancelNote: PORTAL_CANCEL_NOTE });

      // 19:00 local tomorrow: the portal visit's cancel time has passed too; the personal account can no longer cancel it.
      t.clock.set('2026-11-26T15:00:00Z');
      const later = await asPatient(client);
      const laterVisits = await client.request<KioskVisitsResponse>('GET', '/api/kiosk/visits', undefined, later);
      const portalLate = laterVisits.body.visits.find((v) => v.id === portal.id)!;
      expect(portalLate.cancellable).toBe(false);
      expect(portalLate.cancelNote).toBe(
        'Отменить эту запись через портал уже нельзя: регистратура подготовила списки пациентов на этот день. Позвоните в регистратуру: +7 (3412) 11-22-33.',
      );
    } finally {
      t.clock.set('2026-11-25T09:00:00Z');
    }
    const rows = await t.ctx.db.select({ id: appointments.id, status: appointments.status }).from(appointments);
    const status = new Map(rows.map((r) => [r.id, r.status]));
    expect([status.get(registry.id), status.get(portal.id), status.get(theirs.id)]).toEqual([
      'booked',
      'booked',
      'booked',
    ]);
  });

  it('a time someone else took is refused with the doctor’s nearest free times, and one of them books', async () => {
    const specialty = await createSpecialty(t.ctx);
    const doctor = await createDoctor(t.ctx, { organisationId: clinic.organisation.id, specialtyId: specialty.id });
    const times = clinic.slots.map((s) => s.startAt);
    const [taken, ...free] = await createSlots(t.ctx, doctor.id, times, 30);
    const account = await createAccount(t.ctx);
    const someone = await createPerson(t.ctx, account.id, { isMain: true });
    await createAppointmentRow(t.ctx, taken, someone.id, { source: 'registry' });
    const person = await createPerson(t.ctx, (await createAccount(t.ctx)).id, {
      isMain: true,
      birthDate: '1985-05-05',
      firstName: 'Вера',
      middleName: null,
    });
    const { client } = await kioskClient();
    const header = await asPatient(client, person.policy, '1985-05-05');
    const before = await appointmentCount();

    const refused = await client.request<{
      code: string;
      message: string;
      details: { freeSlots: { id: number; startAt: string }[] };
    }>('POST', '/api/kiosk/appointments', { slotId: taken.id }, header);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'SLOT_TAKEN',
      message: 'Это время только что заняли. Выберите другое время.',
    });
    expect(refused.body.details.freeSlots).toEqual(free.map((s) => ({ id: s.id, startAt: s.startAt.toISOString() })));
    expect(await appointmentCount()).toBe(before);

    const booked = await client.request<KioskVisit>(
      'POST',
      '/api/kiosk/appointments',
      { slotId: refused.body.details.freeSlots[0].id },
      header,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body).toMatchObject({ source: 'infomat', doctor: { id: doctor.id } });
  });

  it('counts the patient’s portal bookings too: no overlapping time, no second visit to the same specialty', async () => {
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, {
      isMain: true,
      birthDate: '1990-10-10',
      firstName: 'Дарья',
      middleName: null,
    });
    const portal = await createAppointmentRow(t.ctx, clinic.slots[5], person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });
    const specialty = await createSpecialty(t.ctx);
    const colleague = await createDoctor(t.ctx, { organisationId: clinic.organisation.id, specialtyId: specialty.id });
    const [sameTime] = await createSlots(t.ctx, colleague.id, [clinic.slots[5].startAt], 30);
    const { client } = await kioskClient();
    const header = await asPatient(client, person.policy, '1990-10-10');
    const before = await appointmentCount();

    const overlapping = await client.request<{ code: string }>(
      'POST',
      '/api/kiosk/appointments',
      { slotId: sameTime.id },
      header,
    );
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.code).toBe('OVERLAPPING_APPOINTMENT');
    const sameSpecialty = await client.request<{ code: string }>(
      'POST',
      '/api/kiosk/appointments',
      { slotId: clinic.slots[1].id },
      header,
    );
    expect(sameSpecialty.status).toBe(409);
    expect(sameSpecialty.body.code).toBe('SPECIALTY_LIMIT_REACHED');
    expect(await appointmentCount()).toBe(before);
    expect(portal.status).toBe('booked');
  });
});
