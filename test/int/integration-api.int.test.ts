// The integration API for clinics' systems (SPEC section 8): API-key authentication, pushing
// appointments (idempotent by externalId), status updates, slots and the appointment change
// feed. Every refusal has a code and writes nothing; another organisation's data is "not
// found"; a pushed appointment reaches the patient's ЕСИА session but not an e-mail session.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, appointments, persons, slots } from '../../src/server/db/schema.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import type { CardFileResponse, IntegrationAppointment } from '../../src/shared/api/index.js';
import { createAppointmentRow, createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import {
  createAccount,
  createPatient,
  createPerson,
  signIn,
  uniquePolicy,
  uniqueSnils,
} from '../factories/identity.js';
import { clientWithSession } from '../factories/sessions.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, feedUntil, issueKey, writtenCounts } from './integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let operator: TestClient;
let queueKey: { key: string; id: string };
let misKey: { key: string; id: string };
let otherKey: { key: string; id: string };

const V1 = '/api/integration/v1';

function identity(overrides: Record<string, unknown> = {}) {
  return {
    lastName: 'Кузьмина',
    firstName: 'Ольга',
    middleName: 'Петровна',
    birthDate: '1979-03-15',
    sex: 'F',
    snils: uniqueSnils(),
    policy: uniquePolicy(),
    ...overrides,
  };
}

let externalSeq = 0;
const nextExternalId = () => `queue-${process.pid}-${++externalSeq}`;

type Problem = { code: string; message: string; fields?: Record<string, string> };

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  operator = await signIn(t, acc.email, acc.password);
  queueKey = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'electronic_queue' });
  misKey = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' });
  otherKey = await issueKey(operator, { organisationId: other.organisation.id, channel: 'electronic_queue' });
});
afterAll(async () => t.close());

describe('authentication', () => {
  it('refuses a call without a key, with a malformed one, an unknown one and another scheme, each with its code', async () => {
    const none = await apiCall<Problem>(t, 'GET', `${V1}/doctors`, null);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('API_KEY_MISSING');
    expect(none.body.message).toMatch(/[А-Яа-я]/);
    for (const header of ['Bearer not-a-key', 'Basic dXNlcjpwYXNz', `Bearer priyom_${'x'.repeat(43)}`]) {
      const res = await apiCall<Problem>(t, 'GET', `${V1}/doctors`, null, undefined, {
        headers: { authorization: header },
      });
      expect(res.status, header).toBe(401);
      expect(res.body.code).toBe('API_KEY_INVALID');
    }
  });

  it('accepts the key in Authorization: Bearer and in X-Api-Key', async () => {
    const bearer = await apiCall<{ doctors: { id: number }[] }>(t, 'GET', `${V1}/doctors`, queueKey.key);
    expect(bearer.status).toBe(200);
    expect(bearer.body.doctors.map((d) => d.id)).toEqual([clinic.doctor.id]);
    const header = await apiCall(t, 'GET', `${V1}/doctors`, queueKey.key, undefined, { via: 'x-api-key' });
    expect(header.status).toBe(200);
  });

  it('never accepts a cookie session, and needs no CSRF token (the key is the credential)', async () => {
    // The operator's browser session, with its CSRF token, is not a key.
    const res = await operator.get<Problem>(`${V1}/doctors`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('API_KEY_MISSING');
    const before = await writtenCounts(t);
    const push = await operator.post<Problem>(`${V1}/appointments`, {
      externalId: 'x',
      patient: identity(),
      slotId: clinic.slots[0].id,
    });
    expect(push.status).toBe(401);
    expect(push.body.code).toBe('API_KEY_MISSING');
    expect(await writtenCounts(t)).toEqual(before);
    // A key call without any CSRF cookie or header is not refused as CSRF.
    const keyed = await apiCall(t, 'POST', `${V1}/appointments`, queueKey.key, {});
    expect(keyed.status).toBe(400);
  });

  it('refuses a revoked key at once', async () => {
    const k = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'infomat' });
    expect((await apiCall(t, 'GET', `${V1}/doctors`, k.key)).status).toBe(200);
    expect((await operator.post(`/api/operator/api-keys/${k.id}/revoke`)).status).toBe(200);
    const res = await apiCall<Problem>(t, 'GET', `${V1}/doctors`, k.key);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('API_KEY_REVOKED');
  });

  it('writes the last use at most once a minute', async () => {
    const k = await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'doctor' });
    const lastUsed = async () => (await t.ctx.db.select().from(apiKeys).where(eq(apiKeys.id, k.id)))[0].lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await apiCall(t, 'GET', `${V1}/doctors`, k.key);
    const first = await lastUsed();
    expect(first?.toISOString()).toBe(t.clock.current.toISOString());
    const start = t.clock.current;
    try {
      t.clock.advance(30_000);
      await apiCall(t, 'GET', `${V1}/doctors`, k.key);
      expect((await lastUsed())?.toISOString()).toBe(first?.toISOString());
      t.clock.advance(31_000);
      await apiCall(t, 'GET', `${V1}/doctors`, k.key);
      expect((await lastUsed())?.toISOString()).toBe(t.clock.current.toISOString());
    } finally {
      t.clock.set(start);
    }
  });
});

