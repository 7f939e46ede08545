// What a clinic's system sees of a move and of «Не смогу прийти» (SPEC 8a, migration 0019):
// the change feed and the FHIR Appointment carry the release mark on the still-booked visit,
// the moved visit's reason and the new visit's link, and each is a change of its own in the log.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import type { AppointmentDetail, IntegrationAppointment } from '../../src/shared/api/index.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { apiCall, feedUntil, issueKey } from './integration-api.helpers.js';
import { busyDoctor } from './waitlist.helpers.js';

type Feed = { appointments: IntegrationAppointment[]; nextCursor: string | null; hasMore: boolean };

const START = '2026-11-25T09:00:00Z';
/** 19:00 Samara on the 26th: online cancelling of the 27th's visits closed an hour ago. */
const AFTER_CUTOFF = '2026-11-26T15:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());
afterEach(() => t.clock.set(START));

async function misKey(organisationId: number): Promise<string> {
  const op = await createAccount(t.ctx, { role: 'operator' });
  return (await issueKey(await signIn(t, op.email, op.password), { organisationId, channel: 'mis' })).key;
}

/**
 * The feed's URL for what comes after everything readable now. On PostgreSQL the first page may
 * be empty (other files' transactions still open: nextCursor null); then the feed from its start.
 */
async function feedAfterNow(key: string): Promise<string> {
  const base = '/api/integration/v1/appointments';
  const first = await apiCall<Feed>(t, 'GET', `${base}?limit=500`, key);
  expect(first.status).toBe(200);
  let cursor = first.body.nextCursor;
  let more = first.body.hasMore;
  while (more && cursor) {
    const next = await apiCall<Feed>(t, 'GET', `${base}?since=${cursor}&limit=500`, key);
    expect(next.status).toBe(200);
    cursor = next.body.nextCursor ?? cursor;
    more = next.body.hasMore;
  }
  return cursor ? `${base}?since=${cursor}&limit=500` : `${base}?limit=500`;
}

async function eventsOf(appointmentId: string) {
  return queryRows<{ event_type: string; data: Record<string, unknown> }>(
    t.ctx.db,
    sql`select event_type, data from integration_changes where appointment_id = ${appointmentId} order by xid, id`,
  );
}

describe('«Не смогу прийти» in the feed and in FHIR', () => {
  it('the released visit comes again in the feed, still booked, with releasedAt; FHIR says so in comment', async () => {
    const busy = await busyDoctor(t);
    const key = await misKey(busy.setup.organisation.id);
    const visitId = busy.filler.appointments.get(busy.setup.slots[2].id) ?? '';
    const feedUrl = await feedAfterNow(key);

    t.clock.set(AFTER_CUTOFF);
    const released = await busy.filler.client.post(`/api/appointments/${visitId}/release`);
    expect(released.status, JSON.stringify(released.body)).toBe(200);

    const feed = await feedUntil<Feed>(t, feedUrl, key, (b) => b.appointments.some((a) => a.id === visitId));
    expect(feed.status).toBe(200);
    expect(feed.body.appointments.find((a) => a.id === visitId)).toMatchObject({
      status: 'booked',
      releasedAt: AFTER_CUTOFF.replace('Z', '.000Z'),
      cancelReason: null,
      movedFromId: null,
    });
    const events = await eventsOf(visitId);
    expect(events.at(-1)).toMatchObject({
      event_type: 'appointment.updated',
      data: { releasedAt: expect.any(String) },
    });

    const fhir = await apiCall<Record<string, unknown>>(t, 'GET', `/fhir/R4/Appointment/${visitId}`, key);
    expect(fhir.status).toBe(200);
    expect(fhir.body).toMatchObject({ status: 'booked', comment: 'Пациент предупредил, что не придёт' });
  });
});

describe('a move in the feed and in FHIR', () => {
  it('the old visit is cancelled by the patient with cancelReason moved; the new one names it in movedFromId', async () => {
    const patient = await createPatient(t);
    const setup = await createBookableSetup(t.ctx);
    const key = await misKey(setup.organisation.id);
    const booked = await patient.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[2].id,
      personId: patient.person.id,
    });
    expect(booked.status).toBe(201);
    const oldId = booked.body.id;
    const feedUrl = await feedAfterNow(key);

    const moved = await patient.client.post<{ id: string }>(`/api/appointments/${oldId}/move`, {
      slotId: setup.slots[4].id,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const newId = moved.body.id;
    expect(newId).not.toBe(oldId);

    const feed = await feedUntil<Feed>(
      t,
      feedUrl,
      key,
      (b) => b.appointments.some((a) => a.id === oldId) && b.appointments.some((a) => a.id === newId),
    );
    expect(feed.body.appointments.find((a) => a.id === oldId)).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'patient',
      cancelReason: 'moved',
      movedFromId: null,
    });
    expect(feed.body.appointments.find((a) => a.id === newId)).toMatchObject({
      status: 'booked',
      cancelReason: null,
      movedFromId: oldId,
    });
    expect((await eventsOf(newId)).some((e) => e.data.movedFromId === oldId)).toBe(true);

    const fhir = await apiCall<Record<string, unknown>>(t, 'GET', `/fhir/R4/Appointment/${oldId}`, key);
    expect(fhir.body).toMatchObject({
      status: 'cancelled',
      cancelationReason: { coding: [{ code: 'pat' }], text: 'Перенесена пациентом на другое время' },
    });
  });
});
