// «Schedules in» (issue 17) through HTTP: a clinic system with an API key of channel `mis` maps
// its specialty codes, registers its doctors by its own ids, puts a doctor's slot list for a
// range (idempotent by its slot ids; a booked time is never removed or changed, the refusal
// names the visit) and the doctor's template and exceptions in the clinic's own model. Every
// refusal has a code and writes nothing; another organisation's ids are "not found".
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/index.js';
import {
  auditLog,
  doctorAbsences,
  doctors,
  integrationSpecialtyCodes,
  slots,
  waitlistEntries,
  waitlistOffers,
} from '../../src/server/db/schema.js';
import type { SlotPushInput, SlotPushResponse } from '../../src/shared/api/index.js';
import { addDays } from '../../src/shared/time.js';
import { createAppointmentRow, createBookableSetup, type BookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { issueKey } from './integration-api.helpers.js';
import { signIn } from '../factories/identity.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let operator: TestClient;
let mis: string;
let queue: string;
let otherMis: string;

const V1 = '/api/integration/v1';
// The test clock: 2026-11-25 13:00 in Izhevsk (Europe/Samara, UTC+4).
const TODAY = '2026-11-25';
const day = (n: number) => addDays(TODAY, n);
const local = (date: string, hhmm: string) => `${date}T${hhmm}:00+04:00`;

type Problem = {
  code: string;
  message: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
};

async function call<T = Record<string, unknown>>(
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  key: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await t.app.inject({
    method,
    url,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
}

/** Everything these routes may write, counted (a refusal must leave every count as it was). */
async function counts() {
  const rows = await queryRows<Record<string, string>>(
    t.ctx.db,
    sql`select (select count(*) from doctors) as doctors,
               (select count(*) from slots) as slots,
               (select count(*) from integration_specialty_codes) as codes,
               (select count(*) from schedule_templates) as templates,
               (select count(*) from schedule_exceptions) as exceptions,
               (select count(*) from audit_log) as audit,
               (select coalesce(sum(hashtext(concat_ws('|', id, external_id, start_at, end_at, status, channel, off_template))), 0) from slots) as slot_state,
               (select coalesce(sum(hashtext(concat_ws('|', id, external_id, last_name, room, position, active, specialty_id))), 0) from doctors) as doctor_state`,
  );
  return rows[0];
}

function doctorBody(over: Record<string, unknown> = {}) {
  return {
    lastName: 'Петрова',
    firstName: 'Мария',
    middleName: 'Ивановна',
    specialtyCode: 'TER-27',
    position: 'врач-терапевт участковый',
    room: '204',
    ...over,
  };
}

const slotList = (
  date: string,
  times: string[],
  prefix = 's',
  channel?: 'portal' | 'registry' | 'referral',
): SlotPushInput['slots'] =>
  times.map((hhmm) => {
    const [h, m] = hhmm.split(':').map(Number);
    const endMinutes = h * 60 + m + 20;
    const end = `${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}`;
    return {
      externalId: `${prefix}-${date}-${hhmm.replace(':', '')}`,
      startAt: local(date, hhmm),
      endAt: local(date, end),
      ...(channel ? { channel } : {}),
    };
  });

async function pushSlots(key: string, doctor: string, from: string, to: string, list: SlotPushInput['slots']) {
  return call<SlotPushResponse & Problem>('PUT', `${V1}/doctors/external/${doctor}/slots?from=${from}&to=${to}`, key, {
    slots: list,
  });
}

async function doctorId(externalId: string, organisationId: number): Promise<number> {
  const rows = await t.ctx.db
    .select({ id: doctors.id })
    .from(doctors)
    .where(and(eq(doctors.externalId, externalId), eq(doctors.organisationId, organisationId)));
  return rows[0].id;
}

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const acc = await createAccount(t.ctx, { role: 'operator' });
  operator = await signIn(t, acc.email, acc.password);
  mis = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'mis' })).key;
  queue = (await issueKey(operator, { organisationId: clinic.organisation.id, channel: 'electronic_queue' })).key;
  otherMis = (await issueKey(operator, { organisationId: other.organisation.id, channel: 'mis' })).key;
});
afterAll(async () => t.close());