describe('pushing an appointment', () => {
  it('books the slot for a new patient of the register, with the key’s channel as the source', async () => {
    const patient = identity();
    const externalId = nextExternalId();
    const slot = clinic.slots[1];
    const res = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, queueKey.key, {
      externalId,
      patient,
      slotId: slot.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      externalId,
      source: 'electronic_queue',
      status: 'booked',
      slotId: slot.id,
      doctor: { id: clinic.doctor.id },
      startAt: slot.startAt.toISOString(),
      patient: { lastName: 'Кузьмина', snils: patient.snils, policy: patient.policy, birthDate: '1979-03-15' },
    });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, res.body.id));
    expect(row).toMatchObject({
      source: 'electronic_queue',
      bookedByApiKeyId: queueKey.id,
      bookedByAccountId: null,
      externalOrgId: clinic.organisation.id,
      externalId,
    });
    const [person] = await t.ctx.db.select().from(persons).where(eq(persons.id, row.personId));
    expect(person).toMatchObject({ accountId: REGISTER_ACCOUNT_ID, snils: patient.snils, status: 'confirmed' });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('booked');
  });

  it('is idempotent: the same externalId again returns the same appointment and writes nothing', async () => {
    const patient = identity();
    const body = { externalId: nextExternalId(), patient, slotId: clinic.slots[2].id };
    const first = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, queueKey.key, body);
    expect(first.status).toBe(201);
    const before = await writtenCounts(t);
    const again = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, queueKey.key, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.reference).toBe(first.body.reference);
    expect(await writtenCounts(t)).toEqual(before);

    // The same externalId with another slot is a conflict, and changes nothing.
    const conflict = await apiCall<Problem>(t, 'POST', `${V1}/appointments`, queueKey.key, {
      ...body,
      slotId: clinic.slots[3].id,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('EXTERNAL_ID_CONFLICT');
    // ... and with another patient.
    const otherPatient = await apiCall<Problem>(t, 'POST', `${V1}/appointments`, queueKey.key, {
      ...body,
      patient: identity(),
    });
    expect(otherPatient.status).toBe(409);
    expect(otherPatient.body.code).toBe('EXTERNAL_ID_CONFLICT');
    expect(await writtenCounts(t)).toEqual(before);
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, clinic.slots[3].id)))[0].status).toBe('free');
  });

  it('finds the slot by doctor and start instant; a clinic information system’s key names the source', async () => {
    const slot = clinic.slots[3];
    const body = {
      externalId: nextExternalId(),
      patient: identity(),
      doctorId: clinic.doctor.id,
      startAt: slot.startAt.toISOString(),
    };
    const noSource = await apiCall<Problem>(t, 'POST', `${V1}/appointments`, misKey.key, body);
    expect(noSource.status).toBe(400);
    expect(noSource.body.code).toBe('SOURCE_REQUIRED');
    const res = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, misKey.key, {
      ...body,
      source: 'registry',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slotId: slot.id, source: 'registry' });
  });

  const refusals: [string, () => Record<string, unknown>, number, string, string | null][] = [
    ['no patient', () => ({ externalId: nextExternalId(), slotId: 0 }), 400, 'VALIDATION_FAILED', 'patient'],
    [
      'no surname',
      () => ({ externalId: nextExternalId(), patient: { ...identity(), lastName: undefined } }),
      400,
      'VALIDATION_FAILED',
      'patient.lastName',
    ],
    ['no externalId', () => ({ patient: identity() }), 400, 'VALIDATION_FAILED', 'externalId'],
    [
      'a bad СНИЛС checksum',
      () => ({ externalId: nextExternalId(), patient: identity({ snils: '11223344500' }) }),
      400,
      'VALIDATION_FAILED',
      'patient.snils',
    ],
    [
      'a 15-digit полис',
      () => ({ externalId: nextExternalId(), patient: identity({ policy: '180000000000001' }) }),
      400,
      'VALIDATION_FAILED',
      'patient.policy',
    ],
    [
      'no slot at all',
      () => ({ externalId: nextExternalId(), patient: identity() }),
      400,
      'VALIDATION_FAILED',
      'slotId',
    ],
    [
      'an unknown slot',
      () => ({ externalId: nextExternalId(), patient: identity(), slotId: 999_999_999 }),
      404,
      'SLOT_NOT_FOUND',
      null,
    ],
    [
      'a slot of another organisation',
      () => ({ externalId: nextExternalId(), patient: identity(), slotId: other.slots[0].id }),
      404,
      'SLOT_NOT_FOUND',
      null,
    ],
    [
      'a start that is no slot of the doctor',
      () => ({
        externalId: nextExternalId(),
        patient: identity(),
        doctorId: clinic.doctor.id,
        startAt: '2026-11-26T10:05:00+04:00',
      }),
      404,
      'SLOT_NOT_FOUND',
      null,
    ],
    [
      'another organisation’s doctor',
      () => ({
        externalId: nextExternalId(),
        patient: identity(),
        doctorId: other.doctor.id,
        startAt: other.slots[0].startAt.toISOString(),
      }),
      404,
      'SLOT_NOT_FOUND',
      null,
    ],
    [
      'a source that is not the key’s',
      () => ({ externalId: nextExternalId(), patient: identity(), slotId: clinic.slots[4].id, source: 'registry' }),
      400,
      'SOURCE_NOT_ALLOWED',
      null,
    ],
    [
      'a taken slot',
      () => ({ externalId: nextExternalId(), patient: identity(), slotId: clinic.slots[1].id }),
      409,
      'SLOT_TAKEN',
      null,
    ],
  ];

  it.each(refusals)(
    'refuses %s with a clear code and writes nothing (not even the patient)',
    async (_name, body, status, code, field) => {
      const before = await writtenCounts(t);
      const res = await apiCall<Problem>(t, 'POST', `${V1}/appointments`, queueKey.key, body());
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toMatch(/[А-Яа-я]/);
      if (field) expect(res.body.fields?.[field]).toMatch(/[А-Яа-я]/);
      expect(await writtenCounts(t)).toEqual(before);
    },
  );

  it('refuses an identity that disagrees with the register under the same СНИЛС or полис', async () => {
    const known = identity();
    const first = await apiCall(t, 'POST', `${V1}/appointments`, queueKey.key, {
      externalId: nextExternalId(),
      patient: known,
      slotId: clinic.slots[4].id,
    });
    expect(first.status).toBe(201);
    const before = await writtenCounts(t);
    for (const changed of [
      { birthDate: '1979-03-16' },
      { policy: uniquePolicy() },
      { snils: uniqueSnils(), lastName: 'Другая' },
      { lastName: 'Иванова' },
    ]) {
      // Same СНИЛС (or, in the third case, the same полис) as the register's row, other data.
      const res = await apiCall<Problem>(t, 'POST', `${V1}/appointments`, queueKey.key, {
        externalId: nextExternalId(),
        patient: { ...known, ...changed },
        slotId: clinic.slots[5].id,
      });
      expect(res.status, JSON.stringify(changed)).toBe(409);
      expect(res.body.code).toBe('PATIENT_IDENTITY_MISMATCH');
    }
    expect(await writtenCounts(t)).toEqual(before);
    // Case, ё and spaces do not make another person.
    const same = await apiCall(t, 'POST', `${V1}/appointments`, queueKey.key, {
      externalId: nextExternalId(),
      patient: { ...known, lastName: 'КУЗЬМИНА', firstName: ' Ольга ' },
      slotId: other.slots[1].id,
    });
    expect(same.status).toBe(404); // the slot is the other organisation's; the identity passed
  });
});

