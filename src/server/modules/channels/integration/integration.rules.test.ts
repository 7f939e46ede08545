import { describe, expect, it } from 'vitest';
import type { PersonIdentity } from '../../../../shared/person.js';
import { decodeCursor, encodeCursor, externalSlotStatus, sameIdentity } from './integration.rules.js';

const now = new Date('2026-11-25T09:00:00Z');
const before = new Date('2026-11-25T08:59:00Z');
const after = new Date('2026-11-25T09:01:00Z');

describe('externalSlotStatus', () => {
  it.each([
    [{ status: 'free', heldUntil: null, holdOfferId: null }, 'free'],
    [{ status: 'booked', heldUntil: null, holdOfferId: null }, 'busy'],
    [{ status: 'blocked', heldUntil: null, holdOfferId: null }, 'blocked'],
    [{ status: 'held', heldUntil: after, holdOfferId: null }, 'busy'],
    // A booking hold that lapsed is free again.
    [{ status: 'held', heldUntil: before, holdOfferId: null }, 'free'],
    [{ status: 'held', heldUntil: now, holdOfferId: null }, 'free'],
    // A waitlist offer's lapsed hold waits for the expiry worker.
    [{ status: 'held', heldUntil: before, holdOfferId: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11' }, 'busy'],
  ] as const)('%j -> %s', (slot, expected) => {
    expect(externalSlotStatus(slot, now)).toBe(expected);
  });
});

describe('cursor', () => {
  const position = { xid: '7421', id: '9000000000000000001' };

  it('round-trips and is URL-safe', () => {
    const c = encodeCursor(position);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ kind: 'log', position });
  });

  it('still reads a cursor issued before the change log (microseconds and appointment id)', () => {
    const legacy = Buffer.from('1795597200123456.6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11').toString('base64url');
    expect(decodeCursor(legacy)).toEqual({
      kind: 'legacy',
      position: { us: '1795597200123456', id: '6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11' },
    });
  });

  it.each([
    ['', 'empty'],
    ['not a cursor!', 'characters outside base64url'],
    [Buffer.from('123.not-a-uuid').toString('base64url'), 'no uuid'],
    [Buffer.from('abc.6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11').toString('base64url'), 'no number'],
    [Buffer.from('12345678901234567890.6f1c1d4e-8a47-4a5e-9d0c-3b0a7e2f9a11').toString('base64url'), 'number too long'],
    [Buffer.from('c2.12.').toString('base64url'), 'log position without a row id'],
    [Buffer.from('c2.-1.5').toString('base64url'), 'negative transaction id'],
    [Buffer.from('c2.9223372036854775808.1').toString('base64url'), 'beyond bigint'],
    [Buffer.from('c2.1.2.3').toString('base64url'), 'three numbers'],
  ])('refuses %j (%s)', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});

describe('sameIdentity', () => {
  const known: PersonIdentity = {
    lastName: 'Семёнова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    birthDate: '1985-04-12',
    sex: 'F',
    snils: '11223344595',
    policy: '1800000000000001',
  };

  it('ignores case, ё/е and spaces in names', () => {
    expect(sameIdentity(known, { ...known, lastName: 'СЕМЕНОВА', firstName: ' анна ' })).toBe(true);
    expect(sameIdentity({ ...known, middleName: null }, { ...known, middleName: '' })).toBe(true);
  });

  it.each([
    ['lastName', 'Петрова'],
    ['firstName', 'Мария'],
    ['middleName', null],
    ['birthDate', '1985-04-13'],
    ['sex', 'M'],
    ['snils', '11223344500'],
    ['policy', '1800000000000002'],
  ] as const)('a different %s is another record', (field, value) => {
    expect(sameIdentity(known, { ...known, [field]: value })).toBe(false);
  });
});
