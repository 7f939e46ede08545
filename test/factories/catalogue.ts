// Test data for the catalogue and schedules, written straight to the database.
// All names, addresses and phone numbers are invented.
import { randomInt } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../src/server/context.js';
import {
  appointments,
  doctors,
  organisations,
  scheduleTemplates,
  slots,
  specialties,
} from '../../src/server/db/schema.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';

export type OrganisationRow = typeof organisations.$inferSelect;
export type SpecialtyRow = typeof specialties.$inferSelect;
export type DoctorRow = typeof doctors.$inferSelect;
export type SlotRow = typeof slots.$inferSelect;
export type ScheduleTemplateRow = typeof scheduleTemplates.$inferSelect;

let sequence = 0;
function nextSeq(): number {
  sequence += 1;
  return sequence;
}
const runTag = randomInt(100_000, 999_999);

export interface CreateOrganisationOptions {
  name?: string;
  shortName?: string;
  address?: string;
  phone?: string;
  timeZone?: string;
  waitlistAllowed?: boolean;
  cutoffOverride?: string | null;
}

export async function createOrganisation(
  ctx: AppContext,
  opts: CreateOrganisationOptions = {},
): Promise<OrganisationRow> {
  const n = nextSeq();
  const rows = await ctx.db
    .insert(organisations)
    .values({
      name: opts.name ?? `БУЗ УР "Тестовая поликлиника № ${n} МЗ УР"`,
      shortName: opts.shortName ?? `Тестовая поликлиника № ${n}`,
      address: opts.address ?? `г. Ижевск, ул. Тестовая, д. ${n}`,
      phone: opts.phone ?? '+7 3412 00-00-00',
      timeZone: opts.timeZone ?? 'Europe/Samara',
      waitlistAllowed: opts.waitlistAllowed ?? true,
      cutoffOverride: opts.cutoffOverride ?? null,
    })
    .returning();
  return rows[0];
}

export interface CreateSpecialtyOptions {
  name?: string;
  minAge?: number | null;
  maxAge?: number | null;
  sex?: 'M' | 'F' | null;
}

export async function createSpecialty(ctx: AppContext, opts: CreateSpecialtyOptions = {}): Promise<SpecialtyRow> {
  const rows = await ctx.db
    .insert(specialties)
    .values({
      name: opts.name ?? `специальность ${runTag}-${nextSeq()}`,
      minAge: opts.minAge ?? null,
      maxAge: opts.maxAge ?? null,
      sex: opts.sex ?? null,
    })
    .returning();
  return rows[0];
}

export interface CreateDoctorOptions {
  organisationId: number;
  specialtyId: number;
  lastName?: string;
  firstName?: string;
  middleName?: string | null;
  room?: string;
  active?: boolean;
}

export async function createDoctor(ctx: AppContext, opts: CreateDoctorOptions): Promise<DoctorRow> {
  const n = nextSeq();
  const rows = await ctx.db
    .insert(doctors)
    .values({
      organisationId: opts.organisationId,
      specialtyId: opts.specialtyId,
      lastName: opts.lastName ?? 'Петров',
      firstName: opts.firstName ?? 'Сергей',
      middleName: opts.middleName === undefined ? 'Иванович' : opts.middleName,
      room: opts.room ?? String(100 + (n % 300)),
      active: opts.active ?? true,
    })
    .returning();
  return rows[0];
}

/** Free slots of `minutes` length starting at the given instants. */
export async function createSlots(
  ctx: AppContext,
  doctorId: number,
  startsAt: Date[],
  minutes = 30,
): Promise<SlotRow[]> {
  if (startsAt.length === 0) return [];
  const rows = await ctx.db
    .insert(slots)
    .values(
      startsAt.map((startAt) => ({
        doctorId,
        startAt,
        endAt: new Date(startAt.getTime() + minutes * 60_000),
        status: 'free',
      })),
    )
    .returning();
  return rows.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
}

export interface CreateTemplateOptions {
  doctorId: number;
  weekday: number;
  startTime?: string;
  endTime?: string;
  slotMinutes?: number;
  breakStart?: string | null;
  breakEnd?: string | null;
  validFrom?: string;
  validUntil?: string | null;
}