describe('status updates', () => {
  it('cancels by the clinic by externalId: the slot is free again, the cancel is recorded as the clinic’s through the integration', async () => {
    const slot = clinic.slots[5];
    const externalId = nextExternalId();
    const pushed = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, queueKey.key, {
      externalId,
      patient: identity(),
      slotId: slot.id,
    });
    expect(pushed.status).toBe(201);

    // Another organisation's key cannot touch it, by either id.
    const before = await writtenCounts(t);
    for (const url of [
      `${V1}/appointments/${pushed.body.id}/status`,
      `${V1}/appointments/external/${externalId}/status`,
    ]) {
      const res = await apiCall<Problem>(t, 'POST', url, otherKey.key, { status: 'cancelled' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('APPOINTMENT_NOT_FOUND');
    }
    expect((await apiCall(t, 'GET', `${V1}/appointments/${pushed.body.id}`, otherKey.key)).status).toBe(404);
    expect(await writtenCounts(t)).toEqual(before);

    const bad = await apiCall<Problem>(t, 'POST', `${V1}/appointments/external/${externalId}/status`, queueKey.key, {
      status: 'gone',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const res = await apiCall<IntegrationAppointment>(
      t,
      'POST',
      `${V1}/appointments/external/${externalId}/status`,
      queueKey.key,
      {
        status: 'cancelled',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: pushed.body.id, status: 'cancelled', cancelledBy: 'clinic' });
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, pushed.body.id));
    expect(row).toMatchObject({ status: 'cancelled', cancelledBy: 'clinic', cancelledVia: 'integration' });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, slot.id)))[0].status).toBe('free');

    const twice = await apiCall<Problem>(t, 'POST', `${V1}/appointments/${pushed.body.id}/status`, queueKey.key, {
      status: 'cancelled',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_CANCELLED');
  });
});

