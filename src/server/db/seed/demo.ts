// Demo data for an empty database (demo mode): Udmurtian clinics with doctors, weekly
// hours expanded into slots for the booking horizon, schedules about a third booked by
// invented people through every channel, and ready-made accounts to try the portal with.
// Everything is invented. Loaded in one transaction; a second start finds the
// organisations and does nothing.
import { asc, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { queryRows, type Db } from '../index.js';
import {
  accounts,
  appointments,
  doctors,
  organisations,
  persons,
  scheduleTemplates,
  slots,
  specialties,
} from '../schema.js';
import { hashPassword } from '../../modules/identity/password.js';
import { restrictionRefusal } from '../../modules/catalogue/catalogue.rules.js';
import { lastBookableDate } from '../../modules/booking/booking.rules.js';
import { getRegionSettings } from '../../modules/operator/settings.service.js';
import { expandTemplates, insertFreeSlots } from '../../modules/schedule/schedule.service.js';
import { datesBetween, slotsForTemplateDay } from '../../modules/schedule/schedule.rules.js';
import { addDays, isoWeekday, localDateOf, localTimeOf, zonedToInstant } from '../../../shared/time.js';
import { snilsWithChecksum } from '../../../shared/validation.js';
import {
  DEMO_DOCTORS,
  DEMO_ORGANISATIONS,
  DEMO_SPECIALTIES,
  DEMO_TIME_ZONE,
  FILLER_PEOPLE,
  type DemoHours,
} from './demo-data.js';

export const DEMO_PASSWORD = 'Priyom-demo-1';

/** The accounts the README and the browser journeys sign in with (password DEMO_PASSWORD). */
export const DEMO_ACCOUNTS = {
  /** Иванова Анна Сергеевна (confirmed), her son (confirmed, about 7) and her father (pending). */
  patient: 'patient@example.org',
  /** One confirmed adult: Петров Алексей Викторович. */
  single: 'single@example.org',
  moderator: 'moderator@example.org',
  operator: 'operator@example.org',
  /** Accounts whose people wait for the moderator. */
  pending: ['kuzmina@example.org', 'sitnikov@example.org', 'fedotova@example.org'],
  password: DEMO_PASSWORD,
} as const;

/** Who the demo patient's people are, for tests and journeys. */
export const DEMO_PATIENT = {
  main: { lastName: 'Иванова', firstName: 'Анна', middleName: 'Сергеевна' },
  child: { lastName: 'Иванов', firstName: 'Михаил', middleName: 'Андреевич' },
  parent: { lastName: 'Смирнов', firstName: 'Сергей', middleName: 'Петрович' },
} as const;

/** Share of future template slots booked by invented people. */
const BOOKED_SHARE = 0.35;
const SEED_LOCK = 7_302_002;

// A small deterministic generator, so that every demo database looks the same.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

type Source = 'portal' | 'electronic_queue' | 'doctor' | 'registry' | 'infomat';
const SOURCES: [Source, number][] = [
  ['registry', 0.34],
  ['portal', 0.28],
  ['infomat', 0.14],
  ['electronic_queue', 0.14],
  ['doctor', 0.1],
];

/**
 * Loads the demo data when the organisations table is empty; returns whether it did.
 * Safe when two processes start at once: they take turns on a transaction lock.
 */
export async function loadDemoDataIfEmpty(ctx: AppContext): Promise<boolean> {
  const now = ctx.now();
  const seeded = await ctx.db.select({ id: organisations.id }).from(organisations).limit(1);
  if (seeded.length > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const existing = await tx.select({ id: organisations.id }).from(organisations).limit(1);
    if (existing.length > 0) return false;
    await seed(tx, now, passwordHash);
    return true;
  });
}

function birthDateForAge(today: string, age: number, index: number): string {
  // A birthday spread over the year, a little over `age` full years ago.
  return addDays(today, -(age * 365 + Math.floor(age / 4) + 30 + ((index * 37) % 300)));
}

