// Pure rules of a clinic system's slot push (issue 17, «Schedules in»): the full list of a
// doctor's slots for a range of dates, diffed against the slots stored. Rows are matched by
// the clinic's slot id, else by the same start (a row without a listed id: adopted); free
// and blocked rows follow the list, booked and held ones are never removed or changed (each
// is a conflict naming it), and the past is never changed. No I/O, no clock: `nowMs` is passed.
import type { SlotChannel, SlotStatus } from './schedule.rules.js';

/** One slot of the pushed list. */
export interface PushedSlot {
  externalId: string;
  startMs: number;
  endMs: number;
  channel: SlotChannel;
}

/** A stored slot of the doctor: those of the range that have not started, and any with a listed id. */
export interface CurrentSlot {
  id: number;
  externalId: string | null;
  startMs: number;
  endMs: number;
  status: SlotStatus;
  channel: SlotChannel;
  /** Blocked and outside the template: retired earlier (kept because history refers to it). */
  offTemplate: boolean;
}

/** A stored row that takes the values of a listed slot. */
export interface SlotUpdate {
  id: number;
  externalId: string;
  startMs: number;
  endMs: number;
  channel: SlotChannel;
  /** free for a free or retired row (the absence trigger may still close it), blocked for a blocked one, else as it is. */
  status: SlotStatus;
  /** Its start changes. */
  moved: boolean;
}

export interface SlotPushConflictFact {
  slot: CurrentSlot;
  /** remove: missing from the list; change: listed with another time or channel. */
  change: 'remove' | 'change';
}

export interface SlotPushPlan {
  insert: PushedSlot[];
  /** Rows to move out of the way first (a cycle of moves: A to B's start while B goes to A's). */
  park: number[];
  /** In the order to apply them: a row moves only once the start it takes has been vacated. */
  update: SlotUpdate[];
  /** Free and blocked rows missing from the list: deleted, or retired when history refers to them. */
  remove: number[];
  unchanged: number;
  /** Listed slots that have already started: left as they are. */
  skippedPast: number;
  /** Listed ids of rows that have already started, listed at another time or channel: refused. */
  pastChanged: string[];
  conflicts: SlotPushConflictFact[];
}

const isRetired = (s: CurrentSlot) => s.status === 'blocked' && s.offTemplate;
const isTaken = (s: CurrentSlot) => s.status === 'booked' || s.status === 'held';

/** Indexes of listed slots that start outside [fromMs, toMs). */
export function slotsOutsideRange(pushed: readonly PushedSlot[], fromMs: number, toMs: number): number[] {
  return pushed.flatMap((p, i) => (p.startMs < fromMs || p.startMs >= toMs ? [i] : []));
}

/**
 * What the pushed list changes. `current` holds the doctor's stored rows of the range that
 * start after `nowMs`, plus any row (of any time) carrying a listed id.
 */
