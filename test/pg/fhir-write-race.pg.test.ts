// FHIR writes under concurrency on real PostgreSQL: status updates that carry the same
// If-Match race — exactly one changes the appointment, the others get 412 (the version is
// compared under the row lock) — and FHIR creates race for one slot: one 201, the rest 409.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments } from '../../src/server/db/schema.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, signIn, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from '../int/integration-api.helpers.js';

let t: TestContext;
let clinic: BookableSetup;
let key: string;

const R4 = '/fhir/R4';

function appointment(slotId: number) {
  return {
    resourceType: 'Appointment',
    status: 'booked',
    contained: [
      {
        resourceType: 'Patient',
        id: 'p',
        identifier: [
          { system: 'http://fhir.ru/core/systems/snils', value: uniqueSnils() },
          { system: 'http://fhir.ru/core/systems/OMS', value: uniquePolicy() },
        ],
        name: [{ family: 'Кузьмина', given: ['Ольга'] }],
        gender: 'female',
        birthDate: '1979-03-15',
      },
    ],
    slot: [{ reference: `Slot/${slotId}` }],
    participant: [{ actor: { reference: '#p' } }],
  };
}

async function call(method: 'POST' | 'PATCH', url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json',
      ...headers,
    },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: '2026-11-25T09:00:00Z' });
  expect(t.database.kind).toBe('postgres');
  clinic = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  const operator = await signIn(t, acc.email, acc.password);
  key = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'electronic_queue' })).key;
});
afterAll(async () => t.close());

describe('FHIR writes racing on PostgreSQL', () => {
  it('eight creates for one slot: one 201, seven 409 SLOT_TAKEN, one appointment', async () => {
    const slot = clinic.slots[0];
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', `${R4}/Appointment`, appointment(slot.id))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slot.id));
    expect(rows).toHaveLength(1);
  });

  it('six status updates with the same If-Match: one 200, five 412, the first change stands', async () => {
    const created = await call('POST', `${R4}/Appointment`, appointment(clinic.slots[1].id));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const version = (created.body.meta as { versionId: string }).versionId;
    t.clock.advance(1000);
    const statuses = ['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'];
    const answers = await Promise.all(
      statuses.map((status, i) =>
        call(
          'PATCH',
          `${R4}/Appointment/${id}`,
          [
            { op: 'replace', path: '/status', value: status },
            ...(i % 2
              ? [
                  {
                    op: 'add',
                    path: '/cancelationReason',
                    value: {
                      coding: [
                        {
                          system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
                          code: 'pat',
                        },
                      ],
                    },
                  },
                ]
              : []),
          ],
          { 'if-match': `W/"${version}"` },
        ),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
    const winner = answers.find((a) => a.status === 200);
    const [row] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, id));
    expect(row.status).toBe('cancelled');
    // The stored reason is the winner's, not a mix of two.
    const reason = winner?.body.cancelationReason as { coding: { code: string }[] } | undefined;
    expect(row.cancelledBy).toBe(reason?.coding[0].code === 'pat' ? 'patient' : 'clinic');
  });
});
