// SQL of the registry desk beyond the channels core: blocking and freeing its doctors' slots.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { doctors, slots } from '../../../db/schema.js';

export interface LockedSlot {
  id: number;
  doctorId: number;
  organisationId: number;
  startAt: Date;
  status: string;
  heldUntil: Date | null;
  holdOfferId: string | null;
}

/** The slot with its doctor's organisation, locked FOR UPDATE (of the slot row); null when unknown. */
export async function lockSlotWithOrganisation(db: Db, slotId: number): Promise<LockedSlot | null> {
  const rows = await db
    .select({
      id: slots.id,
      doctorId: slots.doctorId,
      organisationId: doctors.organisationId,
      startAt: slots.startAt,
      status: slots.status,
      heldUntil: slots.heldUntil,
      holdOfferId: slots.holdOfferId,
    })
    .from(slots)
    .innerJoin(doctors, eq(doctors.id, slots.doctorId))
    .where(eq(slots.id, slotId))
    .for('update', { of: slots });
  return rows[0] ?? null;
}

/** Marks the slot blocked (any lapsed booking hold is dropped). */
export async function markSlotBlocked(db: Db, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set({ status: 'blocked', holdPersonId: null, holdAccountId: null, heldUntil: null, holdOfferId: null })
    .where(eq(slots.id, slotId));
}

/** Marks a blocked slot free again. */
export async function markSlotFree(db: Db, slotId: number): Promise<void> {
  await db
    .update(slots)
    .set({ status: 'free' })
    .where(and(eq(slots.id, slotId), eq(slots.status, 'blocked')));
}

/** The slot's current status (after a rematch may have held it for a waitlist offer). */
export async function slotStatus(db: Db, slotId: number): Promise<string | null> {
  const rows = await db.select({ status: slots.status }).from(slots).where(eq(slots.id, slotId));
  return rows[0]?.status ?? null;
}
