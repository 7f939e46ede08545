// The HTTP contract of waitlist (SPEC section 4): one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { idNumber } from '../ids.js';
import { instant } from './common.js';

export const waitlistKind = z.enum(['doctor', 'specialty'], { message: 'Выберите тип записи в очередь' });
export const joinWaitlistBody = z.object({
  personId: z.uuid('Выберите человека'),
  /** The doctor whose schedule had no free time; with kind "specialty" any doctor of that doctor's specialty in the same organisation. */
  doctorId: idNumber(),
  kind: waitlistKind,
});
const place = z.object({
  id: z.number(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  /** The organisation's IANA zone: its times and events («В очереди с») are shown in it. */
  timeZone: z.string(),
});
export const waitlistOffer = z.object({
  id: z.uuid(),
  entryId: z.uuid(),
  /** pending | accepted | declined | expired | withdrawn */
  status: z.string(),
  slotId: z.number(),
  startAt: instant,
  endAt: instant,
  localStart: z.string(),
  timeZone: z.string(),
  /** Answer before this instant, or the offer expires (counts as declined). */
  deadline: instant,
  /** Local 'YYYY-MM-DDTHH:MM' of the deadline in the organisation's zone. */
  localDeadline: z.string(),
  person: z.object({ id: z.uuid(), name: z.string() }),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: place,
  /** Offers still possible for this entry after this one. */
  offersLeftAfter: z.number(),
});
export type WaitlistOffer = z.infer<typeof waitlistOffer>;
export const waitlistEntry = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  kind: waitlistKind,
  doctor: z.object({ id: z.number(), name: z.string() }).nullable(),
  specialty: z.object({ id: z.number(), name: z.string() }),
  organisation: place,
  /** waiting | offered */
  status: z.enum(['waiting', 'offered']),
  since: instant,
  /** 1-based place among the entries waiting for the same doctor / specialty. */
  place: z.number(),
  /** Offers that can still be made (including a pending one). */
  offersLeft: z.number(),
  offer: waitlistOffer.nullable(),
});
export type WaitlistEntry = z.infer<typeof waitlistEntry>;
export const declineResponse = z.object({
  ok: z.literal(true),
  /** True when this was the last allowed offer and the person left the waitlist. */
  removed: z.boolean(),
  offersLeft: z.number(),
});
