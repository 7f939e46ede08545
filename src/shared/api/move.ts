// The HTTP contract of moving a visit (SPEC section 8a): POST /api/appointments/:id/move.
import { z } from 'zod';
import { idNumber } from '../ids.js';
import { appointmentDetail } from './booking.js';
import { instant } from './common.js';

/** The new time: a slot of the same doctor, or of another doctor of the same specialty and organisation. */
export const moveBody = z.object({ slotId: idNumber('Выберите новое время') });
export type MoveBody = z.infer<typeof moveBody>;

/** The new visit, and the one it replaced (now cancelled as moved). */
export const moveResponse = appointmentDetail.extend({
  movedFrom: z.object({ id: z.uuid(), reference: z.string(), startAt: instant, localStart: z.string() }),
});
export type MoveResponse = z.infer<typeof moveResponse>;
