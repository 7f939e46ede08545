// SQL for waitlist entries and offers, and for the slot holds that offers place (see the
// convention in booking/hold.service.ts: an offer's hold has hold_account_id NULL and
// hold_offer_id set, and lasts until the slot's start, so the lazy "an expired hold is free"
// logic never frees it; the offer's own deadline decides). Every function takes the database
// or an open transaction first; the clock is always passed in.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../../db/index.js';
import {
  appointments,
  doctors,
  notifications,
  organisations,
  persons,
  regionSettings,
  slots,
  specialties,
  waitlistEntries,
  waitlistOffers,
} from '../../db/schema.js';

export type EntryRow = typeof waitlistEntries.$inferSelect;
export type OfferRow = typeof waitlistOffers.$inferSelect;

const ACTIVE = ['waiting', 'offered'] as const;

// ---------- entries ----------

export interface NewEntry {
  personId: string;
  accountId: string;
  organisationId: number;
  specialtyId: number;
  doctorId: number | null;
  createdAt: Date;
}

export async function insertEntry(db: Db, e: NewEntry): Promise<EntryRow> {
  const rows = await db
    .insert(waitlistEntries)
    .values({ ...e, status: 'waiting', offersMade: 0 })
    .returning();
  return rows[0];
}

/** Whether the person has an active entry for this doctor (doctorId set) or for the specialty in the organisation. */
export async function hasActiveEntry(
  db: Db,
  personId: string,
  target: { organisationId: number; specialtyId: number; doctorId: number | null },
): Promise<boolean> {
  const rows = await db
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.personId, personId),
        inArray(waitlistEntries.status, [...ACTIVE]),
        target.doctorId !== null
          ? eq(waitlistEntries.doctorId, target.doctorId)
          : and(
              isNull(waitlistEntries.doctorId),
              eq(waitlistEntries.organisationId, target.organisationId),
              eq(waitlistEntries.specialtyId, target.specialtyId),
            ),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Locks an entry of the account (FOR UPDATE); null when it is not the account's. */
export async function lockOwnedEntry(db: Db, accountId: string, entryId: string): Promise<EntryRow | null> {
  const rows = await db
    .select()
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.accountId, accountId)))
    .for('update');
  return rows[0] ?? null;
}

/** Locks an entry (FOR UPDATE); null when unknown. */
export async function lockEntry(db: Db, entryId: string): Promise<EntryRow | null> {
  const rows = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, entryId)).for('update');
  return rows[0] ?? null;
}

/**
 * Locks a waiting entry unless another transaction holds it (SKIP LOCKED): matching never
 * waits for an entry that someone is answering or leaving right now. Null otherwise.
 */
export async function lockWaitingEntry(db: Db, entryId: string): Promise<EntryRow | null> {
  const rows = await db
    .select()
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.status, 'waiting')))
    .for('update', { skipLocked: true });
  return rows[0] ?? null;
}

export async function markEntryOffered(db: Db, entryId: string): Promise<number> {
  const rows = await db
    .update(waitlistEntries)
    .set({ status: 'offered', offersMade: sql`${waitlistEntries.offersMade} + 1` })
    .where(eq(waitlistEntries.id, entryId))
    .returning({ offersMade: waitlistEntries.offersMade });
  return rows[0].offersMade;
}

/** A withdrawn offer (its time was closed, a doctor's absence) does not count against the entry's offers. */
export async function returnEntryUncounted(db: Db, entryId: string): Promise<void> {
  await db
    .update(waitlistEntries)
    .set({ status: 'waiting', offersMade: sql`greatest(${waitlistEntries.offersMade} - 1, 0)` })
    .where(eq(waitlistEntries.id, entryId));
}

/** The pending offer holding a slot, if any (no lock: the caller locks the entry, then the offer). */
export async function pendingOfferOfSlot(db: Db, slotId: number): Promise<{ id: string; entryId: string } | null> {
  const rows = await db
    .select({ id: waitlistOffers.id, entryId: waitlistOffers.entryId })
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.slotId, slotId), eq(waitlistOffers.status, 'pending')));
  return rows[0] ?? null;
}

