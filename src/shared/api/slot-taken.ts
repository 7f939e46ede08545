// `details` of a 409 SLOT_TAKEN, in a module of its own written with zod/mini: the web app's
// booking pages parse it, and zod/mini with one object costs them a few kB where importing
// it from the other schemas would bring the whole of zod (~25 kB compressed) and every schema.
import * as z from 'zod/mini';

/**
 * `details` of a 409 SLOT_TAKEN from POST /api/holds and POST /api/appointments: the doctor's
 * nearest free times (at most 10, in order of start); empty when nothing is left.
 */
export const slotTakenDetails = z.object({ freeSlots: z.array(z.object({ id: z.number(), startAt: z.string() })) });
export type SlotTakenDetails = z.infer<typeof slotTakenDetails>;
