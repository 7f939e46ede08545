// The HTTP contract of booking: one schema per endpoint, shared by the server and the web app.
import { z } from 'zod';
import { decimalId, idNumber } from '../ids.js';
import { instant } from './common.js';
import { visit } from './visits.js';

export const holdBody = z.object({ slotId: idNumber(), personId: z.uuid('Выберите человека') });
export const holdResponse = z.object({
  slotId: z.number(),
  personId: z.uuid(),
  heldUntil: instant,
  startAt: instant,
  endAt: instant,
  localStart: z.string(),
  timeZone: z.string(),
  person: z.object({ id: z.uuid(), name: z.string(), birthDate: z.string() }),
  doctor: z.object({ id: z.number(), name: z.string(), specialty: z.string(), room: z.string() }),
  organisation: z.object({ id: z.number(), name: z.string(), address: z.string(), phone: z.string() }),
  /** The cut-off instant for cancelling this visit through the portal, once booked (the day before, at the cut-off time). */
  cancelUntil: instant,
  /** True when that instant has already passed: once booked, the visit cannot be cancelled through the portal. */
  cancelClosed: z.boolean(),
});
export type HoldResponse = z.infer<typeof holdResponse>;
export const holdQuery = z.object({ personId: z.uuid() });
export const slotIdParam = z.object({ slotId: decimalId() });

export const bookBody = holdBody;
export const appointmentDetail = visit.extend({
  person: z.object({ id: z.uuid(), name: z.string() }),
  whatToBring: z.array(z.string()),
});
export type AppointmentDetail = z.infer<typeof appointmentDetail>;
