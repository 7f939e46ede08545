// The OpenAPI document as a code generator reads it (issue 17): an operationId on every
// operation, unique; the error shape as a component with 4xx answers; security schemes per
// guard, checked against the app's real answers (every operation called without credentials,
// and with a role it does not serve); servers; nullable enums that validate real answers;
// Redocly lint with no errors; and the contract checker (test/support/contract.ts) itself:
// a real `cancelledBy: null` validates, a wrong answer is reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessOf, EXTRA_ERRORS } from '../../src/server/openapi.rules.js';
import type { IntegrationAppointment } from '../../src/shared/api/index.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, signIn, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext } from '../support/context.js';
import { ContractChecker, type OpenApiDocument, type RecordedAnswer } from '../support/contract.js';
import { apiCall, issueKey } from './integration-api.helpers.js';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: { format?: string; pattern?: string };
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  security?: Array<Record<string, string[]>>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Doc extends OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string }> };
}

const t = await createTestContext();
afterAll(async () => t.close());
const doc = t.app.swagger() as unknown as Doc;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const operations = Object.entries(doc.paths).flatMap(([p, item]) =>
  Object.entries(item)
    .filter(([m]) => METHODS.has(m))
    .map(([m, op]) => ({ method: m.toUpperCase(), path: p, op })),
);

