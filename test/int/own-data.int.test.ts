// Own data (152-ФЗ, issue 19) through HTTP: the export holds exactly this account's data and
// nothing of another's; removing a person (someone else's refused, the holder refused, refused
// with a future visit, CSRF); deleting the account (wrong password, future visits, then: no
// sign-in, data gone, visits kept without personal data, the integration feed shows none).
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentDetail, OwnDataExport, PersonRemovedResponse } from '../../src/shared/api/index.js';
import { queryRows } from '../../src/server/db/index.js';
import {
  accounts,
  appointments,
  auditLog,
  notifications,
  outbox,
  persons,
  sessions,
  waitlistEntries,
  waitlistOffers,
} from '../../src/server/db/schema.js';
import { createAppointmentRow, createSlots } from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson, signIn, type PersonRow } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { expectError } from '../support/expect.js';
import { sessionClient } from './booking.helpers.js';
import { apiCall, issueKey } from './integration-api.helpers.js';
import { busyDoctor, freeSlot, join, type BusyDoctor } from './waitlist.helpers.js';

let t: TestContext;
let busy: BusyDoctor;
let holder: Awaited<ReturnType<typeof createPatient>>;
let child: PersonRow;
let stranger: Awaited<ReturnType<typeof createPatient>>;
let strangerVisit: AppointmentDetail;
let pastVisitId: string;
let futureVisit: AppointmentDetail;
let entryId: string;
let feedKey: string;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
  busy = await busyDoctor(t);
  holder = await createPatient(t, { person: { lastName: 'Орлова', firstName: 'Ирина', middleName: 'Львовна' } });
  child = await createPerson(t.ctx, holder.account.id, {
    lastName: 'Орлов',
    firstName: 'Глеб',
    middleName: 'Игоревич',
    birthDate: '2016-05-01',
    sex: 'M',
  });
  // A past visit of the child (a medical record), booked on the portal a week ago.
  const [past] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-11-18T06:00:00Z')]);
  pastVisitId = (
    await createAppointmentRow(t.ctx, past, child.id, { bookedByAccountId: holder.account.id, status: 'visited' })
  ).id;
  // A future visit of the holder, booked through HTTP (notification and e-mail made).
  const [future] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-11-30T07:00:00Z')]);
  const booked = await holder.client.post<AppointmentDetail>('/api/appointments', {
    slotId: future.id,
    personId: holder.person.id,
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  futureVisit = booked.body;
  // The child waits for the busy doctor.
  entryId = (await join(holder.client, child.id, busy.setup.doctor.id)).id;

  stranger = await createPatient(t, { person: { lastName: 'Чужая', firstName: 'Вера' } });
  const [strangerSlot] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-11-30T08:00:00Z')]);
  const sb = await stranger.client.post<AppointmentDetail>('/api/appointments', {
    slotId: strangerSlot.id,
    personId: stranger.person.id,
  });
  expect(sb.status).toBe(201);
  strangerVisit = sb.body;

  const operator = await createAccount(t.ctx, { role: 'operator' });
  feedKey = (
    await issueKey(await signIn(t, operator.email, operator.password), {
      organisationId: busy.setup.organisation.id,
      channel: 'mis',
    })
  ).key;
});
afterAll(async () => t.close());

async function personRow(id: string) {
  const [row] = await t.ctx.db.select().from(persons).where(eq(persons.id, id));
  return row;
}

describe('GET /api/account/data and /download', () => {
  it('holds this account, its people, visits, waitlist, notifications and audit — and nothing of another account', async () => {
    const res = await holder.client.get<OwnDataExport>('/api/account/data');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const data = res.body;
    expect(data.account).toMatchObject({ id: holder.account.id, email: holder.account.email, esiaLinked: false });
    expect(data.persons.map((p) => p.id).sort()).toEqual([holder.person.id, child.id].sort());
    expect(data.persons.find((p) => p.id === child.id)).toMatchObject({
      lastName: 'Орлов',
      snils: child.snils,
      policy: child.policy,
      birthDate: '2016-05-01',
    });
    expect(data.visits.map((v) => v.id).sort()).toEqual([pastVisitId, futureVisit.id].sort());
    expect(data.waitlistEntries.map((e) => e.id)).toEqual([entryId]);
    expect(data.notifications.length).toBeGreaterThan(0);
    expect(data.emails.some((m) => m.kind === 'booking_made')).toBe(true);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(Array.isArray(data.referrals)).toBe(true);
    // Nothing of the other account, anywhere in the file.
    const text = JSON.stringify(data);
    for (const foreign of [
      stranger.account.id,
      stranger.account.email,
      stranger.person.id,
      stranger.person.snils,
      stranger.person.policy,
      'Чужая',
      strangerVisit.id,
      strangerVisit.reference,
    ]) {
      expect(text).not.toContain(foreign);
    }
    // No secrets either.
    expect(text).not.toMatch(/argon2|passwordHash|p256dh/);
  });

  it('downloads the same as an attachment whose name and address carry no personal data', async () => {
    const res = await holder.client.get<OwnDataExport>('/api/account/data/download');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="priyom-moi-dannye-2026-11-25.json"');
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.account.id).toBe(holder.account.id);
  });

  it('is for a signed-in patient only', async () => {
    expectError(await t.client().get('/api/account/data'), 401, 'NOT_AUTHENTICATED');
    expectError(await t.client().get('/api/account/data/download'), 401, 'NOT_AUTHENTICATED');
    const operator = await createAccount(t.ctx, { role: 'operator' });
    const staff = await signIn(t, operator.email, operator.password);
    expectError(await staff.get('/api/account/data'), 403, 'FORBIDDEN');
  });
});