/** The pending release offer of a slot (SPEC 8a) with the entry's person; null when there is none. */
export async function pendingReleaseOfferOfSlot(
  db: Db,
  slotId: number,
): Promise<{ id: string; entryId: string; personId: string; deadline: Date } | null> {
  const rows = await db
    .select({
      id: waitlistOffers.id,
      entryId: waitlistOffers.entryId,
      personId: waitlistEntries.personId,
      deadline: waitlistOffers.deadline,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .where(
      and(
        eq(waitlistOffers.slotId, slotId),
        eq(waitlistOffers.status, 'pending'),
        isNotNull(waitlistOffers.releasedAppointmentId),
      ),
    );
  return rows[0] ?? null;
}

/** The booked visit of a slot if its patient released it (SPEC 8a), and whether an offer of the slot is pending. */
export async function releasedVisitOfSlot(
  db: Db,
  slotId: number,
): Promise<{ id: string; offerPending: boolean } | null> {
  const rows = await db
    .select({
      id: appointments.id,
      offerPending: sql<boolean>`exists (select 1 from ${waitlistOffers} where ${waitlistOffers.slotId} = ${slotId} and ${waitlistOffers.status} = 'pending')`,
    })
    .from(appointments)
    .where(and(eq(appointments.slotId, slotId), eq(appointments.status, 'booked'), isNotNull(appointments.releasedAt)));
  return rows[0] ?? null;
}

/** Back to the line at the original place: created_at is never touched. */
export async function returnEntryToWaiting(db: Db, entryId: string): Promise<void> {
  await db.update(waitlistEntries).set({ status: 'waiting' }).where(eq(waitlistEntries.id, entryId));
}

export async function endEntry(
  db: Db,
  entryId: string,
  status: 'fulfilled' | 'left' | 'removed',
  endReason: string,
  now: Date,
): Promise<void> {
  await db.update(waitlistEntries).set({ status, endReason, endedAt: now }).where(eq(waitlistEntries.id, entryId));
}

/** The person's waiting entries (for matching after the person's commitments shrank). */
export async function waitingEntryIdsOf(db: Db, personId: string): Promise<string[]> {
  const rows = await db
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.personId, personId), eq(waitlistEntries.status, 'waiting')));
  return rows.map((r) => r.id);
}

// ---------- offers ----------

export async function insertOffer(
  db: Db,
  o: { entryId: string; slotId: number; deadline: Date; createdAt: Date; releasedAppointmentId?: string | null },
): Promise<OfferRow> {
  const rows = await db
    .insert(waitlistOffers)
    .values({ ...o, status: 'pending' })
    .returning();
  return rows[0];
}

/** An offer with its entry's account, no lock (to find which entry to lock first). */
export async function findOfferOwner(db: Db, offerId: string): Promise<{ entryId: string; accountId: string } | null> {
  const rows = await db
    .select({ entryId: waitlistOffers.entryId, accountId: waitlistEntries.accountId })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .where(eq(waitlistOffers.id, offerId));
  return rows[0] ?? null;
}

export async function lockOffer(db: Db, offerId: string): Promise<OfferRow | null> {
  const rows = await db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offerId)).for('update');
  return rows[0] ?? null;
}

export async function lockPendingOfferOfEntry(db: Db, entryId: string): Promise<OfferRow | null> {
  const rows = await db
    .select()
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.entryId, entryId), eq(waitlistOffers.status, 'pending')))
    .for('update');
  return rows[0] ?? null;
}

export async function closeOffer(
  db: Db,
  offerId: string,
  status: 'accepted' | 'declined' | 'expired' | 'withdrawn',
  respondedAt: Date | null,
): Promise<void> {
  await db.update(waitlistOffers).set({ status, respondedAt }).where(eq(waitlistOffers.id, offerId));
}

// ---------- the line lock ----------

export interface Line {
  organisationId: number;
  specialtyId: number;
}

/**
 * Serialises matching decisions for one line (a specialty in an organisation: entries to
 * its doctors and to the specialty compete for the same slots) across transactions and
 * processes: a transaction-scoped advisory lock in the two-integer key space (organisation
 * id, specialty id), used only here. Re-entrant within a transaction. With `wait` false
 * it only tries, and says whether it got the lock.
 */
