// Free text on every route (SPEC section 9, shared/text.ts), generated from the app's own
// route list: every route in the OpenAPI document (built from the zod schemas each route
// registers) with a string field in its JSON body or query string gets, in each such field in
// turn, a NUL, a right-to-left override and a zero-width space, sent as the role the route
// serves (patient, moderator, operator, registrar, doctor, clinic administrator, the kiosk,
// a clinic system's API key). Every answer must be a 4xx with a code from the catalogue (a
// FHIR OperationOutcome on /fhir), naming the field, never a 500, and no table may change.
// A route added later is covered without touching this file; the other fields of each body
// are filled with valid values generated from the schema, so the field under test is the one refused.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { accounts } from '../../src/server/db/schema.js';
import { errorCatalogue } from '../../src/server/errors.js';
import type { KioskIdentifyResponse } from '../../src/shared/api/index.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { clientWithSession } from '../factories/sessions.js';
import { createSignedInStaff } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext } from '../support/context.js';
import { changedTables, tableDigests, type TableDigests } from '../support/db-dump.js';
import { issueKey } from './integration-api.helpers.js';

// ---------- the JSON schemas of the OpenAPI document ----------

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minItems?: number;
  nullable?: boolean;
  default?: unknown;
}
interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
type Path = Array<string | number>;

const isString = (s: JsonSchema) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));

/** Values that pass a string field's format, chosen by the field's name first, then by its pattern. */
function sampleString(name: string, s: JsonSchema): string {
  if (s.enum?.length) return String(s.enum[0]);
  if (s.const !== undefined) return String(s.const);
  if (s.format === 'uuid') return randomUUID();
  if (s.format === 'email') return `someone.${Math.random().toString(36).slice(2, 8)}@example.test`;
  if (s.format === 'uri') return 'https://push.example.test/subscription/1';
  if (s.format === 'date-time') return '2026-12-01T10:00:00+04:00';
  const byName: Record<string, string[]> = {
    snils: [snilsWithChecksum('112233445')],
    policy: ['1234567890123456'],
    birthDate: ['1990-05-05'],
    password: ['Надёжный-пароль-7'],
    token: ['abcdefghijklmnopqrstuvwxyz012345'],
    phone: ['+79001234567'],
    timeZone: ['Europe/Samara'],
    externalId: ['ext-1'],
  };
  const candidates = [
    ...(byName[name] ?? []),
    'Иванова',
    'Текст',
    '2026-12-01',
    '10:00',
    '1',
    '1234567890123456',
    '+7 900 000-00-00',
    'ext-1',
    'abcdefghij',
    'Practitioner/1',
  ];
  const re = s.pattern ? new RegExp(s.pattern, 'u') : null;
  const fits = (v: string) =>
    (!re || re.test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
  return candidates.find(fits) ?? 'Текст';
}

/** A value that passes the schema (as far as a schema says: domain rules may still refuse it). */
function sample(name: string, s: JsonSchema): unknown {
  if (s.default !== undefined) return s.default;
  const branch = s.oneOf?.[0] ?? s.anyOf?.[0] ?? s.allOf?.[0];
  if (branch && !s.type) return sample(name, branch);
  if (s.enum?.length) return s.enum[0];
  if (isString(s)) return sampleString(name, s);
  if (s.type === 'integer' || s.type === 'number') return Math.max(1, s.minimum ?? 1);
  if (s.type === 'boolean') return false;
  // Arrays get at least one element, so the element's fields exist to be spoiled.
  if (s.type === 'array')
    return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => sample(name, s.items ?? {}));
  if (s.type === 'object' || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(k, v);
    return out;
  }
  return null;
}

interface StringField {
  path: Path;
  schema: JsonSchema;
}

/**
 * Every string field of a body, with the base body that holds it: one base per branch of a
 * union (a search by полис, by СНИЛС, by name), array items as their first element.
 */
