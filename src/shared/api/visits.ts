// The HTTP contract of visits (card file): one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { appointmentSource, appointmentStatus, instant } from './common.js';
import { person } from './identity.js';
import { referralView } from './referrals.js';
import { waitlistEntry } from './waitlist.js';

export const visit = z.object({
  id: z.uuid(),
  reference: z.string(),
  personId: z.uuid(),
  startAt: instant,
  endAt: instant,
  /** Local wall time of the organisation, e.g. "2026-11-26T09:30". */
  localStart: z.string(),
  timeZone: z.string(),
  status: appointmentStatus,
  source: appointmentSource,
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  /** Whether this account can cancel online right now. */
  cancellable: z.boolean(),
  /** The cut-off instant for online cancellation. */
  cancelUntil: instant,
  /** Why it cannot be cancelled online, in Russian (null when cancellable or not booked). */
  cancelBlockedReason: z.string().nullable(),
  /** «Не смогу прийти» is possible now: this account's portal visit, after the cut-off, not started, not yet released (SPEC 8a). */
  releasable: z.boolean(),
  /** When the patient said «Не смогу прийти» (the visit stays booked until someone takes the time); null otherwise. */
  releasedAt: instant.nullable(),
  /** Why the patient's cancel happened when it was not a plain cancel: moved | released («освобождена пациентом»). */
  cancelReason: z.enum(['moved', 'released']).nullable(),
});
export type Visit = z.infer<typeof visit>;

export const cardFilePerson = person.extend({
  futureVisits: z.array(visit),
  pastVisits: z.array(visit),
  /** Active waitlist entries of this person made by this account (filled by the waitlist module). */
  waitlist: z.array(waitlistEntry),
  /** The person's referrals (направления), newest first; only a confirmed person's (their СНИЛС is checked). */
  referrals: z.array(referralView),
});
export type CardFilePerson = z.infer<typeof cardFilePerson>;
export const cardFileResponse = z.object({ persons: z.array(cardFilePerson) });
export type CardFileResponse = z.infer<typeof cardFileResponse>;
