// The channels core (SPEC sections 6 and 8): the clinic register, patient search, and
// bookings, cancels and outcomes through the registry desk, the doctor, the kiosk and
// clinic systems — the portal's rules apply, other organisations are refused with nothing
// written, and the visits reach the patient's ЕСИА session but not an e-mail session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { apiKeys, appointments, persons, slots } from '../../src/server/db/schema.js';
import { queryRows } from '../../src/server/db/index.js';
import { AppError } from '../../src/server/errors.js';
import {
  bookForPatient,
  cancelForPatient,
  findByExternalId,
  setVisitOutcome,
  type ChannelActor,
} from '../../src/server/modules/channels/channel-booking.service.js';
import {
  findPatients,
  getPatient,
  identifyPatient,
  patientVisits,
  registerPatient,
} from '../../src/server/modules/channels/patients.service.js';
import { REGISTER_ACCOUNT_ID } from '../../src/server/modules/channels/register.js';
import type { CardFileResponse } from '../../src/shared/api/index.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import { createTestContext, type TestContext } from '../support/context.js';
import {
  createBookableSetup,
  createAppointmentRow,
  createSlots,
  createSpecialty,
  createDoctor,
  holdSlotRow,
  type BookableSetup,
} from '../factories/catalogue.js';
import { createAccount, createPatient, createPerson, uniquePolicy, uniqueSnils } from '../factories/identity.js';
import { clientWithSession } from '../factories/sessions.js';

