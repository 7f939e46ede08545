// The catalogue's management through HTTP (issue 16): the operator's organisations and
// specialties, the clinic administrator's organisation, doctors and change log. Every refusal
// (wrong role, another organisation, bad input) is checked to write nothing anywhere; every
// change to leave an audit row with who and before/after. A changed room shows on the
// patient's schedule page at once (the catalogue generation of the schedule cache).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, ScheduleResponse } from '../../src/shared/api/index.js';
import type { ClinicDoctor, OrganisationFull, SpecialtyFull } from '../../src/shared/api/catalogue-admin.js';
import { accounts, auditLog, doctors, organisations, specialties } from '../../src/server/db/schema.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createOrganisation,
  createSpecialty,
  holdSlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createSignedInStaff } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { changedTables, tableDigests } from '../support/db-dump.js';

let t: TestContext;
let operator: TestClient;
let operatorId: string;
let clinicOrg: { id: number };
let otherOrg: { id: number };
let admin: TestClient;
let adminId: string;
let otherAdmin: TestClient;
let registrar: TestClient;
let patient: TestClient;
let specialty: { id: number; name: string };

// sessions.last_seen_at moves on every signed-in request by design.
const digests = () => tableDigests(t, ['sessions']);

/** Runs a request that must be refused and asserts that nothing anywhere was written. */
async function refusedWritingNothing<T>(send: () => Promise<{ status: number; body: T }>) {
  const before = await digests();
  const res = await send();
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(changedTables(before, await digests())).toEqual([]);
  return res;
}

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' }); // 13:00 in Samara
  const op = await createAccount(t.ctx, { role: 'operator' });
  operatorId = op.id;
  operator = await signIn(t, op.email, op.password);
  clinicOrg = await createOrganisation(t.ctx);
  otherOrg = await createOrganisation(t.ctx);
  const a = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: clinicOrg.id });
  admin = a.client;
  adminId = a.id;
  otherAdmin = (await createSignedInStaff(t, { role: 'clinic_admin', organisationId: otherOrg.id })).client;
  registrar = (await createSignedInStaff(t, { role: 'registrar', organisationId: clinicOrg.id })).client;
  patient = (await createPatient(t)).client;
  specialty = await createSpecialty(t.ctx, { name: `терапевт ${Date.now() % 100000}` });
});
afterAll(async () => t.close());

async function auditOf(entityType: string, entityId: number) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))))
    .orderBy(auditLog.id);
}

const newDoctor = (over: Record<string, unknown> = {}) => ({
  lastName: 'Загребина',
  firstName: 'Ольга',
  middleName: 'Николаевна',
  specialtyId: specialty.id,
  position: 'врач-терапевт участковый',
  room: '214',
  ...over,
});

const newOrganisation = (over: Record<string, unknown> = {}) => ({
  name: 'БУЗ УР «Городская поликлиника № 99 МЗ УР»',
  shortName: 'Поликлиника № 99',
  address: 'г. Ижевск, ул. Придуманная, д. 1',
  phone: '+7 (3412) 00-99-00',
  timeZone: 'Europe/Samara',
  waitlistAllowed: true,
  ...over,
});

describe('the clinic administrator role', () => {
  it('signs in and is told its organisation', async () => {
    const res = await admin.get<{ account: { role: string; organisationId: number } }>('/api/session');
    expect(res.body.account).toMatchObject({ role: 'clinic_admin', organisationId: clinicOrg.id });
  });

  it('is organisation-scoped in the database: a clinic administrator without an organisation is refused', async () => {
    await expect(
      t.ctx.db
        .insert(accounts)
        .values({ email: 'clinic-admin-no-org@example.test', role: 'clinic_admin', organisationId: null }),
    ).rejects.toThrow();
    await expect(
      t.ctx.db.insert(accounts).values({
        email: 'clinic-admin-doctor@example.test',
        role: 'clinic_admin',
        organisationId: clinicOrg.id,
        doctorId: 1,
      }),
    ).rejects.toThrow();
  });
});

