// Booking a slot (SPEC section 3), and the one booking write every path uses: the portal's own
// booking (alone, pipelined or grouped: fast/), the waitlist's and a doctor's absence's
// confirmations (bookHeldForOffer) and the clinic's channels (writeAppointment). Each books in
// one transaction that locks the person (serialises one person's bookings, so the
// per-specialty limit holds under concurrency), locks the slot, re-checks every rule and
// writes. The database has the last word: a unique index keeps one active appointment per
// slot, exclusion constraints keep a doctor's and a real person's visits apart; one conflict
// policy (withBookingConflicts) answers their refusals for every path.
import { randomInt, randomUUID } from 'node:crypto';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { EXCLUSION_VIOLATION, pgError, UNIQUE_VIOLATION } from '../../db/errors.js';
import type { Db } from '../../db/index.js';
import { canPipeline } from '../../db/pipelined.js';
import { AppError } from '../../errors.js';
import { assertBookable, type PersonRow } from '../identity/persons.service.js';
import { renderEventRecord } from '../notify/notify.service.js';
import { getRegionSettings, regionSettingsAtVersion, type RegionSettingsValues } from '../region/settings.service.js';
import { bookingMadeEvent } from './booking.emails.js';
import {
  appointmentOfSlot,
  chosenReferral,
  newVisitRow,
  readsReferrals,
  refusalFor,
  type SlotForPerson,
  visitFacts,
} from './booking.facts.js';
import { referralCandidates } from '../referrals/referrals.service.js';
import {
  activeAppointmentIdsOf,
  activeAppointmentsOf,
  findSlotContext,
  lockOwnedPerson,
  type SlotContext,
  type VisitRow,
} from './booking.repository.js';
import { makeReference, nearestFreeTimes } from './booking.rules.js';
import { bookPipelinedOrGrouped } from './fast/group.js';
import { bookingInFlight, oneAtATimePerSlot } from './fast/in-flight.js';
import { bookingPaths, lockedOrRefused, planBooking } from './fast/plan.js';
import { freeTimesAround } from './fast/reads.js';
import { type AppointmentWrite, lockForBooking, NOT_BY_A_CLINIC, writeBooking } from './fast/statements.js';
import type { Actor } from './appointments.service.js';

export { appointmentOfSlot, bookingPaths, visitFacts, type SlotForPerson };
export type { AppointmentSource, AppointmentWrite } from './fast/statements.js';
// What other modules read and change of appointments and slots, through this service: the
// visits module cancels (markCancelled) and releases a cancelled visit's slot (freeBookedSlot).
export {
  findSlotContext,
  findVisit,
  freeBookedSlot,
  listVisitsOfRealPerson,
  markCancelled,
  type SlotContext,
  type VisitRow,
} from './booking.repository.js';

/**
 * Every booking rule for this person and slot, against the current data: the person's
 * verification status, the slot's time and state, the specialty's restrictions and, for a
 * patient's own booking that needs one, the referral; the person's own calendar. Throws the
 * first refusal. `mode` decides how a hold counts. Returns the referral the booking uses
 * (null: none needed); for 'book' the person's referrals are locked, in the caller's transaction.
 */
export async function assertCanBook(
  db: Db,
  input: SlotForPerson,
  person: PersonRow,
  slot: SlotContext,
  settings: RegionSettingsValues,
  now: Date,
  mode: 'hold' | 'book',
  bookedBy: 'patient' | 'clinic' = 'patient',
): Promise<string | null> {
  assertBookable(person);
  const active = await activeAppointmentsOf(db, person.id, now);
  const referrals = readsReferrals(slot, bookedBy)
    ? await referralCandidates(db, person.snils, slot.specialty.id, mode === 'book')
    : [];
  const refusal = refusalFor(input, person, slot, settings, active, now, mode, bookedBy, referrals);
  if (refusal) throw new AppError(refusal);
  return chosenReferral(slot, bookedBy, referrals);
}

/** How many times a booking transaction is tried when the reference it drew (or `retryOn`) was taken. */
const BOOKING_ATTEMPTS = 3;