describe('POST /api/persons/:id/remove', () => {
  it('refuses someone else’s person, the holder, bad ids and a call without CSRF, writing nothing', async () => {
    expectError(await stranger.client.post(`/api/persons/${child.id}/remove`), 404, 'PERSON_NOT_FOUND');
    expectError(await holder.client.post(`/api/persons/${holder.person.id}/remove`), 409, 'MAIN_PERSON_NOT_REMOVABLE');
    expectError(await holder.client.post('/api/persons/nope/remove'), 400, 'VALIDATION_FAILED');
    expectError(
      await holder.client.request('POST', `/api/persons/${child.id}/remove`, undefined, { 'x-csrf-token': 'x' }),
      403,
      'CSRF_FAILED',
    );
    expectError(await t.client().post(`/api/persons/${child.id}/remove`), 401, 'NOT_AUTHENTICATED');
    expect(await personRow(child.id)).toMatchObject({ lastName: 'Орлов', erasedAt: null });
  });

  it('is refused while the person has a future visit', async () => {
    const [slot] = await createSlots(t.ctx, busy.setup.doctor.id, [new Date('2026-12-01T07:00:00Z')]);
    const booked = await holder.client.post<AppointmentDetail>('/api/appointments', {
      slotId: slot.id,
      personId: child.id,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const refused = await holder.client.post<{ details: { visits: number } }>(`/api/persons/${child.id}/remove`);
    expectError(refused, 409, 'PERSON_HAS_FUTURE_VISITS');
    expect(refused.body.details.visits).toBe(1);
    expect(await personRow(child.id)).toMatchObject({ lastName: 'Орлов', erasedAt: null });
    expect((await holder.client.post(`/api/appointments/${booked.body.id}/cancel`)).status).toBe(200);
  });

  it('removes the person: waitlist withdrawn (its offer moves on), past visit kept without personal data, audited with ids', async () => {
    // The busy doctor's time frees up: the child's entry gets an offer.
    await freeSlot(busy, busy.setup.slots[0].id);
    const [pending] = await t.ctx.db
      .select()
      .from(waitlistOffers)
      .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, 'pending')));
    expect(pending).toBeDefined();

    const res = await holder.client.post<PersonRemovedResponse>(`/api/persons/${child.id}/remove`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ personId: child.id, pastVisitsKept: 2, waitlistEntriesWithdrawn: 1 });

    const row = await personRow(child.id);
    expect(row).toMatchObject({
      lastName: 'Удалено',
      firstName: 'Удалено',
      middleName: null,
      birthDate: '1900-01-01',
      status: 'rejected',
      phone: null,
    });
    expect(row.erasedAt).not.toBeNull();
    expect(row.snils).toMatch(/^000[0-9]{8}$/);
    expect(row.snils).not.toBe(child.snils);
    expect(row.policy).not.toBe(child.policy);
    // The medical record stays, pointing to the erased row, with the stand-in СНИЛС.
    const [visit] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, pastVisitId));
    expect(visit).toMatchObject({ status: 'visited', personId: child.id, patientSnils: row.snils });
    const [entry] = await t.ctx.db.select().from(waitlistEntries).where(eq(waitlistEntries.id, entryId));
    expect(entry).toMatchObject({ status: 'left', endReason: 'person_removed' });
    const [offer] = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.id, pending.id));
    expect(offer.status).toBe('withdrawn');

    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.erase'), eq(auditLog.entityId, child.id)));
    expect(audit.actorAccountId).toBe(holder.account.id);
    expect(JSON.stringify(audit.details)).not.toMatch(/Орлов|Глеб|Игоревич|2016-05-01/);
    expect(JSON.stringify(audit.details)).not.toContain(child.snils);

    // Gone from the card file and the export; a second removal finds nothing.
    const card = await holder.client.get<{ persons: { id: string }[] }>('/api/cardfile');
    expect(card.body.persons.map((p) => p.id)).toEqual([holder.person.id]);
    const data = await holder.client.get<OwnDataExport>('/api/account/data');
    expect(JSON.stringify(data.body.persons)).not.toContain('Глеб');
    expectError(await holder.client.post(`/api/persons/${child.id}/remove`), 404, 'PERSON_NOT_FOUND');

    // The integration feed reads the visit without the child's data.
    const feed = await apiCall(t, 'GET', `/api/integration/v1/appointments/${pastVisitId}`, feedKey);
    expect(feed.status).toBe(200);
    const feedText = JSON.stringify(feed.body);
    expect(feedText).not.toMatch(/Орлов|Глеб|Игоревич|2016-05-01/);
    expect(feedText).not.toContain(child.snils);
    expect(feedText).not.toContain(child.policy);
  });
});

