// Portal bookings of one slot in this process, one at a time (booking.service bookAppointment):
// an attempt on a slot this process is booking right now waits for that booking in memory
// rather than on the row lock (holding a pooled connection), and an attempt on a slot fought
// over lately first takes an unlocked, batched look at it (reads.ts peekSlotState), which
// answers most losers of a rush without a transaction. Memory only: the database decides.
import type { Db } from '../../../db/index.js';
import { AppError } from '../../../errors.js';
import { peekSlotState } from './reads.js';

/**
 * Runs `booking`, a booking of `slotId`, after any booking of the same slot this process is
 * making: when that one succeeds, this one is SLOT_TAKEN (its own transaction would say so
 * too); when it fails, this one goes on.
 */
export async function oneAtATimePerSlot<T>(db: Db, slotId: number, booking: () => Promise<T>): Promise<T> {
  const contested = contestedSlots(db);
  if (contested.has(slotId)) {
    const peek = await peekSlotState(db, slotId);
    if (peek && (peek.status === 'booked' || peek.status === 'blocked')) {
      throw new AppError(peek.status === 'booked' ? 'SLOT_TAKEN' : 'SLOT_BLOCKED');
    }
  }
  const inFlight = bookingsInFlight(db);
  for (let running = inFlight.get(slotId); running; running = inFlight.get(slotId)) {
    if (await running) throw new AppError('SLOT_TAKEN');
    if (inFlight.get(slotId) === running) inFlight.delete(slotId);
  }
  const attempt = booking();
  const done = attempt.then(
    () => true,
    () => false,
  );
  inFlight.set(slotId, done);
  try {
    return await attempt;
  } finally {
    if (inFlight.get(slotId) === done) inFlight.delete(slotId);
    contested.add(slotId);
  }
}

/** Whether a booking of this slot is running in this process now (a SLOT_TAKEN answer does not name it). */
export function bookingInFlight(db: Db, slotId: number): boolean {
  return bookingsInFlight(db).has(slotId);
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
  if (!set) {
    set = new RecentSlots();
    contestedByDb.set(db, set);
  }
  return set;
}

const inFlightByDb = new WeakMap<Db, Map<number, Promise<boolean>>>();

function bookingsInFlight(db: Db): Map<number, Promise<boolean>> {
  let m = inFlightByDb.get(db);
  if (!m) {
    m = new Map();
    inFlightByDb.set(db, m);
  }
  return m;
}