/**
 * The conflict policy of every booking: runs `transaction` (a whole booking transaction)
 * again when the database refused the reference it drew (one in 36^8: drawn again) or one of
 * `retryOn` (e.g. a clinic system's id pushed twice at once: the next attempt finds the first),
 * and answers the database's own refusals with the catalogue's codes: a second active
 * appointment of the slot is SLOT_TAKEN, overlapping visits of a doctor or of a real person
 * OVERLAPPING_APPOINTMENT. Anything else goes on as it is.
 */
export async function withBookingConflicts<T>(
  transaction: () => Promise<T>,
  retryOn: readonly string[] = [],
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      const pg = pgError(err);
      if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'appointments_one_active_per_slot')
        throw new AppError('SLOT_TAKEN');
      if (pg?.code === EXCLUSION_VIOLATION) throw new AppError('OVERLAPPING_APPOINTMENT');
      // The referral was used by another booking of the same real person a moment before.
      if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'appointments_one_per_referral')
        throw new AppError('REFERRAL_USED');
      const retried =
        pg?.code === UNIQUE_VIOLATION &&
        (pg.constraint === 'appointments_reference_unique' || (pg.constraint && retryOn.includes(pg.constraint)));
      if (retried && attempt < BOOKING_ATTEMPTS) continue;
      throw err;
    }
  }
}

/**
 * The one booking write (fast/statements.ts booking_write), inside the caller's transaction,
 * which has locked the person and the slot and checked every rule: the appointment, its slot
 * marked booked and, with an `event`, the account's notification, in one statement. The
 * portal's own bookings write through the same statement (or, in a group, its batch form).
 */
export async function writeAppointment(tx: Db, write: AppointmentWrite): Promise<void> {
  if (!(await writeBooking(tx, write))) throw new Error("booking: the person's appointments changed under the lock");
}

/** A new appointment's reference, e.g. «ПР-7K3M92QD». */
export function drawReference(): string {
  return makeReference((n) => randomInt(n));
}

/**
 * POST /api/appointments: books the slot for one of the account's people; 201 body. One
 * booking of a slot at a time in this process (fast/in-flight.ts), the conflict policy
 * around one transaction, and a SLOT_TAKEN answer naming the doctor's nearest free times.
 */
export async function bookAppointment(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<AppointmentDetail> {
  return namingFreeTimes(ctx, input.slotId, () =>
    oneAtATimePerSlot(ctx.db, input.slotId, () => withBookingConflicts(() => bookOnce(ctx, actor, input))),
  );
}

/** How many free times a SLOT_TAKEN answer names at most. */
const FREE_TIMES_NAMED = 10;

/**
 * Runs `work`, a booking or a hold of `slotId`. When the slot turns out taken, the refusal
 * names the doctor's free times nearest to it (`details.freeSlots`: id and start, read after
 * the refusal, at most FREE_TIMES_NAMED, without those a booking in this process is taking
 * right now): what the schedule shows a patient after a refused time, without a second
 * request. An empty list says nothing of this doctor's is left to try (the waitlist is).
 */
export async function namingFreeTimes<T>(ctx: AppContext, slotId: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'SLOT_TAKEN' || err.details) throw err;
    const now = ctx.now();
    // The list is a courtesy: if it cannot be read, the refusal goes out without it.
    const around = await freeTimesAround(ctx.db, slotId, now).catch(() => null);
    if (!around) throw err;
    const free = nearestFreeTimes(
      { id: slotId, startAt: around.startAt },
      around.free,
      now,
      around.timeZone,
      around.horizonDays,
      (id) => bookingInFlight(ctx.db, id),
      FREE_TIMES_NAMED,
    );
    throw new AppError('SLOT_TAKEN', { freeSlots: free.map((f) => ({ id: f.id, startAt: f.startAt.toISOString() })) });
  }
}

const WRITE_ATTEMPTS = 5;