function bodyCases(s: JsonSchema): Array<{ base: Record<string, unknown>; fields: StringField[] }> {
  const branches = s.oneOf ?? s.anyOf ?? [s];
  return branches.map((b) => {
    const base = sample('', b) as Record<string, unknown>;
    const fields: StringField[] = [];
    const walk = (schema: JsonSchema, path: Path) => {
      const variant = schema.oneOf ?? schema.anyOf;
      if (variant && !schema.type) {
        for (const v of variant) walk(v, path);
        return;
      }
      if (isString(schema)) fields.push({ path, schema });
      else if (schema.type === 'array' && schema.items) walk(schema.items, [...path, 0]);
      else if (schema.properties) for (const [k, v] of Object.entries(schema.properties)) walk(v, [...path, k]);
    };
    walk(b, []);
    return { base, fields: dedupe(fields) };
  });
}
function dedupe(fields: StringField[]): StringField[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const k = f.path.join('.');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function withValue<T>(base: T, path: Path, value: unknown): T {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((k) => {
    if (node[k] === undefined || node[k] === null) node[k] = typeof path[path.indexOf(k) + 1] === 'number' ? [] : {};
    node = node[k] as Record<string | number, unknown>;
  });
  node[path[path.length - 1]] = value;
  return copy as T;
}

/** A path parameter value that passes its schema (the body or query under test is what fails). */
function pathValue(s: JsonSchema): string {
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
  const re = s.pattern ? new RegExp(s.pattern, 'u') : null;
  return ['1', 'ext-1', 'INTERNAL', 'abc'].find((v) => !re || re.test(v)) ?? '1';
}

// ---------- the characters and what "refused" means ----------

const SPOILERS: Array<[string, string]> = [
  ['NUL', '\u0000'],
  ['right-to-left override', '\u202E'],
  ['zero-width space', '\u200B'],
];
function spoil(value: unknown, ch: string): string {
  const v = typeof value === 'string' ? value : String(value ?? '');
  return v.length > 1 ? `${v.slice(0, 1)}${ch}${v.slice(1)}` : `${v}${ch}`;
}

/**
 * Not free text: a choice the schema checks against a list (the organisation's time zone,
 * validated against Intl's zone names). A spoiled value is refused, with the list's message.
 */
const CHOICE_FIELDS = new Set(['timeZone']);

/** ЕСИА's navigation routes answer a browser: a refusal is the error page (a 303 to it), not JSON. */
const NAVIGATION_ROUTES = new Set(['GET /api/esia/start', 'GET /api/esia/callback']);

/**
 * Secrets compared with a stored hash, not stored text: the answer is the failed sign-in
 * (nothing is written either way). New passwords (sign-up, reset) do refuse these characters.
 */
const SECRET_FIELDS: Record<string, { field: string; codes: string[] }> = {
  'POST /api/auth/login': { field: 'password', codes: ['INVALID_CREDENTIALS'] },
  'POST /api/esia/link': { field: 'password', codes: ['ESIA_PASSWORD_WRONG'] },
  'POST /api/account/delete': { field: 'password', codes: ['PASSWORD_WRONG'] },
};

// ---------- the app, its routes and a client for each role ----------

// ЕСИА on (at an address nothing answers: no request under test gets as far as calling it),
// so its routes answer as in production.
const t = await createTestContext({
  env: { ESIA_ENABLED: '1', ESIA_CLIENT_ID: 'PRIYOM-TEST', ESIA_BASE_URL: 'http://127.0.0.1:9' },
});
afterAll(async () => t.close());

const setup = await createBookableSetup(t.ctx);
const patient = await createPatient(t, { person: { birthDate: '1985-04-12' } });
const moderator = await signIn(
  t,
  ...((a) => [a.email, a.password] as const)(await createAccount(t.ctx, { role: 'moderator' })),
);
const operatorAccount = await createAccount(t.ctx, { role: 'operator' });
const operator = await signIn(t, operatorAccount.email, operatorAccount.password);
const registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id });
const doctor = await createSignedInStaff(t, {
  role: 'doctor',
  organisationId: setup.organisation.id,
  doctorId: setup.doctor.id,
});
const clinicAdminId = (
  await t.ctx.db
    .insert(accounts)
    .values({
      email: 'clinic.admin@clinic.example.test',
      role: 'clinic_admin',
      organisationId: setup.organisation.id,
      emailConfirmedAt: t.ctx.now(),
      createdAt: t.ctx.now(),
    })
    .returning({ id: accounts.id })
)[0].id;
const clinicAdmin = await clientWithSession(t, clinicAdminId, 'password');
// Signed-in clients fetch their CSRF token again for the session they now have.
for (const c of [patient.client, moderator, operator, registrar.client, doctor.client]) c.csrfToken = null;
// A clinic information system's key: every integration route serves it (the schedule routes only it).
const apiKey = (await issueKey(operator, { organisationId: setup.organisation.id, channel: 'mis' })).key;
// A browser switched to kiosk mode, and the patient identified on it.
const kiosk = await clientWithSession(t, registrar.id, 'password');
const enrolled = await kiosk.post('/api/kiosk/devices', { label: 'Холл, 1 этаж' });
kiosk.csrfToken = null;
if (enrolled.status !== 201)
  throw new Error(`kiosk enrolment failed: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
const identified = await kiosk.post<KioskIdentifyResponse>('/api/kiosk/identify', {
  policy: patient.person.policy,
  birthDate: '1985-04-12',
});
if (identified.status !== 200)
  throw new Error(`kiosk identification failed: ${identified.status} ${JSON.stringify(identified.body)}`);
const kioskPatientHeader = { 'x-kiosk-patient': identified.body.patientToken };
const anonymous = t.client();

type Answer = { status: number; body: unknown; location?: string };
type Caller = { name: string; send(method: string, url: string, body?: unknown): Promise<Answer> };
const viaClient = (name: string, client: TestClient, headers: Record<string, string> = {}): Caller => ({
  name,
  async send(method, url, body) {
    const res = await client.request(method as 'GET', url, body, headers);
    return { status: res.status, body: res.body, location: res.headers.location?.toString() };
  },
});
const viaKey: Caller = {
  name: 'API key',
  async send(method, url, body) {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${apiKey}` },
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as unknown) : null };
  },
};

