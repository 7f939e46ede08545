// SQL for doctors' absences and the visits they affected (tables doctor_absences and
// absence_visits, migration 0008), plus the few slot writes the absence makes itself:
// blocking the closed time and holding a move offer's new time. Every function takes the
// database or an open transaction first; the clock is passed in.
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import {
  absenceVisits,
  accounts,
  appointments,
  doctorAbsences,
  doctors,
  organisations,
  persons,
  slots,
  specialties,
  waitlistOffers,
} from '../../db/schema.js';
import { alias } from 'drizzle-orm/pg-core';

export type AbsenceRow = typeof doctorAbsences.$inferSelect;
export type AbsenceVisitRow = typeof absenceVisits.$inferSelect;

export interface DoctorOfAbsence {
  id: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  room: string;
  active: boolean;
  organisationId: number;
  specialtyId: number;
  specialty: string;
  timeZone: string;
}

const doctorOfAbsenceColumns = {
  id: doctors.id,
  lastName: doctors.lastName,
  firstName: doctors.firstName,
  middleName: doctors.middleName,
  room: doctors.room,
  active: doctors.active,
  organisationId: doctors.organisationId,
  specialtyId: doctors.specialtyId,
  specialty: specialties.name,
  timeZone: organisations.timeZone,
};

/**
 * The doctor with specialty and zone. `lock`: FOR NO KEY UPDATE of the doctor's row, which
 * serialises closing and reopening one doctor's days without blocking bookings (their
 * foreign-key checks take KEY SHARE, which this lock lets through).
 */
export async function findDoctorOfAbsence(db: Db, doctorId: number, lock = false): Promise<DoctorOfAbsence | null> {
  const q = db
    .select(doctorOfAbsenceColumns)
    .from(doctors)
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(eq(doctors.id, doctorId));
  const rows = lock ? await q.for('no key update', { of: doctors }) : await q;
  return rows[0] ?? null;
}

export async function insertAbsence(
  db: Db,
  a: {
    doctorId: number;
    organisationId: number;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    comment: string | null;
    createdBy: string;
    createdAt: Date;
  },
): Promise<AbsenceRow> {
  const rows = await db.insert(doctorAbsences).values(a).returning();
  return rows[0];
}

export async function findAbsence(db: Db, absenceId: number, lock = false): Promise<AbsenceRow | null> {
  const q = db.select().from(doctorAbsences).where(eq(doctorAbsences.id, absenceId));
  const rows = lock ? await q.for('update') : await q;
  return rows[0] ?? null;
}

export async function setKeptBlocked(db: Db, absenceId: number, slotIds: number[]): Promise<void> {
  await db.update(doctorAbsences).set({ keptBlockedSlotIds: slotIds }).where(eq(doctorAbsences.id, absenceId));
}

export async function markAbsenceCancelled(db: Db, absenceId: number, by: string, now: Date): Promise<void> {
  await db.update(doctorAbsences).set({ cancelledAt: now, cancelledBy: by }).where(eq(doctorAbsences.id, absenceId));
}

/** The organisation's absences that are active or ended at most `sinceDays` ago, newest start first. */
export async function listAbsences(db: Db, organisationId: number, endedAfter: Date) {
  return db
    .select({
      absence: doctorAbsences,
      doctor: doctorOfAbsenceColumns,
      open: sql<number>`(select count(*)::int from ${absenceVisits} v where v.absence_id = ${doctorAbsences.id} and v.state in ('open','offered'))`,
    })
    .from(doctorAbsences)
    .innerJoin(doctors, eq(doctors.id, doctorAbsences.doctorId))
    .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
    .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
    .where(and(eq(doctorAbsences.organisationId, organisationId), gt(doctorAbsences.endsAt, endedAfter)))
    .orderBy(desc(doctorAbsences.startsAt), desc(doctorAbsences.id))
    .limit(200);
}

/** A doctor's active absences ending after `now` (the public notice on the schedule). */
export async function activeAbsencesOf(db: Db, doctorId: number, now: Date): Promise<AbsenceRow[]> {
  return db
    .select()
    .from(doctorAbsences)
    .where(
      and(eq(doctorAbsences.doctorId, doctorId), isNull(doctorAbsences.cancelledAt), gt(doctorAbsences.endsAt, now)),
    )
    .orderBy(asc(doctorAbsences.startsAt));
}

// ---------- the closed time's slots ----------

const inRange = (doctorId: number, startsAt: Date, endsAt: Date) =>
  and(eq(slots.doctorId, doctorId), lt(slots.startAt, endsAt), gt(slots.endAt, startsAt));

