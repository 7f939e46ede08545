// The slot push's plan against the stored slots, row by row: matched by the clinic's id, else
// adopted at the same start; free and blocked rows follow the list, booked and held ones are
// conflicts when removed or changed; the past never changes; moves are ordered (and cycles
// parked) so that one doctor never has two rows at one start while the plan is applied.
import { describe, expect, it } from 'vitest';
import {
  planSlotPush,
  slotsOutsideRange,
  type CurrentSlot,
  type PushedSlot,
  type SlotPushPlan,
} from './pushed-slots.rules.js';

// Minutes after a fixed morning, as instants (the zone plays no part in the diff).
const T0 = Date.UTC(2026, 11, 8, 6, 0);
const at = (min: number) => T0 + min * 60_000;
const NOW = at(-60);

const row = (id: number, ext: string | null, start: number, over: Partial<CurrentSlot> = {}): CurrentSlot => ({
  id,
  externalId: ext,
  startMs: at(start),
  endMs: at(start + 30),
  status: 'free',
  channel: 'portal',
  offTemplate: false,
  ...over,
});
const push = (ext: string, start: number, over: Partial<PushedSlot> = {}): PushedSlot => ({
  externalId: ext,
  startMs: at(start),
  endMs: at(start + 30),
  channel: 'portal',
  ...over,
});

/** Applies the plan's writes in their order and fails on two rows at one start at any moment. */
function applyInOrder(current: readonly CurrentSlot[], plan: SlotPushPlan): Map<number, number> {
  const startOf = new Map(current.map((c) => [c.id, c.startMs]));
  const retiredOrKept = new Set(current.map((c) => c.id));
  const check = () => {
    const starts = [...startOf.values()];
    expect(new Set(starts).size, 'two rows at one start').toBe(starts.length);
  };
  for (const id of plan.remove) {
    const c = current.find((x) => x.id === id);
    // Worst case: every removed row is kept (retired) at its start.
    if (!c || !retiredOrKept.has(id)) startOf.delete(id);
  }
  for (const id of plan.park) startOf.set(id, -id);
  check();
  for (const u of plan.update) {
    startOf.set(u.id, u.startMs);
    check();
  }
  let next = 1_000_000;
  for (const p of plan.insert) {
    startOf.set(next++, p.startMs);
    check();
  }
  return startOf;
}

const summary = (p: SlotPushPlan) => ({
  insert: p.insert.map((i) => i.externalId),
  update: p.update.map((u) => [u.id, u.externalId, u.status, u.moved] as const),
  remove: p.remove,
  unchanged: p.unchanged,
  skippedPast: p.skippedPast,
  pastChanged: p.pastChanged,
  conflicts: p.conflicts.map((c) => [c.slot.id, c.change] as const),
});

const empty = {
  insert: [],
  update: [],
  remove: [],
  unchanged: 0,
  skippedPast: 0,
  pastChanged: [],
  conflicts: [],
};

