// The schedule cache (schedule.cache.ts) through HTTP: a cached page never hides a change -
// a booking, a cancel, a hold, a write by any other code (triggers keep the versions), a
// catalogue or settings change, the passing of time - and a second server process on the same
// PostgreSQL database sees a booking made on the first at once. Also the region settings
// cache of bookings, and the prepared-statement plumbing on either database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import type { AppointmentDetail, ScheduleResponse, ScheduleSlot } from '../../src/shared/api/index.js';
import { doctors, slots as slotsTable } from '../../src/server/db/schema.js';
import { preparedSql } from '../../src/server/db/prepared.js';
import { updateRegionSettings } from '../../src/server/modules/region/settings.service.js';
import { scheduleCacheStats } from '../../src/server/modules/schedule/schedule.cache.js';
import { createBookableSetup, createSlots } from '../factories/catalogue.js';
import { createAccount, createPatient } from '../factories/identity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
const START = '2026-11-25T09:00:00Z'; // 13:00 in Samara (UTC+4)
beforeAll(async () => {
  t = await createTestContext({ now: START });
});
afterAll(async () => t.close());

function stateOf(s: ScheduleResponse, slotId: number): ScheduleSlot['state'] | undefined {
  return s.days.flatMap((d) => d.slots).find((x) => x.id === slotId)?.state;
}