let t: TestContext;
let clinic: BookableSetup;
let other: BookableSetup;
let registrar: ChannelActor;
let doctorActor: ChannelActor;
const kiosk = (organisationId: number): ChannelActor => ({
  kind: 'kiosk',
  organisationId,
  deviceId: '00000000-0000-4000-8000-0000000000aa',
});
const QUEUE_KEY_ID = '00000000-0000-4000-8000-0000000000bb';
const MIS_KEY_ID = '00000000-0000-4000-8000-0000000000cc';
// The key belongs to the first clinic; the service trusts the actor's organisation (the API's key check sets it).
const queueKey = (organisationId: number): ChannelActor => ({
  kind: 'api',
  organisationId,
  apiKeyId: QUEUE_KEY_ID,
  channel: 'electronic_queue',
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

async function appointmentCount(): Promise<number> {
  const rows = await queryRows<{ n: string }>(t.ctx.db, sql`select count(*) as n from appointments`);
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestContext();
  clinic = await createBookableSetup(t.ctx);
  other = await createBookableSetup(t.ctx);
  const clerk = await createAccount(t.ctx, { role: 'patient' });
  await t.ctx.db.execute(
    sql`update accounts set role = 'registrar', organisation_id = ${clinic.organisation.id} where id = ${clerk.id}`,
  );
  registrar = {
    kind: 'staff',
    organisationId: clinic.organisation.id,
    accountId: clerk.id,
    role: 'registrar',
    doctorId: null,
  };
  for (const [id, organisationId] of [
    [QUEUE_KEY_ID, clinic.organisation.id],
    [MIS_KEY_ID, clinic.organisation.id],
  ] as const) {
    await t.ctx.db.insert(apiKeys).values({
      id,
      organisationId,
      channel: id === MIS_KEY_ID ? 'mis' : 'electronic_queue',
      label: 'тест',
      keyHash: id,
      keyPrefix: 'test',
    });
  }
  const doc = await createAccount(t.ctx, { role: 'patient' });
  await t.ctx.db.execute(
    sql`update accounts set role = 'doctor', organisation_id = ${clinic.organisation.id}, doctor_id = ${clinic.doctor.id} where id = ${doc.id}`,
  );
  doctorActor = {
    kind: 'staff',
    organisationId: clinic.organisation.id,
    accountId: doc.id,
    role: 'doctor',
    doctorId: clinic.doctor.id,
  };
});

afterAll(async () => {
  await t.close();
});

describe('finding patients', () => {
  it('finds a confirmed portal person by полис, СНИЛС and surname, once per real person, the register row first', async () => {
    const snils = uniqueSnils();
    const policy = uniquePolicy();
    const a = await createPatient(t, { person: { lastName: 'Поискова', firstName: 'Ольга', snils, policy } });
    const b = await createAccount(t.ctx);
    await createPerson(t.ctx, b.id, { lastName: 'Поискова', firstName: 'Ольга', snils, policy, isMain: false });

    const byPolicy = await findPatients(t.ctx.db, { policy });
    expect(byPolicy).toHaveLength(1);
    expect(byPolicy[0]).toMatchObject({ lastName: 'Поискова', snils, policy, inRegister: false });
    expect(await findPatients(t.ctx.db, { snils })).toHaveLength(1);
    expect(await findPatients(t.ctx.db, { lastName: '  поискова ', firstName: 'ол' })).toHaveLength(1);
    expect(await findPatients(t.ctx.db, { lastName: 'Поискова', birthDate: '1901-01-01' })).toHaveLength(0);
    // A first name alone lists nobody.
    expect(await findPatients(t.ctx.db, { firstName: 'Ольга' })).toEqual([]);

    // After a registry booking the register row is the one found.
    await bookForPatient(t.ctx, registrar, { patientId: byPolicy[0].patientId, slotId: clinic.slots[0].id });
    const again = await findPatients(t.ctx.db, { policy });
    expect(again).toHaveLength(1);
    expect(again[0].inRegister).toBe(true);
    expect(again[0].patientId).not.toBe(a.person.id);
  });

  it('does not find people whose data is still on moderation or rejected', async () => {
    const account = await createAccount(t.ctx);
    const pending = await createPerson(t.ctx, account.id, { status: 'pending', isMain: true, lastName: 'Ожидаева' });
    expect(await findPatients(t.ctx.db, { policy: pending.policy })).toEqual([]);
    expect(await identifyPatient(t.ctx.db, pending.policy, pending.birthDate)).toBeNull();
    expect(await code(getPatient(t.ctx.db, pending.id))).toBe('PATIENT_NOT_FOUND');
  });

  it('identifies a kiosk patient only by полис and date of birth together', async () => {
    const { person } = await createPatient(t, { person: { birthDate: '1970-03-03' } });
    expect(await identifyPatient(t.ctx.db, person.policy, '1970-03-03')).toMatchObject({ patientId: person.id });
    expect(await identifyPatient(t.ctx.db, person.policy, '1970-03-04')).toBeNull();
    expect(await identifyPatient(t.ctx.db, uniquePolicy(), '1970-03-03')).toBeNull();
  });

  it('registers a new patient once; the same СНИЛС or полис again is PATIENT_EXISTS with the existing id', async () => {
    const identity = {
      lastName: 'Новикова',
      firstName: 'Вера',
      middleName: null,
      birthDate: '1990-05-05',
      sex: 'F' as const,
      snils: uniqueSnils(),
      policy: uniquePolicy(),
    };
    const made = await registerPatient(t.ctx, registrar.kind === 'staff' ? registrar.accountId : '', identity);
    expect(made).toMatchObject({ inRegister: true, lastName: 'Новикова' });
    const rows = await t.ctx.db.select().from(persons).where(eq(persons.id, made.patientId));
    expect(rows[0]).toMatchObject({ accountId: REGISTER_ACCOUNT_ID, status: 'confirmed' });
    for (const clash of [
      { ...identity, policy: uniquePolicy() },
      { ...identity, snils: uniqueSnils() },
    ]) {
      try {
        await registerPatient(t.ctx, (registrar as { accountId: string }).accountId, clash);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('PATIENT_EXISTS');
        expect((err as AppError).details).toEqual({ patientId: made.patientId });
      }
    }
  });
});

describe('booking through a channel', () => {
  it('books at the registry desk with source registry; the ЕСИА session sees it, the e-mail session does not', async () => {
    const setup = await createBookableSetup(t.ctx);
    const actor: ChannelActor = { ...registrar, organisationId: setup.organisation.id } as ChannelActor;
    const { account, person, client } = await createPatient(t);
    const visit = await bookForPatient(t.ctx, actor, { patientId: person.id, slotId: setup.slots[0].id });
    expect(visit).toMatchObject({ source: 'registry', status: 'booked', cancellable: true });

    const row = (await t.ctx.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0];
    expect(row).toMatchObject({
      source: 'registry',
      bookedByAccountId: null,
      bookedByStaffAccountId: (actor as { accountId: string }).accountId,
    });
    expect(row.personId).not.toBe(person.id);
    const slot = (await t.ctx.db.select().from(slots).where(eq(slots.id, setup.slots[0].id)))[0];
    expect(slot.status).toBe('booked');

    const emailView = await client.get<CardFileResponse>('/api/cardfile');
    expect(emailView.body.persons[0].futureVisits.map((v) => v.id)).not.toContain(visit.id);
    const esia = await clientWithSession(t, account.id, 'esia');
    const esiaView = await esia.get<CardFileResponse>('/api/cardfile');
    const shown = esiaView.body.persons[0].futureVisits.find((v) => v.id === visit.id);
    expect(shown).toMatchObject({ source: 'registry', cancellable: false, personId: person.id });
    const detail = await esia.get(`/api/appointments/${visit.id}`);
    expect(detail.status).toBe(200);
    expect((await client.get(`/api/appointments/${visit.id}`)).status).toBe(404);
  });

  it('records the doctor, kiosk and queue sources', async () => {
    const { person } = await createPatient(t);
    const s = await createSlots(t.ctx, clinic.doctor.id, [
      zonedToInstant(addDays(localDateOf(t.ctx.now(), 'Europe/Samara'), 5), '08:00', 'Europe/Samara'),
      zonedToInstant(addDays(localDateOf(t.ctx.now(), 'Europe/Samara'), 6), '08:00', 'Europe/Samara'),
      zonedToInstant(addDays(localDateOf(t.ctx.now(), 'Europe/Samara'), 7), '08:00', 'Europe/Samara'),
    ]);
    const doctors = [];
    for (let i = 0; i < 2; i++) {
      const specialty = await createSpecialty(t.ctx);
      doctors.push(await createDoctor(t.ctx, { organisationId: clinic.organisation.id, specialtyId: specialty.id }));
    }
    const s2 = await createSlots(t.ctx, doctors[0].id, [s[1].startAt]);
    const s3 = await createSlots(t.ctx, doctors[1].id, [s[2].startAt]);
    expect((await bookForPatient(t.ctx, doctorActor, { patientId: person.id, slotId: s[0].id })).source).toBe('doctor');
    const specialist = await createSpecialty(t.ctx);
    const d3 = await createDoctor(t.ctx, { organisationId: clinic.organisation.id, specialtyId: specialist.id });
    const s4 = await createSlots(t.ctx, d3.id, [s[2].startAt]);
    expect(
      (await bookForPatient(t.ctx, kiosk(clinic.organisation.id), { patientId: person.id, slotId: s2[0].id })).source,
    ).toBe('infomat');
    expect(
      (await bookForPatient(t.ctx, queueKey(clinic.organisation.id), { patientId: person.id, slotId: s3[0].id }))
        .source,
    ).toBe('electronic_queue');
    // A second visit at the same time as the queue's: the database keeps one person's visits apart.
    expect(await code(bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: s4[0].id }))).toBe(
      'OVERLAPPING_APPOINTMENT',
    );
  });

  it('refuses another organisation’s slot, a held or booked slot, a source not the actor’s, and writes nothing', async () => {
    const { person } = await createPatient(t);
    const before = await appointmentCount();
    expect(await code(bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: other.slots[0].id }))).toBe(
      'SLOT_NOT_FOUND',
    );
    expect(await code(bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: 999_999_999 }))).toBe(
      'SLOT_NOT_FOUND',
    );
    expect(
      await code(
        bookForPatient(t.ctx, registrar, {
          patientId: '00000000-0000-4000-8000-00000000ffff',
          slotId: clinic.slots[1].id,
        }),
      ),
    ).toBe('PATIENT_NOT_FOUND');
    const holder = await createPatient(t);
    await holdSlotRow(t.ctx, clinic.slots[2].id, {
      personId: holder.person.id,
      accountId: holder.account.id,
      heldUntil: new Date(t.ctx.now().getTime() + 600_000),
    });
    expect(await code(bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: clinic.slots[2].id }))).toBe(
      'SLOT_TAKEN',
    );
    expect(await code(bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: clinic.slots[0].id }))).toBe(
      'SLOT_TAKEN',
    );
    expect(
      await code(
        bookForPatient(t.ctx, registrar, { patientId: person.id, slotId: clinic.slots[3].id, source: 'infomat' }),
      ),
    ).toBe('SOURCE_NOT_ALLOWED');
    const mis: ChannelActor = {
      kind: 'api',
      organisationId: clinic.organisation.id,
      apiKeyId: MIS_KEY_ID,
      channel: 'mis',
    };
    expect(await code(bookForPatient(t.ctx, mis, { patientId: person.id, slotId: clinic.slots[3].id }))).toBe(
      'SOURCE_NOT_ALLOWED',
    );
    expect(await appointmentCount()).toBe(before);
    expect(
      await t.ctx.db
        .select()
        .from(persons)
        .where(and(eq(persons.accountId, REGISTER_ACCOUNT_ID), eq(persons.snils, person.snils))),
    ).toHaveLength(0);
  });

  it('keeps one real person in one place: a channel visit may not overlap their portal visit on the card-file row', async () => {
    const setup = await createBookableSetup(t.ctx);
    const actor = { ...registrar, organisationId: setup.organisation.id } as ChannelActor;
    const { account, person } = await createPatient(t);
    await createAppointmentRow(t.ctx, setup.slots[0], person.id, { source: 'portal', bookedByAccountId: account.id });
    const specialty = await createSpecialty(t.ctx);
    const colleague = await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: specialty.id });
    const [sameTime] = await createSlots(t.ctx, colleague.id, [
      new Date(setup.slots[0].startAt.getTime() + 10 * 60_000),
    ]);
    const before = await appointmentCount();
    expect(await code(bookForPatient(t.ctx, actor, { patientId: person.id, slotId: sameTime.id }))).toBe(
      'OVERLAPPING_APPOINTMENT',
    );
    expect(await appointmentCount()).toBe(before);
    const [later] = await createSlots(t.ctx, colleague.id, [setup.slots[1].startAt]);
    expect((await bookForPatient(t.ctx, actor, { patientId: person.id, slotId: later.id })).status).toBe('booked');
    const rows = await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, later.id));
    expect(rows[0].patientSnils).toBe(person.snils);
  });

  it('applies the per-specialty limit across the portal and the channels (same real person)', async () => {
    const setup = await createBookableSetup(t.ctx);
    const actor = { ...registrar, organisationId: setup.organisation.id } as ChannelActor;
    const { person } = await createPatient(t);
    await bookForPatient(t.ctx, actor, { patientId: person.id, slotId: setup.slots[0].id });
    expect(await code(bookForPatient(t.ctx, actor, { patientId: person.id, slotId: setup.slots[2].id }))).toBe(
      'SPECIALTY_LIMIT_REACHED',
    );
  });

  it('makes a clinic system’s push idempotent by its external id, and refuses the id with other data', async () => {
    const setup = await createBookableSetup(t.ctx);
    const actor = queueKey(setup.organisation.id);
    const { person } = await createPatient(t);
    const first = await bookForPatient(t.ctx, actor, {
      patientId: person.id,
      slotId: setup.slots[0].id,
      externalId: 'EQ-1001',
    });
    const again = await bookForPatient(t.ctx, actor, {
      patientId: person.id,
      slotId: setup.slots[0].id,
      externalId: 'EQ-1001',
    });
    expect(again.id).toBe(first.id);
    expect((await findByExternalId(t.ctx, actor, 'EQ-1001'))?.id).toBe(first.id);
    expect(await findByExternalId(t.ctx, queueKey(clinic.organisation.id), 'EQ-1001')).toBeNull();
    expect(
      await code(
        bookForPatient(t.ctx, actor, { patientId: person.id, slotId: setup.slots[1].id, externalId: 'EQ-1001' }),
      ),
    ).toBe('EXTERNAL_ID_CONFLICT');
  });
});