describe('reading slots and appointments', () => {
  it('lists slots as free, busy or blocked, never who', async () => {
    const res = await apiCall<{ timeZone: string; slots: Record<string, unknown>[] }>(
      t,
      'GET',
      `${V1}/slots?doctorId=${clinic.doctor.id}&from=2026-11-25&to=2026-12-05`,
      queueKey.key,
    );
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Europe/Samara');
    expect(res.body.slots.map((s) => s.id)).toEqual(clinic.slots.map((s) => s.id));
    expect(new Set(res.body.slots.map((s) => s.status))).toEqual(new Set(['free', 'busy']));
    for (const s of res.body.slots)
      expect(Object.keys(s).sort()).toEqual(['doctorId', 'endAt', 'id', 'localStart', 'startAt', 'status']);
    // Every doctor of the organisation without doctorId; never another organisation's.
    const all = await apiCall<{ slots: { doctorId: number }[] }>(
      t,
      'GET',
      `${V1}/slots?from=2026-11-25&to=2026-12-05`,
      queueKey.key,
    );
    expect(new Set(all.body.slots.map((s) => s.doctorId))).toEqual(new Set([clinic.doctor.id]));
  });

  it.each([
    [`doctorId=__OTHER__&from=2026-11-25&to=2026-11-30`, 404, 'DOCTOR_NOT_FOUND'],
    ['from=2026-11-01&to=2026-12-02', 400, 'VALIDATION_FAILED'],
    ['from=2026-11-30&to=2026-11-25', 400, 'VALIDATION_FAILED'],
    ['from=2026-02-30&to=2026-03-01', 400, 'VALIDATION_FAILED'],
    ['from=2026-11-25', 400, 'VALIDATION_FAILED'],
  ])('refuses slots?%s with %i %s', async (query, status, code) => {
    const res = await apiCall<Problem>(
      t,
      'GET',
      `${V1}/slots?${query.replace('__OTHER__', String(other.doctor.id))}`,
      queueKey.key,
    );
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it('feeds the organisation’s appointments, portal ones included with the patient’s identity, from a cursor', async () => {
    type Feed = { appointments: IntegrationAppointment[]; nextCursor: string; hasMore: boolean };
    const start = t.clock.current;
    try {
      const { account, person } = await createPatient(t);
      const portal = await createAppointmentRow(t.ctx, clinic.slots[0], person.id, {
        source: 'portal',
        bookedByAccountId: account.id,
      });

      // A committed change is in the feed at once (no hold-back: the change log orders by transaction).
      const first = await feedUntil<Feed>(t, `${V1}/appointments?limit=500`, queueKey.key, (b) =>
        b.appointments.some((a) => a.id === portal.id),
      );
      expect(first.headers['cache-control']).toBe('no-store');
      const mine = first.body.appointments.find((a) => a.id === portal.id);
      expect(mine).toMatchObject({
        source: 'portal',
        status: 'booked',
        externalId: null,
        patient: {
          lastName: person.lastName,
          firstName: person.firstName,
          birthDate: person.birthDate,
          snils: person.snils,
          policy: person.policy,
        },
      });
      expect(first.body.hasMore).toBe(false);
      // Only portal appointments when asked.
      const portalOnly = await apiCall<Feed>(t, 'GET', `${V1}/appointments?source=portal&limit=500`, queueKey.key);
      expect(portalOnly.body.appointments.every((a) => a.source === 'portal')).toBe(true);
      expect(portalOnly.body.appointments.map((a) => a.id)).toContain(portal.id);

      // Nothing new after the cursor...
      const next = await apiCall<Feed>(t, 'GET', `${V1}/appointments?since=${first.body.nextCursor}`, queueKey.key);
      expect(next.body.appointments).toEqual([]);
      expect(next.body.nextCursor).toBe(first.body.nextCursor);

      // ... until the appointment changes: cancelled by the clinic, it comes again.
      t.clock.advance(1_000);
      expect(
        (await apiCall(t, 'POST', `${V1}/appointments/${portal.id}/status`, queueKey.key, { status: 'cancelled' }))
          .status,
      ).toBe(200);
      const changed = await feedUntil<Feed>(
        t,
        `${V1}/appointments?since=${first.body.nextCursor}`,
        queueKey.key,
        (b) => b.appointments.length > 0,
      );
      expect(changed.body.appointments.map((a) => [a.id, a.status, a.cancelledBy])).toEqual([
        [portal.id, 'cancelled', 'clinic'],
      ]);

      // Another organisation's key sees none of them.
      const foreign = await apiCall<Feed>(t, 'GET', `${V1}/appointments?limit=500`, otherKey.key);
      expect(foreign.body.appointments.map((a) => a.id)).not.toContain(portal.id);

      const badCursor = await apiCall<Problem>(t, 'GET', `${V1}/appointments?since=bm90LWEtY3Vyc29y`, queueKey.key);
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe('VALIDATION_FAILED');
    } finally {
      t.clock.set(start);
    }
  });

  it('pages through the feed with limit and hasMore', async () => {
    const start = t.clock.current;
    try {
      t.clock.advance(60_000);
      const page1 = await feedUntil<{ appointments: IntegrationAppointment[]; nextCursor: string; hasMore: boolean }>(
        t,
        `${V1}/appointments?limit=2`,
        queueKey.key,
        (b) => b.hasMore,
      );
      expect(page1.body.appointments).toHaveLength(2);
      expect(page1.body.hasMore).toBe(true);
      const page2 = await apiCall<{ appointments: IntegrationAppointment[] }>(
        t,
        'GET',
        `${V1}/appointments?limit=500&since=${page1.body.nextCursor}`,
        queueKey.key,
      );
      const ids1 = page1.body.appointments.map((a) => a.id);
      expect(page2.body.appointments.length).toBeGreaterThan(0);
      expect(page2.body.appointments.some((a) => ids1.includes(a.id))).toBe(false);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('documentation', () => {
  it('documents the integration API and its FHIR view in OpenAPI, with the key as a bearer scheme', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    const doc = res.json<{
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of [
      '/api/integration/v1/appointments',
      '/api/integration/v1/slots',
      '/api/integration/v1/appointments/{id}/status',
      '/fhir/R4/Slot',
      '/fhir/R4/Appointment',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    // Either header: Authorization: Bearer <key> or X-Api-Key (openapi.ts).
    expect(doc.paths['/api/integration/v1/appointments'].post.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    expect(doc.components.securitySchemes.apiKeyHeader).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Api-Key',
    });
  });
});

describe('who sees a pushed appointment (SPEC section 6)', () => {
  it('the patient’s ЕСИА session sees it; an e-mail session of the same account does not', async () => {
    const account = await createAccount(t.ctx);
    const main = await createPerson(t.ctx, account.id, {
      isMain: true,
      status: 'confirmed',
      lastName: 'Белова',
      firstName: 'Вера',
      middleName: 'Ильинична',
    });
    const slot = other.slots[2];
    const pushed = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, otherKey.key, {
      externalId: nextExternalId(),
      patient: {
        lastName: main.lastName,
        firstName: main.firstName,
        middleName: main.middleName,
        birthDate: main.birthDate,
        sex: main.sex,
        snils: main.snils,
        policy: main.policy,
      },
      slotId: slot.id,
    });
    expect(pushed.status).toBe(201);

    const esia = await clientWithSession(t, account.id, 'esia');
    const esiaView = await esia.get<CardFileResponse>('/api/cardfile');
    expect(esiaView.status).toBe(200);
    const esiaVisits = esiaView.body.persons.flatMap((p) => p.futureVisits.map((v) => v.id));
    expect(esiaVisits).toContain(pushed.body.id);

    const email = await clientWithSession(t, account.id, 'password');
    const emailView = await email.get<CardFileResponse>('/api/cardfile');
    expect(emailView.status).toBe(200);
    expect(emailView.body.persons.flatMap((p) => p.futureVisits.map((v) => v.id))).not.toContain(pushed.body.id);
  });
});

// Last: it moves the clock past a visit, and the change feed orders by the (test) clock.
describe('visit outcomes', () => {
  it('records visited and no-show once the visit has started, not before', async () => {
    const slot = clinic.slots[5];
    const pushed = await apiCall<IntegrationAppointment>(t, 'POST', `${V1}/appointments`, queueKey.key, {
      externalId: nextExternalId(),
      patient: identity(),
      slotId: slot.id,
    });
    expect(pushed.status).toBe(201);
    const early = await apiCall<Problem>(t, 'POST', `${V1}/appointments/${pushed.body.id}/status`, queueKey.key, {
      status: 'visited',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('VISIT_NOT_FINISHED');
    expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, pushed.body.id)))[0].status).toBe(
      'booked',
    );

    const start = t.clock.current;
    try {
      t.clock.set(new Date(slot.startAt.getTime() + 10 * 60_000));
      const visited = await apiCall<IntegrationAppointment>(
        t,
        'POST',
        `${V1}/appointments/${pushed.body.id}/status`,
        queueKey.key,
        {
          status: 'visited',
        },
      );
      expect(visited.status).toBe(200);
      expect(visited.body.status).toBe('visited');
      const noShow = await apiCall<IntegrationAppointment>(
        t,
        'POST',
        `${V1}/appointments/${pushed.body.id}/status`,
        queueKey.key,
        {
          status: 'no_show',
        },
      );
      expect(noShow.body.status).toBe('no_show');
      expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, pushed.body.id)))[0].status).toBe(
        'no_show',
      );
    } finally {
      t.clock.set(start);
    }
  });
});
