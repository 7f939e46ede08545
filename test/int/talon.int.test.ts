// The printable талон and finding a visit by its reference (issue 19), through HTTP: the
// patient's талон (initials, not the name; the QR code of the reference), someone else's
// visit refused; the desk and the kiosk find a visit by the scanned reference, only at their
// own organisation, with a plain «не найдено» otherwise, CSRF and the rate limit.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AppointmentDetail,
  DeskReferenceResponse,
  KioskDevice,
  KioskReferenceResponse,
  TalonResponse,
} from '../../src/shared/api/index.js';
import { appointments } from '../../src/server/db/schema.js';
import { createAppointmentRow, createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createPatient, type PersonRow } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, createStaffAccount } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { expectError } from '../support/expect.js';
import { sessionClient } from './booking.helpers.js';

let t: TestContext;
let setup: BookableSetup;
let otherSetup: BookableSetup;
let patient: Awaited<ReturnType<typeof createPatient>>;
let visit: AppointmentDetail;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z', env: { BOOKING_RATE_PER_MINUTE: '25' } });
  setup = await createBookableSetup(t.ctx);
  otherSetup = await createBookableSetup(t.ctx);
  patient = await createPatient(t, {
    person: { lastName: 'Кузьмина', firstName: 'Ольга', middleName: 'Петровна' },
  });
  const res = await patient.client.post<AppointmentDetail>('/api/appointments', {
    slotId: setup.slots[2].id,
    personId: patient.person.id,
  });
  expect(res.status).toBe(201);
  visit = res.body;
});
afterAll(async () => t.close());

/** What a barcode scanner types for «PR-…» while the computer's layout is Russian. */
function inRussianLayout(text: string): string {
  const en = 'QWERTYUIOPASDFGHJKLZXCVBNM';
  const ru = 'ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ';
  return [...text].map((c) => (en.includes(c) ? ru[en.indexOf(c)] : c)).join('');
}

describe('GET /api/appointments/:id/talon', () => {
  it('carries the reference, initials, doctor, room, address, local time with its zone and the QR code', async () => {
    const res = await patient.client.get<TalonResponse>(`/api/appointments/${visit.id}/talon`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.body).toMatchObject({
      id: visit.id,
      reference: visit.reference,
      status: 'booked',
      patientInitials: 'К. О. П.',
      doctor: { name: visit.doctor.name, specialty: visit.doctor.specialty, room: visit.doctor.room },
      organisation: { name: setup.organisation.name, address: setup.organisation.address },
      localStart: visit.localStart,
      timeZone: 'Europe/Samara',
      zoneLabel: 'время местное: Самара, Ижевск (МСК+1)',
    });
    expect(res.body.qr.text).toBe(visit.reference.replace('ПР-', 'PR-'));
    expect(res.body.qr.size).toBeGreaterThanOrEqual(21);
    expect(res.body.qr.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    // Initials only: the name is not on the талон.
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('Кузьмина');
    expect(text).not.toContain('Ольга');
    expect(text).not.toContain(patient.person.snils);
  });

  it('is refused for someone else’s visit, anonymously and for a bad id', async () => {
    const stranger = await createPatient(t);
    expectError(await stranger.client.get(`/api/appointments/${visit.id}/talon`), 404, 'APPOINTMENT_NOT_FOUND');
    expectError(await t.client().get(`/api/appointments/${visit.id}/talon`), 401, 'NOT_AUTHENTICATED');
    expectError(await patient.client.get('/api/appointments/not-a-uuid/talon'), 400, 'VALIDATION_FAILED');
  });
});

describe('POST /api/desk/appointments/by-reference', () => {
  let desk: TestClient;
  beforeAll(async () => {
    desk = (await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id })).client;
  });

  it.each([
    ['the QR code as scanned', () => visit.reference.replace('ПР-', 'PR-')],
    ['the reference as printed', () => visit.reference],
    ['the code alone, lower case, with spaces', () => ` ${visit.reference.slice(3).toLowerCase()} `],
    ['a scanner typing in a Russian layout', () => inRussianLayout(visit.reference.replace('ПР-', 'PR-'))],
  ])('finds the visit from %s and names the patient’s page', async (_what, typed) => {
    const res = await desk.post<DeskReferenceResponse>('/api/desk/appointments/by-reference', { reference: typed() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ patientId: patient.person.id, appointmentId: visit.id });
    // The page it names shows the visit.
    const page = await desk.get<{ visits: { id: string }[] }>(`/api/desk/patients/${res.body.patientId}`);
    expect(page.status).toBe(200);
    expect(page.body.visits.map((v) => v.id)).toContain(visit.id);
  });

  it('answers the same «не найдено» for another organisation’s, an unknown and a malformed reference', async () => {
    const other = (await createSignedInStaff(t, { role: 'registrar', organisationId: otherSetup.organisation.id }))
      .client;
    const foreign = await other.post('/api/desk/appointments/by-reference', { reference: visit.reference });
    expectError(foreign, 404, 'APPOINTMENT_NOT_FOUND');
    const unknown = await desk.post('/api/desk/appointments/by-reference', { reference: 'PR-ZZZZZZZZ' });
    expectError(unknown, 404, 'APPOINTMENT_NOT_FOUND');
    const malformed = await desk.post('/api/desk/appointments/by-reference', { reference: 'ПР-12;drop' });
    expectError(malformed, 404, 'APPOINTMENT_NOT_FOUND');
    expect((foreign.body as { message: string }).message).toBe((unknown.body as { message: string }).message);
  });

  it('refuses bad input, other roles, and a call without the CSRF token', async () => {
    expectError(await desk.post('/api/desk/appointments/by-reference', { reference: '' }), 400, 'VALIDATION_FAILED');
    expectError(
      await desk.post('/api/desk/appointments/by-reference', { reference: 'PR-\u202E7K3M92QD' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await desk.post('/api/desk/appointments/by-reference', {}), 400, 'VALIDATION_FAILED');
    expectError(
      await patient.client.post('/api/desk/appointments/by-reference', { reference: visit.reference }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.client().post('/api/desk/appointments/by-reference', { reference: visit.reference }),
      401,
      'NOT_AUTHENTICATED',
    );
    const noCsrf = await desk.request(
      'POST',
      '/api/desk/appointments/by-reference',
      { reference: visit.reference },
      {
        'x-csrf-token': 'wrong',
      },
    );
    expectError(noCsrf, 403, 'CSRF_FAILED');
  });

  it('is rate-limited per clerk', async () => {
    const clerk = (await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id })).client;
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) {
      statuses.push((await clerk.post('/api/desk/appointments/by-reference', { reference: 'PR-ZZZZZZZZ' })).status);
    }
    expect(statuses.slice(0, 25).every((s) => s === 404)).toBe(true);
    expect(statuses[25]).toBe(429);
  });
});

