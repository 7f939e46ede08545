// Booking a slot for one of the account's people (SPEC section 3). One transaction:
// lock the person (serialises one person's bookings, so the per-specialty limit holds
// under concurrency), lock the slot, re-check every rule, insert, mark the slot booked,
// notify the account. The database has the last word: a unique index keeps one active
// appointment per slot, an exclusion constraint keeps one person's visits apart.
import { randomInt } from 'node:crypto';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { EXCLUSION_VIOLATION, pgError, UNIQUE_VIOLATION } from '../../db/errors.js';
import { canPipeline } from '../../db/pipelined.js';
import { AppError } from '../../errors.js';
import { assertBookable, type PersonRow } from '../identity/persons.service.js';
import { getRegionSettings, regionSettingsAtVersion, type RegionSettingsValues } from '../operator/settings.service.js';
import { bookPipelinedOrGrouped } from './booking.group.js';
import {
  appointmentOfSlot,
  bookingPaths,
  lockedOrRefused,
  newVisitRow,
  planBooking,
  refusalFor,
  type SlotForPerson,
} from './booking.plan.js';
import { makeReference, nearestFreeTimes } from './booking.rules.js';
import {
  activeAppointmentIdsOf,
  activeAppointmentsOf,
  findSlotContext,
  freeTimesAround,
  insertPortalAppointment,
  lockForBooking,
  lockOwnedPerson,
  markSlotBooked,
  peekSlotState,
  type SlotContext,
  type VisitRow,
  writeBooking,
} from './booking.repository.js';
import type { Actor } from './visits.service.js';

export { appointmentOfSlot, bookingPaths, visitFacts, type SlotForPerson } from './booking.plan.js';

/**
 * Every booking rule for this person and slot, against the current data: the person's
 * verification status, the slot's time and state, the specialty's restrictions, the
 * person's own calendar. Throws the first refusal. `mode` decides how a hold counts.
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
): Promise<void> {
  assertBookable(person);
  const active = await activeAppointmentsOf(db, person.id, now);
  const refusal = refusalFor(input, person, slot, settings, active, now, mode, bookedBy);
  if (refusal) throw new AppError(refusal);
}

const REFERENCE_ATTEMPTS = 3;

/**
 * Books the slot for one of the account's people; 201 body of POST /api/appointments. A
 * refusal SLOT_TAKEN names the doctor's nearest free times (namingFreeTimes).
 */
export async function bookAppointment(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<AppointmentDetail> {
  return namingFreeTimes(ctx, input.slotId, () => book(ctx, actor, input));
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
    const busy = bookingsInFlight(ctx.db);
    const free = nearestFreeTimes(
      { id: slotId, startAt: around.startAt },
      around.free,
      now,
      around.timeZone,
      around.horizonDays,
      (id) => busy.has(id),
      FREE_TIMES_NAMED,
    );
    throw new AppError('SLOT_TAKEN', { freeSlots: free.map((f) => ({ id: f.id, startAt: f.startAt.toISOString() })) });
  }
}

