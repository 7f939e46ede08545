// The catalogue over HTTP: organisations, specialties (restrictions, per-person refusals),
// doctors with their free time inside the booking horizon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DoctorSummary, Organisation, Specialty } from '../../src/shared/api/index.js';
import { regionSettings } from '../../src/server/db/schema.js';
import { addDays, zonedToInstant } from '../../src/shared/time.js';
import {
  blockSlotRows,
  createAppointmentRow,
  createDoctor,
  createOrganisation,
  createSlots,
  createSpecialty,
  holdSlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  // 13:00 local in Samara (UTC+4), Wednesday 25 November 2026.
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
});
afterAll(async () => t.close());

const TZ = 'Europe/Samara';
const at = (date: string, time: string) => zonedToInstant(date, time, TZ);

describe('GET /api/organisations', () => {
  it('lists organisations for anyone, without operator-only settings', async () => {
    const org = await createOrganisation(t.ctx, {
      name: 'БУЗ УР "Тестовая больница МЗ УР"',
      address: 'г. Глазов, ул. Примерная, д. 1',
      waitlistAllowed: false,
      cutoffOverride: '12:00',
    });
    const res = await t
      .client()
      .get<{ organisations: (Organisation & Record<string, unknown>)[] }>('/api/organisations');
    expect(res.status).toBe(200);
    const found = res.body.organisations.find((o) => o.id === org.id);
    expect(found).toEqual({
      id: org.id,
      name: 'БУЗ УР "Тестовая больница МЗ УР"',
      shortName: org.shortName,
      address: 'г. Глазов, ул. Примерная, д. 1',
      phone: org.phone,
      timeZone: 'Europe/Samara',
      waitlistAllowed: false,
    });
    expect(found).not.toHaveProperty('cutoffOverride');
  });
});