async function read(doctorId: number, client = t.client()) {
  const res = await client.get<ScheduleResponse>(`/api/doctors/${doctorId}/schedule`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('application/json');
  return res.body;
}

describe('the schedule cache', () => {
  it("renders a doctor's page once for reads that miss together", async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const before = scheduleCacheStats(t.ctx.db);
    const pages = await Promise.all(Array.from({ length: 6 }, () => read(setup.doctor.id)));
    for (const page of pages) expect(page).toEqual(pages[0]);
    const after = scheduleCacheStats(t.ctx.db);
    const renders = (s: typeof after) => s.misses - s.joined;
    expect(renders(after) - renders(before)).toBe(1);
    expect(after.hits + after.misses - (before.hits + before.misses)).toBe(6);
  });

  it('answers repeated reads from the cache, and shows a booking and a cancel at once', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const [slot] = setup.slots;
    const first = await read(setup.doctor.id);
    const before = scheduleCacheStats(t.ctx.db);
    const second = await read(setup.doctor.id);
    expect(second).toEqual(first);
    expect(scheduleCacheStats(t.ctx.db).hits).toBe(before.hits + 1);
    expect(stateOf(second, slot.id)).toBe('free');

    const p = await createPatient(t);
    const booked = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: slot.id,
      personId: p.person.id,
    });
    expect(booked.status).toBe(201);
    expect(stateOf(await read(setup.doctor.id), slot.id)).toBe('busy');
    // The booker's own appointment is never served from the shared page: the red frame.
    const mine = (await read(setup.doctor.id, p.client)).days.flatMap((d) => d.slots).find((s) => s.id === slot.id);
    expect(mine).toMatchObject({ state: 'mine', appointmentId: booked.body.id, cancellable: true });
    // Another signed-in account without visits there sees the shared page.
    const other = await createPatient(t);
    expect(stateOf(await read(setup.doctor.id, other.client), slot.id)).toBe('busy');

    const cancelled = await p.client.post(`/api/appointments/${booked.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(stateOf(await read(setup.doctor.id), slot.id)).toBe('free');
    expect(stateOf(await read(setup.doctor.id, p.client), slot.id)).toBe('free');
  });

  it('shows a hold as busy to others and held_by_me to the holder, and free once it lapses', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const [slot] = setup.slots;
    expect(stateOf(await read(setup.doctor.id), slot.id)).toBe('free');
    const p = await createPatient(t);
    const hold = await p.client.post('/api/holds', { slotId: slot.id, personId: p.person.id });
    expect(hold.status).toBe(200);
    expect(stateOf(await read(setup.doctor.id), slot.id)).toBe('busy');
    expect(stateOf(await read(setup.doctor.id, p.client), slot.id)).toBe('held_by_me');
    t.clock.advance(11 * 60_000); // the 10-minute hold has lapsed; nothing was written
    expect(stateOf(await read(setup.doctor.id), slot.id)).toBe('free');
  });

  it('sees writes made by any code, through the triggers on slots (no call to remember)', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const [a, b] = setup.slots;
    expect(stateOf(await read(setup.doctor.id), a.id)).toBe('free');
    // As a registry desk or a clinic system would: plain SQL on slots.
    await t.ctx.db.update(slotsTable).set({ status: 'blocked' }).where(eq(slotsTable.id, a.id));
    expect(stateOf(await read(setup.doctor.id), a.id)).toBe('blocked');
    await t.ctx.db.execute(sql`update slots set status = 'booked' where id = ${b.id}`);
    expect(stateOf(await read(setup.doctor.id), b.id)).toBe('busy');
    const [added] = await createSlots(t.ctx, setup.doctor.id, [new Date(a.startAt.getTime() + 86_400_000 + 3_600_000)]);
    expect(stateOf(await read(setup.doctor.id), added.id)).toBe('free');
    await t.ctx.db.delete(slotsTable).where(eq(slotsTable.id, added.id));
    expect(stateOf(await read(setup.doctor.id), added.id)).toBeUndefined();
  });

  it('drops a slot once it has started, and follows changes of the doctor and of the region settings', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const [first, second] = setup.slots;
    const page = await read(setup.doctor.id);
    expect(stateOf(page, first.id)).toBe('free');
    t.clock.set(new Date(first.startAt.getTime() + 60_000));
    const later = await read(setup.doctor.id);
    expect(stateOf(later, first.id)).toBeUndefined();
    expect(stateOf(later, second.id)).toBe('free');

    await t.ctx.db.update(doctors).set({ room: '999' }).where(eq(doctors.id, setup.doctor.id));
    expect((await read(setup.doctor.id)).doctor.room).toBe('999');

    const operator = await createAccount(t.ctx, { role: 'operator' });
    const settings = { cutoffTime: '18:00', holdMinutes: 10, offerWindowHours: 24, maxOffers: 3, maxPerSpecialty: 1 };
    await updateRegionSettings(t.ctx.db, operator.id, { ...settings, horizonDays: 7 }, t.ctx.now());
    expect((await read(setup.doctor.id)).days).toHaveLength(7);
    await updateRegionSettings(t.ctx.db, operator.id, { ...settings, horizonDays: 14 }, t.ctx.now());
    expect((await read(setup.doctor.id)).days).toHaveLength(14);
  });
});

describe('revalidation by entity tag', () => {
  it('answers 304 while the shared page is current, 200 once it changed, and never tags a page with own visits', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const url = `/api/doctors/${setup.doctor.id}/schedule`;
    const first = await t.app.inject({ method: 'GET', url });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"s\d+-/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    const p = await createPatient(t);
    const booked = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[0].id,
      personId: p.person.id,
    });
    expect(booked.status).toBe(201);
    const changed = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const own = await p.client.request('GET', url, undefined, { 'if-none-match': changed.headers.etag as string });
    expect(own.status).toBe(200);
    expect(own.headers.etag).toBeUndefined();
    expect(own.headers['cache-control']).toBe('no-store');
  });
});

describe('the compressed shared page', () => {
  it('is sent gzip-compressed to a client that accepts it, with the same JSON, its own tag and Vary', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const url = `/api/doctors/${setup.doctor.id}/schedule`;
    const plain = await t.app.inject({ method: 'GET', url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');

    const zipped = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.headers['content-type']).toBe('application/json; charset=utf-8');
    const unzipped = gunzipSync(zipped.rawPayload).toString('utf8');
    expect(unzipped).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(Number(zipped.headers['content-length'])).toBe(zipped.rawPayload.length);

    const zipTag = zipped.headers.etag as string;
    expect(zipTag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-gz"`);
    const again = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zipTag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(zipTag);
    // The other representation's tag does not validate this one.
    const crossed = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': zipTag } });
    expect(crossed.statusCode).toBe(200);
    expect(crossed.headers['content-encoding']).toBeUndefined();
    // Once compressed, only the gzip form is kept: a client without gzip gets it decompressed.
    expect(crossed.body).toBe(plain.body);
    // A client refusing gzip does not get the kept gzip page: the JSON, compressed per request
    // like any API answer over 1 kB (@fastify/compress, app.ts) in the encoding it accepts.
    const refused = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip;q=0, br' } });
    expect(refused.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(refused.rawPayload).toString('utf8')).toBe(plain.body);

    // A booking changes both representations at once.
    const p = await createPatient(t);
    const booked = await p.client.post<AppointmentDetail>('/api/appointments', {
      slotId: setup.slots[0].id,
      personId: p.person.id,
    });
    expect(booked.status).toBe(201);
    const after = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zipTag },
    });
    expect(after.statusCode).toBe(200);
    const page = JSON.parse(gunzipSync(after.rawPayload).toString('utf8')) as ScheduleResponse;
    expect(stateOf(page, setup.slots[0].id)).toBe('busy');
  });

  it('is not used for a page with the viewer’s own visits', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const url = `/api/doctors/${setup.doctor.id}/schedule`;
    const p = await createPatient(t);
    expect(
      (await p.client.post('/api/appointments', { slotId: setup.slots[1].id, personId: p.person.id })).status,
    ).toBe(201);
    const cookie = [...p.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const own = await t.app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.headers.etag).toBeUndefined();
    // Rendered for the viewer and compressed for this answer only (@fastify/compress, app.ts).
    expect(own.headers['content-encoding']).toBe('gzip');
    const page = JSON.parse(gunzipSync(own.rawPayload).toString('utf8')) as ScheduleResponse;
    expect(stateOf(page, setup.slots[1].id)).toBe('mine');
  });
});