/**
 * One portal booking transaction in two statements (both prepared): the locking read (person
 * lock, slot lock, slot context, settings version, the person's active appointments) and the
 * write, which writes only if the person's active appointments are still those the rules were
 * checked against; otherwise they are read again under the lock and the rules re-checked.
 * The region settings come from the process's cache when it holds the version read under the
 * lock. On PostgreSQL the same transaction is tried pipelined first, alone or in a group
 * (fast/group.ts); this ordinary one books when that one cannot.
 */
async function bookOnce(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<AppointmentDetail> {
  if (canPipeline(ctx.db)) {
    const booked = await bookPipelinedOrGrouped(ctx, { actor, input });
    if (booked) return booked;
  }
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const locked = lockedOrRefused(
      await lockForBooking(tx, { accountId: actor.accountId, personId: input.personId, slotId: input.slotId, now }),
    );
    const settings = await regionSettingsAtVersion(ctx.db, tx, locked.settingsVersion);
    // A specialty «по направлению» or a time kept for referrals: the person's referrals, locked.
    const referrals = readsReferrals(locked.slot, 'patient')
      ? await referralCandidates(tx, locked.person.snils, locked.slot.specialty.id, true)
      : undefined;
    const plan = planBooking(ctx, actor, input, locked, settings, now, referrals);
    let active = plan.active;
    for (let attempt = 1; ; attempt++) {
      plan.check(active);
      if (await writeBooking(tx, plan.write(active))) break;
      // The person's appointments changed while this transaction waited for the person's lock.
      if (attempt >= WRITE_ATTEMPTS) throw new Error("booking: the person's appointments kept changing");
      active = await activeAppointmentIdsOf(tx, plan.personId, now);
    }
    bookingPaths.ordinary += 1;
    return plan.detail();
  });
}

export interface OfferBooking {
  row: VisitRow;
  person: PersonRow;
  slot: SlotContext;
  settings: RegionSettingsValues;
}

/**
 * Books the slot held for an offer that its person accepts (a waitlist offer, a doctor's
 * absence's move), inside the caller's transaction, which has locked the offer: a portal
 * appointment booked by the offer's account, who is told («Вы записаны»). Locks the person,
 * then the slot (the same order as a booking); the slot must still be held for this offer;
 * every booking rule is re-checked, with the offer's hold counting as this person's own. The
 * caller runs its transaction under withBookingConflicts.
 */
export async function bookHeldForOffer(
  ctx: AppContext,
  tx: Db,
  input: { offerId: string; slotId: number; personId: string; accountId: string },
  now: Date,
): Promise<OfferBooking> {
  const person = await lockOwnedPerson(tx, input.accountId, input.personId);
  if (!person) throw new AppError('PERSON_NOT_FOUND');
  const slot = await findSlotContext(tx, input.slotId, true);
  if (!slot) throw new AppError('SLOT_NOT_FOUND');
  if (slot.slot.status !== 'held' || slot.slot.holdOfferId !== input.offerId) throw new AppError('SLOT_TAKEN');
  const settings = await getRegionSettings(tx);
  const asOwn: SlotContext = {
    ...slot,
    slot: { ...slot.slot, status: 'free', holdAccountId: null, holdPersonId: null, heldUntil: null },
  };
  const referralId = await assertCanBook(
    tx,
    { slotId: input.slotId, personId: person.id, accountId: input.accountId },
    person,
    asOwn,
    settings,
    now,
    'book',
  );

  const appointmentId = randomUUID();
  const reference = drawReference();
  const facts = visitFacts({ appointmentId, reference, startAt: slot.slot.startAt }, person, slot, settings.cutoffTime);
  await writeAppointment(tx, {
    appointmentId,
    reference,
    ...appointmentOfSlot(slot, person.id),
    source: 'portal',
    bookedByAccountId: input.accountId,
    ...NOT_BY_A_CLINIC,
    createdAt: now,
    seenActiveIds: null,
    event: renderEventRecord({ publicUrl: ctx.config.publicUrl }, bookingMadeEvent(input.accountId, facts)),
    referralId,
  });
  return { row: newVisitRow(appointmentId, reference, slot, person, input.accountId), person, slot, settings };
}