/** Slots in the range held for some offer (a waitlist offer or a move offer): no lock, the caller locks in the offers' order. */
export async function offerHeldSlotIds(db: Db, doctorId: number, startsAt: Date, endsAt: Date): Promise<number[]> {
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .where(and(inRange(doctorId, startsAt, endsAt), eq(slots.status, 'held'), isNotNull(slots.holdOfferId)))
    .orderBy(asc(slots.id));
  return rows.map((r) => r.id);
}

/** Booked slots in the range whose released visit's time is offered to the waitlist (SPEC 8a): no lock, as above. */
export async function releaseOfferSlotIds(db: Db, doctorId: number, startsAt: Date, endsAt: Date): Promise<number[]> {
  const rows = await db
    .select({ id: slots.id })
    .from(slots)
    .innerJoin(waitlistOffers, eq(waitlistOffers.slotId, slots.id))
    .where(
      and(
        inRange(doctorId, startsAt, endsAt),
        eq(waitlistOffers.status, 'pending'),
        isNotNull(waitlistOffers.releasedAppointmentId),
      ),
    )
    .orderBy(asc(slots.id));
  return rows.map((r) => r.id);
}

/** Locks every slot of the range, in id order (the one order every writer of many slots uses). */
export async function lockSlotsInRange(db: Db, doctorId: number, startsAt: Date, endsAt: Date) {
  return db
    .select({ id: slots.id, status: slots.status, holdOfferId: slots.holdOfferId })
    .from(slots)
    .where(inRange(doctorId, startsAt, endsAt))
    .orderBy(asc(slots.id))
    .for('update');
}

/** Blocks the given slots that are free or held for a booking (not those booked or held for an offer). */
export async function blockSlots(db: Db, slotIds: number[]): Promise<number> {
  if (slotIds.length === 0) return 0;
  const rows = await db
    .update(slots)
    .set({ status: 'blocked', holdPersonId: null, holdAccountId: null, heldUntil: null, holdOfferId: null })
    .where(
      and(
        inArray(slots.id, slotIds),
        or(eq(slots.status, 'free'), and(eq(slots.status, 'held'), isNull(slots.holdOfferId))),
      ),
    )
    .returning({ id: slots.id });
  return rows.length;
}

