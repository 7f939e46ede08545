// Answering an offer (SPEC section 4): confirm (the appointment is created, the entry is
// fulfilled) or decline (back to the line at the original place, or out of it after the
// last allowed offer); an offer that expires unanswered takes the decline's path. The slot
// of a declined or expired offer goes on to the next matching entry, else it becomes free.
//
// Locks, always in this order: the entry, its offer, (the person,) the slot; matching then
// takes other rows only with SKIP LOCKED. Someone else's offer is "not found".
import type { AppointmentDetail, WaitlistOffer } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { bookHeldForOffer, withBookingConflicts } from '../booking/booking.service.js';
import { cancelReleasedVisit } from '../booking/released.service.js';
import { toDetail, viewerOf, type Actor } from '../booking/appointments.service.js';
import { fullName } from '../../../shared/person.js';
import { notify } from '../notify/notify.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { offerReleasedSlot, offerSlot, rematchPerson } from './matching.service.js';
import { offerExpiredEvent, removedEvent, type OfferFacts } from './waitlist.emails.js';
import {
  clearOfferHold,
  closeOffer,
  holdSlotForOffer,
  endEntry,
  findOfferOwner,
  lockEntry,
  lockOffer,
  pendingOfferOfSlot,
  releaseOfferHold,
  returnEntryToWaiting,
  returnEntryUncounted,
  selectOfferFacts,
  selectOfferView,
  type EntryRow,
  type OfferRow,
} from './waitlist.repository.js';
import { afterUnanswered } from './waitlist.rules.js';
import { toOfferDto } from './waitlist.views.js';

/** GET /api/offers/:id: one of the account's offers, whatever its status. */
export async function getOffer(ctx: AppContext, actor: Actor, offerId: string): Promise<WaitlistOffer> {
  const row = await selectOfferView(ctx.db, actor.accountId, offerId);
  if (!row) throw new AppError('OFFER_NOT_FOUND');
  return toOfferDto(row, row.offer, row.offerDoctor);
}

/** Locks the account's entry and offer (in that order); OFFER_NOT_FOUND for anyone else's. */
async function lockOwnOffer(tx: Db, accountId: string, offerId: string): Promise<{ entry: EntryRow; offer: OfferRow }> {
  const owner = await findOfferOwner(tx, offerId);
  if (!owner || owner.accountId !== accountId) throw new AppError('OFFER_NOT_FOUND');
  const entry = await lockEntry(tx, owner.entryId);
  const offer = await lockOffer(tx, offerId);
  if (!entry || !offer) throw new AppError('OFFER_NOT_FOUND');
  return { entry, offer };
}

/** An offer can be answered while pending and before its deadline. */
function assertAnswerable(offer: OfferRow, now: Date): void {
  if (offer.status === 'expired') throw new AppError('OFFER_EXPIRED');
  if (offer.status !== 'pending') throw new AppError('OFFER_ANSWERED');
  if (offer.deadline.getTime() <= now.getTime()) throw new AppError('OFFER_EXPIRED');
}

/** POST /api/offers/:id/confirm: books the offered time; 201 body, as POST /api/appointments. */
export async function confirmOffer(ctx: AppContext, actor: Actor, offerId: string): Promise<AppointmentDetail> {
  return withBookingConflicts(() => confirmOnce(ctx, actor, offerId));
}

async function confirmOnce(ctx: AppContext, actor: Actor, offerId: string): Promise<AppointmentDetail> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { entry, offer } = await lockOwnOffer(tx, actor.accountId, offerId);
    assertAnswerable(offer, now);
    // A release offer (SPEC 8a): the released visit is cancelled as released and its slot held
    // for this offer, then booked like any offered time. When the clinic cancelled the visit
    // meanwhile the slot is held for this offer already; when the visit took place it is not,
    // and the booking refuses (SLOT_TAKEN).
    if (offer.releasedAppointmentId !== null) {
      const released = { appointmentId: offer.releasedAppointmentId, slotId: offer.slotId };
      const startAt = await cancelReleasedVisit(ctx, tx, released, now);
      if (startAt) await holdSlotForOffer(tx, offer.slotId, entry.personId, offer.id, startAt);
    }
    // The booking tells the entry's account («Вы записаны»).
    const { row, person, settings } = await bookHeldForOffer(
      ctx,
      tx,
      { offerId: offer.id, slotId: offer.slotId, personId: entry.personId, accountId: entry.accountId },
      now,
    );
    await clearOfferHold(tx, offer.slotId, offer.id);
    await closeOffer(tx, offer.id, 'accepted', now);
    await endEntry(tx, entry.id, 'fulfilled', 'booked', now);
    return toDetail(row, person, viewerOf(actor, []), settings.cutoffTime, now);
  });
}

/** POST /api/offers/:id/decline. */
export async function declineOffer(
  ctx: AppContext,
  actor: Actor,
  offerId: string,
): Promise<{ ok: true; removed: boolean; offersLeft: number }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { entry, offer } = await lockOwnOffer(tx, actor.accountId, offerId);
    assertAnswerable(offer, now);
    const result = await closeUnanswered(ctx, tx, entry, offer, 'declined', now);
    return { ok: true as const, ...result };
  });
}

