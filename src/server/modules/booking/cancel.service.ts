// Cancelling a visit online (SPEC section 7): only this account's own portal bookings,
// still booked, before the cut-off on the day before the visit. One transaction: lock the
// appointment, check, cancel, free the slot, notify the account. Used from the card file
// and from the doctor's schedule page.
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { notify } from '../notify/notify.service.js';
import { effectiveCutoff, getRegionSettings } from '../operator/settings.service.js';
import { offerAfterCancellation } from '../waitlist/matching.service.js';
import { bookingCancelledEvent } from './booking.emails.js';
import { freeBookedSlot, markCancelled } from './booking.repository.js';
import { visitFacts } from './booking.service.js';
import { canCancelOnline, type AppointmentStatus, type Source } from './visibility.rules.js';
import { loadVisibleVisit, toDetail, type Actor } from './visits.service.js';

export async function cancelAppointment(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
): Promise<AppointmentDetail> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { row, person, viewer } = await loadVisibleVisit(tx, actor, appointmentId, true);
    const settings = await getRegionSettings(tx);
    const refusal = canCancelOnline(
      {
        source: row.source as Source,
        bookedByThisAccount: row.bookedByAccountId === actor.accountId,
        status: row.status as AppointmentStatus,
        startAt: row.startAt,
        timeZone: row.organisation.timeZone,
        cutoff: effectiveCutoff(settings.cutoffTime, row.organisation.cutoffOverride),
      },
      now,
    );
    if (refusal) throw new AppError(refusal);

    await markCancelled(tx, row.id, actor.accountId, now);
    await freeBookedSlot(tx, row.slotId);
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
    // The freed time goes to the waitlist first (SPEC section 4); else it is publicly free.
    await offerAfterCancellation(ctx, tx, { slotId: row.slotId, personId: row.person.id }, now);
    return toDetail({ ...row, status: 'cancelled' }, person, viewer, settings.cutoffTime, now);
  });
}