async function seed(tx: Db, now: Date, passwordHash: string): Promise<void> {
  const random = mulberry32(20_261_125);
  const tz = DEMO_TIME_ZONE;
  const today = localDateOf(now, tz);
  const { horizonDays } = await getRegionSettings(tx);
  const lastDate = lastBookableDate(now, tz, horizonDays);

  // ---------- catalogue ----------
  const orgRows = await tx
    .insert(organisations)
    .values(DEMO_ORGANISATIONS.map(({ key: _key, ...o }) => ({ ...o, timeZone: tz })))
    .returning({ id: organisations.id });
  const orgId = new Map(DEMO_ORGANISATIONS.map((o, i) => [o.key, orgRows[i].id]));

  const specRows = await tx.insert(specialties).values(DEMO_SPECIALTIES).returning();
  const specByName = new Map(specRows.map((s) => [s.name, s]));

  const doctorRows = await tx
    .insert(doctors)
    .values(
      DEMO_DOCTORS.map((d) => ({
        organisationId: orgId.get(d.org)!,
        specialtyId: specByName.get(d.specialty)!.id,
        lastName: d.lastName,
        firstName: d.firstName,
        middleName: d.middleName,
        room: d.room,
      })),
    )
    .returning({ id: doctors.id });
  const doctorIds = doctorRows.map((r) => r.id);

  // Weekly hours become templates, valid from a month ago.
  const validFrom = addDays(today, -30);
  const templateRows: (typeof scheduleTemplates.$inferInsert)[] = [];
  DEMO_DOCTORS.forEach((d, i) => {
    if (d.fullyBooked) return;
    for (let weekday = 1; weekday <= 5; weekday++) {
      templateRows.push({
        doctorId: doctorIds[i],
        weekday,
        startTime: d.hours.start,
        endTime: d.hours.end,
        slotMinutes: d.hours.slotMinutes,
        breakStart: d.hours.breakStart ?? null,
        breakEnd: d.hours.breakEnd ?? null,
        validFrom,
      });
    }
    if (d.hours.saturday) {
      templateRows.push({
        doctorId: doctorIds[i],
        weekday: 6,
        startTime: d.hours.saturday.start,
        endTime: d.hours.saturday.end,
        slotMinutes: d.hours.slotMinutes,
        validFrom,
      });
    }
  });
  await tx.insert(scheduleTemplates).values(templateRows);
  await expandTemplates(tx, now);

  // Fully booked doctors have no templates: their slots came from the clinic's system.
  const pushed: { doctorId: number; startAt: Date; endAt: Date }[] = [];
  DEMO_DOCTORS.forEach((d, i) => {
    if (!d.fullyBooked) return;
    for (const date of datesBetween(today, lastDate)) {
      if (isoWeekday(date) > 5) continue;
      for (const s of slotsForTemplateDay(hoursOf(d.hours), date, tz)) {
        if (s.startAt > now) pushed.push({ doctorId: doctorIds[i], ...s });
      }
    }
  });
  await insertFreeSlots(tx, pushed);
  const fullyBookedIds = new Set(DEMO_DOCTORS.flatMap((d, i) => (d.fullyBooked ? [doctorIds[i]] : [])));

  // ---------- accounts and card files ----------
  let snilsSeq = 0;
  const nextSnils = () => snilsWithChecksum(String(112_345_000 + (snilsSeq += 7)).padStart(9, '0'));
  let policySeq = 0;
  const nextPolicy = () => `1851${String(4_400_000_000 + (policySeq += 13)).padStart(12, '0')}`;

  const staffRows = await tx
    .insert(accounts)
    .values([
      { email: DEMO_ACCOUNTS.moderator, passwordHash, emailConfirmedAt: now, role: 'moderator', createdAt: now },
      { email: DEMO_ACCOUNTS.operator, passwordHash, emailConfirmedAt: now, role: 'operator', createdAt: now },
    ])
    .returning({ id: accounts.id });
  const moderatorId = staffRows[0].id;

  const person = (
    accountId: string,
    p: { lastName: string; firstName: string; middleName: string | null; birthDate: string; sex: 'M' | 'F' },
    opts: { isMain: boolean; status: 'pending' | 'confirmed'; phone?: string; submittedAt?: Date },
  ): typeof persons.$inferInsert => ({
    accountId,
    isMain: opts.isMain,
    ...p,
    snils: nextSnils(),
    policy: nextPolicy(),
    phone: opts.phone ?? null,
    status: opts.status,
    submittedAt: opts.submittedAt ?? now,
    decidedAt: opts.status === 'confirmed' ? now : null,
    decidedBy: opts.status === 'confirmed' ? moderatorId : null,
    createdAt: opts.submittedAt ?? now,
  });

  const patientAccounts = await tx
    .insert(accounts)
    .values(
      [DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.single, ...DEMO_ACCOUNTS.pending].map((email) => ({
        email,
        passwordHash,
        emailConfirmedAt: now,
        role: 'patient',
        createdAt: now,
      })),
    )
    .returning({ id: accounts.id });
  const [patientId, singleId, pendingA, pendingB, pendingC] = patientAccounts.map((a) => a.id);
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  const patientPeople = await tx
    .insert(persons)
    .values([
      person(patientId, { ...DEMO_PATIENT.main, birthDate: '1988-06-14', sex: 'F' }, { isMain: true, status: 'confirmed', phone: '+79120000101' }),
      person(patientId, { ...DEMO_PATIENT.child, birthDate: birthDateForAge(today, 7, 3), sex: 'M' }, { isMain: false, status: 'confirmed' }),
      person(patientId, { ...DEMO_PATIENT.parent, birthDate: '1956-02-03', sex: 'M' }, { isMain: false, status: 'pending', submittedAt: hoursAgo(5) }),
    ])
    .returning({ id: persons.id });
  const annaId = patientPeople[0].id;

  await tx.insert(persons).values([
    person(singleId, { lastName: 'Петров', firstName: 'Алексей', middleName: 'Викторович', birthDate: '1979-09-21', sex: 'M' }, { isMain: true, status: 'confirmed', phone: '+79120000102' }),
    person(pendingA, { lastName: 'Кузьмина', firstName: 'Дарья', middleName: 'Олеговна', birthDate: '1995-03-08', sex: 'F' }, { isMain: true, status: 'pending', submittedAt: hoursAgo(26) }),
    person(pendingB, { lastName: 'Ситников', firstName: 'Артур', middleName: null, birthDate: '2001-12-30', sex: 'M' }, { isMain: true, status: 'pending', submittedAt: hoursAgo(3) }),
    person(pendingC, { lastName: 'Федотова', firstName: 'Галина', middleName: 'Ивановна', birthDate: '1970-07-17', sex: 'F' }, { isMain: true, status: 'confirmed' }),
    person(pendingC, { lastName: 'Федотов', firstName: 'Лев', middleName: 'Максимович', birthDate: birthDateForAge(today, 4, 9), sex: 'M' }, { isMain: false, status: 'pending', submittedAt: hoursAgo(1) }),
  ]);

  // Invented people who booked at the registry, the infomat, the queue or through the portal
  // (from accounts nobody signs in to).
  const fillerAccounts = await tx
    .insert(accounts)
    .values([1, 2, 3, 4].map((n) => ({ email: `zapis-${n}@demo.example.org`, passwordHash: null, emailConfirmedAt: now, role: 'patient', createdAt: now })))
    .returning({ id: accounts.id });
  const fillerValues = FILLER_PEOPLE.map((p, i) =>
    person(
      fillerAccounts[i % fillerAccounts.length].id,
      { lastName: p.lastName, firstName: p.firstName, middleName: p.middleName, sex: p.sex, birthDate: birthDateForAge(today, p.age, i) },
      { isMain: i < fillerAccounts.length, status: 'confirmed' },
    ),
  );
  const fillerRows = await tx.insert(persons).values(fillerValues).returning({
    id: persons.id,
    accountId: persons.accountId,
    birthDate: persons.birthDate,
    sex: persons.sex,
  });

  // ---------- appointments ----------
  const allSlots = await tx
    .select({ id: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt })
    .from(slots)
    .where(inArray(slots.doctorId, doctorIds))
    .orderBy(asc(slots.startAt), asc(slots.doctorId));
  const doctorSpec = new Map(DEMO_DOCTORS.map((d, i) => [doctorIds[i], specByName.get(d.specialty)!]));
  const references = new Set<string>();
  const newReference = () => {
    for (;;) {
      let r = 'ПР-';
      for (let i = 0; i < 8; i++) r += REFERENCE_ALPHABET[Math.floor(random() * REFERENCE_ALPHABET.length)];
      if (!references.has(r)) {
        references.add(r);
        return r;
      }
    }
  };
  const busy = new Map<string, { s: number; e: number }[]>();
  const isFreeFor = (personId: string, s: number, e: number) =>
    !(busy.get(personId) ?? []).some((b) => b.s < e && s < b.e);
  const occupy = (personId: string, s: number, e: number) => {
    const list = busy.get(personId);
    if (list) list.push({ s, e });
    else busy.set(personId, [{ s, e }]);
  };

  const newAppointments: (typeof appointments.$inferInsert)[] = [];
  const bookedSlotIds: number[] = [];

  // Anna: a visit to the therapist three weeks ago and a future portal visit to the
  // ophthalmologist in Izhevsk (at least three days ahead, so it can still be cancelled).
  const therapistIdx = DEMO_DOCTORS.findIndex((d) => d.org === 'izhevsk' && d.specialty === 'терапевт' && !d.fullyBooked);
  let pastDate = addDays(today, -21);
  while (isoWeekday(pastDate) > 5) pastDate = addDays(pastDate, -1);
  const pastStart = zonedToInstant(pastDate, '09:20', tz);
  const [pastSlot] = await tx
    .insert(slots)
    .values({ doctorId: doctorIds[therapistIdx], startAt: pastStart, endAt: new Date(pastStart.getTime() + 20 * 60_000), status: 'booked' })
    .returning({ id: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt });
  newAppointments.push({
    reference: newReference(),
    slotId: pastSlot.id,
    personId: annaId,
    doctorId: pastSlot.doctorId,
    startAt: pastSlot.startAt,
    endAt: pastSlot.endAt,
    status: 'visited',
    source: 'portal',
    bookedByAccountId: patientId,
    createdAt: new Date(pastStart.getTime() - 6 * 86_400_000),
  });

  const eyeDoctorId = doctorIds[DEMO_DOCTORS.findIndex((d) => d.org === 'izhevsk' && d.specialty === 'офтальмолог')];
  const eyeFrom = zonedToInstant(addDays(today, 3), '00:00', tz);
  const annaSlot = allSlots.find((s) => s.doctorId === eyeDoctorId && s.startAt >= eyeFrom && localTimeOf(s.startAt, tz) >= '09:00');
  const reserved = new Set<number>();
  if (annaSlot) {
    reserved.add(annaSlot.id);
    occupy(annaId, annaSlot.startAt.getTime(), annaSlot.endAt.getTime());
    bookedSlotIds.push(annaSlot.id);
    newAppointments.push({
      reference: newReference(),
      slotId: annaSlot.id,
      personId: annaId,
      doctorId: annaSlot.doctorId,
      startAt: annaSlot.startAt,
      endAt: annaSlot.endAt,
      status: 'booked',
      source: 'portal',
      bookedByAccountId: patientId,
      createdAt: hoursAgo(30),
    });
  }

  // Blocked: one doctor's whole day (a training day) and a few single slots.
  const blockedIds = new Set<number>();
  const blockedDoctor = doctorIds[DEMO_DOCTORS.findIndex((d) => d.org === 'sarapul' && d.specialty === 'невролог')];
  let blockedDay = addDays(today, 4);
  while (isoWeekday(blockedDay) > 5) blockedDay = addDays(blockedDay, 1);
  for (const s of allSlots) {
    if (reserved.has(s.id)) continue;
    if (s.doctorId === blockedDoctor && localDateOf(s.startAt, tz) === blockedDay) blockedIds.add(s.id);
    else if (!fullyBookedIds.has(s.doctorId) && random() < 0.01) blockedIds.add(s.id);
  }

  const pickSource = (): Source => {
    let r = random();
    for (const [source, weight] of SOURCES) {
      if (r < weight) return source;
      r -= weight;
    }
    return 'registry';
  };
  let cursor = 0;
  for (const s of allSlots) {
    if (reserved.has(s.id) || blockedIds.has(s.id)) continue;
    if (!fullyBookedIds.has(s.doctorId) && random() >= BOOKED_SHARE) continue;
    const spec = doctorSpec.get(s.doctorId)!;
    const start = s.startAt.getTime();
    const end = s.endAt.getTime();
    let chosen: (typeof fillerRows)[number] | undefined;
    for (let k = 0; k < fillerRows.length; k++) {
      const p = fillerRows[(cursor + k) % fillerRows.length];
      if (restrictionRefusal(spec, p, localDateOf(s.startAt, tz)) === null && isFreeFor(p.id, start, end)) {
        chosen = p;
        cursor = (cursor + k + 1) % fillerRows.length;
        break;
      }
    }
    if (!chosen) continue;
    occupy(chosen.id, start, end);
    const source = pickSource();
    bookedSlotIds.push(s.id);
    newAppointments.push({
      reference: newReference(),
      slotId: s.id,
      personId: chosen.id,
      doctorId: s.doctorId,
      startAt: s.startAt,
      endAt: s.endAt,
      status: 'booked',
      source,
      bookedByAccountId: source === 'portal' ? chosen.accountId : null,
      createdAt: new Date(now.getTime() - Math.floor(random() * 10 * 86_400_000)),
    });
  }

  for (let i = 0; i < bookedSlotIds.length; i += 2_000) {
    await tx.update(slots).set({ status: 'booked' }).where(inArray(slots.id, bookedSlotIds.slice(i, i + 2_000)));
  }
  const blocked = [...blockedIds];
  for (let i = 0; i < blocked.length; i += 2_000) {
    await tx.update(slots).set({ status: 'blocked' }).where(inArray(slots.id, blocked.slice(i, i + 2_000)));
  }
  // 12 columns a row: 1,000 rows stay well under the 65,535 parameters of one statement.
  for (let i = 0; i < newAppointments.length; i += 1_000) {
    await tx.insert(appointments).values(newAppointments.slice(i, i + 1_000));
  }

  // A sanity check that would fail loudly in development rather than show a broken demo.
  const [{ n }] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from slots where doctor_id = ${[...fullyBookedIds][0]} and status = 'free'`,
  );
  if (Number(n) !== 0) throw new Error('demo data: the fully booked doctor has free slots');
}

function hoursOf(h: DemoHours) {
  return {
    startTime: h.start,
    endTime: h.end,
    slotMinutes: h.slotMinutes,
    breakStart: h.breakStart ?? null,
    breakEnd: h.breakEnd ?? null,
  };
}
