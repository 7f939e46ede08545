// Issue 16 on the desk and integration paths: a birth date in the future or before 1900 is
// refused when the registry desk registers a patient and when a clinic system pushes an
// appointment (as the card file and the kiosk refuse it), writing nothing; and every desk
// action — registering, booking, cancelling, closing and opening a time — leaves an audit row
// with the staff account, the action and the entity, and no personal data in its details.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelVisit, StaffPatient } from '../../src/shared/api/index.js';
import { auditLog, persons } from '../../src/server/db/schema.js';
import { createAppointmentRow, createBookableSetup, createSlots, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, type StaffAccount } from '../factories/staff.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, issueKey, writtenCounts } from './integration-api.helpers.js';

type Problem = { code: string; message: string; fields?: Record<string, string> };

let t: TestContext;
let home: BookableSetup;
let other: BookableSetup;
let registrar: StaffAccount & { client: TestClient };
let doctorStaff: StaffAccount & { client: TestClient };
let queueKey: string;

// The test clock: 2026-11-25T09:00Z, which is 23:00 on 25 November in Kiritimati (UTC+14),
// the first place on Earth where a date begins: 26 November has begun nowhere yet.
beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
  home = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: home.organisation.id });
  doctorStaff = await createSignedInStaff(t, {
    role: 'doctor',
    organisationId: home.organisation.id,
    doctorId: home.doctor.id,
  });
  const op = await createAccount(t.ctx, { role: 'operator' });
  queueKey = (
    await issueKey(await signIn(t, op.email, op.password), {
      organisationId: home.organisation.id,
      channel: 'electronic_queue',
    })
  ).key;
});
afterAll(async () => t.close());

const identity = (overrides: Record<string, unknown> = {}) => ({
  lastName: 'Белова',
  firstName: 'Алина',
  middleName: 'Игоревна',
  birthDate: '1992-07-14',
  sex: 'F',
  snils: uniqueSnils(),
  policy: uniquePolicy(),
  ...overrides,
});

async function personCount(): Promise<number> {
  return (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(persons))[0].n;
}
async function lastAuditId(): Promise<number> {
  return (await t.ctx.db.select({ m: sql<number>`coalesce(max(id), 0)::int` }).from(auditLog))[0].m;
}
async function auditSince(id: number) {
  return t.ctx.db.select().from(auditLog).where(gt(auditLog.id, id)).orderBy(asc(auditLog.id));
}
/** Details must hold ids and choices only: none of the patient's data. */
function expectNoPersonalData(
  details: unknown,
  patient: { lastName: string; firstName: string; snils: string; policy: string; birthDate: string },
) {
  const text = JSON.stringify(details);
  for (const value of [patient.lastName, patient.firstName, patient.snils, patient.policy, patient.birthDate]) {
    expect(text).not.toContain(value);
  }
}

let slotSeq = 0;
/** A fresh free slot of the setup's doctor, `days` days ahead (each call a new half hour from 11:00 local, UTC+4). */
async function freshSlot(setup: BookableSetup, days: number) {
  const start = new Date(t.ctx.now().getTime() + days * 86_400_000);
  start.setUTCHours(7, 30 * slotSeq++, 0, 0);
  return (await createSlots(t.ctx, setup.doctor.id, [start], 30))[0];
}

