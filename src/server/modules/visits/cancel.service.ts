// Cancelling a visit (SPEC section 7). Online: only this account's own portal bookings, still
// booked, before the cut-off on the day before the visit; one transaction: lock the
// appointment, check, cancel, notify the account, release the slot. Used from the card file
// and from the doctor's schedule page. Every cancellation - online or through a clinic's
// channel - releases its slot here: free, and offered to the waitlist first.
import type { Db } from '../../db/index.js';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { notify } from '../notify/notify.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { cancelFactsOf, loadVisibleVisit, toDetail, type Actor } from '../booking/appointments.service.js';
import { bookingCancelledEvent } from '../booking/booking.emails.js';
import { freeBookedSlot, markCancelled, visitFacts } from '../booking/booking.service.js';
import { canCancelOnline } from '../booking/visibility.rules.js';
import { offerAfterCancellation, offerSlot } from '../waitlist/matching.service.js';

export async function cancelAppointment(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
): Promise<AppointmentDetail> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { row, person, viewer } = await loadVisibleVisit(tx, actor, appointmentId, true);
    const settings = await getRegionSettings(tx);
    const refusal = canCancelOnline(cancelFactsOf(row, actor.accountId, settings.cutoffTime), now);
    if (refusal) throw new AppError(refusal);

    await markCancelled(tx, row.id, actor.accountId, now);
    // Only this account's own portal bookings get this far: it is the one to tell.
    await notify(
      tx,
      { publicUrl: ctx.config.publicUrl },
      bookingCancelledEvent(
        actor.accountId,
        visitFacts(
          { appointmentId: row.id, reference: row.reference, startAt: row.startAt },
          person,
          row,
          settings.cutoffTime,
        ),
        'account',
      ),
      now,
    );
    await releaseCancelledSlot(ctx, tx, { slotId: row.slotId, personId: row.person.id }, now);
    return toDetail({ ...row, status: 'cancelled' }, person, viewer, settings.cutoffTime, now);
  });
}

/**
 * The slot of an appointment just cancelled (inside the caller's transaction, which cancelled
 * it): free again, and offered to the waitlist first (SPEC section 4), else publicly free; the
 * person's own waiting entries may take free time now (the visit no longer counts against
 * their limits). The portal's cancel and every channel's (channels/channel-booking.service.ts).
 */
export async function releaseCancelledSlot(
  ctx: AppContext,
  tx: Db,
  freed: { slotId: number; personId: string },
  now: Date,
): Promise<void> {
  await freeBookedSlot(tx, freed.slotId);
  await offerAfterCancellation(ctx, tx, freed, now);
}

/**
 * Time the caller has just made free without cancelling a visit (inside its transaction): a
 * blocked slot opened at the desk, a doctor's closed days reopened, a move offer's hold let go.
 * Like a cancelled visit's slot it goes to the waitlist first, else stays publicly free (a
 * pending release offer of the slot takes it). With releaseCancelledSlot the one way freed
 * time reaches the waitlist: the visits module is the one caller of booking and the waitlist
 * for it. Returns whether an offer now holds the slot.
 */
export async function offerFreedTime(ctx: AppContext, tx: Db, slotId: number, now: Date): Promise<boolean> {
  return (await offerSlot(ctx, tx, slotId, now)) !== null;
}