/** The role a route serves, read from its path (the same split as the route files). */
function callerFor(method: string, path: string): Caller {
  if (path.startsWith('/api/integration/') || path.startsWith('/fhir/')) return viaKey;
  if (path.startsWith('/api/kiosk/devices')) return viaClient('registrar', registrar.client);
  if (path === '/api/kiosk/identify') return viaClient('kiosk', kiosk);
  if (path.startsWith('/api/kiosk/')) return viaClient('kiosk + patient', kiosk, kioskPatientHeader);
  if (path.startsWith('/api/desk/')) return viaClient('registrar', registrar.client);
  if (path.startsWith('/api/doctor/')) return viaClient('doctor', doctor.client);
  if (path.startsWith('/api/moderation/')) return viaClient('moderator', moderator);
  if (path.startsWith('/api/operator/')) return viaClient('operator', operator);
  if (path.startsWith('/api/clinic/')) return viaClient('clinic administrator', clinicAdmin);
  if (path.startsWith('/api/auth/') || path === '/api/esia/start' || path === '/api/esia/callback')
    return viaClient('anonymous', anonymous);
  void method;
  return viaClient('patient', patient.client);
}

interface RouteCase {
  key: string;
  method: string;
  url: string;
  caller: Caller;
  where: 'body' | 'query';
  base: Record<string, unknown>;
  field: StringField;
  /** For a query case: a valid JSON body when the route takes one, so only the query is refused. */
  body?: Record<string, unknown>;
}

const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
const cases: RouteCase[] = [];
const routesWithText = new Set<string>();
for (const [path, operations] of Object.entries(doc.paths)) {
  for (const [lower, op] of Object.entries(operations)) {
    const method = lower.toUpperCase();
    const key = `${method} ${path}`;
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const p = op.parameters?.find((q) => q.in === 'path' && q.name === name);
      return encodeURIComponent(pathValue(p?.schema ?? {}));
    });
    const caller = callerFor(method, path);
    const body = op.requestBody?.content?.['application/json']?.schema;
    if (body) {
      for (const { base, fields } of bodyCases(body)) {
        for (const field of fields) {
          cases.push({ key, method, url, caller, where: 'body', base, field });
          routesWithText.add(key);
        }
      }
    }
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    // Only the required parameters beside the one under test: an optional one left out is valid,
    // while a generic sample may not be (a FHIR date prefix, a signed cursor) and would be refused first.
    const queryBase: Record<string, unknown> = {};
    for (const q of query) {
      const s = q.schema.anyOf?.find(isString) ?? q.schema;
      if (q.required) queryBase[q.name] = sample(q.name, s);
    }
    for (const q of query) {
      const s = q.schema.anyOf?.find(isString) ?? q.schema;
      if (!isString(s)) continue;
      // Lists left empty: a generated item may break a rule across its fields (an end before its start).
      const sampled = body ? bodyCases(body)[0]?.base : undefined;
      const validBody = sampled
        ? Object.fromEntries(Object.entries(sampled).map(([k, v]) => [k, Array.isArray(v) ? [] : v]))
        : undefined;
      cases.push({
        key,
        method,
        url,
        caller,
        where: 'query',
        base: queryBase,
        field: { path: [q.name], schema: s },
        body: validBody,
      });
      routesWithText.add(key);
    }
  }
}

