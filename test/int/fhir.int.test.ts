// The integration API as HL7 FHIR R4: Schedule, Slot and Appointment searches as searchset
// Bundles in application/fhir+json, reads by id, OperationOutcome errors with 4xx, the same
// API keys, and nothing of another organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockSlotRows,
  createAppointmentRow,
  createBookableSetup,
  type BookableSetup,
} from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, issueKey } from './integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let key: string;
let otherKey: string;
let portalAppointmentId: string;
let patient: Awaited<ReturnType<typeof createPatient>>['person'];

type Resource = Record<string, unknown> & { resourceType: string; id?: string };
type Bundle = { resourceType: 'Bundle'; type: string; total: number; entry: { fullUrl: string; resource: Resource }[] };
type Outcome = {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; details: { coding: { code: string }[]; text: string } }[];
};

const R4 = '/fhir/R4';
// The demo zone is UTC+4: the three slot days are 26, 27 and 28 November local.
const window = 'start=ge2026-11-26&start=lt2026-11-29';

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, acc.email, acc.password);
  key = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  otherKey = (await issueKey(operator, { organisationId: other.organisation.id, channel: 'mis' })).key;
  const p = await createPatient(t);
  patient = p.person;
  portalAppointmentId = (
    await createAppointmentRow(t.ctx, clinic.slots[0], p.person.id, {
      source: 'portal',
      bookedByAccountId: p.account.id,
    })
  ).id;
  await blockSlotRows(t.ctx, [clinic.slots[5].id]);
});
afterAll(async () => t.close());

describe('Slot', () => {
  it('searches a doctor’s slots as a searchset Bundle in application/fhir+json', async () => {
    const res = await apiCall<Bundle>(t, 'GET', `${R4}/Slot?schedule=Schedule/${clinic.doctor.id}&${window}`, key);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 6 });
    expect(res.body.entry[0]).toMatchObject({
      fullUrl: `http://portal.test/fhir/R4/Slot/${clinic.slots[0].id}`,
      resource: {
        resourceType: 'Slot',
        id: String(clinic.slots[0].id),
        schedule: { reference: `Schedule/${clinic.doctor.id}` },
        status: 'busy',
        start: clinic.slots[0].startAt.toISOString(),
        end: clinic.slots[0].endAt.toISOString(),
      },
    });
    expect(res.body.entry.map((e) => e.resource.status)).toEqual([
      'busy',
      'free',
      'free',
      'free',
      'free',
      'busy-unavailable',
    ]);
    // Nothing about who holds a busy slot.
    expect(Object.keys(res.body.entry[0].resource).sort()).toEqual([
      'end',
      'id',
      'meta',
      'resourceType',
      'schedule',
      'start',
      'status',
    ]);
  });

  it('filters by status and by the start window', async () => {
    const free = await apiCall<Bundle>(
      t,
      'GET',
      `${R4}/Slot?schedule=Schedule/${clinic.doctor.id}&${window}&status=free`,
      key,
    );
    expect(free.body.entry.map((e) => e.resource.id)).toEqual(clinic.slots.slice(1, 5).map((s) => String(s.id)));
    const oneDay = await apiCall<Bundle>(t, 'GET', `${R4}/Slot?schedule=${clinic.doctor.id}&start=2026-11-27`, key);
    expect(oneDay.body.entry.map((e) => e.resource.id)).toEqual(clinic.slots.slice(2, 4).map((s) => String(s.id)));
    // Without a schedule: every doctor of the key's organisation, none of another's.
    const all = await apiCall<Bundle>(t, 'GET', `${R4}/Slot?${window}`, key);
    expect(new Set(all.body.entry.map((e) => (e.resource.schedule as { reference: string }).reference))).toEqual(
      new Set([`Schedule/${clinic.doctor.id}`]),
    );
  });

  it('reads one slot, and never another organisation’s', async () => {
    const res = await apiCall<Resource>(t, 'GET', `${R4}/Slot/${clinic.slots[1].id}`, key);
    expect(res.body).toMatchObject({ resourceType: 'Slot', status: 'free' });
    const foreign = await apiCall<Outcome>(t, 'GET', `${R4}/Slot/${other.slots[0].id}`, key);
    expect(foreign.status).toBe(404);
    expect(foreign.body.resourceType).toBe('OperationOutcome');
    expect(foreign.body.issue[0]).toMatchObject({
      severity: 'error',
      code: 'not-found',
      details: { coding: [{ code: 'SLOT_NOT_FOUND' }] },
    });
  });

  it.each([
    [`schedule=Schedule/${'__OTHER__'}&${window}`, 404, 'not-found', 'DOCTOR_NOT_FOUND'],
    [`schedule=Practitioner/1&${window}`, 400, 'invalid', 'VALIDATION_FAILED'],
    ['start=ge2026-11-26', 400, 'invalid', 'VALIDATION_FAILED'],
    ['start=ge2026-11-01&start=lt2026-12-05', 400, 'invalid', 'VALIDATION_FAILED'],
    ['start=ge2026-11-26&start=ltsoon', 400, 'invalid', 'VALIDATION_FAILED'],
    [`${window}&status=maybe`, 400, 'invalid', 'VALIDATION_FAILED'],
  ])('refuses Slot?%s with %i OperationOutcome (%s)', async (query, status, issue, code) => {
    const res = await apiCall<Outcome>(
      t,
      'GET',
      `${R4}/Slot?${query.replace('__OTHER__', String(other.doctor.id))}`,
      key,
    );
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].code).toBe(issue);
    expect(res.body.issue[0].details.coding[0].code).toBe(code);
    expect(res.body.issue[0].details.text).toMatch(/[А-Яа-я]/);
  });
});

