// Referrals (направления, SPEC 8a) through HTTP, on PGlite and on PostgreSQL: a doctor issues
// one for the patient in front of them and a clinic's system (key channel mis) through the
// integration API, with bad input and other organisations refused and nothing written; a
// specialty «по направлению» is booked from the portal only with a valid referral of that
// person, which the booking uses once and a cancel gives back; someone else's referral does
// not serve; the card file and the specialty list show them; the waiting list asks for one.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import { appointments, referrals, slots, specialties } from '../../src/server/db/schema.js';
import type {
  AppointmentDetail,
  CardFileResponse,
  IntegrationReferral,
  ReferralListResponse,
  ReferralView,
  ScheduleResponse,
  Specialty,
} from '../../src/shared/api/index.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  createSlots,
  createSpecialty,
  type BookableSetup,
  type DoctorRow,
  type SpecialtyRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson, type PersonRow } from '../factories/identity.js';
import { createSignedInStaff, type StaffAccount } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sessionClient } from './booking.helpers.js';
import { apiCall, issueKey } from './integration-api.helpers.js';

const START = '2026-11-25T09:00:00Z';

interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
}

let t: TestContext;
/** The cardiologist «по направлению» of the home clinic, with six free slots over the next three days. */
let cardio: BookableSetup;
/** The home clinic's therapist, who issues referrals, and the doctor's signed-in account. */
let therapist: DoctorRow;
let doctor: StaffAccount & { client: TestClient };
/** Another organisation, its doctor's account, its clinic system's key. */
let other: BookableSetup;
let otherDoctor: StaffAccount & { client: TestClient };
let misKey: string;
let otherMisKey: string;
let registryKey: string;
let patient: { person: PersonRow; client: TestClient; accountId: string };
let stranger: { person: PersonRow; client: TestClient };
let tz: string;
let today: string;