export function planSlotPush(
  current: readonly CurrentSlot[],
  pushed: readonly PushedSlot[],
  nowMs: number,
): SlotPushPlan {
  const plan: SlotPushPlan = {
    insert: [],
    park: [],
    update: [],
    remove: [],
    unchanged: 0,
    skippedPast: 0,
    pastChanged: [],
    conflicts: [],
  };
  // Ids the list places in the future: a row carrying one of them is that slot, wherever it is.
  const listedIds = new Set(pushed.filter((p) => p.startMs > nowMs).map((p) => p.externalId));
  const byExternal = new Map<string, CurrentSlot>();
  const byStart = new Map<number, CurrentSlot>();
  for (const c of current) {
    if (c.externalId !== null) byExternal.set(c.externalId, c);
    if (c.startMs > nowMs) byStart.set(c.startMs, c);
  }
  const assigned = new Set<number>();
  const updates: SlotUpdate[] = [];

  for (const p of [...pushed].sort((a, b) => a.startMs - b.startMs)) {
    const byId = byExternal.get(p.externalId);
    if (p.startMs <= nowMs) {
      // The past is never changed; a past row it names is kept as it is (a future one it names is missing from the list).
      plan.skippedPast += 1;
      if (byId && byId.startMs <= nowMs) assigned.add(byId.id);
      continue;
    }
    const atStart = byStart.get(p.startMs);
    let row: CurrentSlot | undefined;
    if (atStart && (atStart === byId || atStart.externalId === null || !listedIds.has(atStart.externalId))) {
      // The row at this start is this slot, or one no listed slot claims: it becomes this slot.
      row = atStart;
    } else {
      row = byId;
    }
    if (!row) {
      plan.insert.push(p);
      continue;
    }
    assigned.add(row.id);
    if (row.startMs <= nowMs) {
      plan.pastChanged.push(p.externalId);
      continue;
    }
    const sameTimes = row.startMs === p.startMs && row.endMs === p.endMs && row.channel === p.channel;
    if (sameTimes && row.externalId === p.externalId && !isRetired(row)) {
      plan.unchanged += 1;
    } else if (isTaken(row)) {
      if (sameTimes) updates.push({ ...toUpdate(row, p), status: row.status });
      else plan.conflicts.push({ slot: row, change: 'change' });
    } else {
      updates.push(toUpdate(row, p));
    }
  }

  for (const c of current) {
    if (assigned.has(c.id) || c.startMs <= nowMs) continue;
    if (isTaken(c)) plan.conflicts.push({ slot: c, change: 'remove' });
    else if (!isRetired(c) || c.externalId !== null) plan.remove.push(c.id);
  }
  plan.conflicts.sort((a, b) => a.slot.startMs - b.slot.startMs);

  const { order, park } = orderMoves(current, updates);
  plan.update = order;
  plan.park = park;
  return plan;
}

function toUpdate(row: CurrentSlot, p: PushedSlot): SlotUpdate {
  return {
    id: row.id,
    externalId: p.externalId,
    startMs: p.startMs,
    endMs: p.endMs,
    channel: p.channel,
    status: row.status === 'blocked' && !row.offTemplate ? 'blocked' : 'free',
    moved: row.startMs !== p.startMs,
  };
}

/**
 * Orders the updates so that each row moves to a start no other row holds at that moment
 * (one doctor has one slot per start); rows in a cycle of moves are parked first.
 */
function orderMoves(current: readonly CurrentSlot[], updates: readonly SlotUpdate[]) {
  const startOf = new Map(current.map((c) => [c.id, c.startMs]));
  const holder = new Map<number, number>();
  for (const c of current) holder.set(c.startMs, c.id);
  const order = updates.filter((u) => !u.moved);
  const park: number[] = [];
  let pending = updates.filter((u) => u.moved);
  while (pending.length > 0) {
    const next: SlotUpdate[] = [];
    const moving = new Set(pending.map((u) => u.id));
    for (const u of pending) {
      const h = holder.get(u.startMs);
      if (h === undefined || h === u.id) {
        order.push(u);
        const from = startOf.get(u.id);
        if (from !== undefined && holder.get(from) === u.id) holder.delete(from);
        holder.set(u.startMs, u.id);
      } else next.push(u);
    }
    if (next.length === pending.length) {
      const blocked = next.find((u) => !moving.has(holder.get(u.startMs) ?? -1));
      if (blocked) {
        // Its start is held by a row that stays (a refused plan: the caller throws on its conflicts).
        order.push(blocked);
        pending = next.filter((u) => u !== blocked);
        continue;
      }
      // Every remaining move waits for another: a cycle. Park one row; it moves when its start is free.
      const first = next[0];
      if (!park.includes(first.id)) park.push(first.id);
      const from = startOf.get(first.id);
      if (from !== undefined && holder.get(from) === first.id) holder.delete(from);
      // startOf keeps the original start: once parked, the row holds nothing.
      startOf.delete(first.id);
    }
    pending = next;
  }
  return { order, park };
}
