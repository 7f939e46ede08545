// The schedule route writes its body with plain JSON.stringify (it is the hottest read):
// the body must be exactly what the response schema describes — no field more, none less.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleResponse, type CardFileResponse, type ScheduleResponse } from '../../src/shared/api/index.js';
import { DEMO_ACCOUNTS, loadDemoDataIfEmpty } from '../../src/server/db/seed/demo.js';
import { signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: new Date() });
  await loadDemoDataIfEmpty(t.ctx);
});
afterAll(async () => t.close());

describe('the schedule response', () => {
  it('matches its schema exactly, for an anonymous visitor and for the owner of a visit', async () => {
    const patient = await signIn(t, DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.password);
    const card = await patient.get<CardFileResponse>('/api/cardfile');
    const visit = card.body.persons.find((p) => p.isMain)!.futureVisits.at(-1)!;
    for (const client of [t.client(), patient]) {
      const res = await client.get<ScheduleResponse>(`/api/doctors/${visit.doctor.id}/schedule`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      // zod strips unknown keys and fills nothing in: equal means the body is exactly the schema.
      expect(scheduleResponse.parse(res.body)).toEqual(res.body);
    }
    const mine = await patient.get<ScheduleResponse>(`/api/doctors/${visit.doctor.id}/schedule`);
    const slots = mine.body.days.flatMap((d) => d.slots);
    expect(slots.some((s) => s.state === 'mine' && s.appointmentId === visit.id)).toBe(true);
  });
});