export async function lockLine(db: Db, line: Line, wait: boolean): Promise<boolean> {
  if (wait) {
    await db.execute(sql`select pg_advisory_xact_lock(${line.organisationId}::int, ${line.specialtyId}::int)`);
    return true;
  }
  const rows = await queryRows<{ ok: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(${line.organisationId}::int, ${line.specialtyId}::int) as ok`,
  );
  return rows[0]?.ok === true;
}

/** The line a slot belongs to (its doctor's organisation and specialty); null for an unknown slot. */
export async function slotLine(db: Db, slotId: number): Promise<Line | null> {
  const rows = await db
    .select({ organisationId: doctors.organisationId, specialtyId: doctors.specialtyId })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(eq(slots.id, slotId));
  return rows[0] ?? null;
}

// ---------- slots held for offers ----------

export interface OfferSlotContext {
  slot: typeof slots.$inferSelect;
  doctor: {
    id: number;
    organisationId: number;
    specialtyId: number;
    active: boolean;
    lastName: string;
    firstName: string;
    middleName: string | null;
    room: string;
  };
  specialty: {
    id: number;
    name: string;
    minAge: number | null;
    maxAge: number | null;
    sex: string | null;
    /** False: «по направлению», offered only to a person with a referral that serves the visit. */
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

/**
 * A slot with its doctor, specialty and organisation, the slot row locked FOR UPDATE
 * SKIP LOCKED: null when unknown or when another transaction is deciding about it right now
 * (that one then decides). A row this transaction already locked is returned.
 */
export async function lockSlotForMatching(db: Db, slotId: number): Promise<OfferSlotContext | null> {
  const rows = await db
    .select({
      slot: slots,
      doctor: {
        id: doctors.id,
        organisationId: doctors.organisationId,
        specialtyId: doctors.specialtyId,
        active: doctors.active,
        lastName: doctors.lastName,
        firstName: doctors.firstName,
        middleName: doctors.middleName,
        room: doctors.room,
      },
      specialty: {
        id: specialties.id,
        name: specialties.name,
        minAge: specialties.minAge,
        maxAge: specialties.maxAge,
        sex: specialties.sex,
        selfBooking: specialties.selfBooking,
      },
      organisation: {
        id: organisations.id,
        name: organisations.name,
        address: organisations.address,
        phone: organisations.phone,
        timeZone: organisations.timeZone,
        cutoffOverride: organisations.cutoffOverride,
      },
    })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(eq(slots.id, slotId))
    .for('update', { of: slots, skipLocked: true });
  return rows[0] ?? null;
}

/** Locks the slot an offer holds (FOR UPDATE, waiting: the offer's owner decides about it). */
export async function lockSlot(db: Db, slotId: number): Promise<void> {
  await db.select({ id: slots.id }).from(slots).where(eq(slots.id, slotId)).for('update');
}

/** Holds the slot for the offer until the slot's start; no account holds it. */
export async function holdSlotForOffer(
  db: Db,
  slotId: number,
  personId: string,
  offerId: string,
  until: Date,
): Promise<void> {
  await db
    .update(slots)
    .set({ status: 'held', holdPersonId: personId, holdAccountId: null, heldUntil: until, holdOfferId: offerId })
    .where(eq(slots.id, slotId));
}

const freed = { status: 'free', holdPersonId: null, holdAccountId: null, heldUntil: null, holdOfferId: null } as const;

/** Releases the offer's hold; a no-op when the slot is not held for this offer. */
export async function releaseOfferHold(db: Db, slotId: number, offerId: string): Promise<void> {
  await db
    .update(slots)
    .set(freed)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'held'), eq(slots.holdOfferId, offerId)));
}

/** After the appointment was made from the offer (status booked): forget the offer's hold. */
export async function clearOfferHold(db: Db, slotId: number, offerId: string): Promise<void> {
  await db
    .update(slots)
    .set({ holdOfferId: null })
    .where(and(eq(slots.id, slotId), eq(slots.holdOfferId, offerId)));
}

/** A booking hold that lapsed becomes plainly free (nobody on the waitlist took it). */
export async function freeLapsedHold(db: Db, slotId: number, now: Date): Promise<void> {
  await db
    .update(slots)
    .set(freed)
    .where(and(eq(slots.id, slotId), eq(slots.status, 'held'), isNull(slots.holdOfferId), lte(slots.heldUntil, now)));
}

// ---------- matching ----------

export interface CandidateRow {
  id: string;
  accountId: string;
  createdAt: Date;
  offersMade: number;
  hadThisSlot: boolean;
  person: {
    id: string;
    status: string;
    birthDate: string;
    sex: string;
    /** For the referrals of a specialty «по направлению» (they belong to the real person). */
    snils: string;
    lastName: string;
    firstName: string;
    middleName: string | null;
  };
}

/** Waiting entries for this doctor's time (the doctor, or the specialty in the organisation), oldest first. */
export async function selectCandidates(
  db: Db,
  slotId: number,
  doctor: { id: number; organisationId: number; specialtyId: number },
): Promise<CandidateRow[]> {
  return db
    .select({
      id: waitlistEntries.id,
      accountId: waitlistEntries.accountId,
      createdAt: waitlistEntries.createdAt,
      offersMade: waitlistEntries.offersMade,
      hadThisSlot: sql<boolean>`exists (select 1 from ${waitlistOffers} where ${waitlistOffers.entryId} = ${waitlistEntries.id} and ${waitlistOffers.slotId} = ${slotId})`,
      person: {
        id: persons.id,
        status: persons.status,
        birthDate: persons.birthDate,
        sex: persons.sex,
        snils: persons.snils,
        lastName: persons.lastName,
        firstName: persons.firstName,
        middleName: persons.middleName,
      },
    })
    .from(waitlistEntries)
    .innerJoin(persons, eq(persons.id, waitlistEntries.personId))
    .where(
      and(
        eq(waitlistEntries.status, 'waiting'),
        eq(waitlistEntries.organisationId, doctor.organisationId),
        eq(waitlistEntries.specialtyId, doctor.specialtyId),
        or(isNull(waitlistEntries.doctorId), eq(waitlistEntries.doctorId, doctor.id)),
      ),
    )
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
}

/** The person's booked appointments to the specialty that have not started by `now`. */
export async function countFutureBooked(db: Db, personId: string, specialtyId: number, now: Date): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(
      and(
        eq(appointments.personId, personId),
        eq(appointments.status, 'booked'),
        eq(doctors.specialtyId, specialtyId),
        gt(appointments.startAt, now),
      ),
    );
  return Number(rows[0]?.n ?? 0);
}

export interface CommitmentRow {
  personId: string;
  startAt: Date;
  endAt: Date;
  specialtyId: number;
}

/**
 * What the people have already committed to: booked visits that have not ended by `now`, and
 * the slots of their pending offers.
 */
export async function selectCommitments(db: Db, personIds: string[], now: Date): Promise<CommitmentRow[]> {
  if (personIds.length === 0) return [];
  const booked = await db
    .select({
      personId: appointments.personId,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      specialtyId: doctors.specialtyId,
    })
    .from(appointments)
    .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
    .where(
      and(inArray(appointments.personId, personIds), eq(appointments.status, 'booked'), gt(appointments.endAt, now)),
    );
  const offered = await db
    .select({
      personId: waitlistEntries.personId,
      startAt: slots.startAt,
      endAt: slots.endAt,
      specialtyId: doctors.specialtyId,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(slots, eq(slots.id, waitlistOffers.slotId))
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(and(inArray(waitlistEntries.personId, personIds), eq(waitlistOffers.status, 'pending')));
  return [...booked, ...offered];
}

/**
 * Slots free to take now (free, or a booking hold that lapsed) that start after `now` and
 * within `horizonDays + 1` days (a superset of the booking window; the rules decide exactly),
 * of active doctors, for which a waiting entry (of `entryIds`, when given) matches and has
 * not had that slot before. Soonest first.
 */
export async function selectFreeSlotsForWaiting(
  db: Db,
  now: Date,
  horizonDays: number,
  entryIds: string[] | null,
  limit: number,
): Promise<number[]> {
  if (entryIds !== null && entryIds.length === 0) return [];
  const until = new Date(now.getTime() + (horizonDays + 1) * 86_400_000);
  const entryFilter = entryIds === null ? sql`true` : sql`w.id = any(${sql.param(entryIds)}::uuid[])`;
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(
      and(
        or(
          eq(slots.status, 'free'),
          and(eq(slots.status, 'held'), isNull(slots.holdOfferId), lte(slots.heldUntil, now)),
        ),
        eq(slots.channel, 'portal'),
        gt(slots.startAt, now),
        lt(slots.startAt, until),
        eq(doctors.active, true),
        // Only doctors someone waits for (lets the planner start from the few waiting entries).
        sql`${slots.doctorId} in (
          select d.id from ${doctors} d
            join ${waitlistEntries} w
              on w.organisation_id = d.organisation_id and w.specialty_id = d.specialty_id
             and (w.doctor_id is null or w.doctor_id = d.id)
           where w.status = 'waiting' and ${entryFilter}
        )`,
        sql`exists (
          select 1 from ${waitlistEntries} w
           where w.status = 'waiting'
             and ${entryFilter}
             and w.organisation_id = ${doctors.organisationId}
             and w.specialty_id = ${doctors.specialtyId}
             and (w.doctor_id is null or w.doctor_id = ${slots.doctorId})
             and not exists (select 1 from ${waitlistOffers} o where o.entry_id = w.id and o.slot_id = ${slots.id})
        )`,
      ),
    )
    .orderBy(asc(slots.startAt), asc(slots.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

// ---------- the worker's claims ----------

/**
 * Claims one pending offer whose deadline has passed: its entry is locked FOR UPDATE SKIP
 * LOCKED (entries are always locked before their offers), so two workers never take the same.
 */
export async function claimDueOffer(db: Db, now: Date): Promise<{ entryId: string; offerId: string } | null> {
  const rows = await db
    .select({ entryId: waitlistEntries.id, offerId: waitlistOffers.id })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .where(and(eq(waitlistOffers.status, 'pending'), lte(waitlistOffers.deadline, now)))
    .orderBy(asc(waitlistOffers.deadline), asc(waitlistOffers.id))
    .limit(1)
    .for('update', { of: waitlistEntries, skipLocked: true });
  return rows[0] ?? null;
}

/** Pending offers with at most `withinMs` left whose reminder was not recorded yet. */
export async function selectOffersToRemind(db: Db, now: Date, withinMs: number, limit: number) {
  const until = new Date(now.getTime() + withinMs);
  return db
    .select({ id: waitlistOffers.id, createdAt: waitlistOffers.createdAt, deadline: waitlistOffers.deadline })
    .from(waitlistOffers)
    .where(
      and(
        eq(waitlistOffers.status, 'pending'),
        gt(waitlistOffers.deadline, now),
        lte(waitlistOffers.deadline, until),
        sql`not exists (select 1 from ${notifications} where ${notifications.dedupKey} = 'offer_expiring:' || ${waitlistOffers.id}::text)`,
      ),
    )
    .orderBy(asc(waitlistOffers.deadline))
    .limit(limit);
}

/** Claims one lapsed booking hold (not an offer's) FOR UPDATE SKIP LOCKED. */
export async function claimLapsedHold(db: Db, now: Date): Promise<number | null> {
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .where(and(eq(slots.status, 'held'), isNull(slots.holdOfferId), lte(slots.heldUntil, now)))
    .orderBy(asc(slots.heldUntil), asc(slots.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return rows[0]?.id ?? null;
}

// ---------- views ----------

const offerDoctor = alias(doctors, 'offer_doctor');
const entryDoctor = alias(doctors, 'entry_doctor');
const offerSlot = alias(slots, 'offer_slot');

const viewColumns = {
  entry: {
    id: waitlistEntries.id,
    personId: waitlistEntries.personId,
    doctorId: waitlistEntries.doctorId,
    status: waitlistEntries.status,
    offersMade: waitlistEntries.offersMade,
    createdAt: waitlistEntries.createdAt,
  },
  person: { id: persons.id, lastName: persons.lastName, firstName: persons.firstName, middleName: persons.middleName },
  specialty: { id: specialties.id, name: specialties.name },
  organisation: {
    id: organisations.id,
    name: organisations.name,
    address: organisations.address,
    phone: organisations.phone,
    timeZone: organisations.timeZone,
  },
  maxOffers: regionSettings.maxOffers,
};

const offerColumns = {
  id: waitlistOffers.id,
  status: waitlistOffers.status,
  slotId: waitlistOffers.slotId,
  deadline: waitlistOffers.deadline,
  startAt: offerSlot.startAt,
  endAt: offerSlot.endAt,
};
const offerDoctorColumns = {
  id: offerDoctor.id,
  lastName: offerDoctor.lastName,
  firstName: offerDoctor.firstName,
  middleName: offerDoctor.middleName,
  room: offerDoctor.room,
};

/**
 * 1 + the active entries ahead of this one that compete for every slot it can get: for an
 * entry to a doctor, earlier entries to that doctor and to the doctor's specialty in the
 * organisation; for an entry to a specialty, earlier entries to that specialty.
 */
const placeColumn = sql<number>`(
  select count(*)::int + 1 from ${waitlistEntries} w
   where w.status in ('waiting', 'offered')
     and w.organisation_id = ${waitlistEntries.organisationId}
     and w.specialty_id = ${waitlistEntries.specialtyId}
     and (w.doctor_id is null or w.doctor_id = ${waitlistEntries.doctorId})
     and (w.created_at, w.id) < (${waitlistEntries.createdAt}, ${waitlistEntries.id})
)`;

/**
 * Active entries of the account (all, or one), each with its doctor, specialty,
 * organisation, place in the line and pending offer: one query.
 */
export async function selectEntryViews(db: Db, accountId: string, entryId?: string) {
  return db
    .select({
      ...viewColumns,
      entryDoctor: {
        id: entryDoctor.id,
        lastName: entryDoctor.lastName,
        firstName: entryDoctor.firstName,
        middleName: entryDoctor.middleName,
      },
      place: placeColumn,
      offer: offerColumns,
      offerDoctor: offerDoctorColumns,
    })
    .from(waitlistEntries)
    .innerJoin(persons, eq(persons.id, waitlistEntries.personId))
    .innerJoin(specialties, eq(specialties.id, waitlistEntries.specialtyId))
    .innerJoin(organisations, eq(organisations.id, waitlistEntries.organisationId))
    .innerJoin(regionSettings, eq(regionSettings.id, 1))
    .leftJoin(entryDoctor, eq(entryDoctor.id, waitlistEntries.doctorId))
    .leftJoin(waitlistOffers, and(eq(waitlistOffers.entryId, waitlistEntries.id), eq(waitlistOffers.status, 'pending')))
    .leftJoin(offerSlot, eq(offerSlot.id, waitlistOffers.slotId))
    .leftJoin(offerDoctor, eq(offerDoctor.id, offerSlot.doctorId))
    .where(
      and(
        eq(waitlistEntries.accountId, accountId),
        inArray(waitlistEntries.status, [...ACTIVE]),
        entryId === undefined ? undefined : eq(waitlistEntries.id, entryId),
      ),
    )
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
}

export type EntryViewRow = Awaited<ReturnType<typeof selectEntryViews>>[number];

/** One offer of the account (any status) with everything its page shows; null otherwise. */
export async function selectOfferView(db: Db, accountId: string, offerId: string) {
  const rows = await db
    .select({ ...viewColumns, offer: offerColumns, offerDoctor: offerDoctorColumns })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(persons, eq(persons.id, waitlistEntries.personId))
    .innerJoin(specialties, eq(specialties.id, waitlistEntries.specialtyId))
    .innerJoin(organisations, eq(organisations.id, waitlistEntries.organisationId))
    .innerJoin(regionSettings, eq(regionSettings.id, 1))
    .innerJoin(offerSlot, eq(offerSlot.id, waitlistOffers.slotId))
    .innerJoin(offerDoctor, eq(offerDoctor.id, offerSlot.doctorId))
    .where(and(eq(waitlistOffers.id, offerId), eq(waitlistEntries.accountId, accountId)));
  return rows[0] ?? null;
}

export type OfferViewRow = NonNullable<Awaited<ReturnType<typeof selectOfferView>>>;

/** An offer with everything the notifications about it say (no account check: internal). */
export async function selectOfferFacts(db: Db, offerId: string) {
  const rows = await db
    .select({
      ...viewColumns,
      accountId: waitlistEntries.accountId,
      offer: { ...offerColumns, createdAt: waitlistOffers.createdAt },
      offerDoctor: offerDoctorColumns,
      cutoffOverride: organisations.cutoffOverride,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(persons, eq(persons.id, waitlistEntries.personId))
    .innerJoin(specialties, eq(specialties.id, waitlistEntries.specialtyId))
    .innerJoin(organisations, eq(organisations.id, waitlistEntries.organisationId))
    .innerJoin(regionSettings, eq(regionSettings.id, 1))
    .innerJoin(offerSlot, eq(offerSlot.id, waitlistOffers.slotId))
    .innerJoin(offerDoctor, eq(offerDoctor.id, offerSlot.doctorId))
    .where(eq(waitlistOffers.id, offerId));
  return rows[0] ?? null;
}