describe('GET /api/specialties', () => {
  let pediatrician: number;
  let gynaecologist: number;
  let therapist: number;
  let withoutDoctors: number;
  let onlyInactive: number;

  beforeAll(async () => {
    const org = await createOrganisation(t.ctx);
    const ped = await createSpecialty(t.ctx, { name: 'педиатр (тест)', maxAge: 18 });
    const gyn = await createSpecialty(t.ctx, { name: 'акушер-гинеколог (тест)', sex: 'F' });
    const ther = await createSpecialty(t.ctx, { name: 'терапевт (тест)', minAge: 18 });
    const none = await createSpecialty(t.ctx, { name: 'сурдолог (тест)' });
    const inactive = await createSpecialty(t.ctx, { name: 'фтизиатр (тест)' });
    for (const s of [ped, gyn, ther]) await createDoctor(t.ctx, { organisationId: org.id, specialtyId: s.id });
    await createDoctor(t.ctx, { organisationId: org.id, specialtyId: inactive.id, active: false });
    pediatrician = ped.id;
    gynaecologist = gyn.id;
    therapist = ther.id;
    withoutDoctors = none.id;
    onlyInactive = inactive.id;
  });

  it('lists only specialties with active doctors, with their restriction and no refusal', async () => {
    const res = await t.client().get<{ specialties: Specialty[] }>('/api/specialties');
    expect(res.status).toBe(200);
    const ids = res.body.specialties.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([pediatrician, gynaecologist, therapist]));
    expect(ids).not.toContain(withoutDoctors);
    expect(ids).not.toContain(onlyInactive);
    const byId = new Map(res.body.specialties.map((s) => [s.id, s]));
    expect(byId.get(pediatrician)).toEqual({
      id: pediatrician,
      name: 'педиатр (тест)',
      restriction: 'Только пациенты до 18 лет',
      refusal: null,
      byReferral: false,
      referralValidUntil: null,
    });
    expect(byId.get(gynaecologist)?.restriction).toBe('Только пациенты женского пола');
    expect(byId.get(therapist)?.restriction).toBe('Только пациенты от 18 лет');
    // Sorted by name in Russian order.
    const names = res.body.specialties.map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'ru')));
  });

  it('tells, for a boy of 7, which specialists he may not see and why', async () => {
    const { account, client } = await createPatient(t);
    const boy = await createPerson(t.ctx, account.id, {
      firstName: 'Пётр',
      lastName: 'Иванов',
      birthDate: '2019-03-10',
      sex: 'M',
    });
    const res = await client.get<{ specialties: Specialty[] }>(`/api/specialties?personId=${boy.id}`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.specialties.map((s) => [s.id, s]));
    expect(byId.get(pediatrician)?.refusal).toBeNull();
    expect(byId.get(gynaecologist)?.refusal).toBe('Этот специалист принимает только пациентов другого пола.');
    expect(byId.get(therapist)?.refusal).toBe('Этот специалист не принимает пациентов такого возраста.');
  });

  it('tells, for an adult woman, that the pediatrician is not for her', async () => {
    const { person, client } = await createPatient(t, { person: { birthDate: '1990-01-15', sex: 'F' } });
    const res = await client.get<{ specialties: Specialty[] }>(`/api/specialties?personId=${person.id}`);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.specialties.map((s) => [s.id, s]));
    expect(byId.get(pediatrician)?.refusal).toBe('Этот специалист не принимает пациентов такого возраста.');
    expect(byId.get(gynaecologist)?.refusal).toBeNull();
    expect(byId.get(therapist)?.refusal).toBeNull();
  });

  it('counts age on the local date: the day before the 18th birthday is still a child', async () => {
    // Today is 25 November 2026 in Samara.
    const { account, client } = await createPatient(t);
    const almost18 = await createPerson(t.ctx, account.id, { birthDate: '2008-11-26', sex: 'M' });
    const res = await client.get<{ specialties: Specialty[] }>(`/api/specialties?personId=${almost18.id}`);
    const byId = new Map(res.body.specialties.map((s) => [s.id, s]));
    expect(byId.get(pediatrician)?.refusal).toBeNull();
    expect(byId.get(therapist)?.refusal).not.toBeNull();
  });

  it('refuses someone else’s person as not found', async () => {
    const other = await createPatient(t);
    const { client } = await createPatient(t);
    const res = await client.get(`/api/specialties?personId=${other.person.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'PERSON_NOT_FOUND' });
  });

  it('asks to sign in for a per-person check', async () => {
    const someone = await createAccount(t.ctx);
    const p = await createPerson(t.ctx, someone.id, { isMain: true });
    const res = await t.client().get(`/api/specialties?personId=${p.id}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('rejects a malformed personId', async () => {
    const { client } = await createPatient(t);
    const res = await client.get<{ code: string; fields: Record<string, string> }>('/api/specialties?personId=42');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.fields)).toContain('personId');
  });
});