describe('cancelling and outcomes through a channel', () => {
  it('the registry cancels a portal booking: the booking account is told, the slot is free again', async () => {
    const setup = await createBookableSetup(t.ctx);
    const actor = { ...registrar, organisationId: setup.organisation.id } as ChannelActor;
    const { account, person } = await createPatient(t);
    const appt = await createAppointmentRow(t.ctx, setup.slots[0], person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });
    const cancelled = await cancelForPatient(t.ctx, actor, { appointmentId: appt.id, by: 'patient' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'patient', cancellable: false });
    const row = (await t.ctx.db.select().from(appointments).where(eq(appointments.id, appt.id)))[0];
    expect(row).toMatchObject({ status: 'cancelled', cancelledBy: 'patient', cancelledVia: 'registry' });
    expect((await t.ctx.db.select().from(slots).where(eq(slots.id, setup.slots[0].id)))[0].status).toBe('free');
    const notes = await queryRows<{ body: string }>(
      t.ctx.db,
      sql`select body from notifications where account_id = ${account.id}`,
    );
    expect(notes.some((n) => n.body.includes('регистратура'))).toBe(true);
    expect(await code(cancelForPatient(t.ctx, actor, { appointmentId: appt.id, by: 'patient' }))).toBe(
      'ALREADY_CANCELLED',
    );
  });

  it('refuses another organisation’s visit as not found, and writes nothing', async () => {
    const { person } = await createPatient(t);
    const appt = await createAppointmentRow(t.ctx, other.slots[1], person.id, { source: 'registry' });
    expect(await code(cancelForPatient(t.ctx, registrar, { appointmentId: appt.id, by: 'clinic' }))).toBe(
      'APPOINTMENT_NOT_FOUND',
    );
    expect(await code(setVisitOutcome(t.ctx, registrar, { appointmentId: appt.id, status: 'visited' }))).toBe(
      'APPOINTMENT_NOT_FOUND',
    );
    expect((await t.ctx.db.select().from(appointments).where(eq(appointments.id, appt.id)))[0].status).toBe('booked');
  });

  it('a kiosk cancels the identified patient’s own-channel visits only', async () => {
    const setup = await createBookableSetup(t.ctx);
    const k = kiosk(setup.organisation.id);
    const { account, person } = await createPatient(t);
    const stranger = await createPatient(t);
    const visit = await bookForPatient(t.ctx, k, { patientId: person.id, slotId: setup.slots[0].id });
    const portal = await createAppointmentRow(t.ctx, setup.slots[3], person.id, {
      source: 'portal',
      bookedByAccountId: account.id,
    });
    expect(
      await code(cancelForPatient(t.ctx, k, { appointmentId: visit.id, by: 'patient', patientId: stranger.person.id })),
    ).toBe('APPOINTMENT_NOT_FOUND');
    expect(await code(cancelForPatient(t.ctx, k, { appointmentId: visit.id, by: 'patient' }))).toBe(
      'APPOINTMENT_NOT_FOUND',
    );
    expect(
      await code(cancelForPatient(t.ctx, k, { appointmentId: portal.id, by: 'patient', patientId: person.id })),
    ).toBe('NOT_CANCELLABLE_AT_KIOSK');
    const visits = await patientVisits(t.ctx, person.id, k);
    expect(visits.map((v) => [v.id, v.cancellable])).toEqual(
      expect.arrayContaining([
        [visit.id, true],
        [portal.id, false],
      ]),
    );
    const done = await cancelForPatient(t.ctx, k, { appointmentId: visit.id, by: 'clinic', patientId: person.id });
    expect(done).toMatchObject({ status: 'cancelled', cancelledBy: 'patient' });
  });

  it('records visited and no-show only once the visit has begun; a doctor only for their own patients', async () => {
    const { person } = await createPatient(t);
    const setup = await createBookableSetup(t.ctx, { organisation: {} });
    const actor = { ...registrar, organisationId: setup.organisation.id } as ChannelActor;
    const visit = await bookForPatient(t.ctx, actor, { patientId: person.id, slotId: setup.slots[0].id });
    expect(await code(setVisitOutcome(t.ctx, actor, { appointmentId: visit.id, status: 'visited' }))).toBe(
      'VISIT_NOT_FINISHED',
    );
    t.clock.set(new Date(setup.slots[0].startAt.getTime() + 5 * 60_000));
    try {
      const otherDoctor = { ...doctorActor, organisationId: setup.organisation.id } as ChannelActor;
      expect(await code(setVisitOutcome(t.ctx, otherDoctor, { appointmentId: visit.id, status: 'visited' }))).toBe(
        'APPOINTMENT_NOT_FOUND',
      );
      expect(
        await code(
          setVisitOutcome(t.ctx, kiosk(setup.organisation.id), { appointmentId: visit.id, status: 'visited' }),
        ),
      ).toBe('FORBIDDEN');
      expect((await setVisitOutcome(t.ctx, actor, { appointmentId: visit.id, status: 'no_show' })).status).toBe(
        'no_show',
      );
      expect((await setVisitOutcome(t.ctx, actor, { appointmentId: visit.id, status: 'visited' })).status).toBe(
        'visited',
      );
    } finally {
      t.clock.set('2026-11-25T09:00:00Z');
    }
  });
});