describe('POST /api/account/delete', () => {
  it('refuses a wrong password and a missing one, changing nothing', async () => {
    expectError(
      await holder.client.post('/api/account/delete', { password: 'Wrong-password-1' }),
      403,
      'PASSWORD_WRONG',
    );
    expectError(await holder.client.post('/api/account/delete', {}), 403, 'PASSWORD_WRONG');
    expectError(
      await t.client().post('/api/account/delete', { password: holder.account.password }),
      401,
      'NOT_AUTHENTICATED',
    );
    const [row] = await t.ctx.db.select().from(accounts).where(eq(accounts.id, holder.account.id));
    expect(row).toMatchObject({ email: holder.account.email, erasedAt: null });
  });

  it('is refused while a future visit is booked', async () => {
    const refused = await holder.client.post<{ details: { visits: number } }>('/api/account/delete', {
      password: holder.account.password,
    });
    expectError(refused, 409, 'ACCOUNT_HAS_FUTURE_VISITS');
    expect(refused.body.details.visits).toBe(1);
    expect((await personRow(holder.person.id)).lastName).toBe('Орлова');
  });

  it('deletes: sessions end, no sign-in, personal data gone, visits kept as records, audited', async () => {
    expect((await holder.client.post(`/api/appointments/${futureVisit.id}/cancel`)).status).toBe(200);
    const second = await signIn(t, holder.account.email, holder.account.password);
    const before = await queryRows<{ n: string | number }>(
      t.ctx.db,
      sql`select count(*) as n from appointments a join persons p on p.id = a.person_id where p.account_id = ${holder.account.id}`,
    );

    const res = await holder.client.post('/api/account/delete', { password: holder.account.password });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // Every session of the account is gone: this browser and another one.
    expectError(await holder.client.get('/api/account/data'), 401, 'NOT_AUTHENTICATED');
    expectError(await second.get('/api/cardfile'), 401, 'NOT_AUTHENTICATED');
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, holder.account.id))).toEqual([]);
    // It cannot sign in again.
    const login = await t.client().post('/api/auth/login', {
      email: holder.account.email,
      password: holder.account.password,
    });
    expectError(login, 401, 'INVALID_CREDENTIALS');

    const [account] = await t.ctx.db.select().from(accounts).where(eq(accounts.id, holder.account.id));
    expect(account).toMatchObject({ email: null, passwordHash: null, esiaOid: null });
    expect(account.erasedAt).not.toBeNull();
    const main = await personRow(holder.person.id);
    expect(main).toMatchObject({ lastName: 'Удалено', isMain: false, status: 'rejected' });
    expect(main.snils).not.toBe(holder.person.snils);
    expect(await t.ctx.db.select().from(notifications).where(eq(notifications.accountId, holder.account.id))).toEqual(
      [],
    );
    expect(
      await t.ctx.db.select().from(outbox).where(sql`lower(${outbox.toAddress}) = ${holder.account.email}`),
    ).toEqual([]);
    // The visits stay as medical records.
    const after = await queryRows<{ n: string | number }>(
      t.ctx.db,
      sql`select count(*) as n from appointments a join persons p on p.id = a.person_id where p.account_id = ${holder.account.id}`,
    );
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    // Nothing of the holder is left in a person row.
    const leftovers = await queryRows<{ n: string | number }>(
      t.ctx.db,
      sql`select count(*) as n from persons where snils in (${holder.person.snils}, ${child.snils}) or last_name like 'Орлов%'`,
    );
    expect(Number(leftovers[0].n)).toBe(0);
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.erase'), eq(auditLog.entityId, holder.account.id)));
    expect(audit.details).toMatchObject({ persons: [holder.person.id] });
    expect(JSON.stringify(audit.details)).not.toContain(holder.account.email);

    // The other account is untouched.
    const strangerData = await stranger.client.get<OwnDataExport>('/api/account/data');
    expect(strangerData.body.persons[0]).toMatchObject({ lastName: 'Чужая' });
    expect(strangerData.body.visits.map((v) => v.id)).toEqual([strangerVisit.id]);
  });

  it('an account without a password confirms with a fresh ЕСИА sign-in', async () => {
    const account = await createAccount(t.ctx);
    await t.ctx.db.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, account.id));
    await createPerson(t.ctx, account.id, { isMain: true });
    const byPassword = await sessionClient(t, account.id, 'password');
    expectError(await byPassword.post('/api/account/delete', {}), 403, 'REAUTH_REQUIRED');
    const oldEsia = await sessionClient(t, account.id, 'esia');
    t.clock.advance(16 * 60_000);
    expectError(await oldEsia.post('/api/account/delete', {}), 403, 'REAUTH_REQUIRED');
    const fresh = await sessionClient(t, account.id, 'esia');
    expect((await fresh.post('/api/account/delete', {})).status).toBe(200);
    const [row] = await t.ctx.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row.erasedAt).not.toBeNull();
  });
});