const routes: { method: 'GET' | 'PUT' | 'POST' | 'DELETE'; url: string; body?: unknown }[] = [
  { method: 'GET', url: `${V1}/specialty-codes` },
  { method: 'PUT', url: `${V1}/specialty-codes/TER-27`, body: { specialtyId: 1 } },
  { method: 'GET', url: `${V1}/doctors/external/D-1` },
  { method: 'PUT', url: `${V1}/doctors/external/D-1`, body: doctorBody() },
  { method: 'PUT', url: `${V1}/doctors/external/D-1/slots?from=${day(1)}&to=${day(1)}`, body: { slots: [] } },
  { method: 'GET', url: `${V1}/doctors/external/D-1/schedule-template` },
  { method: 'POST', url: `${V1}/doctors/external/D-1/schedule-template/preview`, body: { rules: [] } },
  { method: 'PUT', url: `${V1}/doctors/external/D-1/schedule-template`, body: { rules: [] } },
  {
    method: 'POST',
    url: `${V1}/doctors/external/D-1/schedule-exceptions`,
    body: { scope: 'doctor', date: day(2), kind: 'day_off' },
  },
  { method: 'DELETE', url: `${V1}/schedule-exceptions/1` },
];

describe('who may call', () => {
  it('refuses every route without a key (401) and with a key of another channel (403), writing nothing', async () => {
    const before = await counts();
    for (const r of routes) {
      const none = await call<Problem>(r.method, r.url, null, r.body);
      expect(none.status, `${r.method} ${r.url}`).toBe(401);
      expect(none.body.code).toBe('API_KEY_MISSING');
      const wrong = await call<Problem>(r.method, r.url, queue, r.body);
      expect(wrong.status, `${r.method} ${r.url}`).toBe(403);
      expect(wrong.body.code).toBe('API_CHANNEL_NOT_ALLOWED');
      expect(wrong.body.message).toMatch(/mis/);
    }
    // The channel is checked before the body: a malformed body from the wrong channel is still 403.
    const malformed = await call<Problem>('PUT', `${V1}/doctors/external/D-1`, queue, { lastName: 1 });
    expect(malformed.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('specialty codes', () => {
  it('maps a code to a region specialty: 201, the same again 200 and no second audit row', async () => {
    const first = await call('PUT', `${V1}/specialty-codes/TER-27`, mis, { specialtyId: clinic.specialty.id });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      code: 'TER-27',
      specialtyId: clinic.specialty.id,
      specialtyName: clinic.specialty.name,
    });
    const audit = await counts();
    const again = await call('PUT', `${V1}/specialty-codes/TER-27`, mis, { specialtyId: clinic.specialty.id });
    expect(again.status).toBe(200);
    expect(await counts()).toEqual(audit);
    const entry = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'specialty_code.map'))
      .orderBy(asc(auditLog.id));
    expect(entry).toHaveLength(1);
    expect(entry[0].actorAccountId).toBeNull();
    expect(entry[0].details).toMatchObject({ organisationId: clinic.organisation.id, code: 'TER-27' });

    const list = await call<{ specialties: { id: number }[]; codes: { code: string }[] }>(
      'GET',
      `${V1}/specialty-codes`,
      mis,
    );
    expect(list.body.specialties.map((s) => s.id)).toContain(clinic.specialty.id);
    expect(list.body.codes).toEqual([
      { code: 'TER-27', specialtyId: clinic.specialty.id, specialtyName: clinic.specialty.name },
    ]);
    // Another organisation's codes are its own.
    const theirs = await call<{ codes: unknown[] }>('GET', `${V1}/specialty-codes`, otherMis);
    expect(theirs.body.codes).toEqual([]);
  });

  it('refuses an unknown specialty, a malformed code and a malformed body, writing nothing', async () => {
    const before = await counts();
    const unknown = await call<Problem>('PUT', `${V1}/specialty-codes/X-1`, mis, { specialtyId: 999_999 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('UNKNOWN_SPECIALTY');
    const badCode = await call<Problem>('PUT', `${V1}/specialty-codes/${encodeURIComponent('код 1')}`, mis, {
      specialtyId: clinic.specialty.id,
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.code).toBe('VALIDATION_FAILED');
    const badBody = await call<Problem>('PUT', `${V1}/specialty-codes/X-1`, mis, { specialtyId: '1' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
    const rows = await t.ctx.db.select().from(integrationSpecialtyCodes);
    expect(rows.map((r) => r.externalCode)).toEqual(['TER-27']);
  });
});

describe('doctors', () => {
  it('registers a doctor by the clinic id (201), the same body again changes nothing (200), a change is audited', async () => {
    const created = await call<{ id: number; externalId: string; specialtyId: number; active: boolean }>(
      'PUT',
      `${V1}/doctors/external/D-1`,
      mis,
      doctorBody(),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      externalId: 'D-1',
      lastName: 'Петрова',
      specialtyId: clinic.specialty.id,
      room: '204',
      active: true,
    });
    const before = await counts();
    const again = await call<{ id: number }>('PUT', `${V1}/doctors/external/D-1`, mis, doctorBody());
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(await counts()).toEqual(before);

    const moved = await call<{ room: string }>('PUT', `${V1}/doctors/external/D-1`, mis, doctorBody({ room: '310' }));
    expect(moved.status).toBe(200);
    expect(moved.body.room).toBe('310');
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'doctor'), eq(auditLog.entityId, String(created.body.id))))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual(['doctor.create', 'doctor.update']);
    for (const a of audit) {
      expect(a.actorAccountId).toBeNull();
      expect(a.details).toMatchObject({ organisationId: clinic.organisation.id });
      expect(Object.keys(a.details as object)).toContain('apiKeyId');
    }
    const read = await call<{ id: number; room: string }>('GET', `${V1}/doctors/external/D-1`, mis);
    expect(read.body).toMatchObject({ id: created.body.id, room: '310' });
  });

  it('keeps clinic ids per organisation: another organisation neither sees nor changes this doctor', async () => {
    const before = await counts();
    const read = await call<Problem>('GET', `${V1}/doctors/external/D-1`, otherMis);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('DOCTOR_NOT_FOUND');
    // Its own D-1 needs its own mapped code: refused, nothing written.
    const put = await call<Problem>('PUT', `${V1}/doctors/external/D-1`, otherMis, doctorBody({ room: '1' }));
    expect(put.status).toBe(422);
    expect(put.body.code).toBe('SPECIALTY_CODE_UNMAPPED');
    const slotsPut = await pushSlots(otherMis, 'D-1', day(1), day(1), slotList(day(1), ['09:00']));
    expect(slotsPut.status).toBe(404);
    expect(await counts()).toEqual(before);
    const mine = await t.ctx.db.select().from(doctors).where(eq(doctors.externalId, 'D-1'));
    expect(mine.map((d) => [d.organisationId, d.room])).toEqual([[clinic.organisation.id, '310']]);
  });

  it('refuses an unmapped code (422), a malformed body and a bad id, writing nothing', async () => {
    const before = await counts();
    const unmapped = await call<Problem>(
      'PUT',
      `${V1}/doctors/external/D-9`,
      mis,
      doctorBody({ specialtyCode: 'NOPE' }),
    );
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.code).toBe('SPECIALTY_CODE_UNMAPPED');
    const noName = await call<Problem>('PUT', `${V1}/doctors/external/D-9`, mis, doctorBody({ lastName: '' }));
    expect(noName.status).toBe(400);
    expect(noName.body.fields).toHaveProperty('lastName');
    const noRoom = await call<Problem>('PUT', `${V1}/doctors/external/D-9`, mis, doctorBody({ room: undefined }));
    expect(noRoom.status).toBe(400);
    const badId = await call<Problem>('PUT', `${V1}/doctors/external/${encodeURIComponent('Д 9')}`, mis, doctorBody());
    expect(badId.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('two calls registering the same new doctor at once make one doctor', async () => {
    const [a, b] = await Promise.all([
      call<{ id: number }>('PUT', `${V1}/doctors/external/D-RACE`, mis, doctorBody()),
      call<{ id: number }>('PUT', `${V1}/doctors/external/D-RACE`, mis, doctorBody()),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const rows = await t.ctx.db.select().from(doctors).where(eq(doctors.externalId, 'D-RACE'));
    expect(rows).toHaveLength(1);
  });
});

describe('slots', () => {
  it('puts a slot list (created), the same list again changes nothing, a new list moves, updates and removes free times', async () => {
    await call('PUT', `${V1}/doctors/external/D-S`, mis, doctorBody({ lastName: 'Слотова' }));
    const list = [...slotList(day(1), ['09:00', '09:20', '09:40']), ...slotList(day(2), ['14:00'], 's', 'registry')];
    const first = await pushSlots(mis, 'D-S', day(1), day(2), list);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 4, updated: 0, removed: 0, unchanged: 0, timeZone: 'Europe/Samara' });
    expect(first.body.slots.map((s) => [s.externalId, s.localStart, s.channel, s.status])).toEqual([
      [`s-${day(1)}-0900`, `${day(1)}T09:00`, 'portal', 'free'],
      [`s-${day(1)}-0920`, `${day(1)}T09:20`, 'portal', 'free'],
      [`s-${day(1)}-0940`, `${day(1)}T09:40`, 'portal', 'free'],
      [`s-${day(2)}-1400`, `${day(2)}T14:00`, 'registry', 'free'],
    ]);

    // The change log (the feed and webhooks) carries them: its triggers see every write.
    const logged = await queryRows<{ event_type: string; slot_id: string }>(
      t.ctx.db,
      sql`select event_type, slot_id from integration_changes
           where slot_id in (${sql.join(
             first.body.slots.map((s) => sql`${s.id}`),
             sql`, `,
           )}) order by id`,
    );
    expect(logged.map((l) => [l.event_type, Number(l.slot_id)])).toEqual(
      first.body.slots.map((s) => ['slot.created', s.id]),
    );

    const before = await counts();
    const again = await pushSlots(mis, 'D-S', day(1), day(2), list);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: 4 });
    expect(again.body.slots.map((s) => s.id)).toEqual(first.body.slots.map((s) => s.id));
    expect(await counts()).toEqual(before);

    // 09:00 moves to 10:00, 09:20 becomes registry-only, 09:40 is gone, 11:00 is new.
    const changed: SlotPushInput['slots'] = [
      { ...list[0], startAt: local(day(1), '10:00'), endAt: local(day(1), '10:20') },
      { ...list[1], channel: 'registry' },
      { externalId: 'new-1', startAt: local(day(1), '11:00'), endAt: local(day(1), '11:20') },
      list[3],
    ];
    const next = await pushSlots(mis, 'D-S', day(1), day(2), changed);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ created: 1, updated: 2, removed: 1, unchanged: 1 });
    expect(next.body.slots.map((s) => [s.externalId, s.localStart, s.channel])).toEqual([
      [`s-${day(1)}-0920`, `${day(1)}T09:20`, 'registry'],
      [`s-${day(1)}-0900`, `${day(1)}T10:00`, 'portal'],
      ['new-1', `${day(1)}T11:00`, 'portal'],
      [`s-${day(2)}-1400`, `${day(2)}T14:00`, 'registry'],
    ]);
    // The moved slot kept its row (the portal's id), as the clinic's id says.
    expect(next.body.slots[1].id).toBe(first.body.slots[0].id);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'schedule_slots.push'));
    expect(audit).toHaveLength(2);
    expect(audit[1].actorAccountId).toBeNull();
    expect(audit[1].details).toMatchObject({
      organisationId: clinic.organisation.id,
      created: 1,
      updated: 2,
      removed: 1,
    });
  });

  it('refuses to remove or change a booked time: 409 naming the visit (id and reference, no patient), nothing written', async () => {
    await call('PUT', `${V1}/doctors/external/D-B`, mis, doctorBody({ lastName: 'Занятова' }));
    const list = slotList(day(3), ['09:00', '09:20']);
    const put = await pushSlots(mis, 'D-B', day(3), day(3), list);
    expect(put.status).toBe(200);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true, lastName: 'Секретова' });
    const [row] = await t.ctx.db.select().from(slots).where(eq(slots.id, put.body.slots[0].id));
    const visit = await createAppointmentRow(t.ctx, row, person.id, { bookedByAccountId: account.id });

    const before = await counts();
    const removing = await pushSlots(mis, 'D-B', day(3), day(3), [list[1]]);
    expect(removing.status).toBe(409);
    expect(removing.body.code).toBe('SLOTS_PUSH_CONFLICT');
    expect(removing.body.details).toEqual({
      conflicts: [
        {
          slotId: row.id,
          externalId: list[0].externalId,
          change: 'remove',
          date: day(3),
          time: '09:00',
          startAt: row.startAt.toISOString(),
          status: 'booked',
          appointmentId: visit.id,
          reference: visit.reference,
          source: 'portal',
        },
      ],
    });
    expect(JSON.stringify(removing.body)).not.toContain('Секретова');
    const moving = await pushSlots(mis, 'D-B', day(3), day(3), [
      { ...list[0], startAt: local(day(3), '12:00'), endAt: local(day(3), '12:20') },
      list[1],
    ]);
    expect(moving.status).toBe(409);
    expect((moving.body.details as { conflicts: { change: string }[] }).conflicts.map((c) => c.change)).toEqual([
      'change',
    ]);
    // All or nothing: the free 09:20 would have been fine to drop, but nothing was written.
    const mixed = await pushSlots(mis, 'D-B', day(3), day(3), []);
    expect(mixed.status).toBe(409);
    expect(await counts()).toEqual(before);

    // Nor can the doctor be made inactive while the visit stands.
    const inactive = await call<Problem>(
      'PUT',
      `${V1}/doctors/external/D-B`,
      mis,
      doctorBody({ lastName: 'Занятова', active: false }),
    );
    expect(inactive.status).toBe(409);
    expect(inactive.body.code).toBe('DOCTOR_HAS_FUTURE_VISITS');
    expect(await counts()).toEqual(before);

    // The booked time listed as it is: accepted, the visit untouched.
    const same = await pushSlots(mis, 'D-B', day(3), day(3), list);
    expect(same.status).toBe(200);
    expect(same.body.slots.map((s) => s.status)).toEqual(['busy', 'free']);
  });

  it('refuses malformed lists with a field and a Russian message, writing nothing', async () => {
    const before = await counts();
    const d = day(4);
    const cases: { name: string; from?: string; to?: string; list: unknown; field: RegExp }[] = [
      {
        name: 'overlapping slots',
        list: [
          { externalId: 'o-1', startAt: local(d, '09:00'), endAt: local(d, '09:30') },
          { externalId: 'o-2', startAt: local(d, '09:15'), endAt: local(d, '09:45') },
        ],
        field: /slots\.1\.startAt/,
      },
      {
        name: 'end before start',
        list: [{ externalId: 'e-1', startAt: local(d, '10:00'), endAt: local(d, '09:00') }],
        field: /slots\.0\.endAt/,
      },
      {
        name: 'the same clinic id twice',
        list: [
          { externalId: 'dup', startAt: local(d, '09:00'), endAt: local(d, '09:20') },
          { externalId: 'dup', startAt: local(d, '10:00'), endAt: local(d, '10:20') },
        ],
        field: /slots\.1\.externalId/,
      },
      {
        name: 'no offset in the time',
        list: [{ externalId: 'z-1', startAt: `${d}T09:00:00`, endAt: local(d, '09:20') }],
        field: /slots\.0\.startAt/,
      },
      {
        name: 'an unknown channel',
        list: [{ externalId: 'c-1', startAt: local(d, '09:00'), endAt: local(d, '09:20'), channel: 'vip' }],
        field: /slots\.0\.channel/,
      },
      {
        name: 'a range longer than 31 days',
        from: day(1),
        to: day(40),
        list: [],
        field: /to/,
      },
      { name: 'to before from', from: day(5), to: day(4), list: [], field: /to/ },
      { name: 'no list', list: undefined, field: /slots/ },
    ];
    for (const c of cases) {
      const res = await call<Problem>(
        'PUT',
        `${V1}/doctors/external/D-S/slots?from=${c.from ?? d}&to=${c.to ?? d}`,
        mis,
        c.list === undefined ? {} : { slots: c.list },
      );
      expect(res.status, c.name).toBe(400);
      expect(res.body.code, c.name).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.fields ?? {}).join(','), c.name).toMatch(c.field);
      expect(Object.values(res.body.fields ?? {}).join(' '), c.name).toMatch(/[А-Яа-я]/);
    }
    // A slot outside the dates of the range (checked in the organisation's zone).
    const outside = await pushSlots(mis, 'D-S', d, d, slotList(day(5), ['09:00']));
    expect(outside.status).toBe(400);
    expect(outside.body.details).toMatchObject({ field: 'slots.0.startAt' });
    const unknownDoctor = await pushSlots(mis, 'NOBODY', d, d, []);
    expect(unknownDoctor.status).toBe(404);
    expect(unknownDoctor.body.code).toBe('DOCTOR_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('swaps the times of two free slots (a cycle of moves), each keeping its row', async () => {
    await call('PUT', `${V1}/doctors/external/D-X`, mis, doctorBody({ lastName: 'Обменова' }));
    const [a, b] = slotList(day(9), ['09:00', '09:20']);
    const first = await pushSlots(mis, 'D-X', day(9), day(9), [a, b]);
    expect(first.status).toBe(200);
    const swapped = await pushSlots(mis, 'D-X', day(9), day(9), [
      { ...a, startAt: b.startAt, endAt: b.endAt },
      { ...b, startAt: a.startAt, endAt: a.endAt },
    ]);
    expect(swapped.status).toBe(200);
    expect(swapped.body).toMatchObject({ created: 0, updated: 2, removed: 0 });
    expect(swapped.body.slots.map((s) => [s.externalId, s.localStart, s.id])).toEqual([
      [b.externalId, `${day(9)}T09:00`, first.body.slots[1].id],
      [a.externalId, `${day(9)}T09:20`, first.body.slots[0].id],
    ]);
  });

  it('leaves the past alone: a started slot listed is skipped, one moved into the future is refused', async () => {
    await call('PUT', `${V1}/doctors/external/D-P`, mis, doctorBody({ lastName: 'Прошлова' }));
    // Today 13:00 local is now: 09:00 has started, 15:00 has not.
    const list = slotList(TODAY, ['09:00', '15:00']);
    const res = await pushSlots(mis, 'D-P', TODAY, TODAY, list);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, skippedPast: 1 });
    expect(res.body.slots.map((s) => s.localStart)).toEqual([`${TODAY}T15:00`]);
  });

  it('keeps a closed absence closed: a slot pushed inside it is blocked', async () => {
    await call('PUT', `${V1}/doctors/external/D-A`, mis, doctorBody({ lastName: 'Отпускова' }));
    const id = await doctorId('D-A', clinic.organisation.id);
    const staff = await createAccount(t.ctx, { role: 'operator' });
    await t.ctx.db.insert(doctorAbsences).values({
      doctorId: id,
      organisationId: clinic.organisation.id,
      startsAt: new Date(local(day(6), '00:00')),
      endsAt: new Date(local(day(7), '00:00')),
      reason: 'vacation',
      createdBy: staff.id,
      createdAt: t.ctx.now(),
    });
    const res = await pushSlots(mis, 'D-A', day(6), day(7), [
      ...slotList(day(6), ['09:00']),
      ...slotList(day(7), ['09:00']),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.slots.map((s) => [s.localStart, s.status])).toEqual([
      [`${day(6)}T09:00`, 'blocked'],
      [`${day(7)}T09:00`, 'free'],
    ]);
  });

  it('offers new free portal time to the waitlist first', async () => {
    await call('PUT', `${V1}/doctors/external/D-W`, mis, doctorBody({ lastName: 'Очередева' }));
    const id = await doctorId('D-W', clinic.organisation.id);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true });
    const [entry] = await t.ctx.db
      .insert(waitlistEntries)
      .values({
        personId: person.id,
        accountId: account.id,
        organisationId: clinic.organisation.id,
        specialtyId: clinic.specialty.id,
        doctorId: id,
        createdAt: t.ctx.now(),
      })
      .returning();
    const res = await pushSlots(mis, 'D-W', day(2), day(2), slotList(day(2), ['16:00']));
    expect(res.status).toBe(200);
    const offers = await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.entryId, entry.id));
    expect(offers.map((o) => o.slotId)).toEqual([res.body.slots[0].id]);
  });

  it('two pushes of one doctor at once: one after the other, never two rows at one time', async () => {
    await call('PUT', `${V1}/doctors/external/D-C`, mis, doctorBody({ lastName: 'Гонкова' }));
    const a = slotList(day(8), ['09:00', '09:20'], 'a');
    const b = slotList(day(8), ['09:00', '09:40'], 'b');
    const [ra, rb] = await Promise.all([
      pushSlots(mis, 'D-C', day(8), day(8), a),
      pushSlots(mis, 'D-C', day(8), day(8), b),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const id = await doctorId('D-C', clinic.organisation.id);
    const rows = await t.ctx.db.select().from(slots).where(eq(slots.doctorId, id)).orderBy(asc(slots.startAt));
    const starts = rows.map((r) => r.startAt.getTime());
    expect(new Set(starts).size).toBe(starts.length);
    // The push that committed last is the schedule: exactly its list, whichever it was.
    expect(rows.length).toBe(2);
    const ids = (list: SlotPushInput['slots']) => list.map((x) => x.externalId).sort();
    expect([ids(a), ids(b)]).toContainEqual(rows.map((r) => r.externalId).sort());
  });
});