export interface OfferNotice {
  /** The account to tell: the entry's. */
  accountId: string;
  entry: { id: string; doctorId: number | null };
  facts: OfferFacts;
}

/** What the notifications about an offer say; null for an unknown offer. */
export async function offerFacts(tx: Db, offerId: string): Promise<OfferNotice | null> {
  const r = await selectOfferFacts(tx, offerId);
  if (!r) return null;
  return {
    accountId: r.accountId,
    entry: { id: r.entry.id, doctorId: r.entry.doctorId },
    facts: {
      offerId: r.offer.id,
      entryId: r.entry.id,
      personName: fullName(r.person),
      startAt: r.offer.startAt,
      timeZone: r.organisation.timeZone,
      doctorName: fullName(r.offerDoctor),
      specialty: r.specialty.name,
      room: r.offerDoctor.room,
      organisationName: r.organisation.name,
      address: r.organisation.address,
      phone: r.organisation.phone,
      deadline: r.offer.deadline,
      offerNumber: r.entry.offersMade,
      maxOffers: r.maxOffers,
    },
  };
}

/**
 * Closes a pending offer that was declined or expired (both count), inside `tx`, with the
 * entry and offer locked by the caller: the entry goes back to its original place, or
 * leaves the waitlist after the last allowed offer (and is told so); the slot is released
 * and offered to the next matching entry, else it becomes free; the person's waiting
 * entries may take free time again.
 */
export async function closeUnanswered(
  ctx: AppContext,
  tx: Db,
  entry: EntryRow,
  offer: OfferRow,
  outcome: 'declined' | 'expired',
  now: Date,
): Promise<{ removed: boolean; offersLeft: number }> {
  const settings = await getRegionSettings(tx);
  const told = await offerFacts(tx, offer.id);
  await closeOffer(tx, offer.id, outcome, outcome === 'declined' ? now : null);
  const next = afterUnanswered(entry.offersMade, settings.maxOffers);
  if (next.removed) {
    await endEntry(tx, entry.id, 'removed', 'offers_exhausted', now);
  } else {
    await returnEntryToWaiting(tx, entry.id);
  }
  if (told) {
    const f = told.facts;
    if (next.removed) {
      await notify(
        tx,
        { publicUrl: ctx.config.publicUrl },
        removedEvent(
          told.accountId,
          {
            entryId: entry.id,
            personName: f.personName,
            doctorName: told.entry.doctorId === null ? null : f.doctorName,
            specialty: f.specialty,
            organisationName: f.organisationName,
            address: f.address,
            phone: f.phone,
            maxOffers: settings.maxOffers,
          },
          outcome,
        ),
        now,
      );
    } else if (outcome === 'expired') {
      await notify(tx, { publicUrl: ctx.config.publicUrl }, offerExpiredEvent(told.accountId, f, next.offersLeft), now);
    }
  }
  await releaseOfferHold(tx, offer.slotId, offer.id);
  await offerSlot(ctx, tx, offer.slotId, now);
  await offerReleasedOn(ctx, tx, offer, now);
  await rematchPerson(ctx, tx, entry.personId, now);
  return next;
}

/** A release offer closed unanswered: the released visit's time goes on to the next entry (while the visit is still released and booked). */
async function offerReleasedOn(ctx: AppContext, tx: Db, offer: OfferRow, now: Date): Promise<void> {
  if (offer.releasedAppointmentId === null) return;
  await offerReleasedSlot(ctx, tx, { appointmentId: offer.releasedAppointmentId, slotId: offer.slotId }, now);
}

/** Leaving the waitlist with an offer pending: the offer is withdrawn and its slot moves on (inside `tx`, entry and offer locked). */
export async function withdrawOffer(ctx: AppContext, tx: Db, offer: OfferRow, now: Date): Promise<void> {
  await closeOffer(tx, offer.id, 'withdrawn', now);
  await releaseOfferHold(tx, offer.slotId, offer.id);
  await offerSlot(ctx, tx, offer.slotId, now);
  await offerReleasedOn(ctx, tx, offer, now);
}

/**
 * The time of a pending offer was closed (a doctor's absence), inside `tx`: the offer is
 * withdrawn without counting against the entry, the person goes back to their place in the
 * line, and the hold is released — the caller's absence keeps the slot blocked. Locks the
 * entry, then the offer, as everywhere here. Returns the person whose offer was withdrawn
 * (the caller rematches them once the closed time is all blocked), or null.
 */
export async function withdrawOfferOfClosedSlot(tx: Db, slotId: number, now: Date): Promise<string | null> {
  const found = await pendingOfferOfSlot(tx, slotId);
  if (!found) return null;
  const entry = await lockEntry(tx, found.entryId);
  const offer = await lockOffer(tx, found.id);
  if (!entry || !offer || offer.status !== 'pending') return null;
  await closeOffer(tx, offer.id, 'withdrawn', now);
  await returnEntryUncounted(tx, entry.id);
  await releaseOfferHold(tx, offer.slotId, offer.id);
  return entry.personId;
}
