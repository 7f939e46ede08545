// Ids beyond PostgreSQL's integers are bad input (400 with a code), never a database error —
// also because small reads are batched: one failing id must not fail its neighbours' requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createPatient } from '../factories/identity.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('ids out of range', () => {
  it('answers 400 VALIDATION_FAILED for a doctor id beyond int, while a good read beside it succeeds', async () => {
    const setup = await createBookableSetup(t.ctx);
    const c = t.client();
    const [bad, good] = await Promise.all([
      c.get<{ code: string }>('/api/doctors/2147483648/schedule'),
      c.get('/api/doctors/' + setup.doctor.id + '/schedule'),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(good.status).toBe(200);
  });

  it('refuses a booking of slot 1e20 as bad input and books nothing', async () => {
    const { person, client } = await createPatient(t);
    const res = await client.post<{ code: string }>('/api/appointments', { slotId: 1e20, personId: person.id });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
