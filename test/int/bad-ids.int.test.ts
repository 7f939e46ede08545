// Integer ids from clients are decimal digits in PostgreSQL's integer range, on every route:
// `0x10` is not slot 16, `1e20` is not a database error. Path and query ids are found in the
// app's own route list (a new route with an id parameter is covered here without edits); body
// ids are listed below, and a body schema with an id field missing from the list fails the test.
// Every refusal is 400 VALIDATION_FAILED naming the field (an OperationOutcome on /fhir) and
// no table changes. Also: small reads are batched, so one bad id must not fail its neighbours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { RouteOptions } from 'fastify';
import type { ZodType } from 'zod';
import { build } from '../../src/server/app.js';
import { queryRows } from '../../src/server/db/index.js';
import { accounts } from '../../src/server/db/schema.js';
import { createTestContext, type TestContext } from '../support/context.js';
import type { TestClient } from '../support/client.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createPatient, type PersonRow } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff } from '../factories/staff.js';
import { sessionClient } from './booking.helpers.js';
import { issueKey } from './integration-api.helpers.js';

/** Written as a client could send them in a path or a query string; none is an id. */
const BAD_TEXT_IDS = [
  '0x10',
  '1e3',
  ' 16',
  '16 ',
  '16.0',
  '+16',
  '-1',
  '0',
  '016',
  '2147483648',
  '99999999999999999999',
  'abc',
  '',
];
/** Sent as JSON values of an id field of a body; none is an id. */
const BAD_BODY_IDS: unknown[] = ['16', '0x10', '1e3', 16.5, -1, 0, 2147483648, 1e20, null, true, [16]];
/** Well-formed and in range, but no such row: the route gets past validation (404, 409 …). */
const ABSENT = '2147483647';
/** Routes whose path id is a uuid (a visit), and a well-formed absent one. */
const UUID_PATHS = new Set(['POST /api/appointments/:id/move', 'POST /api/doctor/patients/:patientId/referrals']);
const ABSENT_UUID = '00000000-0000-4000-8000-000000000000';

interface Caller {
  name: string;
  client: TestClient;
  headers?: Record<string, string>;
}

let t: TestContext;
let setup: BookableSetup;
let callers: Caller[];
let routes: RouteOptions[];
let registerPatient: PersonRow;
let patientPerson: PersonRow;

/** Bookkeeping a caller's every request updates (an API key's or a kiosk's last use): not data written. */
const BOOKKEEPING = new Set(['last_used_at', 'last_seen_at']);

