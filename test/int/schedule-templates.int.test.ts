// The clinic's schedule editor through HTTP (issue 16): a doctor's template with its preview,
// saving it (the horizon follows at once; booked visits are kept and listed), channel quotas
// (the portal, the waitlist and the database keep registry slots away from patients), and
// exceptions for a doctor or the organisation. Refusals: signed out, wrong role, another
// organisation, bad input - each also checks that nothing was written.
// The clock: Wednesday 25 Nov 2026, 09:00 UTC = 13:00 in Samara (UTC+4), the organisation's zone.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleResponse } from '../../src/shared/api/index.js';
import type {
  ScheduleDoctorsResponse,
  ScheduleExceptionResponse,
  SchedulePreviewResponse,
  ScheduleTemplateResponse,
  TemplateRuleBody,
} from '../../src/shared/api/schedule-admin.js';
import {
  appointments,
  auditLog,
  scheduleExceptions,
  scheduleTemplates,
  slots,
  waitlistOffers,
} from '../../src/server/db/schema.js';
import type { TestClient } from '../support/client.js';
import { createTestContext, type TestContext } from '../support/context.js';
import {
  createAppointmentRow,
  createDoctor,
  createSlots,
  createOrganisation,
  createSpecialty,
  type DoctorRow,
  type OrganisationRow,
} from '../factories/catalogue.js';
import { createAccount, createPatient, signIn } from '../factories/identity.js';
import { createRegisterPatient, createSignedInStaff, type StaffAccount } from '../factories/staff.js';
import { expandDoctorTemplates } from '../../src/server/modules/schedule/schedule.service.js';
import { zonedToInstant } from '../../src/shared/time.js';
import { join } from './waitlist.helpers.js';

interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

let t: TestContext;
let home: OrganisationRow;
let other: OrganisationRow;
let doctor: DoctorRow;
let colleague: DoctorRow;
let otherDoctor: DoctorRow;
let admin: StaffAccount & { client: TestClient };
let registrar: StaffAccount & { client: TestClient };
let otherAdmin: StaffAccount & { client: TestClient };
let otherRegistrar: StaffAccount & { client: TestClient };

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
  home = await createOrganisation(t.ctx, { timeZone: 'Europe/Samara' });
  other = await createOrganisation(t.ctx, { timeZone: 'Europe/Samara' });
  const specialty = await createSpecialty(t.ctx);
  doctor = await createDoctor(t.ctx, { organisationId: home.id, specialtyId: specialty.id });
  colleague = await createDoctor(t.ctx, { organisationId: home.id, specialtyId: specialty.id });
  otherDoctor = await createDoctor(t.ctx, { organisationId: other.id, specialtyId: specialty.id });
  admin = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: home.id });
  registrar = await createSignedInStaff(t, { role: 'registrar', organisationId: home.id });
  otherAdmin = await createSignedInStaff(t, { role: 'clinic_admin', organisationId: other.id });
  otherRegistrar = await createSignedInStaff(t, { role: 'registrar', organisationId: other.id });
});
afterAll(async () => t.close());

/** Mon-Fri 09:00-11:00 by 30 min with a break 10:00-10:30 (09:00, 09:30, 10:30); a quarter for the registry. */
function weekdaysRule(over: Partial<TemplateRuleBody> = {}): TemplateRuleBody {
  return {
    days: 'weekdays',
    weekdays: [1, 2, 3, 4, 5],
    startTime: '09:00',
    endTime: '11:00',
    slotMinutes: 30,
    breaks: [{ start: '10:00', end: '10:30' }],
    validFrom: '2026-11-01',
    validUntil: null,
    registryPercent: 25,
    referralPercent: 0,
    ...over,
  };
}

