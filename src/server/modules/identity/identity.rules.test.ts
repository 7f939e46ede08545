import { describe, expect, it } from 'vitest';
import {
  applyDecision,
  canDecide,
  canEditPerson,
  isBirthDateInFuture,
  isMainOnCreate,
  isTokenUsable,
  TOKEN_LIFETIME_MS,
  tokenExpiry,
  tokenTag,
  type PersonStatus,
  type TokenPurpose,
} from './identity.rules.js';

const now = new Date('2026-11-25T09:00:00Z');
const at = (iso: string) => new Date(iso);

describe('tokenExpiry', () => {
  it.each<[TokenPurpose, string]>([
    ['confirm', '2026-11-26T09:00:00.000Z'], // 24 hours
    ['reset', '2026-11-25T10:00:00.000Z'], // 1 hour
  ])('%s link lives until %s', (purpose, expected) => {
    expect(tokenExpiry(purpose, now).toISOString()).toBe(expected);
  });

  it('lifetimes are 24 h and 1 h', () => {
    expect(TOKEN_LIFETIME_MS.confirm).toBe(86_400_000);
    expect(TOKEN_LIFETIME_MS.reset).toBe(3_600_000);
  });
});

describe('isTokenUsable', () => {
  const fresh = { purpose: 'reset', expiresAt: at('2026-11-25T10:00:00Z'), usedAt: null };
  it.each<[string, Parameters<typeof isTokenUsable>[0], TokenPurpose, Date, boolean]>([
    ['fresh token, right purpose', fresh, 'reset', now, true],
    ['one millisecond before expiry', fresh, 'reset', at('2026-11-25T09:59:59.999Z'), true],
    ['exactly at expiry', fresh, 'reset', at('2026-11-25T10:00:00Z'), false],
    ['after expiry', fresh, 'reset', at('2026-11-25T10:00:01Z'), false],
    ['already used', { ...fresh, usedAt: at('2026-11-25T09:30:00Z') }, 'reset', now, false],
    ['other purpose (reset token used to confirm)', fresh, 'confirm', now, false],
    ['missing token', null, 'reset', now, false],
    ['undefined token', undefined, 'confirm', now, false],
  ])('%s → %s', (_label, token, purpose, when, expected) => {
    expect(isTokenUsable(token, purpose, when)).toBe(expected);
  });
});

describe('canEditPerson / canDecide', () => {
  it.each<[PersonStatus, boolean, boolean]>([
    ['pending', true, true],
    ['rejected', true, false],
    ['confirmed', false, false],
  ])('%s: editable %s, decidable %s', (status, editable, decidable) => {
    expect(canEditPerson(status)).toBe(editable);
    expect(canDecide(status)).toBe(decidable);
  });
});

describe('applyDecision', () => {
  it('confirm clears any reason', () => {
    expect(applyDecision('confirm', 'ignored')).toEqual({ status: 'confirmed', rejectReason: null });
    expect(applyDecision('confirm', null)).toEqual({ status: 'confirmed', rejectReason: null });
  });
  it('reject keeps the trimmed reason', () => {
    expect(applyDecision('reject', '  Полис не найден  ')).toEqual({
      status: 'rejected',
      rejectReason: 'Полис не найден',
    });
  });
  it.each([null, '', '   '])('reject without a reason (%j) is a programming error', (reason) => {
    expect(() => applyDecision('reject', reason)).toThrow();
  });
});

describe('isMainOnCreate', () => {
  it('the first person is the main one, later ones are not', () => {
    expect(isMainOnCreate(false)).toBe(true);
    expect(isMainOnCreate(true)).toBe(false);
  });
});

describe('tokenTag', () => {
  it('is a short prefix of the hash, never the whole hash', () => {
    const hash = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    expect(tokenTag(hash)).toBe('abcdefghijklmnop');
    expect(tokenTag(hash).length).toBeLessThan(hash.length);
  });
});

describe('isBirthDateInFuture', () => {
  it.each<[string, string, boolean]>([
    ['2026-11-25', '2026-11-25', false], // born today
    ['2026-11-26', '2026-11-25', true],
    ['1985-04-12', '2026-11-25', false],
    ['2027-01-01', '2026-12-31', true],
  ])('%s against today %s → %s', (birth, today, expected) => {
    expect(isBirthDateInFuture(birth, today)).toBe(expected);
  });
});