/** Every table's content as one digest per table: "nothing written" covers them all. */
async function snapshot(): Promise<Record<string, string>> {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    t.ctx.db,
    sql`select table_name, column_name from information_schema.columns
         where table_schema = 'public' and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE')
         order by table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns)
    if (!BOOKKEEPING.has(c.column_name))
      byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  const out: Record<string, string> = {};
  for (const [name, cols] of byTable) {
    const row = sql.join(
      cols.map((c) => sql.identifier(c)),
      sql`, `,
    );
    const rows = await queryRows<{ digest: string | null }>(
      t.ctx.db,
      sql`select md5(coalesce(string_agg(x, '|' order by x), '')) as digest from (select row(${row})::text as x from ${sql.identifier(name)}) r`,
    );
    out[name] = rows[0].digest ?? '';
  }
  return out;
}

async function send(caller: Caller, method: string, url: string, body?: unknown) {
  return caller.client.request<Record<string, unknown>>(method as 'GET', url, body, caller.headers ?? {});
}

const isFhir = (url: string) => url.startsWith('/fhir/');

/** Whether a 400 answer is a refusal of `field` (the app's VALIDATION_FAILED, or FHIR's OperationOutcome). */
function refusesField(url: string, res: { status: number; body: Record<string, unknown> }, field: string): boolean {
  if (res.status !== 400) return false;
  if (isFhir(url)) {
    const outcome = (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as Record<string, unknown>;
    const issue = (outcome.issue as { details: { coding: { code: string }[]; text: string } }[] | undefined)?.[0];
    return issue?.details.coding[0].code === 'VALIDATION_FAILED' && issue.details.text.includes(`Параметр ${field}`);
  }
  return (
    res.body.code === 'VALIDATION_FAILED' && field in ((res.body.fields as Record<string, string> | undefined) ?? {})
  );
}

/** Keys of a zod object schema whose value schema reads the text '16' as the number 16: integer ids. */
function intIdKeys(schema: unknown, keyFilter: (key: string) => boolean = () => true): string[] {
  const shape = (schema as { shape?: Record<string, ZodType> } | undefined)?.shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([key, s]) => keyFilter(key) && s.safeParse('16').data === 16)
    .map(([key]) => key);
}

/** Keys of a body schema that are integer ids (a number field named …Id / id). */
function bodyIdKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, ZodType> } | undefined)?.shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([key, s]) => /(^id|Id)$/.test(key) && s.safeParse(16).success)
    .map(([key]) => key);
}

const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');

/** The first caller allowed past the route's guards with a well-formed id (not 401/403). */
async function callerFor(method: string, url: string, body?: unknown): Promise<Caller | null> {
  for (const caller of callers) {
    const res = await send(caller, method, url, body);
    if (res.status !== 401 && res.status !== 403) return caller;
  }
  return null;
}

beforeAll(async () => {
  t = await createTestContext();
  setup = await createBookableSetup(t.ctx);
  const listed: RouteOptions[] = [];
  const lister = await build(t.ctx, { logger: false, onRoute: (r) => listed.push(r) });
  await lister.close();
  routes = listed;

  const patient = await createPatient(t);
  patientPerson = patient.person;
  registerPatient = await createRegisterPatient(t.ctx);
  const registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id });
  const doctor = await createSignedInStaff(t, {
    role: 'doctor',
    organisationId: setup.organisation.id,
    doctorId: setup.doctor.id,
  });
  const clinicAdmin = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: setup.organisation.id });
  const [operatorRow] = await t.ctx.db
    .insert(accounts)
    .values({ email: 'operator-bad-ids@example.test', role: 'operator', emailConfirmedAt: t.ctx.now() })
    .returning({ id: accounts.id });
  const [moderatorRow] = await t.ctx.db
    .insert(accounts)
    .values({ email: 'moderator-bad-ids@example.test', role: 'moderator', emailConfirmedAt: t.ctx.now() })
    .returning({ id: accounts.id });
  const operator = await sessionClient(t, operatorRow.id);
  const moderator = await sessionClient(t, moderatorRow.id);
  const mis = await issueKey(operator, { organisationId: setup.organisation.id, channel: 'mis' });

  // A kiosk of the organisation (enrolled by a second registrar session) with an identified patient.
  const kioskStaff = await createSignedInStaff(t, { role: 'registrar', organisationId: setup.organisation.id });
  const kiosk = kioskStaff.client;
  expect((await kiosk.post('/api/kiosk/devices', { label: 'Холл' })).status).toBe(201);
  const identified = await kiosk.post<{ patientToken: string }>('/api/kiosk/identify', {
    policy: patientPerson.policy,
    birthDate: patientPerson.birthDate,
  });
  expect(identified.status, JSON.stringify(identified.body)).toBe(200);

  callers = [
    { name: 'anonymous', client: t.client() },
    { name: 'patient', client: patient.client },
    { name: 'registrar', client: registrar.client },
    { name: 'doctor', client: doctor.client },
    { name: 'clinic administrator', client: clinicAdmin.client },
    { name: 'operator', client: operator },
    { name: 'moderator', client: moderator },
    { name: 'kiosk', client: kiosk, headers: { 'x-kiosk-patient': identified.body.patientToken } },
    { name: 'clinic system', client: t.client(), headers: { authorization: `Bearer ${mis.key}` } },
  ];
});
afterAll(async () => t.close());

describe('ids in paths', () => {
  it('every route with an integer id in its path refuses anything but decimal digits in range, and writes nothing', async () => {
    const cases = routes.flatMap((r) =>
      intIdKeys(r.schema?.params).flatMap((key) => methodsOf(r).map((method) => ({ method, url: r.url, key }))),
    );
    // The route list is read, not guessed: these must be among what it found.
    expect(cases.map((c) => `${c.method} ${c.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/doctors/:id/schedule',
        'DELETE /api/holds/:slotId',
        'POST /api/desk/slots/:slotId/block',
        'GET /fhir/R4/Slot/:id',
        'GET /fhir/R4/Organization/:id',
        'GET /fhir/R4/Location/:id',
        'GET /fhir/R4/Practitioner/:id',
        'GET /fhir/R4/PractitionerRole/:id',
      ]),
    );
    const before = await snapshot();
    const problems: string[] = [];
    for (const c of cases) {
      const at = (id: string) => c.url.replace(`:${c.key}`, encodeURIComponent(id)).replace(/:[A-Za-z]+/g, ABSENT);
      const body = c.method === 'GET' || c.method === 'DELETE' ? undefined : {};
      const caller = await callerFor(c.method, at(ABSENT), body);
      if (!caller) {
        problems.push(`${c.method} ${c.url}: no test caller gets past its guards`);
        continue;
      }
      const good = await send(caller, c.method, at(ABSENT), body);
      if (refusesField(c.url, good, c.key)) problems.push(`${c.method} ${c.url}: refuses the well-formed id ${ABSENT}`);
      for (const bad of BAD_TEXT_IDS) {
        if (bad === '') continue; // an empty segment is another route (or none)
        const res = await send(caller, c.method, at(bad), body);
        if (!refusesField(c.url, res, c.key))
          problems.push(
            `${c.method} ${c.url} as ${caller.name} with ${JSON.stringify(bad)}: ${res.status} ${JSON.stringify(res.body)}`,
          );
      }
    }
    expect(problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('ids in query strings', () => {
  /** Other parameters a route needs, so that only the id can be what is refused. */
  const rest: Record<string, Record<string, string>> = {
    '/api/integration/v1/slots': { from: '2026-11-26', to: '2026-11-27' },
  };

  it('every query parameter …Id refuses anything but decimal digits in range', async () => {
    const cases = routes.flatMap((r) =>
      intIdKeys(r.schema?.querystring, (k) => /(^id|Id)$/.test(k)).flatMap((key) =>
        methodsOf(r).map((method) => ({ method, url: r.url, key })),
      ),
    );
    expect(cases.map((c) => `${c.method} ${c.url} ${c.key}`)).toEqual(
      expect.arrayContaining([
        'GET /api/doctors specialtyId',
        'GET /api/doctors organisationId',
        'GET /api/kiosk/doctors specialtyId',
        'GET /api/integration/v1/slots doctorId',
      ]),
    );
    const before = await snapshot();
    const problems: string[] = [];
    for (const c of cases) {
      const at = (id: string) => `${c.url}?${new URLSearchParams({ ...(rest[c.url] ?? {}), [c.key]: id })}`;
      const caller = await callerFor(c.method, at(ABSENT));
      if (!caller) {
        problems.push(`${c.method} ${c.url}: no test caller gets past its guards`);
        continue;
      }
      const good = await send(caller, c.method, at(ABSENT));
      if (good.status === 400)
        problems.push(
          `${c.method} ${c.url}: 400 with a well-formed ${c.key}; add its other parameters to \`rest\`: ${JSON.stringify(good.body)}`,
        );
      for (const bad of BAD_TEXT_IDS) {
        const res = await send(caller, c.method, at(bad));
        if (!refusesField(c.url, res, c.key))
          problems.push(
            `${c.method} ${c.url} ${c.key}=${JSON.stringify(bad)} as ${caller.name}: ${res.status} ${JSON.stringify(res.body)}`,
          );
      }
    }
    expect(problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('ids in bodies', () => {
  /** A valid body of each route with integer ids in its body (the id fields are replaced). */
  function bodies(): Record<string, Record<string, unknown>> {
    return {
      'POST /api/holds': { slotId: Number(ABSENT), personId: patientPerson.id },
      'POST /api/appointments': { slotId: Number(ABSENT), personId: patientPerson.id },
      'POST /api/appointments/:id/move': { slotId: Number(ABSENT) },
      'POST /api/waitlist': { personId: patientPerson.id, doctorId: Number(ABSENT), kind: 'doctor' },
      'POST /api/desk/appointments': { patientId: registerPatient.id, slotId: Number(ABSENT) },
      'POST /api/doctor/appointments': { patientId: registerPatient.id, slotId: Number(ABSENT) },
      'POST /api/doctor/patients/:patientId/referrals': {
        specialtyId: Number(ABSENT),
        organisationId: Number(ABSENT),
      },
      'POST /api/kiosk/devices': { label: 'Холл', organisationId: Number(ABSENT) },
      'POST /api/kiosk/appointments': { slotId: Number(ABSENT) },
      'POST /api/operator/api-keys': { organisationId: Number(ABSENT), channel: 'mis', label: 'Ключ' },
      'POST /api/clinic/doctors': {
        lastName: 'Тестова',
        firstName: 'Анна',
        specialtyId: Number(ABSENT),
        position: '',
        room: '1',
      },
      'PUT /api/clinic/doctors/:id': {
        lastName: 'Тестова',
        firstName: 'Анна',
        specialtyId: Number(ABSENT),
        position: '',
        room: '1',
      },
      'PUT /api/integration/v1/specialty-codes/:code': { specialtyId: Number(ABSENT) },
      'POST /api/integration/v1/appointments': {
        externalId: 'bad-ids-1',
        patient: {
          lastName: patientPerson.lastName,
          firstName: patientPerson.firstName,
          birthDate: patientPerson.birthDate,
          sex: patientPerson.sex,
          snils: patientPerson.snils,
          policy: patientPerson.policy,
        },
        slotId: Number(ABSENT),
      },
      'POST /api/integration/v1/referrals': {
        externalId: 'bad-ids-referral-1',
        patient: {
          lastName: patientPerson.lastName,
          firstName: patientPerson.firstName,
          birthDate: patientPerson.birthDate,
          sex: patientPerson.sex,
          snils: patientPerson.snils,
          policy: patientPerson.policy,
        },
        specialtyId: Number(ABSENT),
        organisationId: Number(ABSENT),
      },
    };
  }

  it('every body id field is covered by this test', () => {
    const found = routes.flatMap((r) =>
      bodyIdKeys(r.schema?.body).length ? methodsOf(r).map((m) => `${m} ${r.url}`) : [],
    );
    expect(found.sort()).toEqual(Object.keys(bodies()).sort());
  });

  it('refuses an id that is not a JSON integer in range, and writes nothing', async () => {
    const byRoute = new Map<string, RouteOptions>(
      routes.flatMap((r) => methodsOf(r).map((m) => [`${m} ${r.url}`, r] as const)),
    );
    const before = await snapshot();
    const problems: string[] = [];
    for (const [route, body] of Object.entries(bodies())) {
      const [method, path] = route.split(' ');
      // A path id is a well-formed absent one: only the body's id can be what is refused.
      const url = path.replace(/:[A-Za-z]+/g, UUID_PATHS.has(route) ? ABSENT_UUID : ABSENT);
      const keys = bodyIdKeys(byRoute.get(route)?.schema?.body).filter((k) => k in body);
      const caller = await callerFor(method, url, body);
      if (!caller) {
        problems.push(`${route}: no test caller gets past its guards`);
        continue;
      }
      for (const key of keys) {
        for (const bad of BAD_BODY_IDS) {
          const res = await send(caller, method, url, { ...body, [key]: bad });
          if (!refusesField(url, res, key))
            problems.push(
              `${route} ${key}=${JSON.stringify(bad)} as ${caller.name}: ${res.status} ${JSON.stringify(res.body)}`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('ids out of range', () => {
  it('answers 400 VALIDATION_FAILED for a doctor id beyond int, while a good read beside it succeeds', async () => {
    const c = t.client();
    const [bad, good] = await Promise.all([
      c.get<{ code: string }>('/api/doctors/2147483648/schedule'),
      c.get('/api/doctors/' + setup.doctor.id + '/schedule'),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(good.status).toBe(200);
  });

  it('reads 0x10 as no slot at all, not as slot 16', async () => {
    const c = t.client();
    const hex = await c.get<{ code: string; fields: Record<string, string> }>(
      '/api/doctors/0x' + setup.doctor.id.toString(16) + '/schedule',
    );
    expect(hex.status).toBe(400);
    expect(hex.body.fields.id).toBe('Неверный идентификатор');
  });
});
