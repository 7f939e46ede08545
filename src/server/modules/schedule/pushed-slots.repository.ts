// SQL of a clinic system's slot push (pushed-slots.rules.ts plans it): the doctor's rows the
// list concerns (locked), and the writes the plan asks for. Dropping free rows goes through the
// template editor's writer (deleted, or retired when history refers to them); the rest is here.
import { and, asc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { slots } from '../../db/schema.js';
import type { CurrentSlot, PushedSlot, SlotUpdate } from './pushed-slots.rules.js';
import type { SlotChannel, SlotStatus } from './schedule.rules.js';
import { writeSlotChanges } from './template.repository.js';

/** The doctor's rows starting in [from, to) after `after`, and every row with one of `externalIds`; locked FOR UPDATE. */
export async function selectPushCandidates(
  db: Db,
  doctorId: number,
  w: { after: Date; from: Date; to: Date; externalIds: readonly string[] },
): Promise<CurrentSlot[]> {
  const inRange = and(gt(slots.startAt, w.after), gte(slots.startAt, w.from), lt(slots.startAt, w.to));
  const rows = await db
    .select({
      id: slots.id,
      externalId: slots.externalId,
      startAt: slots.startAt,
      endAt: slots.endAt,
      status: slots.status,
      channel: slots.channel,
      offTemplate: slots.offTemplate,
    })
    .from(slots)
    .where(
      and(
        eq(slots.doctorId, doctorId),
        w.externalIds.length > 0 ? or(inRange, inArray(slots.externalId, [...w.externalIds])) : inRange,
      ),
    )
    .orderBy(asc(slots.startAt))
    .for('update');
  return rows.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    startMs: r.startAt.getTime(),
    endMs: r.endAt.getTime(),
    status: r.status as SlotStatus,
    channel: r.channel as SlotChannel,
    offTemplate: r.offTemplate,
  }));
}

/**
 * Removes rows missing from the list: free ones through the template editor's writer (deleted,
 * or retired when history refers to them), blocked ones retired (an absence or a desk refers to
 * them). A kept row gives up its clinic id, which a listed slot may now carry. Returns how many.
 */
export async function removePushedSlots(
  db: Db,
  doctorId: number,
  rows: readonly { id: number; status: SlotStatus }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const free = rows.filter((r) => r.status === 'free').map((r) => r.id);
  const blocked = rows.filter((r) => r.status === 'blocked').map((r) => r.id);
  let removed = 0;
  if (free.length > 0) {
    const written = await writeSlotChanges(db, doctorId, {
      planned: [],
      insert: [],
      drop: free,
      update: [],
      restore: [],
      conflicts: [],
      backInTemplate: [],
    });
    removed += written.removed;
  }
  if (blocked.length > 0) {
    const retired = await db
      .update(slots)
      .set({ offTemplate: true })
      .where(and(inArray(slots.id, blocked), eq(slots.status, 'blocked')))
      .returning({ id: slots.id });
    removed += retired.length;
  }
  await db
    .update(slots)
    .set({ externalId: null })
    .where(
      inArray(
        slots.id,
        rows.map((r) => r.id),
      ),
    );
  return removed;
}

/** Moves rows out of every real start (a thousand years back) until their own update places them. */
export async function parkSlots(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(slots)
    .set({
      startAt: sql`${slots.startAt} - interval '1000 years'`,
      endAt: sql`${slots.endAt} - interval '1000 years'`,
    })
    .where(inArray(slots.id, [...ids]));
}

/**
 * Applies the updates in order. A free or retired row is written free again, so the absence
 * trigger (migration 0008) closes it when it falls inside a closed time; a booked or held row
 * only takes the clinic's id. Each update re-checks the status it expects.
 */
export async function updatePushedSlots(
  db: Db,
  updates: readonly SlotUpdate[],
  statusOf: ReadonlyMap<number, SlotStatus>,
): Promise<number> {
  let updated = 0;
  for (const u of updates) {
    const was = statusOf.get(u.id);
    if (was === undefined) continue;
    const values =
      was === 'booked' || was === 'held'
        ? { externalId: u.externalId }
        : {
            externalId: u.externalId,
            startAt: new Date(u.startMs),
            endAt: new Date(u.endMs),
            channel: u.channel,
            status: u.status,
            offTemplate: false,
          };
    const rows = await db
      .update(slots)
      .set(values)
      .where(and(eq(slots.id, u.id), eq(slots.status, was)))
      .returning({ id: slots.id });
    updated += rows.length;
  }
  return updated;
}

const INSERT_CHUNK = 1_000;

/** Inserts the new rows free (the absence trigger closes those inside a closed time). */
export async function insertPushedSlots(db: Db, doctorId: number, pushed: readonly PushedSlot[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < pushed.length; i += INSERT_CHUNK) {
    const rows = await db
      .insert(slots)
      .values(
        pushed.slice(i, i + INSERT_CHUNK).map((p) => ({
          doctorId,
          externalId: p.externalId,
          startAt: new Date(p.startMs),
          endAt: new Date(p.endMs),
          channel: p.channel,
          status: 'free',
        })),
      )
      .returning({ id: slots.id });
    inserted += rows.length;
  }
  return inserted;
}

export interface RangeSlotRow {
  id: number;
  externalId: string | null;
  startAt: Date;
  endAt: Date;
  channel: SlotChannel;
  status: string;
  heldUntil: Date | null;
  holdOfferId: string | null;
}

/** The doctor's slots starting in [from, to), in order of start (the answer to a push). */
export async function selectRangeSlots(db: Db, doctorId: number, from: Date, to: Date): Promise<RangeSlotRow[]> {
  const rows = await db
    .select({
      id: slots.id,
      externalId: slots.externalId,
      startAt: slots.startAt,
      endAt: slots.endAt,
      channel: slots.channel,
      status: slots.status,
      heldUntil: slots.heldUntil,
      holdOfferId: slots.holdOfferId,
      offTemplate: slots.offTemplate,
    })
    .from(slots)
    .where(and(eq(slots.doctorId, doctorId), gte(slots.startAt, from), lt(slots.startAt, to)))
    .orderBy(asc(slots.startAt));
  // Retired rows (blocked, outside the schedule, kept for history) are no part of the schedule.
  return rows
    .filter((r) => !(r.status === 'blocked' && r.offTemplate))
    .map(({ offTemplate: _offTemplate, ...r }) => ({ ...r, channel: r.channel as SlotChannel }));
}
