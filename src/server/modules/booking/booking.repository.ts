// SQL for holds, appointments and visits. Every function takes the database or an open
// transaction first. The clock is always passed in: no SQL now() decides a rule.
import { and, asc, desc, eq, gt, lte, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, appointments, doctors, organisations, persons, slots, specialties } from '../../db/schema.js';

export type SlotRow = typeof slots.$inferSelect;

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
  specialty: { id: number; name: string; minAge: number | null; maxAge: number | null; sex: string | null };
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
    .select({ slot: slots, doctor: doctorColumns, specialty: specialtyColumns, organisation: organisationColumns })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(eq(slots.id, slotId));
  const rows = lock ? await query.for('update', { of: slots }) : await query;
  return rows[0] ?? null;
}

/** The slot's booking state without a lock (a cheap first look; the transaction re-checks). */
export async function peekSlotState(db: Db, slotId: number) {
  const rows = await db
    .select({
      status: slots.status,
      heldUntil: slots.heldUntil,
      holdAccountId: slots.holdAccountId,
      holdPersonId: slots.holdPersonId,
    })
    .from(slots)
    .where(eq(slots.id, slotId));
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
      and(eq(slots.status, 'held'), eq(slots.holdAccountId, accountId), ne(slots.id, keepSlotId), gt(slots.heldUntil, now)),
    );
}

/** Releases this account's hold on the slot; does nothing otherwise. */
export async function releaseHoldOf(db: Db, accountId: string, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set(cleared)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'held'), eq(slots.holdAccountId, accountId)));
}

export async function markSlotBooked(db: Db, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set({ status: 'booked', holdPersonId: null, holdAccountId: null, heldUntil: null })
    .where(eq(slots.id, slotId));
}

/** A booked slot whose appointment was cancelled becomes free again. */
export async function freeBookedSlot(db: Db, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set(cleared)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'booked')));
}

export interface NewAppointment {
  reference: string;
  slotId: number;
  personId: string;
  doctorId: number;
  startAt: Date;
  endAt: Date;
  bookedByAccountId: string;
  createdAt: Date;
}

export async function insertPortalAppointment(db: Db, a: NewAppointment): Promise<string> {
  const rows = await db
    .insert(appointments)
    .values({ ...a, status: 'booked', source: 'portal' })
    .returning({ id: appointments.id });
  return rows[0].id;
}

export async function markCancelled(db: Db, appointmentId: string, accountId: string, now: Date): Promise<void> {
  await db
    .update(appointments)
    .set({ status: 'cancelled', cancelledAt: now, cancelledByAccountId: accountId })
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
export async function listVisitsForAccount(db: Db, accountId: string, linked: { snils: string; policy: string } | null) {
  const own = eq(persons.accountId, accountId);
  const where = linked
    ? or(own, and(or(eq(persons.snils, linked.snils), eq(persons.policy, linked.policy)), ne(appointments.source, 'portal')))
    : own;
  return visitQuery(db, where).orderBy(desc(appointments.startAt), asc(appointments.id));
}

/**
 * Visits of one real person — every card-file row with this СНИЛС or полис, every source —
 * at one organisation, newest first (staff views of the registry desk, the doctor, the kiosk).
 */
export async function listVisitsOfRealPerson(db: Db, who: { snils: string; policy: string }, organisationId: number, limit = 100) {
  return visitQuery(
    db,
    and(or(eq(persons.snils, who.snils), eq(persons.policy, who.policy)), eq(doctors.organisationId, organisationId)),
  )
    .orderBy(desc(appointments.startAt), asc(appointments.id))
    .limit(limit);
}