describe('Schedule', () => {
  it('lists one Schedule per doctor of the organisation, or the one of an actor', async () => {
    const all = await apiCall<Bundle>(t, 'GET', `${R4}/Schedule`, key);
    expect(all.body.entry.map((e) => e.resource.id)).toEqual([String(clinic.doctor.id)]);
    expect(all.body.entry[0].resource).toMatchObject({
      resourceType: 'Schedule',
      active: true,
      actor: [{ reference: `Practitioner/${clinic.doctor.id}`, display: 'Петров Сергей Иванович' }],
    });
    const one = await apiCall<Bundle>(t, 'GET', `${R4}/Schedule?actor=Practitioner/${other.doctor.id}`, key);
    expect(one.body.total).toBe(0);
    expect((await apiCall(t, 'GET', `${R4}/Schedule/${clinic.doctor.id}`, key)).status).toBe(200);
    expect((await apiCall(t, 'GET', `${R4}/Schedule/${other.doctor.id}`, key)).status).toBe(404);
  });
});

describe('Appointment', () => {
  it('searches the organisation’s appointments by date and practitioner, the patient by reference', async () => {
    const res = await apiCall<Bundle>(
      t,
      'GET',
      `${R4}/Appointment?date=ge2026-11-26&date=lt2026-11-29&actor=Practitioner/${clinic.doctor.id}`,
      key,
    );
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    const a = res.body.entry[0].resource;
    expect(a).toMatchObject({
      resourceType: 'Appointment',
      id: portalAppointmentId,
      status: 'booked',
      start: clinic.slots[0].startAt.toISOString(),
      slot: [{ reference: `Slot/${clinic.slots[0].id}` }],
      participant: [
        { actor: { reference: `Patient/${patient.id}` } },
        { actor: { reference: `Practitioner/${clinic.doctor.id}` } },
      ],
    });
    // The patient's ФИО, СНИЛС and полис are the Patient resource's, not the appointment's.
    expect(JSON.stringify(a)).not.toContain(patient.snils);
    const byStatus = await apiCall<Bundle>(
      t,
      'GET',
      `${R4}/Appointment?date=ge2026-11-26&date=lt2026-11-29&status=cancelled`,
      key,
    );
    expect(byStatus.body.total).toBe(0);
    const read = await apiCall<Resource>(t, 'GET', `${R4}/Appointment/${portalAppointmentId}`, key);
    expect(read.body.id).toBe(portalAppointmentId);
  });

  it('shows another organisation nothing', async () => {
    const search = await apiCall<Bundle>(t, 'GET', `${R4}/Appointment?date=ge2026-11-26&date=lt2026-11-29`, otherKey);
    expect(search.body.entry.map((e) => e.resource.id)).not.toContain(portalAppointmentId);
    const read = await apiCall<Outcome>(t, 'GET', `${R4}/Appointment/${portalAppointmentId}`, otherKey);
    expect(read.status).toBe(404);
    expect(read.body.issue[0].details.coding[0].code).toBe('APPOINTMENT_NOT_FOUND');
    const practitioner = await apiCall<Outcome>(
      t,
      'GET',
      `${R4}/Appointment?date=ge2026-11-26&date=lt2026-11-29&actor=Practitioner/${clinic.doctor.id}`,
      otherKey,
    );
    expect(practitioner.status).toBe(404);
  });
});

describe('authentication and errors', () => {
  it.each([
    [null, 'API_KEY_MISSING'],
    ['priyom_' + 'y'.repeat(43), 'API_KEY_INVALID'],
  ])('refuses key %s with 401 OperationOutcome %s', async (k, code) => {
    const res = await apiCall<Outcome>(t, 'GET', `${R4}/Slot?${window}`, k);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'login', details: { coding: [{ code }] } }],
    });
  });

  it('answers an unknown resource with a 404 OperationOutcome, not the web app', async () => {
    const res = await apiCall<Outcome>(t, 'GET', `${R4}/Encounter?subject=x`, key);
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('publishes its CapabilityStatement without a key', async () => {
    const res = await apiCall<Resource>(t, 'GET', `${R4}/metadata`, null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });
});