describe('templates and exceptions', () => {
  it('saves a template through the clinic’s own model, previews, adds and removes an exception; all audited with the key', async () => {
    await call('PUT', `${V1}/doctors/external/D-T`, mis, doctorBody({ lastName: 'Шаблонова' }));
    const rules = {
      rules: [
        {
          days: 'weekdays',
          weekdays: [1, 2, 3, 4, 5],
          startTime: '08:00',
          endTime: '10:00',
          slotMinutes: 30,
          validFrom: TODAY,
        },
      ],
    };
    const before = await counts();
    const preview = await call<{ created: number; days: unknown[] }>(
      'POST',
      `${V1}/doctors/external/D-T/schedule-template/preview`,
      mis,
      rules,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.created).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);

    const saved = await call<{ created: number }>('PUT', `${V1}/doctors/external/D-T/schedule-template`, mis, rules);
    expect(saved.status).toBe(200);
    expect(saved.body.created).toBe(preview.body.created);
    const editor = await call<{ rules: { weekdays: number[] }[]; doctor: { id: number } }>(
      'GET',
      `${V1}/doctors/external/D-T/schedule-template`,
      mis,
    );
    expect(editor.status).toBe(200);
    expect(editor.body.rules[0].weekdays).toEqual([1, 2, 3, 4, 5]);

    // A doctor whose times come from a template takes no slot lists.
    const pushed = await pushSlots(mis, 'D-T', day(1), day(1), slotList(day(1), ['12:00']));
    expect(pushed.status).toBe(409);
    expect(pushed.body.code).toBe('DOCTOR_HAS_TEMPLATE');

    const exception = await call<{ exception: { id: number } }>(
      'POST',
      `${V1}/doctors/external/D-T/schedule-exceptions`,
      mis,
      { scope: 'doctor', date: day(1), kind: 'day_off' },
    );
    expect(exception.status).toBe(201);
    const twice = await call<Problem>('POST', `${V1}/doctors/external/D-T/schedule-exceptions`, mis, {
      scope: 'doctor',
      date: day(1),
      kind: 'day_off',
    });
    expect(twice.status).toBe(409);

    // Another organisation's key: neither the doctor nor the exception exist for it.
    const snapshot = await counts();
    const theirs = await call<Problem>('GET', `${V1}/doctors/external/D-T/schedule-template`, otherMis);
    expect(theirs.status).toBe(404);
    const theirSave = await call<Problem>('PUT', `${V1}/doctors/external/D-T/schedule-template`, otherMis, rules);
    expect(theirSave.status).toBe(404);
    const theirDelete = await call<Problem>(
      'DELETE',
      `${V1}/schedule-exceptions/${exception.body.exception.id}`,
      otherMis,
    );
    expect(theirDelete.status).toBe(404);
    expect(theirDelete.body.code).toBe('SCHEDULE_EXCEPTION_NOT_FOUND');
    const badRules = await call<Problem>('PUT', `${V1}/doctors/external/D-T/schedule-template`, mis, {
      rules: [{ ...rules.rules[0], endTime: '07:00' }],
    });
    expect(badRules.status).toBe(400);
    expect(await counts()).toEqual(snapshot);

    const removed = await call('DELETE', `${V1}/schedule-exceptions/${exception.body.exception.id}`, mis);
    expect(removed.status).toBe(200);

    const id = await doctorId('D-T', clinic.organisation.id);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} like 'schedule_%' and ${auditLog.entityId} = ${String(id)}`)
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual([
      'schedule_template.update',
      'schedule_exception.create',
      'schedule_exception.delete',
    ]);
    for (const a of audit) {
      expect(a.actorAccountId).toBeNull();
      expect(Object.keys(a.details as object)).toContain('apiKeyId');
    }

    // With the template cleared the doctor takes slot lists again.
    const cleared = await call('PUT', `${V1}/doctors/external/D-T/schedule-template`, mis, { rules: [] });
    expect(cleared.status).toBe(200);
    const after = await pushSlots(mis, 'D-T', day(1), day(1), slotList(day(1), ['12:00']));
    expect(after.status).toBe(200);
  });
});
