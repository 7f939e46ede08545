// The drizzle queries of holds, appointments and visits. Every function takes the database or
// an open transaction first. The clock is always passed in: no SQL now() decides a rule. The
// hand-written prepared statements of the booking's hot path are in fast/.
import { and, asc, desc, eq, gt, lte, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, appointments, doctors, organisations, persons, slots, specialties } from '../../db/schema.js';

/**
 * The slot's columns a booking reads (findSlotContext; the locking read in fast/statements.ts
 * returns the same): named one by one, so a column added to slots for another purpose does
 * not change what a booking reads.
 */
const slotColumns = {
  id: slots.id,
  doctorId: slots.doctorId,
  startAt: slots.startAt,
  endAt: slots.endAt,
  status: slots.status,
  holdPersonId: slots.holdPersonId,
  holdAccountId: slots.holdAccountId,
  heldUntil: slots.heldUntil,
  holdOfferId: slots.holdOfferId,
  channel: slots.channel,
  offTemplate: slots.offTemplate,
};

export type SlotRow = { [K in keyof typeof slotColumns]: (typeof slots.$inferSelect)[K] };

const doctorColumns = {
  id: doctors.id,
  lastName: doctors.lastName,
  firstName: doctors.firstName,
  middleName: doctors.middleName,
  room: doctors.room,
  active: doctors.active,
};
const specialtyColumns = {
  id: specialties.id,
  name: specialties.name,
  minAge: specialties.minAge,
  maxAge: specialties.maxAge,
  sex: specialties.sex,
  /** False: «по направлению», a patient books only with a referral (migration 0010, 0014). */
  selfBooking: specialties.selfBooking,
};
const organisationColumns = {
  id: organisations.id,
  name: organisations.name,
  address: organisations.address,
  phone: organisations.phone,
  timeZone: organisations.timeZone,
  cutoffOverride: organisations.cutoffOverride,
};

export interface SlotContext {
  slot: SlotRow;
  doctor: { id: number; lastName: string; firstName: string; middleName: string | null; room: string; active: boolean };
  specialty: {
    id: number;
    name: string;
    minAge: number | null;
    maxAge: number | null;
    sex: string | null;
    selfBooking: boolean;
  };
  organisation: {
    id: number;
    name: string;
    address: string;
    phone: string;
    timeZone: string;
    cutoffOverride: string | null;
  };
}

/** A slot with its doctor, specialty and organisation; `lock` takes the slot row FOR UPDATE (only it). */
export async function findSlotContext(db: Db, slotId: number, lock = false): Promise<SlotContext | null> {
  const query = db
    .select({
      slot: slotColumns,
      doctor: doctorColumns,
      specialty: specialtyColumns,
      organisation: organisationColumns,
    })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(eq(slots.id, slotId));
  const rows = lock ? await query.for('update', { of: slots }) : await query;
  return rows[0] ?? null;
}

/** Locks one of the account's people: serialises that person's bookings. Null if not the account's. */
export async function lockOwnedPerson(db: Db, accountId: string, personId: string) {
  const rows = await db
    .select()
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)))
    .for('update');
  return rows[0] ?? null;
}

/** Locks the account row (without blocking foreign-key checks): one hold change per account at a time. */
export async function lockAccount(db: Db, accountId: string): Promise<void> {
  await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for('no key update');
}

/** The person's booked appointments that have not ended by `now`, with their specialty. */
export async function activeAppointmentsOf(db: Db, personId: string, now: Date) {
  return db
    .select({ startAt: appointments.startAt, endAt: appointments.endAt, specialtyId: doctors.specialtyId })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(and(eq(appointments.personId, personId), eq(appointments.status, 'booked'), gt(appointments.endAt, now)));
}

/**
 * Holds the slot for this account and person, atomically: only if it is free, its hold has
 * expired, or this account already holds it. Returns false when another hold or booking won.
 */
export async function holdSlot(
  db: Db,
  h: { slotId: number; accountId: string; personId: string; now: Date; heldUntil: Date },
): Promise<boolean> {
  const rows = await db
    .update(slots)
    .set({ status: 'held', holdPersonId: h.personId, holdAccountId: h.accountId, heldUntil: h.heldUntil })
    .where(
      and(
        eq(slots.id, h.slotId),
        or(
          eq(slots.status, 'free'),
          and(eq(slots.status, 'held'), or(lte(slots.heldUntil, h.now), eq(slots.holdAccountId, h.accountId))),
        ),
      ),
    )
    .returning({ id: slots.id });
  return rows.length === 1;
}

const cleared = { status: 'free', holdPersonId: null, holdAccountId: null, heldUntil: null } as const;

/**
 * Releases the account's other live holds (one hold per account). Expired holds already
 * count as free and are left alone, so two accounts' holds never wait on each other.
 */
export async function releaseOtherLiveHolds(db: Db, accountId: string, keepSlotId: number, now: Date): Promise<void> {
  await db
    .update(slots)
    .set(cleared)
    .where(
      and(
        eq(slots.status, 'held'),
        eq(slots.holdAccountId, accountId),
        ne(slots.id, keepSlotId),
        gt(slots.heldUntil, now),
      ),
    );
}