describe('GET /api/doctors', () => {
  it('gives each doctor the nearest free time and the free count inside the horizon', async () => {
    const org = await createOrganisation(t.ctx);
    const spec = await createSpecialty(t.ctx);
    const doc = await createDoctor(t.ctx, {
      organisationId: org.id,
      specialtyId: spec.id,
      lastName: 'Смирнова',
      firstName: 'Ольга',
      middleName: 'Викторовна',
      room: '214',
    });
    const holder = await createAccount(t.ctx);
    const holderPerson = await createPerson(t.ctx, holder.id, { isMain: true });
    // Today 25 Nov, 13:00 local. Horizon 14 days: the last bookable date is 8 December.
    // Free: today 15:00, tomorrow 09:00, the expired hold, 8 Dec 18:00. Not: the past, a live hold, booked, blocked, 9 Dec.
    const [, todayLater, , expiredHold, liveHold, booked, blocked] = await createSlots(t.ctx, doc.id, [
      at('2026-11-25', '09:00'),
      at('2026-11-25', '15:00'),
      at('2026-11-26', '09:00'),
      at('2026-11-26', '09:30'),
      at('2026-11-26', '10:00'),
      at('2026-11-26', '10:30'),
      at('2026-11-26', '11:00'),
      at('2026-12-08', '18:00'),
      at('2026-12-09', '08:00'),
    ]);
    await holdSlotRow(t.ctx, expiredHold.id, {
      personId: holderPerson.id,
      accountId: holder.id,
      heldUntil: new Date('2026-11-25T08:59:00Z'),
    });
    await holdSlotRow(t.ctx, liveHold.id, {
      personId: holderPerson.id,
      accountId: holder.id,
      heldUntil: new Date('2026-11-25T09:05:00Z'),
    });
    await createAppointmentRow(t.ctx, booked, holderPerson.id, { source: 'registry' });
    await blockSlotRows(t.ctx, [blocked.id]);

    const res = await t.client().get<{ doctors: DoctorSummary[] }>(`/api/doctors?organisationId=${org.id}`);
    expect(res.status).toBe(200);
    expect(res.body.doctors).toEqual([
      {
        id: doc.id,
        name: 'Смирнова Ольга Викторовна',
        specialty: { id: spec.id, name: spec.name },
        organisation: {
          id: org.id,
          name: org.name,
          shortName: org.shortName,
          address: org.address,
          phone: org.phone,
          timeZone: 'Europe/Samara',
          waitlistAllowed: true,
        },
        room: '214',
        nearestFreeAt: todayLater.startAt.toISOString(),
        // today 15:00, tomorrow 09:00, the expired hold 09:30, the last day 18:00.
        freeCount: 4,
      },
    ]);
  });

  it('follows the operator’s horizon', async () => {
    const org = await createOrganisation(t.ctx);
    const spec = await createSpecialty(t.ctx);
    const doc = await createDoctor(t.ctx, { organisationId: org.id, specialtyId: spec.id });
    await createSlots(t.ctx, doc.id, [at('2026-11-26', '09:00'), at('2026-11-27', '09:00'), at('2026-11-28', '09:00')]);
    await t.ctx.db.update(regionSettings).set({ horizonDays: 2 }).where(eq(regionSettings.id, 1));
    try {
      const res = await t.client().get<DoctorSummary>(`/api/doctors/${doc.id}`);
      // Horizon 2 days: today and tomorrow (26 November).
      expect(res.body.freeCount).toBe(1);
    } finally {
      await t.ctx.db.update(regionSettings).set({ horizonDays: 14 }).where(eq(regionSettings.id, 1));
    }
  });

  it('sorts by the nearest free time, doctors without free time last, then by name', async () => {
    const org = await createOrganisation(t.ctx);
    const spec = await createSpecialty(t.ctx);
    const mk = (lastName: string) =>
      createDoctor(t.ctx, {
        organisationId: org.id,
        specialtyId: spec.id,
        lastName,
        firstName: 'Анна',
        middleName: null,
      });
    const late = await mk('Абрамова');
    const early = await mk('Яковлева');
    const noneB = await mk('Борисова');
    const noneA = await mk('Антонова');
    const sameTimeB = await mk('Волкова');
    const sameTimeA = await mk('Белова');
    await createSlots(t.ctx, late.id, [at('2026-11-30', '08:00')]);
    await createSlots(t.ctx, early.id, [at('2026-11-26', '08:00')]);
    await createSlots(t.ctx, sameTimeB.id, [at('2026-11-27', '08:00')]);
    await createSlots(t.ctx, sameTimeA.id, [at('2026-11-27', '08:00')]);
    const res = await t
      .client()
      .get<{ doctors: DoctorSummary[] }>(`/api/doctors?organisationId=${org.id}&specialtyId=${spec.id}`);
    expect(res.status).toBe(200);
    expect(res.body.doctors.map((d) => d.id)).toEqual([
      early.id,
      sameTimeA.id,
      sameTimeB.id,
      late.id,
      noneA.id,
      noneB.id,
    ]);
    expect(res.body.doctors.find((d) => d.id === noneA.id)).toMatchObject({ nearestFreeAt: null, freeCount: 0 });
    expect(res.body.doctors.find((d) => d.id === noneA.id)?.name).toBe('Антонова Анна');
  });

  it('filters by specialty and organisation and leaves out inactive doctors', async () => {
    const orgA = await createOrganisation(t.ctx);
    const orgB = await createOrganisation(t.ctx);
    const spec1 = await createSpecialty(t.ctx);
    const spec2 = await createSpecialty(t.ctx);
    const a1 = await createDoctor(t.ctx, { organisationId: orgA.id, specialtyId: spec1.id });
    const a2 = await createDoctor(t.ctx, { organisationId: orgA.id, specialtyId: spec2.id });
    const b1 = await createDoctor(t.ctx, { organisationId: orgB.id, specialtyId: spec1.id });
    await createDoctor(t.ctx, { organisationId: orgA.id, specialtyId: spec1.id, active: false });
    const c = t.client();
    const bySpec = await c.get<{ doctors: DoctorSummary[] }>(`/api/doctors?specialtyId=${spec1.id}`);
    expect(bySpec.body.doctors.map((d) => d.id).sort()).toEqual([a1.id, b1.id].sort());
    const byOrg = await c.get<{ doctors: DoctorSummary[] }>(`/api/doctors?organisationId=${orgA.id}`);
    expect(byOrg.body.doctors.map((d) => d.id).sort()).toEqual([a1.id, a2.id].sort());
    const both = await c.get<{ doctors: DoctorSummary[] }>(
      `/api/doctors?organisationId=${orgA.id}&specialtyId=${spec2.id}`,
    );
    expect(both.body.doctors.map((d) => d.id)).toEqual([a2.id]);
    const none = await c.get<{ doctors: DoctorSummary[] }>('/api/doctors?specialtyId=999999');
    expect(none.body.doctors).toEqual([]);
  });

  it.each(['specialtyId=abc', 'specialtyId=0', 'organisationId=-3', 'organisationId=1.5'])(
    'rejects %s with 400',
    async (query) => {
      const res = await t.client().get<{ code: string }>(`/api/doctors?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );
});

describe('GET /api/doctors/:id', () => {
  it('gives one doctor with the free-time figures', async () => {
    const org = await createOrganisation(t.ctx);
    const spec = await createSpecialty(t.ctx);
    const doc = await createDoctor(t.ctx, { organisationId: org.id, specialtyId: spec.id, room: '12а' });
    const slots = await createSlots(t.ctx, doc.id, [
      at(addDays('2026-11-25', 2), '08:30'),
      at(addDays('2026-11-25', 3), '08:30'),
    ]);
    const res = await t.client().get<DoctorSummary>(`/api/doctors/${doc.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: doc.id,
      room: '12а',
      nearestFreeAt: slots[0].startAt.toISOString(),
      freeCount: 2,
      organisation: { id: org.id },
      specialty: { id: spec.id },
    });
  });

  it('answers 404 for an unknown or inactive doctor, 400 for a malformed id', async () => {
    const org = await createOrganisation(t.ctx);
    const spec = await createSpecialty(t.ctx);
    const inactive = await createDoctor(t.ctx, { organisationId: org.id, specialtyId: spec.id, active: false });
    const c = t.client();
    const unknown = await c.get('/api/doctors/987654');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'DOCTOR_NOT_FOUND', message: 'Врач не найден.' });
    expect((await c.get(`/api/doctors/${inactive.id}`)).status).toBe(404);
    const bad = await c.get('/api/doctors/abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('OpenAPI', () => {
  it('documents the catalogue and schedule routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    const paths = Object.keys((res.json() as { paths: Record<string, unknown> }).paths);
    for (const p of [
      '/api/organisations',
      '/api/specialties',
      '/api/doctors',
      '/api/doctors/{id}',
      '/api/doctors/{id}/schedule',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