/** Reopening: blocked slots of the range not listed as kept, starting after `now`, become free. Returns their ids. */
export async function unblockRange(
  db: Db,
  doctorId: number,
  startsAt: Date,
  endsAt: Date,
  kept: number[],
  now: Date,
): Promise<number[]> {
  const keep =
    kept.length > 0
      ? sql`not (${slots.id} = any(${sql.raw(`'{${kept.map(Number).join(',')}}'::bigint[]`)}))`
      : sql`true`;
  const rows = await db
    .update(slots)
    .set({ status: 'free' })
    .where(and(inRange(doctorId, startsAt, endsAt), eq(slots.status, 'blocked'), gt(slots.startAt, now), keep))
    .returning({ id: slots.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Holds a free slot for a move offer until the deadline (hold_offer_id = the offer). */
export async function holdSlotForMove(
  db: Db,
  slotId: number,
  personId: string,
  accountId: string,
  offerId: string,
  until: Date,
): Promise<boolean> {
  const rows = await db
    .update(slots)
    .set({ status: 'held', holdPersonId: personId, holdAccountId: accountId, heldUntil: until, holdOfferId: offerId })
    .where(
      and(
        eq(slots.id, slotId),
        or(
          eq(slots.status, 'free'),
          and(eq(slots.status, 'held'), isNull(slots.holdOfferId), lte(slots.heldUntil, until)),
        ),
      ),
    )
    .returning({ id: slots.id });
  return rows.length === 1;
}

/** A move offer's hold ends unanswered: the slot is free again (the caller offers it to the waitlist). */
export async function releaseMoveHold(db: Db, slotId: number, offerId: string): Promise<void> {
  await db
    .update(slots)
    .set({ status: 'free', holdPersonId: null, holdAccountId: null, heldUntil: null, holdOfferId: null })
    .where(and(eq(slots.id, slotId), eq(slots.status, 'held'), eq(slots.holdOfferId, offerId)));
}

/** After the move was confirmed (the slot is booked): forget the offer's hold. */
export async function clearMoveHold(db: Db, slotId: number, offerId: string): Promise<void> {
  await db
    .update(slots)
    .set({ holdOfferId: null })
    .where(and(eq(slots.id, slotId), eq(slots.holdOfferId, offerId)));
}

/** The chosen doctors' free times from `after` on (for "all at once"), soonest first. */
export async function freeTimesOf(db: Db, doctorIds: number[], after: Date, until: Date) {
  if (doctorIds.length === 0) return [];
  return db
    .select({ slotId: slots.id, doctorId: slots.doctorId, startAt: slots.startAt, endAt: slots.endAt })
    .from(slots)
    .where(
      and(
        inArray(slots.doctorId, doctorIds),
        eq(slots.status, 'free'),
        gt(slots.startAt, after),
        lt(slots.startAt, until),
      ),
    )
    .orderBy(asc(slots.startAt), asc(slots.id))
    .limit(2000);
}

// ---------- the affected visits ----------

/** Records the booked visits of the range that have not started as affected (idempotent). Returns how many are recorded now. */
export async function recordAffectedVisits(
  db: Db,
  absenceId: number,
  doctorId: number,
  startsAt: Date,
  endsAt: Date,
  now: Date,
): Promise<number> {
  const rows = await db
    .insert(absenceVisits)
    .select(
      db
        .select({
          absenceId: sql<number>`${absenceId}::bigint`.as('absence_id'),
          appointmentId: appointments.id,
          state: sql<string>`'open'`.as('state'),
          offerId: sql<string | null>`null::uuid`.as('offer_id'),
          offerSlotId: sql<number | null>`null::bigint`.as('offer_slot_id'),
          offerDeadline: sql<Date | null>`null::timestamptz`.as('offer_deadline'),
          newAppointmentId: sql<string | null>`null::uuid`.as('new_appointment_id'),
          decidedBy: sql<string | null>`null::uuid`.as('decided_by'),
          decidedAt: sql<Date | null>`null::timestamptz`.as('decided_at'),
          answeredAt: sql<Date | null>`null::timestamptz`.as('answered_at'),
          outcome: sql<string | null>`null::text`.as('outcome'),
        })
        .from(appointments)
        .where(
          and(
            eq(appointments.doctorId, doctorId),
            eq(appointments.status, 'booked'),
            gt(appointments.startAt, now),
            lt(appointments.startAt, endsAt),
            gt(appointments.endAt, startsAt),
          ),
        ),
    )
    .onConflictDoNothing()
    .returning({ id: absenceVisits.appointmentId });
  return rows.length;
}

/** Locks one affected visit of the absence. */
export async function lockAbsenceVisit(
  db: Db,
  absenceId: number,
  appointmentId: string,
): Promise<AbsenceVisitRow | null> {
  const rows = await db
    .select()
    .from(absenceVisits)
    .where(and(eq(absenceVisits.absenceId, absenceId), eq(absenceVisits.appointmentId, appointmentId)))
    .for('update');
  return rows[0] ?? null;
}

/** Locks the affected visit whose pending move offer holds this slot, if any. */
export async function lockOfferedVisitOfSlot(db: Db, slotId: number): Promise<AbsenceVisitRow | null> {
  const rows = await db
    .select()
    .from(absenceVisits)
    .where(and(eq(absenceVisits.offerSlotId, slotId), eq(absenceVisits.state, 'offered')))
    .for('update');
  return rows[0] ?? null;
}

/** Locks the affected visit answering a move offer. */
export async function lockVisitByOffer(db: Db, offerId: string): Promise<AbsenceVisitRow | null> {
  const rows = await db.select().from(absenceVisits).where(eq(absenceVisits.offerId, offerId)).for('update');
  return rows[0] ?? null;
}

/** The next move offer past its deadline, claimed (SKIP LOCKED: several workers never take the same one). */
export async function claimDueMove(db: Db, now: Date): Promise<AbsenceVisitRow | null> {
  const rows = await db
    .select()
    .from(absenceVisits)
    .where(and(eq(absenceVisits.state, 'offered'), lte(absenceVisits.offerDeadline, now)))
    .orderBy(asc(absenceVisits.offerDeadline))
    .limit(1)
    .for('update', { skipLocked: true });
  return rows[0] ?? null;
}

/** Undecided visits of the absence, in order of time (for "all at once"). */
export async function openVisitIds(db: Db, absenceId: number): Promise<{ appointmentId: string; startAt: Date }[]> {
  return db
    .select({ appointmentId: absenceVisits.appointmentId, startAt: appointments.startAt })
    .from(absenceVisits)
    .innerJoin(appointments, eq(appointments.id, absenceVisits.appointmentId))
    .where(and(eq(absenceVisits.absenceId, absenceId), eq(absenceVisits.state, 'open')))
    .orderBy(asc(appointments.startAt), asc(appointments.id));
}

export async function updateAbsenceVisit(
  db: Db,
  key: { absenceId: number; appointmentId: string },
  set: Partial<
    Pick<
      AbsenceVisitRow,
      | 'state'
      | 'offerId'
      | 'offerSlotId'
      | 'offerDeadline'
      | 'newAppointmentId'
      | 'decidedBy'
      | 'decidedAt'
      | 'answeredAt'
      | 'outcome'
    >
  >,
): Promise<void> {
  await db
    .update(absenceVisits)
    .set(set)
    .where(and(eq(absenceVisits.absenceId, key.absenceId), eq(absenceVisits.appointmentId, key.appointmentId)));
}

const newAppointment = alias(appointments, 'new_appointment');
const newDoctor = alias(doctors, 'new_doctor');
const offerSlot = alias(slots, 'offer_slot');
const offerDoctor = alias(doctors, 'offer_doctor');

/** The affected visits with the patient's name and contact (staff pages only), in order of time. */
export async function selectAbsenceVisits(db: Db, absenceId: number) {
  return db
    .select({
      v: absenceVisits,
      appointment: {
        id: appointments.id,
        reference: appointments.reference,
        startAt: appointments.startAt,
        source: appointments.source,
        status: appointments.status,
        bookedByAccountId: appointments.bookedByAccountId,
      },
      person: {
        lastName: persons.lastName,
        firstName: persons.firstName,
        middleName: persons.middleName,
        phone: persons.phone,
      },
      accountEmail: accounts.email,
      newVisit: { startAt: newAppointment.startAt },
      newDoctor: {
        lastName: newDoctor.lastName,
        firstName: newDoctor.firstName,
        middleName: newDoctor.middleName,
        room: newDoctor.room,
      },
      offerSlot: { startAt: offerSlot.startAt },
      offerDoctor: {
        lastName: offerDoctor.lastName,
        firstName: offerDoctor.firstName,
        middleName: offerDoctor.middleName,
        room: offerDoctor.room,
      },
    })
    .from(absenceVisits)
    .innerJoin(appointments, eq(appointments.id, absenceVisits.appointmentId))
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .leftJoin(accounts, and(eq(accounts.id, appointments.bookedByAccountId), eq(appointments.source, 'portal')))
    .leftJoin(newAppointment, eq(newAppointment.id, absenceVisits.newAppointmentId))
    .leftJoin(newDoctor, eq(newDoctor.id, newAppointment.doctorId))
    .leftJoin(offerSlot, eq(offerSlot.id, absenceVisits.offerSlotId))
    .leftJoin(offerDoctor, eq(offerDoctor.id, offerSlot.doctorId))
    .where(eq(absenceVisits.absenceId, absenceId))
    .orderBy(asc(appointments.startAt), asc(appointments.id));
}

/** A move offer as its account sees it; null for an unknown offer or someone else's. */
export async function selectMoveView(db: Db, accountId: string, offerId: string) {
  return (await selectMoveViews(db, accountId, { offerId }))[0] ?? null;
}

/** The account's move offers: one by id, or every pending one (soonest deadline first). */
export async function selectMoveViews(db: Db, accountId: string, which: { offerId: string } | 'pending') {
  const oldDoctor = alias(doctors, 'old_doctor');
  const rows = await db
    .select({
      v: absenceVisits,
      oldStartAt: appointments.startAt,
      oldDoctor: {
        lastName: oldDoctor.lastName,
        firstName: oldDoctor.firstName,
        middleName: oldDoctor.middleName,
        specialtyId: oldDoctor.specialtyId,
      },
      person: { lastName: persons.lastName, firstName: persons.firstName, middleName: persons.middleName },
      organisation: {
        id: organisations.id,
        name: organisations.name,
        address: organisations.address,
        phone: organisations.phone,
        timeZone: organisations.timeZone,
      },
      specialty: { id: specialties.id, name: specialties.name },
      offerSlot: { startAt: offerSlot.startAt },
      offerDoctor: {
        lastName: offerDoctor.lastName,
        firstName: offerDoctor.firstName,
        middleName: offerDoctor.middleName,
        room: offerDoctor.room,
      },
    })
    .from(absenceVisits)
    .innerJoin(appointments, eq(appointments.id, absenceVisits.appointmentId))
    .innerJoin(oldDoctor, eq(oldDoctor.id, appointments.doctorId))
    .innerJoin(specialties, eq(specialties.id, oldDoctor.specialtyId))
    .innerJoin(organisations, eq(organisations.id, oldDoctor.organisationId))
    .innerJoin(persons, eq(persons.id, appointments.personId))
    .innerJoin(offerSlot, eq(offerSlot.id, absenceVisits.offerSlotId))
    .innerJoin(offerDoctor, eq(offerDoctor.id, offerSlot.doctorId))
    .where(
      and(
        which === 'pending' ? eq(absenceVisits.state, 'offered') : eq(absenceVisits.offerId, which.offerId),
        eq(appointments.bookedByAccountId, accountId),
        eq(appointments.source, 'portal'),
      ),
    )
    .orderBy(asc(absenceVisits.offerDeadline));
  return rows;
}

/** Visits of the absence that are still undecided (reopening refuses while any is offered). */
export async function countOffered(db: Db, absenceId: number): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(absenceVisits)
    .where(and(eq(absenceVisits.absenceId, absenceId), eq(absenceVisits.state, 'offered')));
  return rows[0]?.n ?? 0;
}