/** Releases this account's hold on the slot (live or lapsed); false when it holds no such slot. */
export async function releaseHoldOf(db: Db, accountId: string, slotId: number): Promise<boolean> {
  const released = await db
    .update(slots)
    .set(cleared)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'held'), eq(slots.holdAccountId, accountId)))
    .returning({ id: slots.id });
  return released.length > 0;
}

/** A booked slot whose appointment was cancelled becomes free again. */
export async function freeBookedSlot(db: Db, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set(cleared)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'booked')));
}

export async function markCancelled(db: Db, appointmentId: string, accountId: string, now: Date): Promise<void> {
  await db
    .update(appointments)
    .set({ status: 'cancelled', cancelledAt: now, cancelledByAccountId: accountId })
    .where(eq(appointments.id, appointmentId));
}

/** «Не смогу прийти» (SPEC 8a): the visit stays booked, marked that the patient warned the clinic. */
export async function markReleased(db: Db, appointmentId: string, now: Date): Promise<void> {
  await db.update(appointments).set({ releasedAt: now }).where(eq(appointments.id, appointmentId));
}

/** A released visit whose time someone from the waitlist took: cancelled by the patient, on the portal, as released. */
export async function markReleasedTaken(db: Db, appointmentId: string, accountId: string, now: Date): Promise<void> {
  await db
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelledAt: now,
      cancelledBy: 'patient',
      cancelledVia: 'portal',
      cancelledByAccountId: accountId,
      cancelReason: 'released',
      statusChangedAt: now,
    })
    .where(eq(appointments.id, appointmentId));
}

// ---------- appointments as visits ----------

const visitColumns = {
  id: appointments.id,
  reference: appointments.reference,
  slotId: appointments.slotId,
  startAt: appointments.startAt,
  endAt: appointments.endAt,
  status: appointments.status,
  source: appointments.source,
  bookedByAccountId: appointments.bookedByAccountId,
  cancelledBy: appointments.cancelledBy,
  cancelReason: appointments.cancelReason,
  releasedAt: appointments.releasedAt,
  person: {
    id: persons.id,
    accountId: persons.accountId,
    isMain: persons.isMain,
    lastName: persons.lastName,
    firstName: persons.firstName,
    middleName: persons.middleName,
    birthDate: persons.birthDate,
    snils: persons.snils,
    policy: persons.policy,
  },
  doctor: doctorColumns,
  specialty: { id: specialties.id, name: specialties.name },
  organisation: organisationColumns,
};

function visitQuery(db: Db, where: SQL | undefined) {
  return db
    .select(visitColumns)
    .from(appointments)
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(where);
}

export type VisitRow = NonNullable<Awaited<ReturnType<typeof findVisit>>>;

/** One appointment with everything a visit shows; `lock` takes the appointment row FOR UPDATE. */
export async function findVisit(db: Db, appointmentId: string, lock = false) {
  const query = visitQuery(db, eq(appointments.id, appointmentId));
  const rows = lock ? await query.for('update', { of: appointments }) : await query;
  return rows[0] ?? null;
}

/**
 * Appointments of the account's people in one query, plus - when `linked` is given (a
 * ЕСИА session of a confirmed account holder: the holder's СНИЛС and полис) - the holder's
 * visits made through other channels and recorded against another card file's row of the
 * same real person (the clinic register's).
 * Newest first; the visibility rule is applied by the caller.
 */
export async function listVisitsForAccount(
  db: Db,
  accountId: string,
  linked: { snils: string; policy: string } | null,
) {
  const own = eq(persons.accountId, accountId);
  const where = linked ? or(own, and(eq(persons.snils, linked.snils), ne(appointments.source, 'portal'))) : own;
  return visitQuery(db, where).orderBy(desc(appointments.startAt), asc(appointments.id));
}

/**
 * Visits of one real person — every card-file row with this СНИЛС (never matched by полис alone), every source —
 * at one organisation, newest first (staff views of the registry desk, the doctor, the kiosk).
 */
export async function listVisitsOfRealPerson(
  db: Db,
  who: { snils: string; policy: string },
  organisationId: number,
  limit = 100,
) {
  return visitQuery(db, and(eq(persons.snils, who.snils), eq(doctors.organisationId, organisationId)))
    .orderBy(desc(appointments.startAt), asc(appointments.id))
    .limit(limit);
}

export interface ActiveAppointment {
  id: string;
  startAt: Date;
  endAt: Date;
  specialtyId: number;
}

/** The ids of the person's booked appointments that have not ended by `now` (for writeBooking's check). */
export async function activeAppointmentIdsOf(db: Db, personId: string, now: Date): Promise<ActiveAppointment[]> {
  return db
    .select({
      id: appointments.id,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      specialtyId: doctors.specialtyId,
    })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(and(eq(appointments.personId, personId), eq(appointments.status, 'booked'), gt(appointments.endAt, now)));
}
