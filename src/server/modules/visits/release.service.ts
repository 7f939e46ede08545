// «Не смогу прийти» (SPEC section 8a): after the cancel time the account that booked a visit
// on the portal may say it will not come. The visit stays booked and is marked (released_at):
// the desk and the doctor see that the patient warned the clinic. Its time is offered to the
// waitlist at once with a release offer (waitlist/matching.service.ts offerReleasedSlot),
// answered at the latest an hour before the visit. If someone confirms, the visit is cancelled
// as «освобождена пациентом» and that person booked, in one transaction
// (waitlist/offers.service.ts confirmOffer); if nobody does, the visit simply stays marked.
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { cancelFactsOf, loadVisibleVisit, toDetail, type Actor } from '../booking/appointments.service.js';
import { markReleased } from '../booking/released.service.js';
import { canReleaseOnline } from '../booking/visibility.rules.js';
import { getRegionSettings } from '../region/settings.service.js';
import { offerReleasedSlot } from '../waitlist/matching.service.js';

/** POST /api/appointments/:id/release: marks the visit and offers its time to the waitlist. */
export async function releaseAppointment(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
): Promise<AppointmentDetail> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { row, person, viewer } = await loadVisibleVisit(tx, actor, appointmentId, true);
    const settings = await getRegionSettings(tx);
    const refusal = canReleaseOnline(
      { ...cancelFactsOf(row, actor.accountId, settings.cutoffTime), releasedAt: row.releasedAt },
      now,
    );
    if (refusal) throw new AppError(refusal);

    await markReleased(tx, row.id, now);
    await offerReleasedSlot(ctx, tx, { appointmentId: row.id, slotId: row.slotId }, now);
    return toDetail({ ...row, releasedAt: now }, person, viewer, settings.cutoffTime, now);
  });
}
