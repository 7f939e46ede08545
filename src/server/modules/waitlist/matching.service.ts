// The matching engine (SPEC section 4): a slot that becomes free is offered first to the
// waitlist — the oldest waiting entry that matches (this doctor, or this doctor's specialty
// in this organisation) and whose person passes the booking rules for it gets an offer with
// a response deadline, and the slot is held for that offer. When nobody matches, or less
// than an hour would be left to answer, the slot stays (or becomes) publicly free.
//
// Everything here runs inside the caller's transaction, so the freed slot, the offer, the
// hold and the notification exist together or not at all.
//
// Concurrency: decisions about one line (a specialty in an organisation) are serialised by
// a transaction-scoped advisory lock taken before anything is read, so a transaction that
// matches sees what the previous one committed (two worker processes expiring offers of
// one line end up as if one ran after the other). A transaction waits only for the line of
// the slot it freed itself, and merely tries the lines of any further slots (a person's
// other entries), so line locks never deadlock; rows are locked FOR UPDATE SKIP LOCKED while
// the line is held, so a line holder never waits for a row either. What a busy line skips
// is picked up by the hourly sweep (offerFreeSlotsToWaitlist).
//
// A release offer (SPEC section 8a, «Не смогу прийти» after the cut-off): the released visit
// stays booked and its slot stays `booked`, so the one-active-per-slot index holds as ever; the
// offer names the visit (waitlist_offers.released_appointment_id) and holds nothing. Its
// deadline is the response window, at the latest an hour before the visit. Confirming it
// cancels the released visit and books the offer's person in one transaction
// (offers.service.ts). If the clinic cancels the released visit meanwhile, the freed slot is
// held for the pending release offer (offerSlot), which then confirms like any other.
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import type { ActiveAppointment } from '../booking/booking.rules.js';
import { fullName } from '../../../shared/person.js';
import { notify } from '../notify/notify.service.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { offerMadeEvent } from './waitlist.emails.js';
import {
  freeLapsedHold,
  holdSlotForOffer,
  insertOffer,
  lockLine,
  lockSlotForMatching,
  lockWaitingEntry,
  markEntryOffered,
  pendingReleaseOfferOfSlot,
  releasedVisitOfSlot,
  selectCandidates,
  selectCommitments,
  selectFreeSlotsForWaiting,
  slotLine,
  waitingEntryIdsOf,
  type OfferSlotContext,
} from './waitlist.repository.js';
import { eligibleInOrder, offerDeadline, releaseOfferDeadline } from './waitlist.rules.js';
import { referralCandidatesOf } from '../referrals/referrals.service.js';

export interface OfferMade {
  offerId: string;
  entryId: string;
  slotId: number;
  deadline: Date;
}

/** How many free slots one rematch looks at, at most. */
const REMATCH_LIMIT = 200;

/**
 * Offers a slot that is free to take (free, or a booking hold that lapsed) to the waitlist,
 * inside `tx`. Returns the offer made, or null when the slot went (or stayed) publicly free,
 * or was not free to offer (booked, blocked, held, or being decided by another transaction).
 * A lapsed booking hold that nobody on the waitlist gets is set free. `line`: wait for the
 * slot's line lock (the slot this transaction freed), or only try it (further slots).
 */
export async function offerSlot(
  ctx: AppContext,
  tx: Db,
  slotId: number,
  now: Date,
  line: 'wait' | 'try' = 'wait',
): Promise<OfferMade | null> {
  const where = await slotLine(tx, slotId);
  if (!where || !(await lockLine(tx, where, line === 'wait'))) return null;
  const found = await lockSlotForMatching(tx, slotId);
  if (!found) return null;
  const { slot } = found;
  const lapsedHold =
    slot.status === 'held' &&
    slot.holdOfferId === null &&
    slot.heldUntil !== null &&
    slot.heldUntil.getTime() <= now.getTime();
  if (slot.status !== 'free' && !lapsedHold) return null;
  // The waitlist is the portal's: a slot kept for the registry or for referrals is never offered.
  if (slot.channel !== 'portal') return null;
  // A released visit cancelled while its release offer is pending: the slot is that offer's now.
  const release = await pendingReleaseOfferOfSlot(tx, slot.id);
  if (release) {
    await holdSlotForOffer(tx, slot.id, release.personId, release.id, slot.startAt);
    return { offerId: release.id, entryId: release.entryId, slotId: slot.id, deadline: release.deadline };
  }

  const made = await tryOffer(ctx, tx, found, now, null);
  if (made) return made;
  if (lapsedHold) await freeLapsedHold(tx, slot.id, now);
  return null;
}

/**
 * Offers the time of a visit released with «Не смогу прийти» (still booked, `released_at`
 * set) to the waitlist, inside `tx` (the caller released the visit, or closed the previous
 * release offer of it). The slot stays booked; the offer names the visit and holds nothing.
 * Returns the offer made, or null: the visit is no longer booked and released, its time is
 * already offered, less than an hour would be left to answer, or nobody matches.
 */
export async function offerReleasedSlot(
  ctx: AppContext,
  tx: Db,
  released: { appointmentId: string; slotId: number },
  now: Date,
): Promise<OfferMade | null> {
  const where = await slotLine(tx, released.slotId);
  if (!where) return null;
  await lockLine(tx, where, true);
  const found = await lockSlotForMatching(tx, released.slotId);
  if (found?.slot.status !== 'booked' || found.slot.channel !== 'portal') return null;
  const visit = await releasedVisitOfSlot(tx, released.slotId);
  if (visit?.id !== released.appointmentId || visit.offerPending) return null;
  return tryOffer(ctx, tx, found, now, released.appointmentId);
}