async function referralCount(): Promise<number> {
  const rows = await queryRows<{ n: string }>(t.ctx.db, sql`select count(*) as n from referrals`);
  return Number(rows[0].n);
}
async function writtenState() {
  const rows = await queryRows<Record<'r' | 'a' | 's' | 'l' | 'p', string | number>>(
    t.ctx.db,
    sql`select (select count(*) from referrals) as r, (select count(*) from appointments) as a,
               (select count(*) from slots where status <> 'free') as s, (select count(*) from audit_log) as l,
               (select count(*) from persons) as p`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

/** A visit with the therapist, so the patient is the therapist's (the doctor acts for their patients only). */
let seenCount = 0;
async function seenByTherapist(person: PersonRow) {
  seenCount += 1;
  const start = zonedToInstant(addDays(today, seenCount), '15:00', tz);
  const [slot] = await createSlots(t.ctx, therapist.id, [start]);
  await createAppointmentRow(t.ctx, slot, person.id, { source: 'registry' });
}

async function issue(patientId: string, body: Record<string, unknown>) {
  return doctor.client.post<ReferralView & ErrorBody>(`/api/doctor/patients/${patientId}/referrals`, body);
}

beforeAll(async () => {
  t = await createTestContext({ now: START });
  cardio = await createBookableSetup(t.ctx, { specialty: { name: 'кардиолог' } });
  await t.ctx.db.update(specialties).set({ selfBooking: false }).where(eq(specialties.id, cardio.specialty.id));
  tz = cardio.organisation.timeZone;
  today = localDateOf(t.ctx.now(), tz);
  const therapy: SpecialtyRow = await createSpecialty(t.ctx, { name: 'терапевт участковый' });
  therapist = await createDoctor(t.ctx, {
    organisationId: cardio.organisation.id,
    specialtyId: therapy.id,
    lastName: 'Терапевтова',
  });
  doctor = await createSignedInStaff(t, {
    role: 'doctor',
    organisationId: cardio.organisation.id,
    doctorId: therapist.id,
  });
  other = await createBookableSetup(t.ctx);
  otherDoctor = await createSignedInStaff(t, {
    role: 'doctor',
    organisationId: other.organisation.id,
    doctorId: other.doctor.id,
  });
  const operator = await createAccount(t.ctx, { role: 'operator' });
  const operatorClient = await sessionClient(t, operator.id);
  misKey = (await issueKey(operatorClient, { organisationId: cardio.organisation.id, channel: 'mis' })).key;
  otherMisKey = (await issueKey(operatorClient, { organisationId: other.organisation.id, channel: 'mis' })).key;
  registryKey = (await issueKey(operatorClient, { organisationId: cardio.organisation.id, channel: 'registry' })).key;

  const p = await createPatient(t);
  patient = { person: p.person, client: p.client, accountId: p.account.id };
  const s = await createPatient(t);
  stranger = { person: s.person, client: s.client };
  await seenByTherapist(patient.person);
  await seenByTherapist(stranger.person);
});
afterAll(async () => t.close());

describe('issuing from the doctor’s page', () => {
  it('refuses bad input with the field named, and writes nothing', async () => {
    const before = await writtenState();
    const cases: [Record<string, unknown>, number, string, string | null][] = [
      [{}, 400, 'VALIDATION_FAILED', 'specialtyId'],
      [{ specialtyId: 0 }, 400, 'VALIDATION_FAILED', 'specialtyId'],
      [{ specialtyId: '16' }, 400, 'VALIDATION_FAILED', 'specialtyId'],
      [{ specialtyId: cardio.specialty.id, validFrom: '2026-02-30' }, 400, 'VALIDATION_FAILED', 'validFrom'],
      [{ specialtyId: cardio.specialty.id, validUntil: 'завтра' }, 400, 'VALIDATION_FAILED', 'validUntil'],
      [{ specialtyId: cardio.specialty.id, organisationId: -1 }, 400, 'VALIDATION_FAILED', 'organisationId'],
      [{ specialtyId: 2147483647 }, 404, 'SPECIALTY_NOT_FOUND', null],
      [{ specialtyId: cardio.specialty.id, organisationId: 2147483647 }, 404, 'ORGANISATION_NOT_FOUND', null],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await issue(patient.person.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
      if (field) expect(Object.keys(res.body.fields ?? {})).toContain(field);
    }
    // Dates the rules refuse: starting yesterday, ending before it starts, longer than a year.
    for (const [body, field] of [
      [{ validFrom: addDays(today, -1) }, 'validFrom'],
      [{ validFrom: addDays(today, 5), validUntil: addDays(today, 4) }, 'validUntil'],
      [{ validUntil: addDays(today, 400) }, 'validUntil'],
    ] as const) {
      const res = await issue(patient.person.id, { specialtyId: cardio.specialty.id, ...body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual({ field });
      expect(res.body.message).toMatch(/^Срок действия/);
    }
    expect(await writtenState()).toEqual(before);
  });

  it('refuses a patient who is not this doctor’s, another organisation’s doctor, a patient and anonymous', async () => {
    const before = await writtenState();
    const unseen = await createPatient(t);
    const body = { specialtyId: cardio.specialty.id };
    expect((await issue(unseen.person.id, body)).body.code).toBe('PATIENT_NOT_FOUND');
    const foreign = await otherDoctor.client.post<ErrorBody>(
      `/api/doctor/patients/${patient.person.id}/referrals`,
      body,
    );
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PATIENT_NOT_FOUND']);
    const asPatient = await patient.client.post<ErrorBody>(`/api/doctor/patients/${patient.person.id}/referrals`, body);
    expect(asPatient.status).toBe(403);
    const anonymous = await t.client().post<ErrorBody>(`/api/doctor/patients/${patient.person.id}/referrals`, body);
    expect(anonymous.status).toBe(401);
    // The one new row is the unseen patient made for the test.
    expect(await writtenState()).toEqual({ ...before, p: before.p + 1 });
  });

  it('issues for 30 days from today by default, audit-logged with ids only, and lists it', async () => {
    const res = await issue(stranger.person.id, { specialtyId: cardio.specialty.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      specialty: { id: cardio.specialty.id, name: 'кардиолог' },
      organisation: null,
      validFrom: today,
      validUntil: addDays(today, 29),
      state: 'valid',
      issuedBy: { organisation: { id: cardio.organisation.id }, doctorName: 'Терапевтова Сергей Иванович' },
    });
    const audit = await queryRows<{ action: string; details: Record<string, unknown>; actor: string }>(
      t.ctx.db,
      sql`select action, details, actor_account_id as actor from audit_log where entity_id = ${res.body.id}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].action).toBe('referral.issue');
    expect(audit[0].actor).toBe(doctor.id);
    const text = JSON.stringify(audit[0].details);
    expect(text).not.toContain(stranger.person.snils);
    expect(text).not.toContain(stranger.person.lastName);
    const list = await doctor.client.get<ReferralListResponse>(`/api/doctor/patients/${stranger.person.id}/referrals`);
    expect(list.body.referrals.map((r) => r.id)).toEqual([res.body.id]);
    // The other organisation's doctor cannot revoke it.
    const foreign = await otherDoctor.client.post<ErrorBody>(`/api/doctor/referrals/${res.body.id}/revoke`);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'REFERRAL_NOT_FOUND']);
    const revoked = await doctor.client.post<ReferralView>(`/api/doctor/referrals/${res.body.id}/revoke`);
    expect(revoked.body.state).toBe('revoked');
  });
});

describe('issuing from the clinic’s system (integration API)', () => {
  const identity = () => ({
    lastName: patient.person.lastName,
    firstName: patient.person.firstName,
    middleName: patient.person.middleName ?? undefined,
    birthDate: patient.person.birthDate,
    sex: patient.person.sex,
    snils: patient.person.snils,
    policy: patient.person.policy,
  });

  it('serves a key of channel mis only, and refuses bad input writing nothing', async () => {
    const before = await writtenState();
    const wrong = await apiCall<ErrorBody>(t, 'POST', '/api/integration/v1/referrals', registryKey, {
      patient: identity(),
      specialtyId: cardio.specialty.id,
    });
    expect([wrong.status, wrong.body.code]).toEqual([403, 'API_CHANNEL_NOT_ALLOWED']);
    expect((await apiCall(t, 'POST', '/api/integration/v1/referrals', null, {})).status).toBe(401);
    const bad: [Record<string, unknown>, string][] = [
      [{ patient: { ...identity(), snils: '123' }, specialtyId: cardio.specialty.id }, 'patient.snils'],
      [{ patient: identity(), specialtyId: cardio.specialty.id, externalId: 'с пробелом' }, 'externalId'],
      [{ patient: identity() }, 'specialtyId'],
      [{ patient: identity(), specialtyId: cardio.specialty.id, validUntil: '2026-13-01' }, 'validUntil'],
    ];
    for (const [body, field] of bad) {
      const res = await apiCall<ErrorBody>(t, 'POST', '/api/integration/v1/referrals', misKey, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.fields ?? {})).toContain(field);
    }
    const mismatch = await apiCall<ErrorBody>(t, 'POST', '/api/integration/v1/referrals', misKey, {
      patient: { ...identity(), birthDate: '1970-01-01' },
      specialtyId: cardio.specialty.id,
    });
    // Unknown to the register yet: registered. A second call with another birth date disagrees with it.
    expect(mismatch.status).toBe(201);
    const before2 = await writtenState();
    const clash = await apiCall<ErrorBody>(t, 'POST', '/api/integration/v1/referrals', misKey, {
      patient: identity(),
      specialtyId: cardio.specialty.id,
    });
    expect([clash.status, clash.body.code]).toEqual([409, 'PATIENT_IDENTITY_MISMATCH']);
    expect(await writtenState()).toEqual(before2);
    expect(before2.r).toBe(before.r + 1);
    // That referral was for another birth date's register row: revoke it for the tests below.
    const revoked = await apiCall<IntegrationReferral>(
      t,
      'POST',
      `/api/integration/v1/referrals/${(mismatch.body as unknown as IntegrationReferral).id}/revoke`,
      misKey,
    );
    expect(revoked.body.state).toBe('revoked');
    expect(revoked.body.revokedAt).not.toBeNull();
  });

  it('issues (201), the same externalId again returns it (200); lists, reads; another organisation’s key sees none of it', async () => {
    // The register row's identity must agree with the card file's: use a fresh patient for the API.
    const fresh = await createPatient(t);
    const body = {
      externalId: 'REF-1',
      patient: {
        lastName: fresh.person.lastName,
        firstName: fresh.person.firstName,
        middleName: fresh.person.middleName ?? undefined,
        birthDate: fresh.person.birthDate,
        sex: fresh.person.sex,
        snils: fresh.person.snils,
        policy: fresh.person.policy,
      },
      specialtyId: cardio.specialty.id,
      organisationId: cardio.organisation.id,
      validUntil: addDays(today, 9),
    };
    const first = await apiCall<IntegrationReferral>(t, 'POST', '/api/integration/v1/referrals', misKey, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      externalId: 'REF-1',
      organisation: { id: cardio.organisation.id },
      validFrom: today,
      validUntil: addDays(today, 9),
      state: 'valid',
      appointmentId: null,
      issuedBy: { doctorName: null },
    });
    const again = await apiCall<IntegrationReferral>(t, 'POST', '/api/integration/v1/referrals', misKey, body);
    expect([again.status, again.body.id]).toEqual([200, first.body.id]);
    const list = await apiCall<{ referrals: IntegrationReferral[] }>(
      t,
      'GET',
      `/api/integration/v1/referrals?patientId=${first.body.patientId}`,
      misKey,
    );
    expect(list.body.referrals.map((r) => r.id)).toEqual([first.body.id]);
    const one = await apiCall<IntegrationReferral>(t, 'GET', `/api/integration/v1/referrals/${first.body.id}`, misKey);
    expect(one.body.id).toBe(first.body.id);
    const theirs = await apiCall<ErrorBody>(t, 'GET', `/api/integration/v1/referrals/${first.body.id}`, otherMisKey);
    expect([theirs.status, theirs.body.code]).toEqual([404, 'REFERRAL_NOT_FOUND']);
    const before = await writtenState();
    const revoke = await apiCall<ErrorBody>(
      t,
      'POST',
      `/api/integration/v1/referrals/${first.body.id}/revoke`,
      otherMisKey,
    );
    expect([revoke.status, revoke.body.code]).toEqual([404, 'REFERRAL_NOT_FOUND']);
    expect(await writtenState()).toEqual(before);
    const otherList = await apiCall<{ referrals: IntegrationReferral[] }>(
      t,
      'GET',
      '/api/integration/v1/referrals',
      otherMisKey,
    );
    expect(otherList.body.referrals).toEqual([]);
    // The card file row of the same real person (same СНИЛС) shows the register's referral.
    const card = await fresh.client.get<CardFileResponse>('/api/cardfile');
    expect(card.body.persons[0].referrals.map((r) => r.id)).toEqual([first.body.id]);
  });
});

describe('booking a specialty «по направлению»', () => {
  let referralId: string;
  const slot = (i: number) => cardio.slots[i].id;

  it('without a referral: the specialty list says so, a hold and a booking are refused, the waitlist too; nothing written', async () => {
    const list = await patient.client.get<{ specialties: Specialty[] }>(
      `/api/specialties?personId=${patient.person.id}`,
    );
    expect(list.body.specialties.find((s) => s.id === cardio.specialty.id)).toMatchObject({
      byReferral: true,
      referralValidUntil: null,
    });
    const before = await writtenState();
    const hold = await patient.client.post<ErrorBody>('/api/holds', { slotId: slot(0), personId: patient.person.id });
    expect([hold.status, hold.body.code]).toEqual([409, 'REFERRAL_REQUIRED']);
    const booked = await patient.client.post<ErrorBody>('/api/appointments', {
      slotId: slot(0),
      personId: patient.person.id,
    });
    expect([booked.status, booked.body.code]).toEqual([409, 'REFERRAL_REQUIRED']);
    expect(booked.body.message).toContain('лечащий врач или участковый терапевт');
    const waitlist = await patient.client.post<ErrorBody>('/api/waitlist', {
      personId: patient.person.id,
      doctorId: cardio.doctor.id,
      kind: 'doctor',
    });
    expect(waitlist.status).toBe(409);
    expect(await writtenState()).toEqual(before);
  });

  it('a referral valid only until before the visit, or for another organisation, does not serve', async () => {
    const expiring = await issue(patient.person.id, { specialtyId: cardio.specialty.id, validUntil: today });
    expect(expiring.status).toBe(201);
    const elsewhere = await issue(patient.person.id, {
      specialtyId: cardio.specialty.id,
      organisationId: other.organisation.id,
    });
    expect(elsewhere.status).toBe(201);
    const before = await writtenState();
    const booked = await patient.client.post<ErrorBody>('/api/appointments', {
      slotId: slot(0),
      personId: patient.person.id,
    });
    expect([booked.status, booked.body.code]).toEqual([409, 'REFERRAL_NOT_VALID']);
    expect(await writtenState()).toEqual(before);
    for (const r of [expiring.body.id, elsewhere.body.id]) {
      expect((await doctor.client.post(`/api/doctor/referrals/${r}/revoke`)).status).toBe(200);
    }
  });

  it('with a valid referral: the specialty list names it, the booking uses it once', async () => {
    const issued = await issue(patient.person.id, { specialtyId: cardio.specialty.id });
    referralId = issued.body.id;
    const list = await patient.client.get<{ specialties: Specialty[] }>(
      `/api/specialties?personId=${patient.person.id}`,
    );
    expect(list.body.specialties.find((s) => s.id === cardio.specialty.id)?.referralValidUntil).toBe(
      addDays(today, 29),
    );
    const hold = await patient.client.post('/api/holds', { slotId: slot(0), personId: patient.person.id });
    expect(hold.status).toBe(200);
    const booked = await patient.client.post<AppointmentDetail>('/api/appointments', {
      slotId: slot(0),
      personId: patient.person.id,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const [row] = await t.ctx.db
      .select({ referralId: appointments.referralId })
      .from(appointments)
      .where(eq(appointments.id, booked.body.id));
    expect(row.referralId).toBe(referralId);
    const card = await patient.client.get<CardFileResponse>('/api/cardfile');
    const mine = card.body.persons.find((p) => p.id === patient.person.id);
    expect(mine?.referrals.find((r) => r.id === referralId)?.state).toBe('used');

    // A second booking with the same (only) referral, on another day.
    const before = await writtenState();
    const second = await patient.client.post<ErrorBody>('/api/appointments', {
      slotId: slot(2),
      personId: patient.person.id,
    });
    expect([second.status, second.body.code]).toEqual([409, 'REFERRAL_USED']);
    expect(await writtenState()).toEqual(before);

    // Cancelling gives it back: booked again.
    const cancelled = await patient.client.post(`/api/appointments/${booked.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const card2 = await patient.client.get<CardFileResponse>('/api/cardfile');
    expect(
      card2.body.persons.find((p) => p.id === patient.person.id)?.referrals.find((r) => r.id === referralId)?.state,
    ).toBe('valid');
    const rebooked = await patient.client.post<AppointmentDetail>('/api/appointments', {
      slotId: slot(2),
      personId: patient.person.id,
    });
    expect(rebooked.status, JSON.stringify(rebooked.body)).toBe(201);
    const [row2] = await t.ctx.db
      .select({ referralId: appointments.referralId })
      .from(appointments)
      .where(eq(appointments.id, rebooked.body.id));
    expect(row2.referralId).toBe(referralId);

    // A cancel through another channel (the registry desk) gives it back too.
    const registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: cardio.organisation.id });
    const deskCancel = await registrar.client.post(`/api/desk/appointments/${rebooked.body.id}/cancel`, {
      by: 'patient',
    });
    expect(deskCancel.status, JSON.stringify(deskCancel.body)).toBe(200);
    const card3 = await patient.client.get<CardFileResponse>('/api/cardfile');
    expect(
      card3.body.persons.find((p) => p.id === patient.person.id)?.referrals.find((r) => r.id === referralId)?.state,
    ).toBe('valid');
    const third = await patient.client.post<AppointmentDetail>('/api/appointments', {
      slotId: slot(3),
      personId: patient.person.id,
    });
    expect(third.status, JSON.stringify(third.body)).toBe(201);
  });

  it('someone else’s referral does not serve, nor show in their card file', async () => {
    const before = await writtenState();
    const booked = await stranger.client.post<ErrorBody>('/api/appointments', {
      slotId: slot(4),
      personId: stranger.person.id,
    });
    // The stranger's own referral was revoked above: none of theirs serves, and the patient's is not theirs.
    expect([booked.status, booked.body.code]).toEqual([409, 'REFERRAL_REQUIRED']);
    expect(await writtenState()).toEqual(before);
    const card = await stranger.client.get<CardFileResponse>('/api/cardfile');
    expect(card.body.persons.flatMap((p) => p.referrals.map((r) => r.id))).not.toContain(referralId);
    // Booking the patient's person from the stranger's account: not theirs.
    const foreign = await stranger.client.post<ErrorBody>('/api/appointments', {
      slotId: slot(4),
      personId: patient.person.id,
    });
    expect(foreign.status).toBe(404);
  });

  it('a person on moderation sees no referral of the СНИЛС they typed', async () => {
    const account = await createAccount(t.ctx);
    await createPerson(t.ctx, account.id, { isMain: true, status: 'pending', snils: patient.person.snils });
    const client = await sessionClient(t, account.id);
    const card = await client.get<CardFileResponse>('/api/cardfile');
    expect(card.body.persons[0].referrals).toEqual([]);
  });

  it('a time kept for referrals: only with a referral to that specialty', async () => {
    const eye = await createBookableSetup(t.ctx, { organisation: undefined, specialty: { name: 'офтальмолог' } });
    await t.ctx.db.update(slots).set({ channel: 'referral' }).where(eq(slots.id, eye.slots[0].id));
    const seen = await createPatient(t);
    const without = await seen.client.post<ErrorBody>('/api/appointments', {
      slotId: eye.slots[0].id,
      personId: seen.person.id,
    });
    expect([without.status, without.body.code]).toEqual([409, 'SLOT_NOT_FOR_PORTAL']);
    // A portal time of the same doctor needs none.
    const portal = await seen.client.post('/api/appointments', { slotId: eye.slots[1].id, personId: seen.person.id });
    expect(portal.status).toBe(201);
    await seen.client.post(`/api/appointments/${(portal.body as AppointmentDetail).id}/cancel`);
    // With a referral issued by the clinic's system of the eye clinic.
    const key = misKey; // the home clinic's system may refer to any organisation
    const issued = await apiCall<IntegrationReferral>(t, 'POST', '/api/integration/v1/referrals', key, {
      patient: {
        lastName: seen.person.lastName,
        firstName: seen.person.firstName,
        middleName: seen.person.middleName ?? undefined,
        birthDate: seen.person.birthDate,
        sex: seen.person.sex,
        snils: seen.person.snils,
        policy: seen.person.policy,
      },
      specialtyId: eye.specialty.id,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    // The schedule for this person shows the time kept for referrals; the shared page does not.
    const ids = (body: ScheduleResponse) => body.days.flatMap((d) => d.slots.map((x) => x.id));
    const forPerson = await seen.client.get<ScheduleResponse>(
      `/api/doctors/${eye.doctor.id}/schedule?personId=${seen.person.id}`,
    );
    expect(forPerson.status).toBe(200);
    expect(forPerson.headers['cache-control']).toBe('no-store');
    expect(ids(forPerson.body)).toContain(eye.slots[0].id);
    const shared = await seen.client.get<ScheduleResponse>(`/api/doctors/${eye.doctor.id}/schedule`);
    expect(ids(shared.body)).not.toContain(eye.slots[0].id);
    // Without a referral (the stranger), or someone else's person: not shown, refused.
    const noReferral = await stranger.client.get<ScheduleResponse>(
      `/api/doctors/${eye.doctor.id}/schedule?personId=${stranger.person.id}`,
    );
    expect(ids(noReferral.body)).not.toContain(eye.slots[0].id);
    const foreign = await stranger.client.get<ErrorBody>(
      `/api/doctors/${eye.doctor.id}/schedule?personId=${seen.person.id}`,
    );
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PERSON_NOT_FOUND']);
    const hold = await seen.client.post('/api/holds', { slotId: eye.slots[0].id, personId: seen.person.id });
    expect(hold.status, JSON.stringify(hold.body)).toBe(200);
    const withIt = await seen.client.post<AppointmentDetail>('/api/appointments', {
      slotId: eye.slots[0].id,
      personId: seen.person.id,
    });
    expect(withIt.status, JSON.stringify(withIt.body)).toBe(201);
    const [row] = await t.ctx.db
      .select({ referralId: appointments.referralId })
      .from(appointments)
      .where(eq(appointments.id, withIt.body.id));
    expect(row.referralId).toBe(issued.body.id);
    expect(await referralCount()).toBeGreaterThan(0);
  });

  it('the database keeps one visit not cancelled per referral', async () => {
    const [used] = await t.ctx.db
      .select({ slotId: appointments.slotId, personId: appointments.personId, doctorId: appointments.doctorId })
      .from(appointments)
      .where(eq(appointments.referralId, referralId));
    const [free] = await createSlots(t.ctx, cardio.doctor.id, [zonedToInstant(addDays(today, 5), '12:00', tz)]);
    await expect(
      t.ctx.db.insert(appointments).values({
        reference: 'ПР-REFTEST1',
        slotId: free.id,
        personId: used.personId,
        doctorId: used.doctorId,
        startAt: free.startAt,
        endAt: free.endAt,
        status: 'booked',
        source: 'registry',
        referralId,
      }),
    ).rejects.toThrow();
    const rows = await t.ctx.db.select({ id: referrals.id }).from(referrals).where(eq(referrals.id, referralId));
    expect(rows).toHaveLength(1);
  });
});

describe('the waiting list of a specialty «по направлению»', () => {
  it('offers a freed time to the oldest entry whose referral serves that day, passing over one that lapses before it', async () => {
    const line = await createBookableSetup(t.ctx, { specialty: { name: 'эндокринолог' } });
    await t.ctx.db.update(specialties).set({ selfBooking: false }).where(eq(specialties.id, line.specialty.id));
    // Every time of the doctor is taken (the waitlist is for a doctor with none free); the one on day 2 by a portal patient.
    const holder = await createPatient(t);
    const [onDay2, ...others] = [line.slots[2], ...line.slots.filter((_, i) => i !== 2)];
    const held = await createAppointmentRow(t.ctx, onDay2, holder.person.id, {
      source: 'portal',
      bookedByAccountId: holder.account.id,
    });
    for (const s of others)
      await createAppointmentRow(t.ctx, s, (await createPatient(t)).person.id, { source: 'registry' });
    const lapsing = await createPatient(t);
    const lasting = await createPatient(t);
    await seenByTherapist(lapsing.person);
    await seenByTherapist(lasting.person);
    // The first referral ends today (before the freed day 2), the second lasts 30 days.
    expect((await issue(lapsing.person.id, { specialtyId: line.specialty.id, validUntil: today })).status).toBe(201);
    expect((await issue(lasting.person.id, { specialtyId: line.specialty.id })).status).toBe(201);
    for (const p of [lapsing, lasting]) {
      const joined = await p.client.post('/api/waitlist', {
        personId: p.person.id,
        doctorId: line.doctor.id,
        kind: 'doctor',
      });
      expect(joined.status, JSON.stringify(joined.body)).toBe(201);
      t.clock.advance(60_000); // the lapsing one holds the older place
    }
    expect((await holder.client.post(`/api/appointments/${held.id}/cancel`)).status).toBe(200);
    const offered = await queryRows<{ person_id: string }>(
      t.ctx.db,
      sql`select e.person_id from waitlist_offers o join waitlist_entries e on e.id = o.entry_id
           where o.slot_id = ${onDay2.id} and o.status = 'pending'`,
    );
    expect(offered.map((o) => o.person_id)).toEqual([lasting.person.id]);
  });
});
