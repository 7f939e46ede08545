// The waitlist's background step (run every second by src/server/worker.ts, and right after
// start, so an offer whose deadline passed while the server was down expires at once):
//  1. pending offers past their deadline expire — the decline's path: back to the line or
//     out of it, the slot moves on to the next matching entry or becomes free;
//  2. offers with two hours or less left get the "about to expire" reminder, once;
//  3. booking holds that lapsed (not offers' holds) are offered to the waitlist first,
//     else set free.
// Idempotent and safe with several processes: each item is claimed in its own transaction
// with FOR UPDATE SKIP LOCKED and re-checked under the lock; notifications are deduplicated
// per event.
import type { AppContext } from '../../context.js';
import { notify } from '../notify/notify.service.js';
import { offerSlot } from './matching.service.js';
import { closeUnanswered, offerFacts } from './offers.service.js';
import { offerExpiringEvent } from './waitlist.emails.js';
import { claimDueOffer, claimLapsedHold, lockEntry, lockOffer, selectOffersToRemind } from './waitlist.repository.js';
import { EXPIRING_NOTICE_MS, shouldRemindExpiring } from './waitlist.rules.js';

/** Items handled per step and kind at most; the next step (a second later) goes on. */
const BATCH = 200;

export interface WaitlistStepResult {
  expired: number;
  reminded: number;
  holdsLapsed: number;
}

export async function expireDueOffers(ctx: AppContext, now: Date): Promise<number> {
  let expired = 0;
  for (let i = 0; i < BATCH; i++) {
    const outcome = await ctx.db.transaction(async (tx) => {
      const claim = await claimDueOffer(tx, now);
      if (!claim) return 'none' as const;
      const entry = await lockEntry(tx, claim.entryId);
      const offer = await lockOffer(tx, claim.offerId);
      // Answered or expired by someone else between the look and the lock.
      if (!entry || !offer || offer.status !== 'pending' || offer.deadline.getTime() > now.getTime())
        return 'skipped' as const;
      await closeUnanswered(ctx, tx, entry, offer, 'expired', now);
      return 'expired' as const;
    });
    if (outcome === 'none') break;
    if (outcome === 'expired') expired += 1;
  }
  return expired;
}

export async function remindExpiringOffers(ctx: AppContext, now: Date): Promise<number> {
  const due = await selectOffersToRemind(ctx.db, now, EXPIRING_NOTICE_MS, BATCH);
  let reminded = 0;
  for (const o of due) {
    if (!shouldRemindExpiring(o.createdAt, o.deadline, now)) continue;
    const sent = await ctx.db.transaction(async (tx) => {
      const offer = await lockOffer(tx, o.id);
      if (!offer || offer.status !== 'pending') return false;
      const told = await offerFacts(tx, o.id);
      if (!told) return false;
      return notify(tx, { publicUrl: ctx.config.publicUrl }, offerExpiringEvent(told.accountId, told.facts), now);
    });
    if (sent) reminded += 1;
  }
  return reminded;
}

export async function offerLapsedHolds(ctx: AppContext, now: Date): Promise<number> {
  let handled = 0;
  for (let i = 0; i < BATCH; i++) {
    const found = await ctx.db.transaction(async (tx) => {
      const slotId = await claimLapsedHold(tx, now);
      if (slotId === null) return false;
      await offerSlot(ctx, tx, slotId, now);
      return true;
    });
    if (!found) break;
    handled += 1;
  }
  return handled;
}

/** One run of the waitlist's background work. */
export async function processWaitlist(ctx: AppContext): Promise<WaitlistStepResult> {
  const now = ctx.now();
  const expired = await expireDueOffers(ctx, now);
  const reminded = await remindExpiringOffers(ctx, now);
  const holdsLapsed = await offerLapsedHolds(ctx, now);
  return { expired, reminded, holdsLapsed };
}
