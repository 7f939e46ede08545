// «Не смогу прийти» under concurrency on real PostgreSQL (SPEC 8a): the waitlist patient
// confirming the released time races the registry cancelling the same released visit, and
// two tabs release one visit at once. Whatever the order, the slot ends with one active
// appointment (the waitlist patient's), the released visit is cancelled once, and the time is
// offered once.
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appointments, waitlistOffers } from '../../src/server/db/schema.js';
import { createPatient } from '../factories/identity.js';
import { createSignedInStaff } from '../factories/staff.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { busyDoctor, join, pendingOfferOf } from '../int/waitlist.helpers.js';

const START = '2026-11-25T09:00:00Z';
/** 19:00 Samara on the 26th: past the cut-off for the 27th's visits. */
const AFTER_CUTOFF = '2026-11-26T15:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ postgres: true, now: START });
  expect(t.database.kind).toBe('postgres');
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

async function scene() {
  t.clock.set(START);
  const busy = await busyDoctor(t);
  const a = await createPatient(t);
  const entry = await join(a.client, a.person.id, busy.setup.doctor.id);
  t.clock.set(AFTER_CUTOFF);
  const slot = busy.setup.slots[2];
  const visitId = busy.filler.appointments.get(slot.id) ?? '';
  return { busy, a, entry, slot, visitId };
}

describe('release on PostgreSQL', () => {
  it('a confirm racing the registry’s cancel of the released visit: one active appointment, the waitlist patient’s', async () => {
    for (let round = 0; round < 6; round++) {
      const { busy, a, entry, slot, visitId } = await scene();
      expect((await busy.filler.client.post(`/api/appointments/${visitId}/release`)).status).toBe(200);
      const offer = await pendingOfferOf(t, entry.id);
      expect(offer?.releasedAppointmentId).toBe(visitId);
      const desk = await createSignedInStaff(t, { role: 'registrar', organisationId: busy.setup.organisation.id });

      const [confirm, cancel] = await Promise.all([
        a.client.post<{ code?: string }>(`/api/offers/${offer!.id}/confirm`),
        desk.client.post<{ code?: string }>(`/api/desk/appointments/${visitId}/cancel`, { by: 'patient' }),
      ]);
      expect(confirm.status, JSON.stringify(confirm.body)).toBe(201);
      expect([200, 409], JSON.stringify(cancel.body)).toContain(cancel.status);
      if (cancel.status === 409) expect(cancel.body.code).toBe('ALREADY_CANCELLED');

      const inSlot = await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slot.id));
      expect(inSlot.filter((r) => r.status === 'booked')).toMatchObject([{ personId: a.person.id }]);
      const released = inSlot.find((r) => r.id === visitId);
      expect(released?.status).toBe('cancelled');
      // Taken by the waitlist: released by the patient; cancelled by the desk first: a plain cancel.
      expect(released?.cancelReason).toBe(cancel.status === 200 ? null : 'released');
      const pending = await t.ctx.db
        .select()
        .from(waitlistOffers)
        .where(and(eq(waitlistOffers.slotId, slot.id), eq(waitlistOffers.status, 'pending')));
      expect(pending).toEqual([]);
    }
    // Which order happened is timing and not asserted: both end as above.
  });

  it('two tabs release one visit at once: one release, one ALREADY_RELEASED, one offer', async () => {
    const { busy, slot, visitId } = await scene();
    const results = await Promise.all(
      [0, 1].map(() => busy.filler.client.post<{ code?: string }>(`/api/appointments/${visitId}/release`)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('ALREADY_RELEASED');
    const offers = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.slotId, slot.id));
    expect(offers).toHaveLength(1);
  });
});