async function book(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<AppointmentDetail> {
  const contested = contestedSlots(ctx.db);
  if (contested.has(input.slotId)) {
    // Someone has booked, or tried to book, this slot lately (a rush): an unlocked, batched
    // look at it first answers most of the losers without a transaction.
    const peek = await peekSlotState(ctx.db, input.slotId);
    if (peek && (peek.status === 'booked' || peek.status === 'blocked')) {
      throw new AppError(peek.status === 'booked' ? 'SLOT_TAKEN' : 'SLOT_BLOCKED');
    }
  }
  // Attempts on a slot that this process is booking right now wait for that booking in memory
  // (not on the row lock, holding a pooled connection): when it succeeds they hear SLOT_TAKEN,
  // which their own transaction would answer too; when it fails they go on.
  const inFlight = bookingsInFlight(ctx.db);
  for (let running = inFlight.get(input.slotId); running; running = inFlight.get(input.slotId)) {
    if (await running) throw new AppError('SLOT_TAKEN');
    if (inFlight.get(input.slotId) === running) inFlight.delete(input.slotId);
  }
  const booking = bookWithRetries(ctx, actor, input);
  const done = booking.then(
    () => true,
    () => false,
  );
  inFlight.set(input.slotId, done);
  try {
    return await booking;
  } finally {
    if (inFlight.get(input.slotId) === done) inFlight.delete(input.slotId);
    contested.add(input.slotId);
  }
}

/**
 * Slots a booking in this process went for lately, booked or not: further attempts on them
 * peek first. A first attempt on a slot goes straight to its transaction (an ordinary
 * booking makes one round trip fewer); the set forgets everything every CONTESTED_MS.
 */
const CONTESTED_MS = 60_000;
const CONTESTED_MAX = 100_000;

class RecentSlots {
  private current = new Set<number>();
  private previous = new Set<number>();
  private rotatedAt = Date.now();

  has(id: number): boolean {
    this.rotate();
    return this.current.has(id) || this.previous.has(id);
  }

  add(id: number): void {
    this.rotate();
    if (this.current.size >= CONTESTED_MAX) this.rotate(true);
    this.current.add(id);
  }

  /** Two generations: an id is remembered between one and two periods. */
  private rotate(force = false): void {
    const now = Date.now();
    if (!force && now - this.rotatedAt < CONTESTED_MS) return;
    this.previous = this.current;
    this.current = new Set();
    this.rotatedAt = now;
  }
}

const contestedByDb = new WeakMap<Db, RecentSlots>();

function contestedSlots(db: Db): RecentSlots {
  let set = contestedByDb.get(db);
  if (!set) contestedByDb.set(db, (set = new RecentSlots()));
  return set;
}

const inFlightByDb = new WeakMap<Db, Map<number, Promise<boolean>>>();

function bookingsInFlight(db: Db): Map<number, Promise<boolean>> {
  let m = inFlightByDb.get(db);
  if (!m) inFlightByDb.set(db, (m = new Map()));
  return m;
}

async function bookWithRetries(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<AppointmentDetail> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bookOnce(ctx, actor, input);
    } catch (err) {
      const pg = pgError(err);
      if (
        pg?.code === UNIQUE_VIOLATION &&
        pg.constraint === 'appointments_reference_unique' &&
        attempt < REFERENCE_ATTEMPTS
      )
        continue;
      if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'appointments_one_active_per_slot')
        throw new AppError('SLOT_TAKEN');
      if (pg?.code === EXCLUSION_VIOLATION) throw new AppError('OVERLAPPING_APPOINTMENT');
      throw err;
    }
  }
}

const WRITE_ATTEMPTS = 5;

/**
 * One booking transaction in two statements (both prepared): the locking read (person lock,
 * slot lock, slot context, settings version, the person's active appointments) and the write
 * (appointment, slot, notification, e-mail, pushes), which writes only if the person's active
 * appointments are still those the rules were checked against; otherwise they are read again
 * under the lock and the rules re-checked. The region settings come from the process's cache
 * when it holds the version read under the lock. On PostgreSQL the same transaction is tried
 * pipelined first, alone or in a group (booking.group.ts); this ordinary one books when that
 * one cannot.
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
    const plan = planBooking(ctx, actor, input, locked, settings, now);
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
 * Books the slot held for a waitlist offer that its person accepts, inside the caller's
 * transaction (the waitlist module's confirm, which has locked the entry and the offer): a
 * portal appointment booked by the entry's account. Locks the person, then the slot (the
 * same order as a booking); the slot must still be held for this offer; every booking rule
 * is re-checked, with the offer's hold counting as this person's own. The caller maps
 * database refusals (SLOT_TAKEN, OVERLAPPING_APPOINTMENT) and retries a reference clash,
 * as bookAppointment does.
 */
export async function bookHeldForOffer(
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
  await assertCanBook(
    tx,
    { slotId: input.slotId, personId: person.id, accountId: input.accountId },
    person,
    asOwn,
    settings,
    now,
    'book',
  );

  const reference = makeReference((n) => randomInt(n));
  const appointmentId = await insertPortalAppointment(tx, {
    reference,
    ...appointmentOfSlot(slot, person.id),
    bookedByAccountId: input.accountId,
    createdAt: now,
  });
  await markSlotBooked(tx, slot.slot.id);
  return { row: newVisitRow(appointmentId, reference, slot, person, input.accountId), person, slot, settings };
}
