// A database that is gone is an answer, never a crash (SPEC section 9): with the database
// closed under a running app — PGlite closed, or the PostgreSQL pools ended, whichever this
// pass runs on — every kind of request gets 503 DATABASE_UNAVAILABLE with a Russian message
// and Retry-After (an OperationOutcome on the FHIR view), /readyz says not ready, /healthz
// still answers. Connections cut while requests run on PostgreSQL: test/pg/db-outage.pg.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/server/errors.js';
import { createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createPatient, type PersonRow } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
let setup: BookableSetup;
let patient: { person: PersonRow; client: TestClient };
let visitor: TestClient;

beforeAll(async () => {
  t = await createTestContext();
  setup = await createBookableSetup(t.ctx);
  patient = await createPatient(t);
  await patient.client.ensureCsrf();
  visitor = t.client();
  await visitor.ensureCsrf();
  expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  await t.database.close();
});
afterAll(async () => {
  await t.app.close();
  await t.dropDatabase();
});

function expectUnavailable(res: { status: number; body: unknown; headers: Record<string, unknown> }): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ code: 'DATABASE_UNAVAILABLE', message: errorCatalogue.DATABASE_UNAVAILABLE.message });
  expect(res.headers['retry-after']).toBe('5');
}

describe('with the database gone', () => {
  it('answers an anonymous read with 503 and Retry-After', async () => {
    expectUnavailable(await t.client().request('GET', `/api/doctors/${setup.doctor.id}/schedule`));
    expectUnavailable(await t.client().request('GET', '/api/specialties'));
  });

  it('answers a booking with 503', async () => {
    const res = await patient.client.request('POST', '/api/appointments', {
      slotId: setup.slots[0].id,
      personId: patient.person.id,
    });
    expectUnavailable(res);
  });

  it('answers a sign-in with 503, not «wrong password»', async () => {
    expectUnavailable(
      await visitor.request('POST', '/api/auth/login', {
        email: 'someone@example.test',
        password: 'Long-enough-password-1',
      }),
    );
  });

  it('answers the FHIR view with a transient OperationOutcome', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/fhir/R4/Slot',
      headers: { authorization: `Bearer priyom_${'A'.repeat(43)}` },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'transient' }],
    });
  });

  it('is not ready, and still alive', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(ready.headers['retry-after']).toBe('5');
    const alive = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(alive.statusCode).toBe(200);
  });
});
