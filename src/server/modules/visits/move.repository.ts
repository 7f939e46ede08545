// The drizzle queries of a move (move.service.ts): why a visit was cancelled, the old visit
// cancelled as moved, the new one naming it. Inside the move's transaction.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appointments } from '../../db/schema.js';

/** appointments.cancel_reason of one appointment (null: not cancelled, or a plain cancel). */
export async function cancelReasonOf(db: Db, appointmentId: string): Promise<string | null> {
  const rows = await db
    .select({ reason: appointments.cancelReason })
    .from(appointments)
    .where(eq(appointments.id, appointmentId));
  return rows[0]?.reason ?? null;
}

/**
 * The old visit of a move, cancelled by the patient on the portal with cancel_reason 'moved'.
 * Only while still booked (the caller holds its row lock); false when it was not.
 */
export async function markMovedAway(db: Db, appointmentId: string, accountId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelledAt: now,
      cancelledByAccountId: accountId,
      cancelledBy: 'patient',
      cancelledVia: 'portal',
      cancelReason: 'moved',
    })
    .where(and(eq(appointments.id, appointmentId), eq(appointments.status, 'booked')))
    .returning({ id: appointments.id });
  return rows.length === 1;
}

/** The new visit of a move names the one it replaced (unique: a visit is moved once). */
export async function setMovedFrom(db: Db, appointmentId: string, movedFromId: string): Promise<void> {
  await db.update(appointments).set({ movedFromId }).where(eq(appointments.id, appointmentId));
}