describe('the document', () => {
  it('has an operationId on every operation, unique, and servers from PUBLIC_URL', () => {
    expect(operations.length).toBeGreaterThan(100);
    const ids = operations.map((o) => o.op.operationId);
    for (const o of operations) expect(o.op.operationId, `${o.method} ${o.path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/appointments/{id}/cancel'].post.operationId).toBe('postAppointmentsByIdCancel');
    expect(doc.servers).toEqual([expect.objectContaining({ url: t.config.publicUrl })]);
  });

  it('gives every operation its security and, where it can fail, its 4xx answers with the error schema', () => {
    for (const name of ['sessionCookie', 'csrfToken', 'kioskCookie', 'kioskPatientToken', 'apiKey', 'apiKeyHeader'])
      expect(doc.components.securitySchemes[name], name).toBeDefined();
    expect(doc.components.schemas.ErrorBody).toMatchObject({ type: 'object', required: ['code', 'message'] });
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.security, where).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith('4')) continue;
        const media = path.startsWith('/fhir/') ? 'application/fhir+json' : 'application/json';
        const schema = response.content?.[media]?.schema;
        expect(schema, `${where} ${status}`).toBeDefined();
      }
    }
    const cancel = doc.paths['/api/appointments/{id}/cancel'].post;
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '429']));
    expect(cancel.responses['409'].content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
    expect(cancel.security).toEqual([{ sessionCookie: [], csrfToken: [] }]);
    const push = doc.paths['/api/integration/v1/appointments'].post;
    expect(push.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    expect(Object.keys(push.responses)).not.toContain('403'); // no CSRF, no roles
    // A public read without input promises no 4xx it cannot give.
    expect(Object.keys(doc.paths['/api/organisations'].get.responses)).toEqual(['200', 'default']);
    expect(doc.paths['/api/organisations'].get.security).toEqual([{}]);
    expect(doc.paths['/fhir/R4/Slot'].get.responses['400'].content?.['application/fhir+json']?.schema).toEqual({
      $ref: '#/components/schemas/OperationOutcome',
    });
  });

  it('lists null in every nullable enum (OpenAPI 3.0 does not add it)', () => {
    const lacking: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) {
        node.forEach((v, i) => {
          walk(v, `${at}/${i}`);
        });
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const n = node as { nullable?: boolean; enum?: unknown[] };
      if (n.nullable === true && Array.isArray(n.enum) && !n.enum.includes(null)) lacking.push(at);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(doc, '#');
    expect(lacking).toEqual([]);
    const feed = JSON.stringify(doc.paths['/api/integration/v1/appointments/{id}'].get.responses['200']);
    expect(feed).toContain('"cancelledBy":{"nullable":true,"type":"string","enum":["patient","clinic",null]}');
  });

  it('passes Redocly lint (recommended rules, redocly.yaml) with no errors', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'priyom-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
      const run = spawnSync(
        process.execPath,
        [cli, 'lint', file, '--config', path.resolve('redocly.yaml'), '--format', 'json'],
        { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      );
      const json = run.stdout.slice(run.stdout.indexOf('{'));
      const report = JSON.parse(json) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
      };
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
      expect(report.totals.errors).toBe(0);
      expect(run.status).toBe(0);
      // The warnings left are the ones redocly.yaml explains: navigation routes, public reads without input, one ambiguous pair.
      for (const p of report.problems)
        expect(['operation-2xx-response', 'operation-4xx-response', 'no-ambiguous-paths']).toContain(p.ruleId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// ---------- the guards in the document against the app's answers ----------

/** A path parameter value its schema accepts (nothing with this id exists). */
function pathValue(p: Parameter): string {
  if (p.schema?.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
  const re = p.schema?.pattern ? new RegExp(p.schema.pattern, 'u') : null;
  return ['1', 'ext-1', 'INTERNAL', 'abc'].find((v) => !re || re.test(v)) ?? '1';
}
const urlOf = (path: string, op: Operation) =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const p = op.parameters?.find((q) => q.in === 'path' && q.name === name);
    return encodeURIComponent(pathValue(p ?? { in: 'path', name }));
  });

const roleClients = new Map<string, TestClient>();
async function clientOf(role: 'patient' | 'moderator' | 'operator'): Promise<TestClient> {
  let c = roleClients.get(role);
  if (!c) {
    const a = await createAccount(t.ctx, { role });
    c = await signIn(t, a.email, a.password);
    c.csrfToken = null;
    roleClients.set(role, c);
  }
  return c;
}
/** The outsiders tried: no operation serves both. */
const ROLES: Array<'patient' | 'moderator'> = ['patient', 'moderator'];

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
}
/** Fields whose rule is more than their schema says (a zone from Intl's list, an age range). */
const BY_NAME: Record<string, unknown> = { timeZone: 'Europe/Samara', maxAge: 99 };
const STRINGS = ['10:00', '2026-12-01', 'Текст', '1', '1234567890123456', 'ext-1', 'Europe/Samara'];
/**
 * A value its schema accepts, so that routes which validate before they check the caller get
 * as far as the check (the guard's answer is what is under test, not the data).
 */
function sample(s: JsonSchema, name = ''): unknown {
  if (name in BY_NAME) return BY_NAME[name];
  if (s.default !== undefined) return s.default;
  const branch = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (branch && !s.type) return sample(branch, name);
  if (s.enum?.length) return s.enum[0];
  if (s.type === 'string') {
    if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
    if (s.format === 'uri') return 'https://push.example.test/subscription/1';
    if (s.format === 'email') return 'someone@example.test';
    const re = s.pattern ? new RegExp(s.pattern, 'u') : null;
    return (
      STRINGS.find((v) => (!re || re.test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 1e9)) ??
      'Текст'
    );
  }
  if (s.type === 'integer' || s.type === 'number') return Math.max(1, s.minimum ?? 1);
  if (s.type === 'boolean') return false;
  if (s.type === 'array') return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => sample(s.items ?? {}));
  if (s.type === 'object' || s.properties)
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, k)]));
  return null;
}

/** Calls an operation with inputs its schemas accept (bodies and query strings sampled). */
function call(client: TestClient, method: string, path: string, op: Operation) {
  const query = new URLSearchParams();
  for (const p of op.parameters ?? [])
    if (p.in === 'query' && p.required) query.set(p.name, String(sample((p.schema ?? {}) as JsonSchema)));
  const url = `${urlOf(path, op)}${query.size ? `?${query}` : ''}`;
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const body = method === 'GET' || method === 'DELETE' ? undefined : bodySchema ? sample(bodySchema) : {};
  return client.request(method as 'GET', url, body);
}

describe('security in the document is what the app enforces', () => {
  it('guarded operations answer 401 to a caller without credentials; public ones do not', async () => {
    const wrong: string[] = [];
    const anonymous = t.client();
    for (const { method, path, op } of operations) {
      const access = accessOf(method, path);
      const res = await call(anonymous, method, path, op);
      const guarded = access.kind !== 'public';
      const may401 = guarded || (EXTRA_ERRORS[`${method} ${path}`] ?? []).includes(401);
      if (guarded ? res.status !== 401 : res.status === 401 && !may401)
        wrong.push(`${method} ${path} (${access.kind}): ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('operations for some roles answer 403 FORBIDDEN to a signed-in account of another role', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations) {
      const access = accessOf(method, path);
      if (access.kind !== 'session' || !access.roles) continue;
      const outsider = ROLES.find((r) => !access.roles?.includes(r));
      if (!outsider) continue;
      const res = await call(await clientOf(outsider), method, path, op);
      checked++;
      const code = (res.body as { code?: string } | null)?.code;
      if (res.status !== 403 || code !== 'FORBIDDEN')
        wrong.push(`${method} ${path} as ${outsider}: ${res.status} ${code ?? ''}`);
    }
    expect(checked).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  }, 120_000);
});

// ---------- the contract checker ----------

describe('the contract checker', () => {
  it('validates a real answer with cancelledBy: null, and every answer this file got', async () => {
    const setup = await createBookableSetup(t.ctx);
    const operator = await clientOf('operator');
    const { key } = await issueKey(operator, { organisationId: setup.organisation.id, channel: 'electronic_queue' });
    const pushed = await apiCall<IntegrationAppointment>(t, 'POST', '/api/integration/v1/appointments', key, {
      externalId: `contract-${process.pid}`,
      slotId: setup.slots[0].id,
      patient: {
        lastName: 'Кузьмина',
        firstName: 'Ольга',
        middleName: 'Петровна',
        birthDate: '1979-03-15',
        sex: 'F',
        snils: uniqueSnils(),
        policy: uniquePolicy(),
      },
    });
    expect(pushed.status).toBe(201);
    expect(pushed.body.cancelledBy).toBeNull();
    const read = await apiCall<IntegrationAppointment>(
      t,
      'GET',
      `/api/integration/v1/appointments/${pushed.body.id}`,
      key,
    );
    expect(read.body.cancelledBy).toBeNull();

    const recorded = t.contract.answers.filter(
      (a) => a.route === '/api/integration/v1/appointments/:id' && a.status === 200,
    );
    expect(recorded.map((a) => [a.status, JSON.parse(a.body).cancelledBy])).toEqual([[200, null]]);
    // Every answer recorded so far in this file (the guard probes included) keeps the contract.
    expect(t.contract.answers.length).toBeGreaterThan(200);
    expect(new ContractChecker(doc).violations(t.contract.answers)).toEqual([]);

    // Against the document as @fastify/swagger left it (null missing from the enum), the same answer fails.
    const unrepaired = structuredClone(doc);
    const schema = JSON.stringify(unrepaired.paths['/api/integration/v1/appointments/{id}'].get.responses['200']);
    unrepaired.paths['/api/integration/v1/appointments/{id}'].get.responses['200'] = JSON.parse(
      schema.replace('"enum":["patient","clinic",null]', '"enum":["patient","clinic"]'),
    );
    const violations = new ContractChecker(unrepaired).violations(recorded);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain('/cancelledBy must be equal to one of the allowed values');
  });

  it('reports an undocumented status, a wrong media type and a body that breaks its schema', () => {
    const checker = new ContractChecker(doc);
    const answer = (a: Partial<RecordedAnswer>): RecordedAnswer => ({
      method: 'GET',
      route: '/api/organisations',
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ organisations: [] }),
      ...a,
    });
    expect(checker.check(answer({}))).toBeNull();
    expect(checker.check(answer({ status: 404, body: '{"code":"NOT_FOUND","message":"Не найдено."}' }))).toContain(
      'status not documented',
    );
    expect(checker.check(answer({ contentType: 'text/html' }))).toContain('media type text/html not documented');
    expect(checker.check(answer({ body: '{"organisations":[{"id":"x"}]}' }))).toContain('does not match the schema');
    // A 5xx falls to `default`, which is the error body.
    expect(checker.check(answer({ status: 503, body: '{"code":"DATABASE_UNAVAILABLE","message":"…"}' }))).toBeNull();
    expect(checker.check(answer({ status: 503, body: '{"message":1}' }))).toContain('does not match the schema');
    // Routes the document hides (health checks, the web app) are not checked.
    expect(checker.check(answer({ route: '/healthz' }))).toBeNull();
  });
});