describe('birth dates on every path', () => {
  const impossible: Array<[what: string, birthDate: string, code: string]> = [
    ['tomorrow everywhere on Earth', '2026-11-26', 'BIRTH_DATE_IN_FUTURE'],
    ['next year', '2027-01-01', 'BIRTH_DATE_IN_FUTURE'],
    ['before 1900', '1899-12-31', 'VALIDATION_FAILED'],
    ['no such date', '1990-02-30', 'VALIDATION_FAILED'],
  ];

  it.each(impossible)(
    'the registry desk refuses a patient born %s (%s) and writes nothing',
    async (_what, birthDate, code) => {
      const persons0 = await personCount();
      const audit0 = await lastAuditId();
      const res = await registrar.client.post<Problem>('/api/desk/patients', identity({ birthDate }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      if (code === 'VALIDATION_FAILED') expect(res.body.fields?.birthDate).toBeTruthy();
      expect(res.body.message).toMatch(/[А-Яа-я]/);
      expect(await personCount()).toBe(persons0);
      expect(await auditSince(audit0)).toEqual([]);
    },
  );

  it.each(impossible)(
    'a clinic system’s push of a patient born %s (%s) is refused and writes nothing',
    async (_what, birthDate, code) => {
      const slot = await freshSlot(home, 3);
      const before = await writtenCounts(t);
      const res = await apiCall<Problem>(t, 'POST', '/api/integration/v1/appointments', queueKey, {
        externalId: `eq-birth-${birthDate}`,
        patient: identity({ birthDate }),
        slotId: slot.id,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(await writtenCounts(t)).toEqual(before);
    },
  );

  it('today and 1 January 1900 are accepted on both paths', async () => {
    const today = await registrar.client.post<StaffPatient>(
      '/api/desk/patients',
      identity({ birthDate: '2026-11-25' }),
    );
    expect(today.status, JSON.stringify(today.body)).toBe(201);
    const slot = await freshSlot(home, 3);
    const pushed = await apiCall<{ status: string }>(t, 'POST', '/api/integration/v1/appointments', queueKey, {
      externalId: 'eq-birth-1900',
      patient: identity({
        birthDate: '1900-01-01',
        sex: 'M',
        lastName: 'Орлов',
        firstName: 'Пётр',
        middleName: undefined,
      }),
      slotId: slot.id,
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
  });
});

describe('desk actions are audit-logged', () => {
  it('registering a patient: who, the register row, the organisation; no personal data', async () => {
    const audit0 = await lastAuditId();
    const data = identity();
    const res = await registrar.client.post<StaffPatient>('/api/desk/patients', data);
    expect(res.status).toBe(201);
    const rows = await auditSince(audit0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorAccountId: registrar.id,
      action: 'patient.register',
      entityType: 'person',
      entityId: res.body.patientId,
      details: { organisationId: home.organisation.id },
    });
    expectNoPersonalData(rows[0].details, data);
  });

  it('booking and cancelling at the desk: one row each, with the appointment, slot, doctor and patient ids', async () => {
    const { person } = await createPatient(t);
    const slot = await freshSlot(home, 4);
    const audit0 = await lastAuditId();
    const booked = await registrar.client.post<ChannelVisit>('/api/desk/appointments', {
      patientId: person.id,
      slotId: slot.id,
    });
    expect(booked.status).toBe(201);
    const afterBook = await auditSince(audit0);
    expect(afterBook).toHaveLength(1);
    expect(afterBook[0]).toMatchObject({
      actorAccountId: registrar.id,
      action: 'appointment.book',
      entityType: 'appointment',
      entityId: booked.body.id,
      details: {
        organisationId: home.organisation.id,
        role: 'registrar',
        slotId: slot.id,
        doctorId: home.doctor.id,
        patientId: booked.body.patientId,
        source: 'registry',
      },
    });
    expectNoPersonalData(afterBook[0].details, person);

    const audit1 = await lastAuditId();
    const cancelled = await registrar.client.post<ChannelVisit>(`/api/desk/appointments/${booked.body.id}/cancel`, {
      by: 'clinic',
    });
    expect(cancelled.status).toBe(200);
    const afterCancel = await auditSince(audit1);
    expect(afterCancel).toHaveLength(1);
    expect(afterCancel[0]).toMatchObject({
      actorAccountId: registrar.id,
      action: 'appointment.cancel',
      entityType: 'appointment',
      entityId: booked.body.id,
      details: {
        organisationId: home.organisation.id,
        role: 'registrar',
        slotId: slot.id,
        doctorId: home.doctor.id,
        by: 'clinic',
        source: 'registry',
      },
    });
    expectNoPersonalData(afterCancel[0].details, person);
  });

  it('closing and opening a time: one row each with the slot and the doctor', async () => {
    const slot = await freshSlot(home, 5);
    const audit0 = await lastAuditId();
    expect((await registrar.client.post(`/api/desk/slots/${slot.id}/block`)).status).toBe(200);
    expect((await registrar.client.post(`/api/desk/slots/${slot.id}/unblock`)).status).toBe(200);
    const rows = await auditSince(audit0);
    expect(rows.map((r) => [r.action, r.entityType, r.entityId, r.actorAccountId])).toEqual([
      ['slot.block', 'slot', String(slot.id), registrar.id],
      ['slot.unblock', 'slot', String(slot.id), registrar.id],
    ]);
    expect(rows[0].details).toEqual({
      organisationId: home.organisation.id,
      role: 'registrar',
      doctorId: home.doctor.id,
    });
    expect(rows[1].details).toEqual({
      organisationId: home.organisation.id,
      role: 'registrar',
      doctorId: home.doctor.id,
      status: 'free',
    });
  });

  it('a refused desk action leaves no audit row: another organisation’s slot, a booked time, a taken time', async () => {
    const foreign = await freshSlot(other, 5);
    const patient = await createRegisterPatient(t.ctx);
    const slot = await freshSlot(home, 6);
    expect(
      (await registrar.client.post(`/api/desk/appointments`, { patientId: patient.id, slotId: slot.id })).status,
    ).toBe(201);
    const audit0 = await lastAuditId();
    const refusals = [
      await registrar.client.post<Problem>(`/api/desk/slots/${foreign.id}/block`),
      await registrar.client.post<Problem>(`/api/desk/slots/${slot.id}/block`),
      await registrar.client.post<Problem>(`/api/desk/appointments`, { patientId: patient.id, slotId: slot.id }),
      await registrar.client.post<Problem>(`/api/desk/appointments`, { patientId: patient.id, slotId: foreign.id }),
    ];
    expect(refusals.map((r) => r.body.code)).toEqual([
      'SLOT_NOT_FOUND',
      'SLOT_NOT_FREE',
      'SLOT_TAKEN',
      'SLOT_NOT_FOUND',
    ]);
    expect(await auditSince(audit0)).toEqual([]);
  });

  it('the doctor’s follow-up booking is logged with the doctor’s account; a clinic system’s push is not a staff action', async () => {
    // One of this doctor's patients: seen by the doctor two days ago.
    const patient = await createRegisterPatient(t.ctx);
    await createAppointmentRow(t.ctx, await freshSlot(home, -2), patient.id, { source: 'registry', status: 'visited' });
    const slot = await freshSlot(home, 7);
    const audit0 = await lastAuditId();
    const booked = await doctorStaff.client.post<ChannelVisit>('/api/doctor/appointments', {
      patientId: patient.id,
      slotId: slot.id,
    });
    expect(booked.status).toBe(201);
    const rows = await auditSince(audit0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorAccountId: doctorStaff.id,
      action: 'appointment.book',
      entityId: booked.body.id,
      details: { role: 'doctor', source: 'doctor' },
    });

    const pushSlot = await freshSlot(home, 8);
    const audit1 = await lastAuditId();
    const pushed = await apiCall(t, 'POST', '/api/integration/v1/appointments', queueKey, {
      externalId: 'eq-audit-1',
      patient: identity(),
      slotId: pushSlot.id,
    });
    expect(pushed.status).toBe(201);
    expect((await auditSince(audit1)).filter((r) => r.action.startsWith('appointment.'))).toEqual([]);
  });

  it('the audit rows are the operator’s to read, with the staff member’s e-mail as the actor', async () => {
    const op = await createAccount(t.ctx, { role: 'operator' });
    const operator = await signIn(t, op.email, op.password);
    const res = await operator.get<{ entries: { actor: string | null; action: string }[] }>(
      '/api/operator/audit?limit=200',
    );
    expect(res.status).toBe(200);
    const desk = res.body.entries.filter((e) => e.actor === registrar.email).map((e) => e.action);
    expect(new Set(desk)).toEqual(
      new Set(['patient.register', 'appointment.book', 'appointment.cancel', 'slot.block', 'slot.unblock']),
    );
    const rows = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorAccountId, registrar.id), eq(auditLog.action, 'patient.register')));
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });
});
