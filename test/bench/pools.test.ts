import { describe, expect, it } from 'vitest';
import { takeNext } from '../../bench/lib/env.js';

describe('takeNext', () => {
  it('hands out each person with the slot at the same place, once, until the shorter pool runs out', () => {
    const cursor = { next: 0 };
    const people = [7, 8, 9];
    const slots = [100, 200];
    expect(takeNext(cursor, people, slots)).toEqual({ person: 7, slotId: 100 });
    expect(takeNext(cursor, people, slots)).toEqual({ person: 8, slotId: 200 });
    expect(takeNext(cursor, people, slots)).toBeNull();
    expect(cursor.next).toBe(2);
  });
});