// ---------- the table ----------

// One ordinary call per caller first: the bookkeeping of a first call (an API key's or a
// kiosk's "last used", written at most once a minute on the fixed test clock) is done before
// the fingerprint is taken.
await viaKey.send('GET', '/api/integration/v1/doctors');
await kiosk.request('GET', '/api/kiosk/home', undefined, kioskPatientHeader);
for (const c of [patient.client, moderator, operator, registrar.client, doctor.client, clinicAdmin, anonymous])
  await c.get('/api/session');
let digests: TableDigests = await tableDigests(t);

describe('free text on every route, generated from the route list', () => {
  it('the route list is read from the app: the known free-text routes are among them', () => {
    for (const key of [
      'POST /api/operator/api-keys',
      'POST /api/kiosk/devices',
      'POST /api/moderation/persons/{id}/reject',
      'POST /api/persons',
      'POST /api/desk/patients',
      'POST /api/desk/patients/search',
      'POST /api/integration/v1/appointments',
      'GET /fhir/R4/Slot',
      'GET /api/esia/callback',
    ]) {
      expect(routesWithText, key).toContain(key);
    }
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases.map((c) => [`${c.key} ${c.where}.${c.field.path.join('.')} as ${c.caller.name}`, c] as const))(
    '%s',
    async (_name, c) => {
      const fieldKey = c.field.path.join('.');
      for (const [what, ch] of SPOILERS) {
        const spoiled = withValue(c.base, c.field.path, spoil(getAt(c.base, c.field.path), ch));
        let url = c.url;
        // A query case sends the route's valid body, or none (FHIR's POST _search takes a form body or nothing).
        let body: unknown = c.body;
        if (c.where === 'body') body = spoiled;
        else {
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(spoiled)) if (v !== undefined && v !== null) qs.set(k, String(v));
          url = `${url}?${qs.toString()}`;
        }
        const res = await c.caller.send(c.method, url, body);
        const label = `${what} in ${c.where}.${fieldKey}: ${res.status} ${JSON.stringify(res.body)}`;
        const answer = res.body as {
          code?: string;
          fields?: Record<string, string>;
          resourceType?: string;
          issue?: Array<{ details?: { coding?: Array<{ code: string }> }; diagnostics?: string }>;
        };
        const secret = SECRET_FIELDS[c.key];
        const after = await tableDigests(t);
        const written = changedTables(digests, after);
        digests = after;
        expect(written, `nothing written: ${label}`).toEqual([]);
        if (NAVIGATION_ROUTES.has(c.key)) {
          expect(res.status, label).toBe(303);
          expect(res.location, label).toBe('/esia/error?code=ESIA_REFUSED');
          continue;
        }
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        expect(res.status, label).toBeLessThan(500);
        if (c.url.startsWith('/fhir/')) {
          // FHIR answers with an OperationOutcome naming the parameter.
          expect(answer.resourceType, label).toBe('OperationOutcome');
          expect(answer.issue?.[0]?.details?.coding?.[0]?.code, label).toBe('VALIDATION_FAILED');
          expect(answer.issue?.[0]?.diagnostics, label).toContain(String(c.field.path[0]));
        } else if (secret && secret.field === fieldKey) {
          expect(secret.codes, label).toContain(answer.code);
        } else {
          expect(answer.code, label).toBe('VALIDATION_FAILED');
          expect(Object.keys(errorCatalogue), label).toContain(answer.code);
          const message = answer.fields?.[fieldKey];
          expect(message, `the field is named: ${label}`).toBeTruthy();
          // A field that is only text (no pattern, format or list of values) is refused by the free-text rule itself.
          if (
            !c.field.schema.pattern &&
            !c.field.schema.format &&
            !c.field.schema.enum &&
            !CHOICE_FIELDS.has(fieldKey)
          ) {
            expect(message, label).toMatch(/недопустимые символы/);
          }
        }
      }
    },
  );
});

function getAt(base: unknown, path: Path): unknown {
  let node = base as Record<string | number, unknown> | undefined;
  for (const k of path) node = node?.[k] as Record<string | number, unknown> | undefined;
  return node;
}