describe('the region settings cache of bookings', () => {
  it('applies a changed per-specialty limit to the next booking', async () => {
    t.clock.set(START);
    const setup = await createBookableSetup(t.ctx);
    const [s1, , s3, , s5] = setup.slots;
    const operator = await createAccount(t.ctx, { role: 'operator' });
    const base = { cutoffTime: '18:00', horizonDays: 14, holdMinutes: 10, offerWindowHours: 24, maxOffers: 3 };
    const p = await createPatient(t);
    const book = (slotId: number) =>
      p.client.post<{ code?: string }>('/api/appointments', { slotId, personId: p.person.id });
    expect((await book(s1.id)).status).toBe(201);
    expect((await book(s3.id)).body.code).toBe('SPECIALTY_LIMIT_REACHED');
    await updateRegionSettings(t.ctx.db, operator.id, { ...base, maxPerSpecialty: 2 }, t.ctx.now());
    expect((await book(s3.id)).status).toBe(201);
    await updateRegionSettings(t.ctx.db, operator.id, { ...base, maxPerSpecialty: 1 }, t.ctx.now());
    expect((await book(s5.id)).body.code).toBe('SPECIALTY_LIMIT_REACHED');
  });
});

describe('named prepared statements', () => {
  it('run with placeholders on this database, and refuse inline values or a name used twice', async () => {
    const st = preparedSql<{ n: number; s: string }>(
      'test_prepared_echo',
      sql`select ${sql.placeholder('n')}::int + 1 as n, ${sql.placeholder('s')}::text as s`,
    );
    expect(st.placeholders).toEqual(['n', 's']);
    expect(await st.rows(t.ctx.db, { n: 41, s: 'один' })).toEqual([{ n: 42, s: 'один' }]);
    expect(await st.rows(t.ctx.db, { n: 1, s: 'два' })).toEqual([{ n: 2, s: 'два' }]);
    await t.ctx.db.transaction(async (tx) => {
      expect(await st.rows(tx, { n: 2, s: 'три' })).toEqual([{ n: 3, s: 'три' }]);
    });
    expect(() => preparedSql('test_prepared_echo', sql`select 1`)).toThrow(/twice/);
    expect(() => preparedSql('test_prepared_inline', sql`select ${1}::int`)).toThrow(/placeholder/);
  });
});

describe('two server processes on one PostgreSQL database', () => {
  it('a read on B shows at once a booking, a cancel and a settings change made on A', async (testCtx) => {
    if (!t.databaseUrl) testCtx.skip(); // PGlite is one process: nothing to share
    const b = await createTestContext({ databaseUrl: t.databaseUrl!, now: START });
    try {
      t.clock.set(START);
      b.clock.set(START);
      const setup = await createBookableSetup(t.ctx);
      const [slot, , other] = setup.slots;
      const readOnB = async () => {
        const res = await b.client().get<ScheduleResponse>(`/api/doctors/${setup.doctor.id}/schedule`);
        return res.body;
      };
      expect(stateOf(await readOnB(), slot.id)).toBe('free');
      expect(stateOf(await readOnB(), slot.id)).toBe('free'); // now cached on B

      const p = await createPatient(t);
      const booked = await p.client.post<AppointmentDetail>('/api/appointments', {
        slotId: slot.id,
        personId: p.person.id,
      });
      expect(booked.status).toBe(201);
      expect(stateOf(await readOnB(), slot.id)).toBe('busy');
      expect((await p.client.post(`/api/appointments/${booked.body.id}/cancel`)).status).toBe(200);
      expect(stateOf(await readOnB(), slot.id)).toBe('free');

      // Settings changed through A apply at once to a booking through B.
      const operator = await createAccount(t.ctx, { role: 'operator' });
      const base = { cutoffTime: '18:00', holdMinutes: 10, offerWindowHours: 24, maxOffers: 3, maxPerSpecialty: 1 };
      const q = await createPatient(b);
      expect((await q.client.post('/api/appointments', { slotId: slot.id, personId: q.person.id })).status).toBe(201);
      await updateRegionSettings(t.ctx.db, operator.id, { ...base, horizonDays: 1 }, t.ctx.now());
      const beyond = await q.client.post<{ code?: string }>('/api/appointments', {
        slotId: other.id,
        personId: q.person.id,
      });
      expect(beyond.body.code).toBe('SLOT_BEYOND_HORIZON');
      await updateRegionSettings(t.ctx.db, operator.id, { ...base, horizonDays: 14 }, t.ctx.now());
    } finally {
      await b.close();
    }
  });
});
