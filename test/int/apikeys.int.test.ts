// The operator's integration API keys through HTTP: issue (the full key once, only its HMAC
// and prefix stored), list, revoke, every change audit-logged; other roles refused; and the
// per-key rate limit of the integration API.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog } from '../../src/server/db/schema.js';
import type { ApiKeyIssued, ApiKeyItem } from '../../src/shared/api/index.js';
import { createOrganisation, type OrganisationRow } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createSignedInStaff } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, writtenCounts } from './integration-api.helpers.js';

const RATE = 5;
let t: TestContext;
let operator: TestClient;
let operatorEmail: string;
let org: OrganisationRow;

beforeAll(async () => {
  t = await createTestContext({ env: { INTEGRATION_RATE_PER_MINUTE: String(RATE) } });
  org = await createOrganisation(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  operatorEmail = acc.email;
  operator = await signIn(t, acc.email, acc.password);
});
afterAll(async () => t.close());

describe('issuing, listing and revoking keys', () => {
  it('shows the full key once and stores only its HMAC and prefix', async () => {
    const res = await operator.post<ApiKeyIssued>('/api/operator/api-keys', {
      organisationId: org.id,
      channel: 'electronic_queue',
      label: 'Электронная очередь, корпус 1',
    });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { key, apiKey } = res.body;
    expect(key).toMatch(/^priyom_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      prefix: key.slice(0, 15),
      organisation: { id: org.id, shortName: org.shortName },
      channel: 'electronic_queue',
      label: 'Электронная очередь, корпус 1',
      createdBy: operatorEmail,
      lastUsedAt: null,
      revokedAt: null,
    });
    const [row] = await t.ctx.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row.keyPrefix).toBe(key.slice(0, 15));
    expect(row.keyHash).not.toContain(key.slice(7));
    expect(JSON.stringify(row)).not.toContain(key);

    // The list never carries the key again.
    const list = await operator.get<{ keys: ApiKeyItem[] }>('/api/operator/api-keys');
    expect(list.status).toBe(200);
    expect(list.body.keys.map((k) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(key);

    const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, apiKey.id));
    expect(audit).toMatchObject({ action: 'apikey.issue', entityType: 'api_key' });
    expect(audit.details).toMatchObject({ organisationId: org.id, channel: 'electronic_queue', prefix: apiKey.prefix });
    expect(JSON.stringify(audit.details)).not.toContain(key);
  });

  it('revokes a key once, audit-logged; a second revoke or an unknown key is refused', async () => {
    const issued = await operator.post<ApiKeyIssued>('/api/operator/api-keys', {
      organisationId: org.id,
      channel: 'mis',
      label: 'МИС',
    });
    const id = issued.body.apiKey.id;
    const res = await operator.post(`/api/operator/api-keys/${id}/revoke`);
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row.revokedAt?.toISOString()).toBe(t.clock.current.toISOString());
    const entries = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(entries.map((e) => e.action)).toEqual(['apikey.issue', 'apikey.revoke']);
    const list = await operator.get<{ keys: ApiKeyItem[] }>('/api/operator/api-keys');
    expect(list.body.keys.find((k) => k.id === id)?.revokedAt).not.toBeNull();

    const again = await operator.post<{ code: string }>(`/api/operator/api-keys/${id}/revoke`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('API_KEY_ALREADY_REVOKED');
    const unknown = await operator.post<{ code: string }>(
      '/api/operator/api-keys/6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11/revoke',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('API_KEY_NOT_FOUND');
    expect((await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, id))).length).toBe(2);
  });

  it.each([
    [{ organisationId: 999_999, channel: 'mis', label: 'МИС' }, 404, 'ORGANISATION_NOT_FOUND', null],
    [{ channel: 'mis', label: 'МИС' }, 400, 'VALIDATION_FAILED', 'organisationId'],
    [{ organisationId: 1, channel: 'portal', label: 'МИС' }, 400, 'VALIDATION_FAILED', 'channel'],
    [{ organisationId: 1, channel: 'mis', label: '  ' }, 400, 'VALIDATION_FAILED', 'label'],
  ])('refuses %j with %i %s and writes nothing', async (body, status, code, field) => {
    const before = await writtenCounts(t);
    const keysBefore = (await t.ctx.db.select().from(apiKeys)).length;
    const res = await operator.post<{ code: string; fields?: Record<string, string> }>('/api/operator/api-keys', body);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    if (field) expect(res.body.fields?.[field]).toMatch(/[А-Яа-я]/);
    expect((await t.ctx.db.select().from(apiKeys)).length).toBe(keysBefore);
    expect(await writtenCounts(t)).toEqual(before);
  });

  it('is for operators only: patients, registrars and visitors are refused and nothing is written', async () => {
    const { client: patient } = await createPatient(t);
    const registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: org.id });
    const keysBefore = (await t.ctx.db.select().from(apiKeys)).length;
    const anyKey = (await t.ctx.db.select().from(apiKeys))[0];
    for (const [client, status] of [
      [patient, 403],
      [registrar.client, 403],
      [t.client(), 401],
    ] as const) {
      expect((await client.get('/api/operator/api-keys')).status).toBe(status);
      expect(
        (await client.post('/api/operator/api-keys', { organisationId: org.id, channel: 'mis', label: 'x' })).status,
      ).toBe(status);
      expect((await client.post(`/api/operator/api-keys/${anyKey.id}/revoke`)).status).toBe(status);
    }
    expect((await t.ctx.db.select().from(apiKeys)).length).toBe(keysBefore);
    expect((await t.ctx.db.select().from(apiKeys).where(eq(apiKeys.id, anyKey.id)))[0].revokedAt).toEqual(
      anyKey.revokedAt,
    );
  });

  it('needs the CSRF token for the operator’s own calls (they are cookie calls)', async () => {
    const res = await operator.request<{ code: string }>(
      'POST',
      '/api/operator/api-keys',
      { organisationId: org.id, channel: 'mis', label: 'x' },
      { 'x-csrf-token': 'wrong-token-wrong-token' },
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
  });
});

describe('rate limit per key', () => {
  it(`answers 429 after ${RATE} calls a minute, with Retry-After, without slowing another key`, async () => {
    const a = await operator.post<ApiKeyIssued>('/api/operator/api-keys', {
      organisationId: org.id,
      channel: 'registry',
      label: 'A',
    });
    const b = await operator.post<ApiKeyIssued>('/api/operator/api-keys', {
      organisationId: org.id,
      channel: 'registry',
      label: 'B',
    });
    for (let i = 0; i < RATE; i++)
      expect((await apiCall(t, 'GET', '/api/integration/v1/doctors', a.body.key)).status).toBe(200);
    const limited = await apiCall<{ code: string }>(t, 'GET', '/api/integration/v1/doctors', a.body.key);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // FHIR counts against the same key.
    expect((await apiCall(t, 'GET', '/fhir/R4/Schedule', a.body.key)).status).toBe(429);
    expect((await apiCall(t, 'GET', '/api/integration/v1/doctors', b.body.key)).status).toBe(200);
  });
});
