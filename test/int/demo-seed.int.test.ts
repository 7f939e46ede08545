// The demo data: what a fresh demo database holds, and that loading it twice does nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type {
  CardFileResponse,
  DoctorSummary,
  ScheduleResponse,
  SessionResponse,
  Specialty,
} from '../../src/shared/api/index.js';
import { queryRows } from '../../src/server/db/index.js';
import {
  DEMO_ACCOUNTS,
  DEMO_PATIENT,
  DEMO_PATIENT_DOCUMENTS,
  loadDemoDataIfEmpty,
} from '../../src/server/db/seed/demo.js';
import { ageOn, localDateOf } from '../../src/shared/time.js';
import { isValidSnils } from '../../src/shared/validation.js';
import { signIn } from '../factories/identity.js';
import { clientWithSession } from '../factories/sessions.js';
import { createTestContext, type TestContext } from '../support/context.js';

let t: TestContext;
let loadMs = 0;
let firstLoad = false;
beforeAll(async () => {
  // 13:00 local in Samara, Wednesday 25 November 2026.
  t = await createTestContext({ now: '2026-11-25T09:00:00Z' });
  const started = performance.now();
  firstLoad = await loadDemoDataIfEmpty(t.ctx);
  loadMs = performance.now() - started;
});
afterAll(async () => t.close());

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(t.ctx.db, query);
  return Number(rows[0].n);
}

async function tableCounts() {
  return {
    organisations: await count(sql`select count(*) as n from organisations`),
    specialties: await count(sql`select count(*) as n from specialties`),
    doctors: await count(sql`select count(*) as n from doctors`),
    slots: await count(sql`select count(*) as n from slots`),
    appointments: await count(sql`select count(*) as n from appointments`),
    accounts: await count(sql`select count(*) as n from accounts`),
    persons: await count(sql`select count(*) as n from persons`),
  };
}