export async function createTemplate(ctx: AppContext, opts: CreateTemplateOptions): Promise<ScheduleTemplateRow> {
  const rows = await ctx.db
    .insert(scheduleTemplates)
    .values({
      doctorId: opts.doctorId,
      weekday: opts.weekday,
      startTime: opts.startTime ?? '08:00',
      endTime: opts.endTime ?? '12:00',
      slotMinutes: opts.slotMinutes ?? 30,
      breakStart: opts.breakStart ?? null,
      breakEnd: opts.breakEnd ?? null,
      validFrom: opts.validFrom ?? '2020-01-01',
      validUntil: opts.validUntil ?? null,
    })
    .returning();
  return rows[0];
}

export interface BookableSetup {
  organisation: OrganisationRow;
  specialty: SpecialtyRow;
  doctor: DoctorRow;
  /** Free slots, ordered by start: 10:00 and 10:30 local on each of the next three local days. */
  slots: SlotRow[];
}

/**
 * An organisation (Europe/Samara), a specialty without restrictions, a doctor and six free
 * 30-minute slots: 10:00 and 10:30 local time on the 1st, 2nd and 3rd local day after
 * `ctx.now()` (all inside the default 14-day horizon).
 */
export async function createBookableSetup(
  ctx: AppContext,
  opts: { organisation?: CreateOrganisationOptions; specialty?: CreateSpecialtyOptions } = {},
): Promise<BookableSetup> {
  const organisation = await createOrganisation(ctx, opts.organisation);
  const specialty = await createSpecialty(ctx, opts.specialty);
  const doctor = await createDoctor(ctx, { organisationId: organisation.id, specialtyId: specialty.id });
  const today = localDateOf(ctx.now(), organisation.timeZone);
  const starts: Date[] = [];
  for (let day = 1; day <= 3; day++) {
    const date = addDays(today, day);
    starts.push(
      zonedToInstant(date, '10:00', organisation.timeZone),
      zonedToInstant(date, '10:30', organisation.timeZone),
    );
  }
  const created = await createSlots(ctx, doctor.id, starts, 30);
  return { organisation, specialty, doctor, slots: created };
}

export type AppointmentRow = typeof appointments.$inferSelect;

let referenceSeq = 0;

/**
 * Books a slot directly in the database (no rules applied): marks the slot booked and inserts
 * an active appointment. For portal bookings pass the booking account.
 */
export async function createAppointmentRow(
  ctx: AppContext,
  slot: Pick<SlotRow, 'id' | 'doctorId' | 'startAt' | 'endAt'>,
  personId: string,
  opts: {
    source?: 'portal' | 'electronic_queue' | 'doctor' | 'registry' | 'infomat';
    bookedByAccountId?: string | null;
    status?: 'booked' | 'cancelled' | 'visited' | 'no_show';
  } = {},
): Promise<AppointmentRow> {
  const status = opts.status ?? 'booked';
  referenceSeq += 1;
  return ctx.db.transaction(async (tx) => {
    if (status === 'booked') {
      await tx
        .update(slots)
        .set({ status: 'booked', holdPersonId: null, holdAccountId: null, heldUntil: null })
        .where(eq(slots.id, slot.id));
    }
    const rows = await tx
      .insert(appointments)
      .values({
        reference: `ПР-T${runTag}${String(referenceSeq).padStart(5, '0')}`,
        slotId: slot.id,
        personId,
        doctorId: slot.doctorId,
        startAt: slot.startAt,
        endAt: slot.endAt,
        status,
        source: opts.source ?? 'portal',
        bookedByAccountId: opts.bookedByAccountId ?? null,
        createdAt: ctx.now(),
        cancelledAt: status === 'cancelled' ? ctx.now() : null,
      })
      .returning();
    return rows[0];
  });
}

/** Puts a hold on a slot for a person of an account until `heldUntil`. */
export async function holdSlotRow(
  ctx: AppContext,
  slotId: number,
  hold: { personId: string; accountId: string | null; heldUntil: Date },
): Promise<void> {
  await ctx.db
    .update(slots)
    .set({ status: 'held', holdPersonId: hold.personId, holdAccountId: hold.accountId, heldUntil: hold.heldUntil })
    .where(eq(slots.id, slotId));
}

/** Marks slots blocked (the doctor is unavailable). */
export async function blockSlotRows(ctx: AppContext, slotIds: number[]): Promise<void> {
  if (slotIds.length === 0) return;
  await ctx.db.update(slots).set({ status: 'blocked' }).where(inArray(slots.id, slotIds));
}