async function tryOffer(
  ctx: AppContext,
  tx: Db,
  found: OfferSlotContext,
  now: Date,
  releasedAppointmentId: string | null,
): Promise<OfferMade | null> {
  const { slot, doctor, specialty, organisation } = found;
  if (!doctor.active || slot.startAt.getTime() <= now.getTime()) return null;
  const settings = await getRegionSettings(tx);
  const tz = organisation.timeZone;
  const deadline =
    releasedAppointmentId === null
      ? offerDeadline(
          now,
          slot.startAt,
          tz,
          effectiveCutoff(settings.cutoffTime, organisation.cutoffOverride),
          settings.offerWindowHours,
        )
      : releaseOfferDeadline(now, slot.startAt, settings.offerWindowHours);
  if (!deadline) return null; // less than an hour to answer: the slot skips the waitlist

  const listed = await selectCandidates(tx, slot.id, doctor);
  if (listed.length === 0) return null;
  // A specialty «по направлению»: each candidate as they would book, with their referrals.
  const referrals = specialty.selfBooking
    ? null
    : await referralCandidatesOf(
        tx,
        listed.map((c) => c.person.snils),
        specialty.id,
      );
  const candidates = referrals ? listed.map((c) => ({ ...c, referrals: referrals.get(c.person.snils) ?? [] })) : listed;
  const personIds = [...new Set(candidates.map((c) => c.person.id))];
  const commitments = new Map<string, ActiveAppointment[]>();
  for (const c of await selectCommitments(tx, personIds, now)) {
    const list = commitments.get(c.personId) ?? [];
    list.push({ startAt: c.startAt, endAt: c.endAt, specialtyId: c.specialtyId });
    commitments.set(c.personId, list);
  }
  const eligible = eligibleInOrder(
    candidates,
    {
      startAt: slot.startAt,
      endAt: slot.endAt,
      timeZone: tz,
      doctorActive: doctor.active,
      specialty,
      referral: specialty.selfBooking ? undefined : { selfBooking: false, organisationId: organisation.id },
    },
    (personId) => commitments.get(personId) ?? [],
    settings,
    now,
  );

  for (const c of eligible) {
    // Someone may be leaving or answering with this entry right now: skip it, never wait.
    const entry = await lockWaitingEntry(tx, c.id);
    if (!entry) continue;
    const offer = await insertOffer(tx, {
      entryId: entry.id,
      slotId: slot.id,
      deadline,
      createdAt: now,
      releasedAppointmentId,
    });
    // A released visit's slot stays booked until the offer is confirmed.
    if (releasedAppointmentId === null) await holdSlotForOffer(tx, slot.id, c.person.id, offer.id, slot.startAt);
    const offerNumber = await markEntryOffered(tx, entry.id);
    await notify(
      tx,
      { publicUrl: ctx.config.publicUrl },
      offerMadeEvent(entry.accountId, {
        offerId: offer.id,
        entryId: entry.id,
        personName: fullName(c.person),
        startAt: slot.startAt,
        timeZone: tz,
        doctorName: fullName(doctor),
        specialty: specialty.name,
        room: doctor.room,
        organisationName: organisation.name,
        address: organisation.address,
        phone: organisation.phone,
        deadline,
        offerNumber,
        maxOffers: settings.maxOffers,
      }),
      now,
    );
    return { offerId: offer.id, entryId: entry.id, slotId: slot.id, deadline };
  }
  return null;
}

/**
 * Offers the free slots that the given waiting entries match (all waiting entries when
 * `entryIds` is null), soonest first, each to its oldest eligible entry (which may be
 * another one). Called after something made entries newly able to take a slot: an entry
 * back in the line after a decline or expiry, a person's visit cancelled or pending offer
 * gone (their limits freed up), new slots published. Returns the offers made.
 */
export async function offerFreeSlots(
  ctx: AppContext,
  tx: Db,
  entryIds: string[] | null,
  now: Date,
): Promise<OfferMade[]> {
  const { horizonDays } = await getRegionSettings(tx);
  const slotIds = await selectFreeSlotsForWaiting(tx, now, horizonDays, entryIds, REMATCH_LIMIT);
  const made: OfferMade[] = [];
  for (const id of slotIds) {
    const offer = await offerSlot(ctx, tx, id, now, 'try');
    if (offer) made.push(offer);
  }
  return made;
}

/** After a person's commitments shrank (a visit cancelled, an offer closed): their waiting entries may take free slots now. */
export async function rematchPerson(ctx: AppContext, tx: Db, personId: string, now: Date): Promise<OfferMade[]> {
  const entryIds = await waitingEntryIdsOf(tx, personId);
  return offerFreeSlots(ctx, tx, entryIds, now);
}

/**
 * A booked appointment was cancelled and its slot freed, inside the caller's transaction:
 * the slot goes to the waitlist first, then the person's own waiting entries may take free
 * time (the cancelled visit no longer counts against their limits).
 */
export async function offerAfterCancellation(
  ctx: AppContext,
  tx: Db,
  freed: { slotId: number; personId: string },
  now: Date,
): Promise<void> {
  await offerSlot(ctx, tx, freed.slotId, now);
  await rematchPerson(ctx, tx, freed.personId, now);
}

/**
 * Offers every free slot that a waiting entry matches, one transaction per slot (the hourly
 * sweep after new slots are published from templates; safe with several processes).
 * Returns how many offers were made.
 */
export async function offerFreeSlotsToWaitlist(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const { horizonDays } = await getRegionSettings(ctx.db);
  const slotIds = await selectFreeSlotsForWaiting(ctx.db, now, horizonDays, null, 1_000);
  let made = 0;
  for (const id of slotIds) {
    const offer = await ctx.db.transaction((tx) => offerSlot(ctx, tx, id, now));
    if (offer) made += 1;
  }
  return made;
}