async function count(
  table: typeof scheduleTemplates | typeof scheduleExceptions | typeof auditLog | typeof appointments,
): Promise<number> {
  return (await t.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
}

async function snapshot() {
  return {
    templates: await count(scheduleTemplates),
    exceptions: await count(scheduleExceptions),
    audit: await count(auditLog),
    appointments: await count(appointments),
    slots: await t.ctx.db
      .select({ id: slots.id, status: slots.status, channel: slots.channel, off: slots.offTemplate })
      .from(slots)
      .orderBy(slots.id),
  };
}

async function doctorSlots(doctorId: number) {
  return t.ctx.db
    .select({
      id: slots.id,
      doctorId: slots.doctorId,
      startAt: slots.startAt,
      endAt: slots.endAt,
      status: slots.status,
      channel: slots.channel,
      offTemplate: slots.offTemplate,
    })
    .from(slots)
    .where(eq(slots.doctorId, doctorId))
    .orderBy(slots.startAt);
}

/** Local 'YYYY-MM-DD HH:MM' in Samara (UTC+4) of an instant. */
const samara = (d: Date) => new Date(d.getTime() + 4 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('access', () => {
  const endpoints: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: () => string, body?: () => unknown][] = [
    ['GET', () => '/api/clinic/schedule-doctors'],
    ['GET', () => `/api/clinic/doctors/${doctor.id}/schedule-template`],
    ['POST', () => `/api/clinic/doctors/${doctor.id}/schedule-template/preview`, () => ({ rules: [weekdaysRule()] })],
    ['PUT', () => `/api/clinic/doctors/${doctor.id}/schedule-template`, () => ({ rules: [weekdaysRule()] })],
    [
      'POST',
      () => `/api/clinic/doctors/${doctor.id}/schedule-exceptions`,
      () => ({ scope: 'doctor', date: '2026-11-30', kind: 'day_off' }),
    ],
    ['DELETE', () => '/api/clinic/schedule-exceptions/1'],
  ];

  it('refuses a signed-out visitor with 401, and a patient, a moderator and a doctor with 403; writes nothing', async () => {
    const before = await snapshot();
    for (const [method, url, body] of endpoints) {
      const res = await t.client().request<ErrorBody>(method, url(), body?.());
      expect(res.status, `${method} ${url()}`).toBe(401);
      expect(res.body.code).toBe('NOT_AUTHENTICATED');
    }
    const { client: patient } = await createPatient(t);
    const mod = await createAccount(t.ctx, { role: 'moderator' });
    const moderator = await signIn(t, mod.email, mod.password);
    const doctorAccount = await createSignedInStaff(t, {
      role: 'doctor',
      organisationId: home.id,
      doctorId: doctor.id,
    });
    for (const client of [patient, moderator, doctorAccount.client]) {
      for (const [method, url, body] of endpoints) {
        const res = await client.request<ErrorBody>(method, url(), body?.());
        expect(res.status, `${method} ${url()}`).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the clinic administrator and the registrar of another organisation: the doctor is not found; writes nothing', async () => {
    const before = await snapshot();
    for (const client of [otherAdmin.client, otherRegistrar.client]) {
      for (const [method, url, body] of endpoints.slice(1, 5)) {
        const res = await client.request<ErrorBody>(method, url(), body?.());
        expect(res.status, `${method} ${url()}`).toBe(404);
        expect(res.body).toMatchObject({ code: 'DOCTOR_NOT_FOUND', message: 'Врач не найден.' });
      }
    }
    // And the home administrator cannot touch the other organisation's doctor.
    const res = await admin.client.put<ErrorBody>(`/api/clinic/doctors/${otherDoctor.id}/schedule-template`, {
      rules: [weekdaysRule()],
    });
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers 400 VALIDATION_FAILED with the field’s Russian message and writes nothing', async () => {
    const url = `/api/clinic/doctors/${doctor.id}/schedule-template`;
    const cases: [body: unknown, field: string, message: string][] = [
      [{ rules: [weekdaysRule({ endTime: '08:00' })] }, 'rules.0.endTime', 'Конец приёма должен быть позже начала'],
      [{ rules: [weekdaysRule({ weekdays: [] })] }, 'rules.0.weekdays', 'Выберите хотя бы один день недели'],
      [
        { rules: [weekdaysRule({ registryPercent: 70, referralPercent: 40 })] },
        'rules.0.referralPercent',
        'Доли регистратуры и направлений вместе — не больше 100 %',
      ],
      [
        { rules: [weekdaysRule({ breaks: [{ start: '12:00', end: '12:30' }] })] },
        'rules.0.breaks.0.start',
        'Перерыв должен быть внутри часов приёма',
      ],
      [{ rules: [weekdaysRule({ slotMinutes: 3 })] }, 'rules.0.slotMinutes', 'Длительность приёма: не меньше 5 минут'],
      [
        { rules: [weekdaysRule({ validUntil: '2026-10-01' })] },
        'rules.0.validUntil',
        'Дата окончания раньше даты начала',
      ],
      [{ rules: [weekdaysRule({ validFrom: '2026-02-30' })] }, 'rules.0.validFrom', 'Такой даты нет'],
      [{ rules: [weekdaysRule({ startTime: '9:00' })] }, 'rules.0.startTime', 'Время в формате ЧЧ:ММ, например 08:00'],
    ];
    const before = await snapshot();
    for (const [body, field, message] of cases) {
      for (const [method, path] of [
        ['PUT', url],
        ['POST', `${url}/preview`],
      ] as const) {
        const res = await admin.client.request<ErrorBody>(method, path, body);
        expect(res.status, `${method} ${field}`).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.fields?.[field], JSON.stringify(res.body.fields)).toBe(message);
      }
    }
    const exceptionCases: [body: unknown, field: string, message: string][] = [
      [
        { scope: 'doctor', date: '2026-11-30', kind: 'other_hours', endTime: '12:00', slotMinutes: 20 },
        'startTime',
        'Укажите начало приёма',
      ],
      [{ scope: 'doctor', date: '2026-11-30', kind: 'vacation' }, 'kind', 'Выберите вид исключения'],
      [
        { scope: 'everyone', date: '2026-11-30', kind: 'day_off' },
        'scope',
        'Выберите, для кого исключение: врач или вся организация',
      ],
      [{ scope: 'doctor', date: '2026-11-31', kind: 'day_off' }, 'date', 'Такой даты нет'],
    ];
    for (const [body, field, message] of exceptionCases) {
      const res = await admin.client.post<ErrorBody>(`/api/clinic/doctors/${doctor.id}/schedule-exceptions`, body);
      expect(res.status, field).toBe(400);
      expect(res.body.fields?.[field], JSON.stringify(res.body.fields)).toBe(message);
    }
    const badId = await admin.client.request<ErrorBody>('DELETE', '/api/clinic/schedule-exceptions/abc');
    expect(badId.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('a template: preview, save, quotas', () => {
  it('shows an empty template, previews one without writing, then saves it: the horizon follows at once', async () => {
    const empty = await admin.client.get<ScheduleTemplateResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
    );
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      rules: [],
      exceptions: [],
      conflicts: [],
      timeZone: 'Europe/Samara',
      today: '2026-11-25',
    });

    const before = await snapshot();
    const preview = await admin.client.post<SchedulePreviewResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template/preview`,
      {
        rules: [weekdaysRule()],
      },
    );
    expect(preview.status).toBe(200);
    const day = (date: string) => preview.body.days.find((d) => d.date === date)?.slots;
    // Today (Wednesday) it is already 13:00 local: nothing left. Thursday: 3 slots, a quarter
    // (one, the middle one) kept for the registry. Saturday: no rule.
    expect(day('2026-11-25')).toEqual([]);
    expect(day('2026-11-26')).toEqual([
      { time: '09:00', endTime: '09:30', channel: 'portal' },
      { time: '09:30', endTime: '10:00', channel: 'registry' },
      { time: '10:30', endTime: '11:00', channel: 'portal' },
    ]);
    expect(day('2026-11-28')).toEqual([]);
    expect(preview.body.conflicts).toEqual([]);
    expect(await snapshot()).toEqual(before);

    const saved = await admin.client.put<SchedulePreviewResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
      { rules: [weekdaysRule()] },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.conflicts).toEqual([]);
    const made = await doctorSlots(doctor.id);
    // The horizon ends on 8 Dec: 26, 27, 30 Nov and 1-4, 7-8 Dec, 9 weekdays of 3 slots.
    expect(saved.body.created).toBe(made.length);
    expect(made.length).toBe(27);
    expect(made.slice(0, 3).map((s) => [samara(s.startAt), s.channel])).toEqual([
      ['2026-11-26 09:00', 'portal'],
      ['2026-11-26 09:30', 'registry'],
      ['2026-11-26 10:30', 'portal'],
    ]);

    const editor = await registrar.client.get<ScheduleTemplateResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
    );
    expect(editor.body.rules).toEqual([weekdaysRule()]);

    // The editor's list: the home organisation's doctors only, with whether each has a template.
    const list = await admin.client.get<ScheduleDoctorsResponse>('/api/clinic/schedule-doctors');
    expect(list.body.organisationName).toBe(home.name);
    expect(list.body.doctors.map((d) => [d.id, d.hasTemplate]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [doctor.id, true],
      [colleague.id, false],
    ]);

    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'schedule_template.update'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorAccountId: admin.id, entityType: 'doctor', entityId: String(doctor.id) });
    expect(audit[0].details).toMatchObject({
      organisationId: home.id,
      before: [],
      after: [weekdaysRule()],
      created: 27,
      removed: 0,
      conflicts: 0,
    });
    // It is in the organisation's journal, and not in another's.
    const journal = await admin.client.get<{ entries: { action: string }[] }>('/api/clinic/audit');
    expect(journal.status).toBe(200);
    expect(journal.body.entries.map((e) => e.action)).toContain('schedule_template.update');
    const foreignJournal = await otherAdmin.client.get<{ entries: { action: string }[] }>('/api/clinic/audit');
    expect(foreignJournal.body.entries.map((e) => e.action)).not.toContain('schedule_template.update');
  });

  it('takes a minimal rule (no weekdays list for odd dates, no breaks, no end date, no shares) in the preview', async () => {
    const before = await snapshot();
    const res = await admin.client.post<SchedulePreviewResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template/preview`,
      {
        rules: [{ days: 'even', startTime: '15:00', endTime: '16:00', slotMinutes: 20, validFrom: '2026-11-01' }],
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.days.find((d) => d.date === '2026-11-26')?.slots.map((s) => [s.time, s.channel])).toEqual([
      ['15:00', 'portal'],
      ['15:20', 'portal'],
      ['15:40', 'portal'],
    ]);
    expect(res.body.days.find((d) => d.date === '2026-11-27')?.slots).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('the portal shows only portal times; the desk sees every time with its channel', async () => {
    const portal = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(portal.status).toBe(200);
    const thursday = portal.body.days.find((d) => d.date === '2026-11-26');
    expect(thursday?.slots.map((s) => [s.time, s.state])).toEqual([
      ['09:00', 'free'],
      ['10:30', 'free'],
    ]);
    expect(portal.body.doctor.freeCount).toBe(18);

    const desk = await registrar.client.get<ScheduleResponse>(`/api/desk/doctors/${doctor.id}/schedule`);
    expect(desk.body.days.find((d) => d.date === '2026-11-26')?.slots.map((s) => [s.time, s.channel])).toEqual([
      ['09:00', 'portal'],
      ['09:30', 'registry'],
      ['10:30', 'portal'],
    ]);
  });

  it('a patient cannot hold or book a registry time (SLOT_NOT_FOR_PORTAL, nothing written); the desk can book it', async () => {
    const registrySlot = (await doctorSlots(doctor.id)).find((s) => s.channel === 'registry' && s.status === 'free');
    if (!registrySlot) throw new Error('no registry slot');
    const { client, person } = await createPatient(t);
    const before = await snapshot();
    for (const path of ['/api/holds', '/api/appointments']) {
      const res = await client.post<ErrorBody>(path, { slotId: registrySlot.id, personId: person.id });
      expect(res.status, path).toBe(409);
      expect(res.body.code).toBe('SLOT_NOT_FOR_PORTAL');
      expect(res.body.message).toMatch(/через портал не записывают/);
    }
    expect(await snapshot()).toEqual(before);

    // The database itself refuses a portal appointment in a registry slot, whoever writes it.
    await expect(
      t.ctx.db.insert(appointments).values({
        reference: 'ПР-CHANNEL01',
        slotId: registrySlot.id,
        personId: person.id,
        doctorId: doctor.id,
        startAt: registrySlot.startAt,
        endAt: registrySlot.endAt,
        source: 'portal',
        bookedByAccountId: person.accountId,
      }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23514' }) });
    expect(await count(appointments)).toBe(before.appointments);

    const patient = await createRegisterPatient(t.ctx);
    const booked = await registrar.client.post<{ id: string }>('/api/desk/appointments', {
      patientId: patient.id,
      slotId: registrySlot.id,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  });
});

describe('changing a template over booked visits', () => {
  it('lists the visits the change conflicts with, keeps them on saving, and removes the free times it no longer makes', async () => {
    const thursday = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-11-26'));
    const nine = thursday.find((s) => samara(s.startAt).endsWith('09:00'));
    if (!nine) throw new Error('no 09:00 slot');
    const { account, person, client: patientClient } = await createPatient(t);
    const visit = await createAppointmentRow(t.ctx, nine, person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });

    // Odd dates only: Thursday 26 Nov (even) has no hours any more.
    const oddRule = weekdaysRule({ days: 'odd', weekdays: [], registryPercent: 0 });
    const before = await snapshot();
    const preview = await admin.client.post<SchedulePreviewResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template/preview`,
      { rules: [oddRule] },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.days.find((d) => d.date === '2026-11-26')?.slots).toEqual([]);
    expect(preview.body.days.find((d) => d.date === '2026-11-27')?.slots.map((s) => s.time)).toEqual([
      '09:00',
      '09:30',
      '10:30',
    ]);
    // Saturday 28 Nov is odd? No: 28 is even. Sunday 29 is odd: odd dates include weekends.
    expect(preview.body.days.find((d) => d.date === '2026-11-29')?.slots.map((s) => s.time)).toEqual([
      '09:00',
      '09:30',
      '10:30',
    ]);
    const registryBooked = thursday.find((s) => s.channel === 'registry');
    expect(preview.body.conflicts.map((c) => [c.date, c.time, c.status, c.appointmentId, c.source])).toEqual([
      ['2026-11-26', '09:00', 'booked', visit.id, 'portal'],
      ['2026-11-26', '09:30', 'booked', expect.any(String), 'registry'],
    ]);
    expect(preview.body.conflicts[0]).toMatchObject({
      reference: visit.reference,
      patientId: person.id,
      slotId: nine.id,
    });
    expect(registryBooked?.id).toBe(preview.body.conflicts[1].slotId);
    expect(await snapshot()).toEqual(before);

    const saved = await registrar.client.put<SchedulePreviewResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
      { rules: [oddRule] },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.conflicts.map((c) => c.appointmentId)).toEqual(
      preview.body.conflicts.map((c) => c.appointmentId),
    );

    // The visit is still booked, its slot kept and marked outside the template; the free 10:30 is gone.
    const [kept] = await t.ctx.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(kept.status).toBe('booked');
    const after = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-11-26'));
    expect(after.map((s) => [samara(s.startAt).slice(11), s.status, s.offTemplate])).toEqual([
      ['09:00', 'booked', true],
      ['09:30', 'booked', true],
    ]);
    // Every slot left on an even date is a kept visit.
    const evenFree = (await doctorSlots(doctor.id)).filter(
      (s) => Number(samara(s.startAt).slice(8, 10)) % 2 === 0 && s.status === 'free',
    );
    expect(evenFree).toEqual([]);

    const editor = await admin.client.get<ScheduleTemplateResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
    );
    expect(editor.body.conflicts.map((c) => c.appointmentId)).toEqual([
      visit.id,
      preview.body.conflicts[1].appointmentId,
    ]);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'schedule_template.update'));
    expect(audit.at(-1)).toMatchObject({ actorAccountId: registrar.id });

    // The patient cancels the kept visit: the time is not the template's, so it is retired, not freed.
    const cancelled = await patientClient.post(`/api/appointments/${visit.id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const [retired] = await t.ctx.db.select().from(slots).where(eq(slots.id, nine.id));
    expect([retired.status, retired.offTemplate]).toEqual(['blocked', true]);
    const portal = await t.client().get<ScheduleResponse>(`/api/doctors/${doctor.id}/schedule`);
    expect(portal.body.days.find((d) => d.date === '2026-11-26')?.slots).toEqual([]);
    expect(audit.at(-1)?.details).toMatchObject({ before: [weekdaysRule()], after: [oddRule], conflicts: 2 });
  });
});

describe('exceptions', () => {
  it('a day off removes the doctor’s free times at once and keeps booked ones as conflicts; removing it brings them back', async () => {
    // Sunday 29 Nov is odd: 09:00, 09:30, 10:30 local. Book 09:30.
    const sunday = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-11-29'));
    expect(sunday).toHaveLength(3);
    const { account, person } = await createPatient(t);
    const visit = await createAppointmentRow(t.ctx, sunday[1], person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });

    const added = await admin.client.post<ScheduleExceptionResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-exceptions`,
      {
        scope: 'doctor',
        date: '2026-11-29',
        kind: 'day_off',
        note: 'Учёба',
      },
    );
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.exception).toMatchObject({ scope: 'doctor', date: '2026-11-29', kind: 'day_off', note: 'Учёба' });
    expect(added.body.conflicts.map((c) => [c.date, c.time, c.appointmentId])).toEqual([
      ['2026-11-29', '09:30', visit.id],
    ]);
    const left = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-11-29'));
    expect(left.map((s) => [samara(s.startAt).slice(11), s.status, s.offTemplate])).toEqual([
      ['09:30', 'booked', true],
    ]);

    // The same date again: refused, nothing written.
    const before = await snapshot();
    const again = await admin.client.post<ErrorBody>(`/api/clinic/doctors/${doctor.id}/schedule-exceptions`, {
      scope: 'doctor',
      date: '2026-11-29',
      kind: 'holiday',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SCHEDULE_EXCEPTION_EXISTS');
    // Another organisation's staff cannot remove it.
    const foreign = await otherAdmin.client.request<ErrorBody>(
      'DELETE',
      `/api/clinic/schedule-exceptions/${added.body.exception.id}`,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('SCHEDULE_EXCEPTION_NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    const removed = await registrar.client.request(
      'DELETE',
      `/api/clinic/schedule-exceptions/${added.body.exception.id}`,
    );
    expect(removed.status).toBe(200);
    const back = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-11-29'));
    expect(back.map((s) => [samara(s.startAt).slice(11), s.status, s.offTemplate])).toEqual([
      ['09:00', 'free', false],
      ['09:30', 'booked', false],
      ['10:30', 'free', false],
    ]);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'doctor'), sql`${auditLog.action} like 'schedule_exception.%'`));
    expect(audit.map((a) => [a.action, a.actorAccountId])).toEqual([
      ['schedule_exception.create', admin.id],
      ['schedule_exception.delete', registrar.id],
    ]);
    expect(audit[0].details).toMatchObject({ before: null, after: { date: '2026-11-29', kind: 'day_off' } });
    expect(audit[1].details).toMatchObject({ before: { date: '2026-11-29', kind: 'day_off' }, after: null });
  });

  it('an organisation holiday closes every doctor’s day; other hours for one doctor make a different day', async () => {
    await admin.client.put(`/api/clinic/doctors/${colleague.id}/schedule-template`, {
      rules: [weekdaysRule({ registryPercent: 0 })],
    });
    expect((await doctorSlots(colleague.id)).filter((s) => samara(s.startAt).startsWith('2026-12-01'))).toHaveLength(3);
    expect((await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-12-01'))).toHaveLength(3);

    // A doctor whose times the clinic's system pushes (no template): 12:00 local on 1 and 2 Dec.
    const pushed = await createDoctor(t.ctx, { organisationId: home.id, specialtyId: colleague.specialtyId });
    await createSlots(
      t.ctx,
      pushed.id,
      [zonedToInstant('2026-12-01', '12:00', 'Europe/Samara'), zonedToInstant('2026-12-02', '12:00', 'Europe/Samara')],
      30,
    );

    const holiday = await admin.client.post<ScheduleExceptionResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-exceptions`,
      {
        scope: 'organisation',
        date: '2026-12-01',
        kind: 'holiday',
      },
    );
    expect(holiday.status).toBe(201);
    expect(holiday.body.exception).toMatchObject({ scope: 'organisation', doctorId: null });
    for (const id of [doctor.id, colleague.id, pushed.id]) {
      expect((await doctorSlots(id)).filter((s) => samara(s.startAt).startsWith('2026-12-01'))).toEqual([]);
    }
    // Only the holiday's date changed: the pushed doctor's 2 Dec stays.
    expect((await doctorSlots(pushed.id)).map((s) => samara(s.startAt))).toEqual(['2026-12-02 12:00']);
    const orgAudit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityType, 'organisation'));
    expect(orgAudit.map((a) => [a.action, a.entityId])).toEqual([['schedule_exception.create', String(home.id)]]);

    // Thursday 3 Dec (odd) for the doctor: 14:00-15:00 by 20 min instead.
    const different = await admin.client.post<ScheduleExceptionResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-exceptions`,
      {
        scope: 'doctor',
        date: '2026-12-03',
        kind: 'other_hours',
        startTime: '14:00',
        endTime: '15:00',
        slotMinutes: 20,
      },
    );
    expect(different.status).toBe(201);
    const thursday = (await doctorSlots(doctor.id)).filter((s) => samara(s.startAt).startsWith('2026-12-03'));
    expect(thursday.map((s) => samara(s.startAt).slice(11))).toEqual(['14:00', '14:20', '14:40']);
    const editor = await admin.client.get<ScheduleTemplateResponse>(
      `/api/clinic/doctors/${doctor.id}/schedule-template`,
    );
    expect(editor.body.exceptions.map((e) => [e.date, e.kind, e.scope])).toEqual([
      ['2026-12-01', 'holiday', 'organisation'],
      ['2026-12-03', 'other_hours', 'doctor'],
    ]);
  });
});

describe('the worker’s expansion', () => {
  it('follows the same rules: odd dates, quotas, and no slots on an exception’s day off', async () => {
    const specialty = await createSpecialty(t.ctx);
    const worked = await createDoctor(t.ctx, { organisationId: home.id, specialtyId: specialty.id });
    await t.ctx.db.insert(scheduleTemplates).values({
      doctorId: worked.id,
      dayRule: 'odd',
      weekday: null,
      startTime: '09:00',
      endTime: '10:00',
      slotMinutes: 30,
      breaks: [],
      registryPercent: 50,
      validFrom: '2026-11-01',
    });
    await t.ctx.db
      .insert(scheduleExceptions)
      .values({ organisationId: home.id, doctorId: worked.id, date: '2026-11-27', kind: 'day_off' });
    expect(await expandDoctorTemplates(t.ctx, worked.id)).toBeGreaterThan(0);
    const made = await doctorSlots(worked.id);
    const days = [...new Set(made.map((s) => samara(s.startAt).slice(0, 10)))];
    // Odd dates of the horizon (25 Nov - 8 Dec) after 13:00 local today, without the doctor's day
    // off on 27 Nov and the organisation's holiday on 1 Dec (added above).
    expect(days).toEqual(['2026-11-29', '2026-12-03', '2026-12-05', '2026-12-07']);
    // Two slots a day, one for the registry (the middle of each half: the second).
    expect(
      made
        .filter((s) => samara(s.startAt).startsWith('2026-11-29'))
        .map((s) => [samara(s.startAt).slice(11), s.channel]),
    ).toEqual([
      ['09:00', 'portal'],
      ['09:30', 'registry'],
    ]);
  });
});

describe('the waitlist', () => {
  it('never offers a registry-only time to a portal patient; a portal time from a new template goes to the waitlist first', async () => {
    const specialty = await createSpecialty(t.ctx);
    const waited = await createDoctor(t.ctx, { organisationId: home.id, specialtyId: specialty.id });
    const { client, person } = await createPatient(t);
    const entry = await join(client, person.id, waited.id);

    const allRegistry = await admin.client.put<SchedulePreviewResponse>(
      `/api/clinic/doctors/${waited.id}/schedule-template`,
      {
        rules: [weekdaysRule({ registryPercent: 100 })],
      },
    );
    expect(allRegistry.status).toBe(200);
    expect(allRegistry.body.created).toBeGreaterThan(0);
    expect(await t.ctx.db.select().from(waitlistOffers).where(eq(waitlistOffers.entryId, entry.id))).toEqual([]);

    const half = await admin.client.put<SchedulePreviewResponse>(`/api/clinic/doctors/${waited.id}/schedule-template`, {
      rules: [weekdaysRule({ registryPercent: 50 })],
    });
    expect(half.status).toBe(200);
    const offers = await t.ctx.db
      .select({ slotId: waitlistOffers.slotId, channel: slots.channel })
      .from(waitlistOffers)
      .innerJoin(slots, eq(slots.id, waitlistOffers.slotId))
      .where(eq(waitlistOffers.entryId, entry.id));
    expect(offers).toHaveLength(1);
    expect(offers[0].channel).toBe('portal');
  });
});
