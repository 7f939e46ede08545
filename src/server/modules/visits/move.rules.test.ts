import { describe, expect, it } from 'vitest';
import type { CancelFacts } from '../booking/visibility.rules.js';
import {
  moveRefusalMessage,
  moveTargetRefusal,
  moveVisitRefusal,
  type MovePlace,
  type MoveTarget,
  type MoveTargetRefusal,
  type MoveVisitRefusal,
} from './move.rules.js';

// 2026-11-25 09:00 UTC = 13:00 Samara (UTC+4); the region closes cancelling at 18:00 the day before.
const NOW = new Date('2026-11-25T09:00:00Z');
const ZONE = 'Europe/Samara';
const VISIT_AT = new Date('2026-11-27T06:00:00Z'); // Friday 10:00 Samara: cut-off Thursday 18:00 (14:00 UTC)

const visit: CancelFacts & { cancelReason: string | null } = {
  source: 'portal',
  bookedByThisAccount: true,
  status: 'booked',
  startAt: VISIT_AT,
  timeZone: ZONE,
  cutoff: '18:00',
  cancelReason: null,
};

describe('moveVisitRefusal: which visit may be moved (the cancel rule)', () => {
  it.each<[string, Partial<typeof visit>, Date, MoveVisitRefusal | null]>([
    ['own portal booking before the cut-off', {}, NOW, null],
    ['one minute before the cut-off', {}, new Date('2026-11-26T13:59:00Z'), null],
    ['at the cut-off', {}, new Date('2026-11-26T14:00:00Z'), 'CUTOFF_PASSED'],
    ['an organisation’s earlier cut-off', { cutoff: '12:00' }, new Date('2026-11-26T08:30:00Z'), 'CUTOFF_PASSED'],
    ['booked at the registry', { source: 'registry' }, NOW, 'NOT_CANCELLABLE_HERE'],
    ['booked at the infomat', { source: 'infomat' }, NOW, 'NOT_CANCELLABLE_HERE'],
    ['another account’s portal booking', { bookedByThisAccount: false }, NOW, 'NOT_CANCELLABLE_HERE'],
    ['cancelled', { status: 'cancelled' }, NOW, 'ALREADY_CANCELLED'],
    ['already moved', { status: 'cancelled', cancelReason: 'moved' }, NOW, 'VISIT_ALREADY_MOVED'],
    ['released, then cancelled', { status: 'cancelled', cancelReason: 'released' }, NOW, 'ALREADY_CANCELLED'],
    ['visited', { status: 'visited' }, NOW, 'VISIT_IN_PAST'],
    ['begun', {}, VISIT_AT, 'VISIT_IN_PAST'],
  ])('%s', (_name, change, now, expected) => {
    expect(moveVisitRefusal({ ...visit, ...change }, now)).toBe(expected);
  });
});

const from: MovePlace = { slotId: 10, doctorId: 1, specialtyId: 5, organisationId: 7 };
const who = { accountId: 'acc-1', personId: 'person-1' };
const freeSlot = {
  status: 'free',
  holdAccountId: null,
  holdPersonId: null,
  heldUntil: null,
  channel: 'portal',
  startAt: new Date('2026-11-28T06:00:00Z'),
};
const target: MoveTarget = {
  slotId: 11,
  doctorId: 1,
  specialtyId: 5,
  organisationId: 7,
  slot: freeSlot,
  timeZone: ZONE,
  horizonDays: 14,
};
const later = new Date(NOW.getTime() + 10 * 60_000);

describe('moveTargetRefusal: which times a visit may move to', () => {
  it.each<[string, Partial<MoveTarget>, Partial<MoveTarget['slot']>, MoveTargetRefusal | null]>([
    ['another time of the same doctor', {}, {}, null],
    ['another doctor of the same specialty and organisation', { doctorId: 2 }, {}, null],
    ['the same doctor after a change of his specialty', { specialtyId: 6 }, {}, null],
    ['the same slot', { slotId: 10 }, {}, 'MOVE_SAME_TIME'],
    ['another specialty', { doctorId: 2, specialtyId: 6 }, {}, 'MOVE_TARGET_NOT_ALLOWED'],
    ['another organisation', { doctorId: 2, organisationId: 8 }, {}, 'MOVE_TARGET_NOT_ALLOWED'],
    ['a time in the past', {}, { startAt: new Date('2026-11-25T08:00:00Z') }, 'SLOT_IN_PAST'],
    ['a time starting now', {}, { startAt: NOW }, 'SLOT_IN_PAST'],
    ['beyond the horizon', {}, { startAt: new Date('2026-12-10T06:00:00Z') }, 'SLOT_BEYOND_HORIZON'],
    ['booked by someone', {}, { status: 'booked' }, 'SLOT_TAKEN'],
    ['blocked', {}, { status: 'blocked' }, 'SLOT_BLOCKED'],
    ['kept for the registry', {}, { channel: 'registry' }, 'SLOT_NOT_FOR_PORTAL'],
    ['kept for referrals (the booking rules ask for the referral)', {}, { channel: 'referral' }, null],
    ['kept for referrals, taken', {}, { channel: 'referral', status: 'booked' }, 'SLOT_TAKEN'],
    [
      'held by another account',
      {},
      { status: 'held', holdAccountId: 'acc-2', holdPersonId: 'p-2', heldUntil: later },
      'SLOT_TAKEN',
    ],
    [
      'held by this account for this person',
      {},
      { status: 'held', holdAccountId: 'acc-1', holdPersonId: 'person-1', heldUntil: later },
      null,
    ],
    [
      'held by this account for another person',
      {},
      { status: 'held', holdAccountId: 'acc-1', holdPersonId: 'person-2', heldUntil: later },
      'HOLD_NOT_FOUND',
    ],
    [
      'held by another account, the hold lapsed',
      {},
      { status: 'held', holdAccountId: 'acc-2', holdPersonId: 'p-2', heldUntil: NOW },
      null,
    ],
  ])('%s', (_name, change, slotChange, expected) => {
    expect(moveTargetRefusal(from, { ...target, ...change, slot: { ...freeSlot, ...slotChange } }, who, NOW)).toBe(
      expected,
    );
  });
});

describe('moveRefusalMessage', () => {
  it('speaks of moving where the catalogue speaks of cancelling', () => {
    expect(moveRefusalMessage('CUTOFF_PASSED')).toMatch(/^Перенести запись через портал уже нельзя/);
    expect(moveRefusalMessage('NOT_CANCELLABLE_HERE')).toContain('перенести только через регистратуру');
    expect(moveRefusalMessage('VISIT_IN_PAST')).toBe('Визит уже состоялся, перенести его нельзя.');
    expect(moveRefusalMessage('ALREADY_CANCELLED')).toBe('Запись отменена, перенести её нельзя.');
    expect(moveRefusalMessage('SLOT_TAKEN')).toBeNull();
  });
});
