import { describe, expect, it } from 'vitest';
import { slotTakenDetails } from '../../../shared/api/slot-taken.js';
import { ApiError } from '../../api.js';
import { isFreeTimes, namedFreeTimes } from './NearestFreeTimes.js';

const refusal = (code: string, details: Record<string, unknown>) =>
  new ApiError(409, code, 'Время заняли', {}, details);
const times = [
  { id: 7, startAt: '2026-12-10T05:30:00.000Z' },
  { id: 9, startAt: '2026-12-10T05:50:00.000Z' },
];

describe('namedFreeTimes', () => {
  it('reads the free times of a SLOT_TAKEN refusal, an empty list included', () => {
    expect(namedFreeTimes(refusal('SLOT_TAKEN', { freeSlots: times }))).toEqual(times);
    expect(namedFreeTimes(refusal('SLOT_TAKEN', { freeSlots: [] }))).toEqual([]);
  });
  it('is null for another refusal or details of another shape', () => {
    expect(namedFreeTimes(refusal('HOLD_EXPIRED', { freeSlots: times }))).toBeNull();
    expect(namedFreeTimes(refusal('SLOT_TAKEN', {}))).toBeNull();
    expect(namedFreeTimes(refusal('SLOT_TAKEN', { freeSlots: [{ id: '7', startAt: times[0].startAt }] }))).toBeNull();
    expect(namedFreeTimes(refusal('SLOT_TAKEN', { freeSlots: [null] }))).toBeNull();
  });
});

describe('isFreeTimes', () => {
  // The hand-written check agrees with the schema the server answers by.
  it.each([
    [times],
    [[]],
    [[{ id: 1 }]],
    [[{ id: 1, startAt: 5 }]],
    ['times'],
    [null],
    [[{ id: 1, startAt: 'x', extra: true }]],
  ])('agrees with slotTakenDetails on %j', (value) => {
    expect(isFreeTimes(value)).toBe(slotTakenDetails.safeParse({ freeSlots: value }).success);
  });
});