describe('the kiosk finds the visit of a scanned талон', () => {
  let kiosk: TestClient;
  let registerPatient: PersonRow;
  let deskVisitRef: string;
  let deskVisitId: string;

  beforeAll(async () => {
    const registrar = await createStaffAccount(t.ctx, { role: 'registrar', organisationId: setup.organisation.id });
    kiosk = await sessionClient(t, registrar.id);
    const enrolled = await kiosk.post<KioskDevice>('/api/kiosk/devices', { label: 'Холл' });
    expect(enrolled.status).toBe(201);
    registerPatient = await createRegisterPatient(t.ctx);
    const row = await createAppointmentRow(t.ctx, setup.slots[4], registerPatient.id, { source: 'registry' });
    // A reference as the portal draws them (the factory's are not of the alphabet).
    deskVisitRef = 'ПР-K7M3Q9XD';
    await t.ctx.db.update(appointments).set({ reference: deskVisitRef }).where(eq(appointments.id, row.id));
    deskVisitId = row.id;
  });

  it('shows that visit alone, cancellable here when it was made outside the portal', async () => {
    const res = await kiosk.post<KioskReferenceResponse>('/api/kiosk/visits/by-reference', {
      reference: deskVisitRef.replace('ПР-', 'PR-'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.visit).toMatchObject({ id: deskVisitId, status: 'booked', cancellable: true, cancelNote: null });
  });

  it('a portal booking says where to cancel it and is not cancelled here', async () => {
    const res = await kiosk.post<KioskReferenceResponse>('/api/kiosk/visits/by-reference', {
      reference: visit.reference,
    });
    expect(res.status).toBe(200);
    expect(res.body.visit).toMatchObject({ id: visit.id, cancellable: false });
    expect(res.body.visit.cancelNote).toEqual(expect.any(String));
    const cancel = await kiosk.post<{ code: string }>('/api/kiosk/visits/by-reference/cancel', {
      reference: visit.reference,
    });
    expect(cancel.status).toBe(409);
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(row.status).toBe('booked');
  });

  it('cancels the scanned visit at the patient’s request', async () => {
    const res = await kiosk.post<KioskReferenceResponse>('/api/kiosk/visits/by-reference/cancel', {
      reference: deskVisitRef,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.visit).toMatchObject({ id: deskVisitId, status: 'cancelled', cancelledBy: 'patient' });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, deskVisitId));
    expect(row).toMatchObject({ status: 'cancelled', cancelledVia: 'infomat' });
  });

  it('is rate-limited per kiosk', async () => {
    const registrar = await createStaffAccount(t.ctx, { role: 'registrar', organisationId: setup.organisation.id });
    const device = await sessionClient(t, registrar.id);
    expect((await device.post('/api/kiosk/devices', { label: 'Холл, 2 этаж' })).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) {
      statuses.push((await device.post('/api/kiosk/visits/by-reference', { reference: 'PR-ZZZZZZZZ' })).status);
    }
    expect(statuses.slice(0, 25).every((s) => s === 404)).toBe(true);
    expect(statuses[25]).toBe(429);
  });

  it('another organisation’s kiosk, no kiosk, and a bad reference get nothing', async () => {
    const otherRegistrar = await createStaffAccount(t.ctx, {
      role: 'registrar',
      organisationId: otherSetup.organisation.id,
    });
    const other = await sessionClient(t, otherRegistrar.id);
    expect((await other.post('/api/kiosk/devices', { label: 'Холл' })).status).toBe(201);
    expectError(
      await other.post('/api/kiosk/visits/by-reference', { reference: visit.reference }),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    expectError(
      await other.post('/api/kiosk/visits/by-reference/cancel', { reference: visit.reference }),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    const anonymous = await t.client().post<{ code: string }>('/api/kiosk/visits/by-reference', {
      reference: visit.reference,
    });
    expect(anonymous.status).toBe(401);
    expectError(await kiosk.post('/api/kiosk/visits/by-reference', { reference: '' }), 400, 'VALIDATION_FAILED');
  });
});
