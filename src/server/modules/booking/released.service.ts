// The booking side of «Не смогу прийти» (SPEC section 8a): a visit released after the cancel
// time is marked and stays booked; when someone from the waitlist confirms the release offer,
// the visit is cancelled as released by the patient, its slot freed for that person's booking
// (the caller books it through the one booking write in the same transaction) and the
// releasing account told. The waitlist's confirm calls it; the visits module releases.
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { notify } from '../notify/notify.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { releasedTakenEvent } from './booking.emails.js';
import { visitFacts } from './booking.facts.js';
import { findVisit, freeBookedSlot, markReleasedTaken } from './booking.repository.js';

export { markReleased } from './booking.repository.js';

/**
 * Cancels the released visit whose time a release offer gives away, inside `tx` (the caller
 * holds the offer's entry and offer locks): locks the visit; when it is still booked in that
 * slot and released, cancels it as released, frees the slot and tells the account that booked
 * it. Returns the visit's start, or null when the visit is no longer booked there (the clinic
 * cancelled it, or it took place): nothing changes.
 */
export async function cancelReleasedVisit(
  ctx: AppContext,
  tx: Db,
  released: { appointmentId: string; slotId: number },
  now: Date,
): Promise<Date | null> {
  const row = await findVisit(tx, released.appointmentId, true);
  if (row?.status !== 'booked' || row.slotId !== released.slotId || row.releasedAt === null) return null;
  const accountId = row.bookedByAccountId;
  if (accountId === null) return null; // only portal visits are released, and they record the account
  await markReleasedTaken(tx, row.id, accountId, now);
  await freeBookedSlot(tx, row.slotId);
  const settings = await getRegionSettings(tx);
  await notify(
    tx,
    { publicUrl: ctx.config.publicUrl },
    releasedTakenEvent(
      accountId,
      visitFacts(
        { appointmentId: row.id, reference: row.reference, startAt: row.startAt },
        row.person,
        row,
        settings.cutoffTime,
      ),
    ),
    now,
  );
  return row.startAt;
}