describe('doctors of the clinic', () => {
  it('adds a doctor, audit-logged with who and every field', async () => {
    const res = await admin.post<{ id: number }>('/api/clinic/doctors', newDoctor());
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(doctors).where(eq(doctors.id, res.body.id));
    expect(row).toMatchObject({
      organisationId: clinicOrg.id,
      lastName: 'Загребина',
      middleName: 'Николаевна',
      position: 'врач-терапевт участковый',
      room: '214',
      active: true,
    });
    const [entry] = await auditOf('doctor', res.body.id);
    expect(entry).toMatchObject({ action: 'doctor.create', actorAccountId: adminId });
    expect(entry.details).toMatchObject({
      organisationId: clinicOrg.id,
      doctor: 'Загребина Ольга Николаевна',
      room: { from: null, to: '214' },
      position: { from: null, to: 'врач-терапевт участковый' },
      specialty: { from: null, to: specialty.name },
    });
    const one = await admin.get<ClinicDoctor>(`/api/clinic/doctors/${res.body.id}`);
    expect(one.body).toMatchObject({ id: res.body.id, specialtyName: specialty.name, active: true });
    const list = await admin.get<{ doctors: ClinicDoctor[] }>('/api/clinic/doctors');
    expect(list.body.doctors.map((d) => d.id)).toContain(res.body.id);
  });

  it('an empty middle name is stored as none', async () => {
    const res = await admin.post<{ id: number }>('/api/clinic/doctors', newDoctor({ middleName: '', position: '' }));
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(doctors).where(eq(doctors.id, res.body.id));
    expect(row).toMatchObject({ middleName: null, position: '' });
  });

  it.each([
    ['no surname', { lastName: '' }, 'lastName', 'Введите фамилию'],
    ['Latin letters', { firstName: 'Olga' }, 'firstName', 'Имя: только русские буквы, дефис и пробел'],
    ['no room', { room: '  ' }, 'room', 'Введите номер кабинета'],
    ['a long position', { position: 'в'.repeat(121) }, 'position', 'Должность: не длиннее 120 символов'],
    ['no specialty', { specialtyId: undefined }, 'specialtyId', 'Выберите специальность'],
    ['a control character', { room: '21\u00004' }, 'room', 'Кабинет: недопустимые символы'],
  ])('refuses %s with a Russian message for the field, writing nothing', async (_what, over, field, message) => {
    const res = await refusedWritingNothing(() =>
      admin.post<{ code: string; fields: Record<string, string> }>('/api/clinic/doctors', newDoctor(over)),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields[field]).toContain(message);
  });

  it('refuses an unknown specialty, writing nothing', async () => {
    const res = await refusedWritingNothing(() =>
      admin.post<{ code: string }>('/api/clinic/doctors', newDoctor({ specialtyId: 999999 })),
    );
    expect(res.body.code).toBe('UNKNOWN_SPECIALTY');
  });

  it('refuses a registrar, a patient, an operator and a visitor, writing nothing', async () => {
    for (const client of [registrar, patient, operator]) {
      const res = await refusedWritingNothing(() => client.post<{ code: string }>('/api/clinic/doctors', newDoctor()));
      expect(res.status).toBe(403);
      expect((await client.get('/api/clinic/doctors')).status).toBe(403);
    }
    expect((await refusedWritingNothing(() => t.client().post('/api/clinic/doctors', newDoctor()))).status).toBe(401);
    expect((await t.client().get('/api/clinic/doctors')).status).toBe(401);
  });

  it("another organisation's administrator neither sees nor changes the doctor (404, as for no doctor)", async () => {
    const doctor = await createDoctor(t.ctx, { organisationId: clinicOrg.id, specialtyId: specialty.id });
    const seen = await otherAdmin.get<{ code: string }>(`/api/clinic/doctors/${doctor.id}`);
    expect(seen.status).toBe(404);
    expect(seen.body.code).toBe('DOCTOR_NOT_FOUND');
    const none = await otherAdmin.get<{ code: string }>('/api/clinic/doctors/999999');
    expect(none.body).toEqual(seen.body);
    const list = await otherAdmin.get<{ doctors: ClinicDoctor[] }>('/api/clinic/doctors');
    expect(list.body.doctors.map((d) => d.id)).not.toContain(doctor.id);
    for (const send of [
      () => otherAdmin.put(`/api/clinic/doctors/${doctor.id}`, newDoctor({ room: '1' })),
      () => otherAdmin.post(`/api/clinic/doctors/${doctor.id}/deactivate`),
    ]) {
      expect((await refusedWritingNothing(send)).status).toBe(404);
    }
  });

  it('edits a doctor: before and after in the audit log; an unchanged save writes nothing', async () => {
    const doctor = await createDoctor(t.ctx, { organisationId: clinicOrg.id, specialtyId: specialty.id, room: '101' });
    const body = newDoctor({
      lastName: doctor.lastName,
      firstName: doctor.firstName,
      middleName: doctor.middleName ?? '',
      room: '305',
      position: 'заведующий отделением',
    });
    expect((await admin.put(`/api/clinic/doctors/${doctor.id}`, body)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(doctors).where(eq(doctors.id, doctor.id));
    expect(row).toMatchObject({ room: '305', position: 'заведующий отделением' });
    const entries = await auditOf('doctor', doctor.id);
    expect(entries).toHaveLength(1);
    expect(entries[0].action).toBe('doctor.update');
    expect(entries[0].details).toEqual({
      organisationId: clinicOrg.id,
      doctor: [doctor.lastName, doctor.firstName, doctor.middleName].filter(Boolean).join(' '),
      room: { from: '101', to: '305' },
      position: { from: '', to: 'заведующий отделением' },
    });
    const before = await digests();
    expect((await admin.put(`/api/clinic/doctors/${doctor.id}`, body)).status).toBe(200);
    expect(changedTables(before, await digests())).toEqual([]);
    const other = await createSpecialty(t.ctx, { name: `хирург ${Date.now() % 100000}` });
    expect((await admin.put(`/api/clinic/doctors/${doctor.id}`, { ...body, specialtyId: other.id })).status).toBe(200);
    expect((await auditOf('doctor', doctor.id)).at(-1)?.details).toMatchObject({
      specialtyId: { from: specialty.id, to: other.id },
      specialty: { from: specialty.name, to: other.name },
    });
    const unknown = await refusedWritingNothing(() =>
      admin.put<{ code: string }>(`/api/clinic/doctors/${doctor.id}`, { ...body, specialtyId: 999999 }),
    );
    expect(unknown.body.code).toBe('UNKNOWN_SPECIALTY');
  });

  it('refuses to make a doctor with future visits inactive, naming how many; past and cancelled visits do not count', async () => {
    const setup = await createBookableSetup(t.ctx, { organisation: {} });
    // The setup's organisation gets its own administrator.
    const own = (await createSignedInStaff(t, { role: 'clinic_admin', organisationId: setup.organisation.id })).client;
    const person = await createPatient(t);
    const by = { bookedByAccountId: person.account.id };
    await createAppointmentRow(t.ctx, setup.slots[0], person.person.id, by);
    await createAppointmentRow(t.ctx, setup.slots[2], person.person.id, by);
    await createAppointmentRow(t.ctx, setup.slots[4], person.person.id, { ...by, status: 'cancelled' });
    const res = await refusedWritingNothing(() =>
      own.post<{ code: string; message: string; details: { visits: number } }>(
        `/api/clinic/doctors/${setup.doctor.id}/deactivate`,
      ),
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOCTOR_HAS_FUTURE_VISITS');
    expect(res.body.details.visits).toBe(2);
    expect(res.body.message).toBe(
      'У врача 2 будущие записи пациентов. Перенесите или отмените их, затем сделайте врача неактивным.',
    );
    // Once the visits are in the past, the doctor can be made inactive.
    t.clock.set(new Date(setup.slots[5].endAt.getTime() + 60_000));
    try {
      expect((await own.post(`/api/clinic/doctors/${setup.doctor.id}/deactivate`)).status).toBe(200);
    } finally {
      t.clock.set('2026-11-25T09:00:00Z');
    }
  });

  it('refuses to make a doctor inactive while a time is held (a waitlist offer), naming how many', async () => {
    const setup = await createBookableSetup(t.ctx);
    const own = (await createSignedInStaff(t, { role: 'clinic_admin', organisationId: setup.organisation.id })).client;
    const person = await createPatient(t);
    await holdSlotRow(t.ctx, setup.slots[1].id, {
      personId: person.person.id,
      accountId: person.account.id,
      heldUntil: new Date(t.ctx.now().getTime() + 3_600_000),
    });
    const res = await refusedWritingNothing(() =>
      own.post<{ code: string; message: string; details: { held: number } }>(
        `/api/clinic/doctors/${setup.doctor.id}/deactivate`,
      ),
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('DOCTOR_HAS_HELD_TIMES');
    expect(res.body.details.held).toBe(1);
    expect(res.body.message).toMatch(/^Часть времени врача \(1 приём\) сейчас предложена пациентам из очереди/);
  });

  it("an inactive doctor leaves the patient's catalogue and schedule, and comes back when active again", async () => {
    const setup = await createBookableSetup(t.ctx);
    const own = (await createSignedInStaff(t, { role: 'clinic_admin', organisationId: setup.organisation.id })).client;
    expect((await t.client().get(`/api/doctors/${setup.doctor.id}/schedule`)).status).toBe(200);
    expect((await own.post(`/api/clinic/doctors/${setup.doctor.id}/deactivate`)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(doctors).where(eq(doctors.id, setup.doctor.id));
    expect(row.active).toBe(false);
    expect((await t.client().get(`/api/doctors/${setup.doctor.id}/schedule`)).status).toBe(404);
    const list = await t.client().get<{ doctors: { id: number }[] }>(`/api/doctors?specialtyId=${setup.specialty.id}`);
    expect(list.body.doctors.map((d) => d.id)).not.toContain(setup.doctor.id);
    // Still listed for the clinic, marked inactive; a second deactivate changes nothing.
    const mine = await own.get<{ doctors: ClinicDoctor[] }>('/api/clinic/doctors');
    expect(mine.body.doctors.find((d) => d.id === setup.doctor.id)?.active).toBe(false);
    const before = await digests();
    expect((await own.post(`/api/clinic/doctors/${setup.doctor.id}/deactivate`)).status).toBe(200);
    expect(changedTables(before, await digests())).toEqual([]);
    expect((await own.post(`/api/clinic/doctors/${setup.doctor.id}/activate`)).status).toBe(200);
    expect((await t.client().get(`/api/doctors/${setup.doctor.id}/schedule`)).status).toBe(200);
    const actions = (await auditOf('doctor', setup.doctor.id)).map((e) => e.action);
    expect(actions).toEqual(['doctor.deactivate', 'doctor.activate']);
  });

  it("an edited room shows on the patient's schedule page at once", async () => {
    const setup = await createBookableSetup(t.ctx);
    const own = (await createSignedInStaff(t, { role: 'clinic_admin', organisationId: setup.organisation.id })).client;
    const first = await t.client().get<ScheduleResponse>(`/api/doctors/${setup.doctor.id}/schedule`);
    expect(first.body.doctor.room).toBe(setup.doctor.room);
    const d = setup.doctor;
    const res = await own.put(`/api/clinic/doctors/${d.id}`, {
      lastName: d.lastName,
      firstName: d.firstName,
      middleName: d.middleName ?? '',
      specialtyId: d.specialtyId,
      position: '',
      room: '512а',
    });
    expect(res.status).toBe(200);
    const after = await t.client().get<ScheduleResponse>(`/api/doctors/${setup.doctor.id}/schedule`);
    expect(after.body.doctor.room).toBe('512а');
  });
});

describe("the clinic administrator's organisation", () => {
  it("reads and edits its own organisation's details, audit-logged", async () => {
    const own = await admin.get<OrganisationFull>('/api/clinic/organisation');
    expect(own.body.id).toBe(clinicOrg.id);
    const next = { ...newOrganisation(), timeZone: 'Asia/Yekaterinburg', waitlistAllowed: false };
    expect((await admin.put('/api/clinic/organisation', next)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(organisations).where(eq(organisations.id, clinicOrg.id));
    expect(row).toMatchObject(next);
    const [entry] = (await auditOf('organisation', clinicOrg.id)).slice(-1);
    expect(entry).toMatchObject({ action: 'organisation.update', actorAccountId: adminId });
    expect(entry.details).toMatchObject({
      timeZone: { from: 'Europe/Samara', to: 'Asia/Yekaterinburg' },
      waitlistAllowed: { from: true, to: false },
    });
  });

  it.each([
    ['a zone outside Russia', { timeZone: 'Europe/Berlin' }, 'timeZone', 'Часовой пояс: выберите пояс из списка'],
    ['a made-up zone', { timeZone: 'Europe/Izhevsk' }, 'timeZone', 'Часовой пояс'],
    ['no name', { name: ' ' }, 'name', 'Введите полное название'],
    ['letters for a phone', { phone: 'звоните' }, 'phone', 'Телефон регистратуры:'],
    ['no address', { address: '' }, 'address', 'Введите адрес'],
  ])('refuses %s, writing nothing', async (_what, over, field, message) => {
    const res = await refusedWritingNothing(() =>
      admin.put<{ code: string; fields: Record<string, string> }>('/api/clinic/organisation', newOrganisation(over)),
    );
    expect(res.status).toBe(400);
    expect(res.body.fields[field]).toContain(message);
  });

  it('refuses a registrar, a patient and the operator (who edits organisations on its own pages)', async () => {
    for (const client of [registrar, patient, operator]) {
      expect(
        (await refusedWritingNothing(() => client.put('/api/clinic/organisation', newOrganisation()))).status,
      ).toBe(403);
      expect((await client.get('/api/clinic/organisation')).status).toBe(403);
    }
  });

  it("lists its organisation's change log only", async () => {
    const otherDoctor = await otherAdmin.post<{ id: number }>(
      '/api/clinic/doctors',
      newDoctor({ lastName: 'Другова' }),
    );
    expect(otherDoctor.status).toBe(200);
    const res = await admin.get<{ entries: AuditEntry[] }>('/api/clinic/audit?limit=200');
    expect(res.status).toBe(200);
    expect(res.body.entries.length).toBeGreaterThan(0);
    for (const e of res.body.entries) {
      const mine =
        (e.entityType === 'organisation' && e.entityId === String(clinicOrg.id)) ||
        e.details.organisationId === clinicOrg.id;
      expect(mine).toBe(true);
    }
    expect(res.body.entries.some((e) => e.action === 'doctor.create')).toBe(true);
    expect(res.body.entries.some((e) => e.entityId === String(otherDoctor.body.id))).toBe(false);
    const theirs = await otherAdmin.get<{ entries: AuditEntry[] }>('/api/clinic/audit');
    expect(theirs.body.entries.map((e) => e.entityId)).toContain(String(otherDoctor.body.id));
    for (const client of [registrar, patient, operator])
      expect((await client.get('/api/clinic/audit')).status).toBe(403);
  });
});

describe("the operator's organisations", () => {
  it('adds an organisation, then edits its details and settings in one save', async () => {
    const res = await operator.post<{ id: number }>('/api/operator/organisations', newOrganisation());
    expect(res.status).toBe(200);
    const created = await operator.get<OrganisationFull>(`/api/operator/organisations/${res.body.id}`);
    expect(created.body).toMatchObject({ ...newOrganisation(), cutoffOverride: null });
    const [entry] = await auditOf('organisation', res.body.id);
    expect(entry).toMatchObject({ action: 'organisation.create', actorAccountId: operatorId });
    expect(entry.details).toMatchObject({ shortName: { from: null, to: 'Поликлиника № 99' } });

    const edit = {
      ...newOrganisation({ address: 'г. Ижевск, ул. Новая, д. 2', timeZone: 'Europe/Moscow' }),
      cutoffOverride: '16:00',
    };
    expect((await operator.put(`/api/operator/organisations/${res.body.id}`, edit)).status).toBe(200);
    const [row] = await t.ctx.db.select().from(organisations).where(eq(organisations.id, res.body.id));
    expect(row).toMatchObject(edit);
    const last = (await auditOf('organisation', res.body.id)).at(-1)!;
    expect(last.details).toMatchObject({
      address: { from: 'г. Ижевск, ул. Придуманная, д. 1', to: 'г. Ижевск, ул. Новая, д. 2' },
      timeZone: { from: 'Europe/Samara', to: 'Europe/Moscow' },
      cutoffOverride: { from: null, to: '16:00' },
    });
    const list = await operator.get<{ organisations: OrganisationFull[] }>('/api/operator/organisations');
    expect(list.body.organisations.find((o) => o.id === res.body.id)?.address).toBe('г. Ижевск, ул. Новая, д. 2');
  });

  it('refuses bad details and other roles, writing nothing', async () => {
    const bad = await refusedWritingNothing(() =>
      operator.post<{ fields: Record<string, string> }>(
        '/api/operator/organisations',
        newOrganisation({ timeZone: 'America/New_York', shortName: '' }),
      ),
    );
    expect(Object.keys(bad.body.fields).sort()).toEqual(['shortName', 'timeZone']);
    for (const client of [admin, registrar, patient]) {
      expect(
        (await refusedWritingNothing(() => client.post('/api/operator/organisations', newOrganisation()))).status,
      ).toBe(403);
      expect(
        (
          await refusedWritingNothing(() =>
            client.put(`/api/operator/organisations/${clinicOrg.id}`, { waitlistAllowed: true, cutoffOverride: null }),
          )
        ).status,
      ).toBe(403);
      expect((await client.get(`/api/operator/organisations/${clinicOrg.id}`)).status).toBe(403);
    }
    expect((await operator.get('/api/operator/organisations/999999')).status).toBe(404);
  });
});

describe("the operator's specialties", () => {
  const body = (over: Record<string, unknown> = {}) => ({
    name: `гастроэнтеролог ${Date.now() % 100000}`,
    minAge: 18,
    maxAge: null,
    sex: null,
    selfBooking: false,
    ...over,
  });

  it('adds a specialty (only with a referral), edits it, audit-logged; the list shows it', async () => {
    const input = body();
    const res = await operator.post<{ id: number }>('/api/operator/specialties', input);
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(specialties).where(eq(specialties.id, res.body.id));
    expect(row).toMatchObject({ name: input.name, minAge: 18, maxAge: null, sex: null, selfBooking: false });
    expect((await auditOf('specialty', res.body.id))[0]).toMatchObject({
      action: 'specialty.create',
      actorAccountId: operatorId,
    });

    expect(
      (await operator.put(`/api/operator/specialties/${res.body.id}`, { ...input, maxAge: 65, selfBooking: true }))
        .status,
    ).toBe(200);
    const last = (await auditOf('specialty', res.body.id)).at(-1)!;
    expect(last.details).toEqual({
      name: input.name,
      maxAge: { from: null, to: 65 },
      selfBooking: { from: false, to: true },
    });
    const list = await operator.get<{ specialties: SpecialtyFull[] }>('/api/operator/specialties');
    expect(list.body.specialties.find((s) => s.id === res.body.id)).toMatchObject({
      maxAge: 65,
      selfBooking: true,
      doctorCount: 0,
    });
    await createDoctor(t.ctx, { organisationId: clinicOrg.id, specialtyId: res.body.id });
    await createDoctor(t.ctx, { organisationId: otherOrg.id, specialtyId: res.body.id, active: false });
    const counted = await operator.get<{ specialties: SpecialtyFull[] }>('/api/operator/specialties');
    expect(counted.body.specialties.find((s) => s.id === res.body.id)?.doctorCount).toBe(1);
    // The clinic administrator chooses from the same specialties.
    const choices = await admin.get<{ specialties: { id: number }[] }>('/api/clinic/specialties');
    expect(choices.body.specialties.map((s) => s.id)).toContain(res.body.id);
  });

  it('a new specialty is self-bookable unless told otherwise in the database', async () => {
    const [row] = await t.ctx.db
      .insert(specialties)
      .values({ name: `уролог ${Date.now() % 100000}` })
      .returning();
    expect(row.selfBooking).toBe(true);
  });

  it.each([
    [
      'max age not above min age',
      { minAge: 18, maxAge: 18 },
      'maxAge',
      'Возраст до должен быть больше, чем возраст от',
    ],
    ['a negative age', { minAge: -1 }, 'minAge', 'Возраст от: не меньше 0'],
    ['a fractional age', { maxAge: 1.5 }, 'maxAge', 'Возраст до: целое число лет'],
    ['an unknown sex', { sex: 'X' }, 'sex', 'Выберите пол или «Любой»'],
    ['no name', { name: '' }, 'name', 'Введите название специальности'],
    ['Latin letters', { name: 'therapist' }, 'name', 'Название: русские буквы'],
    ['no self-booking flag', { selfBooking: undefined }, 'selfBooking', 'Укажите, можно ли записаться самостоятельно'],
  ])('refuses %s, writing nothing', async (_what, over, field, message) => {
    const res = await refusedWritingNothing(() =>
      operator.post<{ fields: Record<string, string> }>('/api/operator/specialties', body(over)),
    );
    expect(res.status).toBe(400);
    expect(res.body.fields[field]).toContain(message);
  });

  it('refuses a name already taken (in any case), writing nothing', async () => {
    const res = await refusedWritingNothing(() =>
      operator.post<{ code: string }>('/api/operator/specialties', body({ name: specialty.name.toUpperCase() })),
    );
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SPECIALTY_EXISTS');
    const other = await createSpecialty(t.ctx);
    const rename = await refusedWritingNothing(() =>
      operator.put<{ code: string }>(`/api/operator/specialties/${other.id}`, body({ name: specialty.name })),
    );
    expect(rename.body.code).toBe('SPECIALTY_EXISTS');
  });

  it('refuses the clinic administrator, a registrar and a patient; an unknown specialty is 404', async () => {
    for (const client of [admin, registrar, patient]) {
      expect((await refusedWritingNothing(() => client.post('/api/operator/specialties', body()))).status).toBe(403);
      expect(
        (await refusedWritingNothing(() => client.put(`/api/operator/specialties/${specialty.id}`, body()))).status,
      ).toBe(403);
      expect((await client.get('/api/operator/specialties')).status).toBe(403);
    }
    const none = await refusedWritingNothing(() =>
      operator.put<{ code: string }>('/api/operator/specialties/999999', body()),
    );
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('SPECIALTY_NOT_FOUND');
  });
});