describe('demo data', () => {
  it('loads into an empty database in a few seconds', () => {
    expect(firstLoad).toBe(true);
    // A few seconds on an idle machine; the bound is generous for a busy CI box.
    expect(loadMs).toBeLessThan(60_000);
  });

  it('has Udmurtian organisations in Europe/Samara, one without a waitlist', async () => {
    const rows = await queryRows<{
      name: string;
      address: string;
      phone: string;
      time_zone: string;
      waitlist_allowed: boolean;
    }>(t.ctx.db, sql`select name, address, phone, time_zone, waitlist_allowed from organisations order by id`);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((o) => o.time_zone === 'Europe/Samara')).toBe(true);
    expect(rows.every((o) => o.phone.startsWith('+7'))).toBe(true);
    for (const city of ['Ижевск', 'Сарапул', 'Глазов', 'Воткинск']) {
      expect(rows.some((o) => o.address.includes(`г. ${city}`))).toBe(true);
    }
    expect(rows.filter((o) => !o.waitlist_allowed)).toHaveLength(1);
    expect(rows[0].name).toBe('БУЗ УР "Городская поликлиника № 1 МЗ УР"');
  });

  it('has the specialties with their restrictions, all with doctors', async () => {
    const res = await t.client().get<{ specialties: Specialty[] }>('/api/specialties');
    const names = res.body.specialties.map((s) => s.name);
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const n of [
      'терапевт',
      'педиатр',
      'хирург',
      'офтальмолог',
      'оториноларинголог',
      'невролог',
      'кардиолог',
      'эндокринолог',
      'акушер-гинеколог',
      'стоматолог',
      'дерматовенеролог',
      'уролог',
    ]) {
      expect(names).toContain(n);
    }
    const byName = new Map(res.body.specialties.map((s) => [s.name, s]));
    expect(byName.get('педиатр')?.restriction).toBe('Только пациенты до 18 лет');
    expect(byName.get('терапевт')?.restriction).toBe('Только пациенты от 18 лет');
    expect(byName.get('акушер-гинеколог')?.restriction).toBe('Только пациенты женского пола');
  });

  it('has at least 30 doctors with rooms and about a third of future slots booked through every channel', async () => {
    const res = await t.client().get<{ doctors: DoctorSummary[] }>('/api/doctors');
    expect(res.body.doctors.length).toBeGreaterThanOrEqual(30);
    expect(res.body.doctors.every((d) => d.room.length > 0)).toBe(true);
    expect(new Set(res.body.doctors.map((d) => d.organisation.id)).size).toBeGreaterThanOrEqual(4);

    const future = await count(
      sql`select count(*) as n from slots where start_at > ${t.clock.current.toISOString()}::timestamptz`,
    );
    const booked = await count(
      sql`select count(*) as n from slots where status = 'booked' and start_at > ${t.clock.current.toISOString()}::timestamptz`,
    );
    expect(future).toBeGreaterThan(3_000);
    expect(booked / future).toBeGreaterThan(0.25);
    expect(booked / future).toBeLessThan(0.45);
    expect(await count(sql`select count(*) as n from slots where status = 'blocked'`)).toBeGreaterThan(0);
    const sources = await queryRows<{ source: string }>(
      t.ctx.db,
      sql`select distinct source from appointments where status = 'booked'`,
    );
    expect(sources.map((s) => s.source).sort()).toEqual([
      'doctor',
      'electronic_queue',
      'infomat',
      'portal',
      'registry',
    ]);
    // Every booked slot holds exactly one active appointment, and the other way round.
    expect(
      await count(sql`select count(*) as n from slots s where s.status = 'booked'
        and not exists (select 1 from appointments a where a.slot_id = s.id and a.status in ('booked', 'visited'))`),
    ).toBe(0);
    expect(
      await count(sql`select count(*) as n from appointments a join slots s on s.id = a.slot_id
        where a.status = 'booked' and s.status <> 'booked'`),
    ).toBe(0);
  });

  it('respects the specialties’ restrictions in the invented bookings', async () => {
    const rows = await queryRows<{
      birth_date: string;
      sex: string;
      min_age: number | null;
      max_age: number | null;
      spec_sex: string | null;
      start_at: string;
    }>(
      t.ctx.db,
      sql`select p.birth_date::text as birth_date, p.sex, sp.min_age, sp.max_age, sp.sex as spec_sex, a.start_at::text as start_at
            from appointments a
            join persons p on p.id = a.person_id
            join doctors d on d.id = a.doctor_id
            join specialties sp on sp.id = d.specialty_id
           where a.status = 'booked'`,
    );
    for (const r of rows) {
      const age = ageOn(r.birth_date, localDateOf(new Date(r.start_at), 'Europe/Samara'));
      if (r.min_age !== null) expect(age).toBeGreaterThanOrEqual(r.min_age);
      if (r.max_age !== null) expect(age).toBeLessThan(r.max_age);
      if (r.spec_sex !== null) expect(r.sex).toBe(r.spec_sex);
    }
  });

  it('has a therapist in Izhevsk with no free time in the horizon, and free therapists and pediatricians', async () => {
    const specs = await t.client().get<{ specialties: Specialty[] }>('/api/specialties');
    const therapist = specs.body.specialties.find((s) => s.name === 'терапевт')!;
    const pediatrician = specs.body.specialties.find((s) => s.name === 'педиатр')!;
    const res = await t.client().get<{ doctors: DoctorSummary[] }>(`/api/doctors?specialtyId=${therapist.id}`);
    const full = res.body.doctors.filter((d) => d.freeCount === 0);
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(full[0].organisation.address).toContain('г. Ижевск');
    expect(full[0].nearestFreeAt).toBeNull();
    expect(full[0].organisation.waitlistAllowed).toBe(true);
    const schedule = await t.client().get<ScheduleResponse>(`/api/doctors/${full[0].id}/schedule`);
    expect(schedule.body.hasFreeInHorizon).toBe(false);
    expect(schedule.body.days.flatMap((d) => d.slots).length).toBeGreaterThan(0);

    expect(res.body.doctors.some((d) => d.freeCount > 0 && d.organisation.address.includes('г. Ижевск'))).toBe(true);
    const kids = await t.client().get<{ doctors: DoctorSummary[] }>(`/api/doctors?specialtyId=${pediatrician.id}`);
    expect(kids.body.doctors.some((d) => d.freeCount > 0 && d.organisation.address.includes('г. Ижевск'))).toBe(true);
  });

  it('lets every demo account sign in with the demo password, with its role', async () => {
    for (const [email, role] of [
      [DEMO_ACCOUNTS.patient, 'patient'],
      [DEMO_ACCOUNTS.single, 'patient'],
      [DEMO_ACCOUNTS.moderator, 'moderator'],
      [DEMO_ACCOUNTS.operator, 'operator'],
    ] as const) {
      const client = await signIn(t, email, DEMO_ACCOUNTS.password);
      const session = await client.get<SessionResponse>('/api/session');
      expect(session.body.account).toMatchObject({ email, role });
    }
  });

  it('gives the demo patient a card file: herself, a child of about 7 (confirmed) and a parent on moderation', async () => {
    const people = await queryRows<{
      id: string;
      is_main: boolean;
      last_name: string;
      first_name: string;
      birth_date: string;
      sex: string;
      status: string;
    }>(
      t.ctx.db,
      sql`select p.id, p.is_main, p.last_name, p.first_name, p.birth_date::text as birth_date, p.sex, p.status
            from persons p join accounts a on a.id = p.account_id
           where a.email = ${DEMO_ACCOUNTS.patient} order by p.is_main desc, p.created_at`,
    );
    expect(people).toHaveLength(3);
    const [main, child, parent] = [
      people.find((p) => p.is_main)!,
      people.find((p) => p.first_name === DEMO_PATIENT.child.firstName)!,
      people.find((p) => p.first_name === DEMO_PATIENT.parent.firstName)!,
    ];
    expect(main).toMatchObject({ last_name: 'Иванова', first_name: 'Анна', sex: 'F', status: 'confirmed' });
    expect(ageOn(main.birth_date, '2026-11-25')).toBeGreaterThanOrEqual(18);
    expect(child.status).toBe('confirmed');
    const childAge = ageOn(child.birth_date, '2026-11-25');
    expect(childAge).toBeGreaterThanOrEqual(6);
    expect(childAge).toBeLessThanOrEqual(8);
    expect(parent.status).toBe('pending');

    const visits = await queryRows<{
      status: string;
      source: string;
      booked_by: string | null;
      specialty: string;
      start_at: string;
    }>(
      t.ctx.db,
      sql`select a.status, a.source, b.email as booked_by, sp.name as specialty, a.start_at::text as start_at
            from appointments a
            join doctors d on d.id = a.doctor_id
            join specialties sp on sp.id = d.specialty_id
            left join accounts b on b.id = a.booked_by_account_id
           where a.person_id = ${main.id} order by a.start_at`,
    );
    expect(visits).toHaveLength(3);
    expect(new Date(visits[0].start_at).getTime()).toBeLessThan(t.clock.current.getTime());
    expect(visits[0].status).toBe('visited');
    // A surgeon's visit within a day whose online cancellation has already closed.
    expect(visits[1]).toMatchObject({
      status: 'booked',
      source: 'portal',
      booked_by: DEMO_ACCOUNTS.patient,
      specialty: 'хирург',
    });
    const soon = new Date(visits[1].start_at).getTime() - t.clock.current.getTime();
    expect(soon).toBeGreaterThanOrEqual(3_600_000);
    expect(soon).toBeLessThanOrEqual(86_400_000);
    expect(visits[2]).toMatchObject({
      status: 'booked',
      source: 'portal',
      booked_by: DEMO_ACCOUNTS.patient,
      specialty: 'офтальмолог',
    });
    // At least three days ahead, so it can still be cancelled online.
    expect(new Date(visits[2].start_at).getTime() - t.clock.current.getTime()).toBeGreaterThan(2 * 86_400_000);
    // Her child has nothing booked, and she only these two: the booking journey is open to them.
    expect(
      await count(sql`select count(*) as n from appointments a join persons p on p.id = a.person_id
      where p.account_id = (select id from accounts where email = ${DEMO_ACCOUNTS.patient}) and a.status = 'booked'`),
    ).toBe(2);
    // The card file shows the surgeon's visit without a cancel button, saying why.
    const client = await signIn(t, DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.password);
    const card = await client.get<CardFileResponse>('/api/cardfile');
    const anna = card.body.persons.find((p) => p.isMain)!;
    const [late, later] = anna.futureVisits;
    expect(late.doctor.specialty).toBe('хирург');
    expect(late.cancellable).toBe(false);
    expect(late.cancelBlockedReason).toMatch(/регистратур/);
    expect(later.cancellable).toBe(true);
  });

  it('shows the demo patient her own visit in the ophthalmologist’s schedule as hers', async () => {
    const client = await signIn(t, DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.password);
    const [visit] = await queryRows<{ id: string; doctor_id: number; slot_id: number | string }>(
      t.ctx.db,
      sql`select a.id, a.doctor_id, a.slot_id from appointments a join accounts b on b.id = a.booked_by_account_id
           where b.email = ${DEMO_ACCOUNTS.patient} and a.status = 'booked'
             and a.doctor_id in (select d.id from doctors d join specialties sp on sp.id = d.specialty_id where sp.name = 'офтальмолог')`,
    );
    const res = await client.get<ScheduleResponse>(`/api/doctors/${visit.doctor_id}/schedule`);
    const slot = res.body.days.flatMap((d) => d.slots).find((s) => s.id === Number(visit.slot_id));
    expect(slot).toMatchObject({ state: 'mine', appointmentId: visit.id, cancellable: true });
    const anon = await t.client().get<ScheduleResponse>(`/api/doctors/${visit.doctor_id}/schedule`);
    expect(anon.body.days.flatMap((d) => d.slots).find((s) => s.id === Number(visit.slot_id))?.state).toBe('busy');
  });

  it('has one confirmed adult in the single account and people waiting for the moderator', async () => {
    const single = await queryRows<{ status: string; is_main: boolean; birth_date: string }>(
      t.ctx.db,
      sql`select p.status, p.is_main, p.birth_date::text as birth_date from persons p join accounts a on a.id = p.account_id where a.email = ${DEMO_ACCOUNTS.single}`,
    );
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ status: 'confirmed', is_main: true });
    expect(ageOn(single[0].birth_date, '2026-11-25')).toBeGreaterThanOrEqual(18);
    expect(
      await count(sql`select count(distinct account_id) as n from persons where status = 'pending'`),
    ).toBeGreaterThanOrEqual(3);
  });

  it('gives everyone a valid СНИЛС and a 16-digit полис, and confirmed e-mails', async () => {
    const rows = await queryRows<{ snils: string; policy: string; who: string }>(
      t.ctx.db,
      sql`select snils, policy, last_name || ' ' || first_name || ' ' || birth_date::text as who from persons`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(isValidSnils(r.snils)).toBe(true);
      expect(r.policy).toMatch(/^\d{16}$/);
    }
    // One real person may sit in several card files (and the clinic register), always with
    // the same СНИЛС, полис, name and birth date; different people never share a СНИЛС.
    const bySnils = new Map<string, Set<string>>();
    for (const r of rows) bySnils.set(r.snils, (bySnils.get(r.snils) ?? new Set()).add(`${r.policy} ${r.who}`));
    for (const [, identities] of bySnils) expect(identities.size).toBe(1);
    expect(bySnils.get(DEMO_PATIENT_DOCUMENTS.main.snils)?.size).toBe(1);
    expect(rows.filter((r) => r.snils === DEMO_PATIENT_DOCUMENTS.main.snils)).toHaveLength(2);
    expect(rows.filter((r) => r.snils === DEMO_PATIENT_DOCUMENTS.child.snils)).toHaveLength(3);
    expect(
      await count(sql`select count(*) as n from accounts where email_confirmed_at is null and role <> 'system'`),
    ).toBe(0);
  });

  it('shows Anna’s visits from every channel in an ЕСИА session only, and never her son’s visit booked by his father', async () => {
    const anna = await queryRows<{ id: string }>(
      t.ctx.db,
      sql`select id from accounts where email = ${DEMO_ACCOUNTS.patient}`,
    );
    const esia = await clientWithSession(t, anna[0].id, 'esia');
    const emailSession = await signIn(t, DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.password);
    const sourcesOf = async (c: typeof esia) => {
      const res = await c.get<CardFileResponse>('/api/cardfile');
      expect(res.status).toBe(200);
      const [main, child] = res.body.persons;
      return {
        main: new Set([...main.futureVisits, ...main.pastVisits].map((v) => v.source)),
        child: [...child.futureVisits, ...child.pastVisits].map((v) => v.source),
      };
    };
    const viaEsia = await sourcesOf(esia);
    expect([...viaEsia.main].sort()).toEqual(['doctor', 'electronic_queue', 'infomat', 'portal', 'registry']);
    // The son: his registry visit and the portal visit his father booked are not shown to Anna.
    expect(viaEsia.child).toEqual([]);
    const viaEmail = await sourcesOf(emailSession);
    expect([...viaEmail.main]).toEqual(['portal']);
    expect(viaEmail.child).toEqual([]);
    const staff = await queryRows<{
      email: string;
      role: string;
      organisation_id: number | null;
      doctor_id: number | null;
    }>(
      t.ctx.db,
      sql`select email, role, organisation_id, doctor_id from accounts where role in ('registrar', 'doctor') order by email`,
    );
    expect(staff.map((a) => [a.email, a.role])).toEqual([
      [DEMO_ACCOUNTS.doctor, 'doctor'],
      [DEMO_ACCOUNTS.registrar, 'registrar'],
    ]);
    expect(staff.every((a) => a.organisation_id !== null)).toBe(true);
  });

  it('does nothing the second time, even when two loads race', async () => {
    const before = await tableCounts();
    const results = await Promise.all([loadDemoDataIfEmpty(t.ctx), loadDemoDataIfEmpty(t.ctx)]);
    expect(results).toEqual([false, false]);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('demo data on a racing start', () => {
  it('is loaded exactly once when two processes find the database empty at the same time (on a Sunday night)', async () => {
    // 23:30 local on Sunday 29 November 2026.
    const fresh = await createTestContext({ now: '2026-11-29T19:30:00Z' });
    try {
      const results = await Promise.all([loadDemoDataIfEmpty(fresh.ctx), loadDemoDataIfEmpty(fresh.ctx)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const rows = await queryRows<{ n: number | string }>(fresh.ctx.db, sql`select count(*) as n from organisations`);
      expect(Number(rows[0].n)).toBe(4);
      const future = await queryRows<{ n: number | string }>(
        fresh.ctx.db,
        sql`select count(*) as n from appointments a join accounts b on b.id = a.booked_by_account_id
             where b.email = ${DEMO_ACCOUNTS.patient} and a.status = 'booked' and a.start_at > ${fresh.clock.current.toISOString()}::timestamptz`,
      );
      // The ophthalmologist's visit and the surgeon's visit past its cut-off.
      expect(Number(future[0].n)).toBe(2);
      const doctors = await fresh.client().get<{ doctors: DoctorSummary[] }>('/api/doctors');
      expect(doctors.body.doctors.filter((d) => d.freeCount === 0)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