describe('planSlotPush', () => {
  it.each([
    {
      name: 'nothing stored: every listed slot is new',
      current: [],
      pushed: [push('a', 0), push('b', 30)],
      want: { ...empty, insert: ['a', 'b'] },
    },
    {
      name: 'the same list again: nothing changes',
      current: [row(1, 'a', 0), row(2, 'b', 30, { channel: 'registry' })],
      pushed: [push('a', 0), push('b', 30, { channel: 'registry' })],
      want: { ...empty, unchanged: 2 },
    },
    {
      name: 'a free slot at another time: moved',
      current: [row(1, 'a', 0)],
      pushed: [push('a', 60)],
      want: { ...empty, update: [[1, 'a', 'free', true]] },
    },
    {
      name: 'a free slot with another channel or end: updated in place',
      current: [row(1, 'a', 0), row(2, 'b', 30)],
      pushed: [push('a', 0, { channel: 'referral' }), push('b', 30, { endMs: at(50) })],
      want: {
        ...empty,
        update: [
          [1, 'a', 'free', false],
          [2, 'b', 'free', false],
        ],
      },
    },
    {
      name: 'a free slot missing from the list: removed',
      current: [row(1, 'a', 0), row(2, 'b', 30)],
      pushed: [push('a', 0)],
      want: { ...empty, unchanged: 1, remove: [2] },
    },
    {
      name: 'a booked slot missing from the list: a conflict, nothing else decided away',
      current: [row(1, 'a', 0, { status: 'booked' })],
      pushed: [],
      want: { ...empty, conflicts: [[1, 'remove']] },
    },
    {
      name: 'a held slot missing from the list: a conflict',
      current: [row(1, 'a', 0, { status: 'held' })],
      pushed: [push('b', 60)],
      want: { ...empty, insert: ['b'], conflicts: [[1, 'remove']] },
    },
    {
      name: 'a booked slot listed at another time: a conflict (change)',
      current: [row(1, 'a', 0, { status: 'booked' })],
      pushed: [push('a', 30)],
      want: { ...empty, conflicts: [[1, 'change']] },
    },
    {
      name: 'a booked slot listed with another channel: a conflict (change)',
      current: [row(1, 'a', 0, { status: 'booked' })],
      pushed: [push('a', 0, { channel: 'registry' })],
      want: { ...empty, conflicts: [[1, 'change']] },
    },
    {
      name: 'a booked slot without a clinic id, listed at its time: adopted, it only takes the id',
      current: [row(1, null, 0, { status: 'booked' })],
      pushed: [push('a', 0)],
      want: { ...empty, update: [[1, 'a', 'booked', false]] },
    },
    {
      name: 'a free slot from a template (no id) at a listed start: adopted, not a second row',
      current: [row(1, null, 0), row(2, null, 30)],
      pushed: [push('a', 0)],
      want: { ...empty, update: [[1, 'a', 'free', false]], remove: [2] },
    },
    {
      name: 'a retired slot at a listed start: free again',
      current: [row(1, 'a', 0, { status: 'blocked', offTemplate: true })],
      pushed: [push('a', 0)],
      want: { ...empty, update: [[1, 'a', 'free', false]] },
    },
    {
      name: 'a retired slot without an id, not listed: already gone, not counted',
      current: [row(1, null, 0, { status: 'blocked', offTemplate: true })],
      pushed: [],
      want: { ...empty },
    },
    {
      name: 'a blocked (closed) slot listed again: stays blocked; moved: still blocked',
      current: [row(1, 'a', 0, { status: 'blocked' }), row(2, 'b', 30, { status: 'blocked' })],
      pushed: [push('a', 0), push('b', 90)],
      want: { ...empty, unchanged: 1, update: [[2, 'b', 'blocked', true]] },
    },
    {
      name: 'a blocked slot missing from the list: removed',
      current: [row(1, 'a', 0, { status: 'blocked' })],
      pushed: [],
      want: { ...empty, remove: [1] },
    },
    {
      name: 'a slot that has started: skipped, never changed',
      current: [row(1, 'a', -90)],
      pushed: [push('a', -90, { channel: 'registry' }), push('b', -80)],
      want: { ...empty, skippedPast: 2 },
    },
    {
      name: 'a started slot listed in the future: refused as a change of the past',
      current: [row(1, 'a', -90)],
      pushed: [push('a', 60)],
      want: { ...empty, pastChanged: ['a'] },
    },
    {
      name: 'a future slot listed in the past: missing from the future, so removed',
      current: [row(1, 'a', 0)],
      pushed: [push('a', -90)],
      want: { ...empty, skippedPast: 1, remove: [1] },
    },
    {
      name: 'a row at a listed start whose id is listed elsewhere: it moves, the new slot is inserted',
      current: [row(1, 'r', 0)],
      pushed: [push('p', 0), push('r', 120)],
      want: { ...empty, insert: ['p'], update: [[1, 'r', 'free', true]] },
    },
    {
      name: 'a slot re-cut with new ids: the row at a kept start is adopted, the others removed and inserted',
      current: [row(1, 'old-1', 0), row(2, 'old-2', 30)],
      pushed: [push('new-1', 0, { endMs: at(20) }), push('new-2', 20, { endMs: at(40) })],
      want: { ...empty, insert: ['new-2'], update: [[1, 'new-1', 'free', false]], remove: [2] },
    },
  ])('$name', ({ current, pushed, want }) => {
    const plan = planSlotPush(current, pushed, NOW);
    expect(summary(plan)).toEqual(want);
    if (plan.conflicts.length === 0 && plan.pastChanged.length === 0) applyInOrder(current, plan);
  });

  it('orders a chain of moves so that each start is vacated first, without parking', () => {
    const current = [row(1, 'a', 0), row(2, 'b', 30), row(3, 'c', 60)];
    const pushed = [push('a', 30), push('b', 60), push('c', 90)];
    const plan = planSlotPush(current, pushed, NOW);
    expect(plan.park).toEqual([]);
    expect(plan.update.map((u) => u.id)).toEqual([3, 2, 1]);
    const final = applyInOrder(current, plan);
    expect([...final.entries()].sort()).toEqual([
      [1, at(30)],
      [2, at(60)],
      [3, at(90)],
    ]);
  });

  it('parks one row of a cycle of moves (two slots swap times)', () => {
    const current = [row(1, 'a', 0), row(2, 'b', 30), row(3, 'c', 60)];
    const pushed = [push('a', 30), push('b', 60), push('c', 0)];
    const plan = planSlotPush(current, pushed, NOW);
    expect(plan.park).toHaveLength(1);
    const final = applyInOrder(current, plan);
    expect([...final.entries()].sort()).toEqual([
      [1, at(30)],
      [2, at(60)],
      [3, at(0)],
    ]);
  });

  it('lists conflicts in order of start, whatever the order of the list', () => {
    const current = [row(2, 'b', 30, { status: 'booked' }), row(1, 'a', 0, { status: 'held' })];
    const plan = planSlotPush(current, [], NOW);
    expect(plan.conflicts.map((c) => c.slot.id)).toEqual([1, 2]);
  });
});

describe('slotsOutsideRange', () => {
  it.each([
    { name: 'all inside', starts: [0, 30], want: [] },
    { name: 'one before the range', starts: [-30, 0], want: [0] },
    { name: 'one at the end (exclusive)', starts: [0, 600], want: [1] },
  ])('$name', ({ starts, want }) => {
    expect(
      slotsOutsideRange(
        starts.map((s, i) => push(`s${i}`, s)),
        at(0),
        at(600),
      ),
    ).toEqual(want);
  });
});
