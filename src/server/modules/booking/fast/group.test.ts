import { describe, expect, it } from 'vitest';
import { groupsInFlight, KeyedGroups, versionOrder } from './group.js';

interface Job {
  name: string;
  keys: string[];
}

/** A KeyedGroups whose runs finish when the test says so; it records every group it ran. */
function harness(maxInFlight: number, maxGroup: number) {
  const ran: string[][] = [];
  const finish: (() => void)[] = [];
  const groups = new KeyedGroups<Job>(
    (group) => {
      ran.push(group.map((j) => j.name));
      return new Promise<void>((resolve) => finish.push(resolve));
    },
    (j) => j.keys,
    maxInFlight,
    maxGroup,
  );
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    ran,
    groups,
    async finishNext() {
      finish.shift()!();
      await settle();
    },
  };
}

describe('KeyedGroups', () => {
  it('runs a member alone while a run is free, and the members that came meanwhile together', async () => {
    const h = harness(1, 10);
    h.groups.push({ name: 'a', keys: ['p1', 's1'] });
    h.groups.push({ name: 'b', keys: ['p2', 's2'] });
    h.groups.push({ name: 'c', keys: ['p3', 's3'] });
    expect(h.ran).toEqual([['a']]);
    expect(h.groups.waiting).toBe(2);
    await h.finishNext();
    expect(h.ran).toEqual([['a'], ['b', 'c']]);
    expect(h.groups.waiting).toBe(0);
  });

  it('never puts two members with a common key in one group: the later one waits for the next, keeping its place', async () => {
    const h = harness(1, 10);
    h.groups.push({ name: 'first', keys: ['x'] });
    h.groups.push({ name: 'p1-a', keys: ['p1', 's1'] });
    h.groups.push({ name: 'p1-b', keys: ['p1', 's2'] });
    h.groups.push({ name: 's1-again', keys: ['p9', 's1'] });
    h.groups.push({ name: 'other', keys: ['p2', 's3'] });
    await h.finishNext();
    expect(h.ran[1]).toEqual(['p1-a', 'other']);
    await h.finishNext();
    expect(h.ran[2]).toEqual(['p1-b', 's1-again']);
  });

  it('keeps at most maxInFlight runs going and at most maxGroup members in a group', async () => {
    const h = harness(2, 3);
    for (let i = 0; i < 9; i++) h.groups.push({ name: `m${i}`, keys: [`p${i}`] });
    expect(h.ran).toEqual([['m0'], ['m1']]);
    await h.finishNext();
    expect(h.ran[2]).toEqual(['m2', 'm3', 'm4']);
    await h.finishNext();
    expect(h.ran[3]).toEqual(['m5', 'm6', 'm7']);
    expect(h.groups.waiting).toBe(1);
  });

  it('goes on after a run that failed', async () => {
    let calls = 0;
    const groups = new KeyedGroups<Job>(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('lost connection');
      },
      (j) => j.keys,
      1,
      10,
    );
    groups.push({ name: 'a', keys: ['a'] });
    groups.push({ name: 'b', keys: ['b'] });
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(groups.waiting).toBe(0);
  });
});

describe('versionOrder', () => {
  it('orders writes by doctor, then by version shard (slot id mod 16), then by slot', () => {
    const writes = [
      { doctorId: 2, slotId: 17 },
      { doctorId: 1, slotId: 33 },
      { doctorId: 1, slotId: 2 },
      { doctorId: 1, slotId: 17 },
      { doctorId: 2, slotId: 1 },
    ];
    expect([...writes].sort(versionOrder)).toEqual([
      { doctorId: 1, slotId: 17 },
      { doctorId: 1, slotId: 33 },
      { doctorId: 1, slotId: 2 },
      { doctorId: 2, slotId: 1 },
      { doctorId: 2, slotId: 17 },
    ]);
  });
});

describe('groupsInFlight', () => {
  it('is the number of cores, within the pool, and at least one', () => {
    expect(groupsInFlight(10, 2)).toBe(2);
    expect(groupsInFlight(10, 1)).toBe(1);
    expect(groupsInFlight(10, 16)).toBe(10);
    expect(groupsInFlight(1, 2)).toBe(1);
    expect(groupsInFlight(0, 2)).toBe(1);
  });

  it('is BOOKING_GROUPS instead of the cores when it is set, still within the pool', () => {
    expect(groupsInFlight(10, 2, 1)).toBe(1);
    expect(groupsInFlight(10, 2, 4)).toBe(4);
    expect(groupsInFlight(3, 2, 8)).toBe(3);
    expect(groupsInFlight(10, 2, null)).toBe(2);
  });
});
