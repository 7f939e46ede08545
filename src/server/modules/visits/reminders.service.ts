// The reminder the day before a visit (SPEC section 5): a worker step that finds portal
// appointments whose reminder window has opened and notifies the account that booked
// them. Once per visit: the notification's dedup key is the appointment id, so a second
// run, or a second process, adds nothing.
import type { AppContext } from '../../context.js';
import { visitFacts } from '../booking/booking.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { notify } from '../notify/notify.service.js';
import { lockBookedAppointment, reminderCandidates } from './reminders.repository.js';
import { isReminderDue, REMINDER_LOOKAHEAD_MS, visitReminderEvent } from './reminders.rules.js';

const CANDIDATES_PER_RUN = 5_000;

/** Sends the reminders that are due now; returns how many were recorded. */
export async function sendDueReminders(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const candidates = await reminderCandidates(ctx.db, now, REMINDER_LOOKAHEAD_MS, CANDIDATES_PER_RUN);
  const due = candidates.filter((c) =>
    isReminderDue({ startAt: c.startAt, createdAt: c.createdAt, timeZone: c.organisation.timeZone }, now),
  );
  if (due.length === 0) return 0;
  const settings = await getRegionSettings(ctx.db);
  let sent = 0;
  for (const c of due) {
    const accountId = c.accountId;
    if (!accountId) continue;
    const facts = visitFacts(
      { appointmentId: c.appointmentId, reference: c.reference, startAt: c.startAt },
      c.person,
      c,
      settings.cutoffTime,
    );
    await ctx.db.transaction(async (tx) => {
      // Cancelled since the candidates were read: no reminder.
      if (!(await lockBookedAppointment(tx, c.appointmentId))) return;
      if (await notify(tx, { publicUrl: ctx.config.publicUrl }, visitReminderEvent({ ...facts, accountId }, now), now))
        sent += 1;
    });
  }
  return sent;
}
