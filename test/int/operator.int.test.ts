// Operator settings through HTTP: region rules, organisation settings, the audit log.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, organisations, regionSettings } from '../../src/server/db/schema.js';
import { createOrganisation } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
let operator: TestClient;
let operatorEmail: string;

beforeAll(async () => {
  t = await createTestContext();
  const acc = await createAccount(t.ctx, { role: 'operator' });
  operatorEmail = acc.email;
  operator = await signIn(t, acc.email, acc.password);
});
afterAll(async () => t.close());

const valid = {
  cutoffTime: '17:30',
  horizonDays: 21,
  maxPerSpecialty: 2,
  holdMinutes: 7,
  offerWindowHours: 12,
  maxOffers: 2,
};

async function settingsRow() {
  const [row] = await t.ctx.db.select().from(regionSettings);
  return row;
}

describe('region settings', () => {
  it('starts from the defaults of the spec', async () => {
    const res = await operator.get<Record<string, unknown>>('/api/operator/settings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cutoffTime: '18:00',
      horizonDays: 14,
      maxPerSpecialty: 1,
      holdMinutes: 10,
      offerWindowHours: 24,
      maxOffers: 3,
    });
  });

  it('changes the rules and audit-logs who changed what', async () => {
    const res = await operator.put('/api/operator/settings', valid);
    expect(res.status).toBe(200);
    expect(await settingsRow()).toMatchObject(valid);
    const audit = await operator.get<{
      entries: { action: string; actor: string; details: Record<string, unknown> }[];
    }>('/api/operator/audit');
    const entry = audit.body.entries.find((e) => e.action === 'settings.update');
    expect(entry?.actor).toBe(operatorEmail);
    expect(entry?.details).toMatchObject({
      cutoffTime: { from: '18:00', to: '17:30' },
      horizonDays: { from: 14, to: 21 },
      offerWindowHours: { from: 24, to: 12 },
      maxOffers: { from: 3, to: 2 },
    });
    const after = await operator.get<{ updatedBy: string }>('/api/operator/settings');
    expect(after.body.updatedBy).toBe(operatorEmail);
  });

  it('writes no audit entry when nothing changes', async () => {
    const before = (await t.ctx.db.select().from(auditLog)).length;
    await operator.put('/api/operator/settings', valid);
    expect((await t.ctx.db.select().from(auditLog)).length).toBe(before);
  });

  it.each([
    [{ ...valid, cutoffTime: '25:00' }, 'cutoffTime'],
    [{ ...valid, cutoffTime: '6:00' }, 'cutoffTime'],
    [{ ...valid, horizonDays: 0 }, 'horizonDays'],
    [{ ...valid, horizonDays: 365 }, 'horizonDays'],
    [{ ...valid, maxPerSpecialty: 0 }, 'maxPerSpecialty'],
    [{ ...valid, holdMinutes: 1.5 }, 'holdMinutes'],
    [{ ...valid, offerWindowHours: 0 }, 'offerWindowHours'],
    [{ ...valid, maxOffers: 11 }, 'maxOffers'],
  ])('refuses bad input %j with a field message and changes nothing', async (body, field) => {
    const before = await settingsRow();
    const res = await operator.put<{ code: string; fields: Record<string, string> }>('/api/operator/settings', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields[field]).toMatch(/[А-Яа-я]/);
    expect(await settingsRow()).toEqual(before);
  });

  it('is for operators only', async () => {
    const { client: patient } = await createPatient(t);
    expect((await patient.get('/api/operator/settings')).status).toBe(403);
    const put = await patient.put<{ code: string }>('/api/operator/settings', { ...valid, horizonDays: 30 });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('FORBIDDEN');
    expect((await settingsRow()).horizonDays).toBe(21);
    const anonymous = t.client();
    expect((await anonymous.get('/api/operator/settings')).status).toBe(401);
    expect((await anonymous.get('/api/operator/audit')).status).toBe(401);
  });
});

describe('organisation settings', () => {
  it('lists organisations and changes the waitlist flag and the cut-off override, audit-logged', async () => {
    const org = await createOrganisation(t.ctx);
    const list = await operator.get<{ organisations: { id: number }[] }>('/api/operator/organisations');
    expect(list.body.organisations.map((o) => o.id)).toContain(org.id);
    const res = await operator.put(`/api/operator/organisations/${org.id}`, {
      waitlistAllowed: false,
      cutoffOverride: '15:00',
    });
    expect(res.status).toBe(200);
    const [row] = await t.ctx.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row).toMatchObject({ waitlistAllowed: false, cutoffOverride: '15:00' });
    const entries = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(org.id)));
    expect(entries.at(-1)?.details).toMatchObject({ cutoffOverride: { from: null, to: '15:00' } });
    // Back to the region's cut-off.
    await operator.put(`/api/operator/organisations/${org.id}`, { waitlistAllowed: false, cutoffOverride: null });
    const [after] = await t.ctx.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(after.cutoffOverride).toBeNull();
  });

  it('refuses an unknown organisation and bad values', async () => {
    expect(
      (await operator.put('/api/operator/organisations/999999', { waitlistAllowed: true, cutoffOverride: null }))
        .status,
    ).toBe(404);
    const org = await createOrganisation(t.ctx);
    const bad = await operator.put<{ code: string }>(`/api/operator/organisations/${org.id}`, {
      waitlistAllowed: 'yes',
      cutoffOverride: '99:99',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const [row] = await t.ctx.db.select().from(organisations).where(eq(organisations.id, org.id));
    expect(row.cutoffOverride).toBeNull();
  });
});
