import { describe, expect, it } from 'vitest';
import { auditActor, deletionConfirmation, erasedIdentity, exportFileName, pushServiceOf } from './owndata.rules.js';

describe('erasedIdentity', () => {
  it.each([
    [1, '00000000001', '0000000000000001'],
    [12345678, '00012345678', '0000000012345678'],
    [99_999_999, '00099999999', '0000000099999999'],
  ])('%i', (n, snils, policy) => {
    const id = erasedIdentity(n);
    expect(id).toEqual({ snils, policy });
    expect(id.snils).toMatch(/^[0-9]{11}$/);
    expect(id.policy).toMatch(/^[0-9]{16}$/);
    // Below 001-001-999, the first СНИЛС ever issued.
    expect(Number(id.snils.slice(0, 9))).toBeLessThan(1001999);
  });

  it.each([[0], [-1], [1.5], [100_000_000]])('refuses %s', (n) => {
    expect(() => erasedIdentity(n)).toThrow(RangeError);
  });
});

describe('pushServiceOf', () => {
  it.each([
    ['https://fcm.googleapis.com/fcm/send/abc:def', 'fcm.googleapis.com'],
    ['https://updates.push.services.mozilla.com/wpush/v2/gAAA', 'updates.push.services.mozilla.com'],
    ['not a url', 'неизвестно'],
  ])('%s', (endpoint, host) => {
    expect(pushServiceOf(endpoint)).toBe(host);
  });
});

describe('auditActor', () => {
  it.each([
    ['a', 'a', 'you'],
    ['b', 'a', 'staff'],
    [null, 'a', 'system'],
  ] as const)('%s for %s -> %s', (actor, account, by) => {
    expect(auditActor(actor, account)).toBe(by);
  });
});

describe('deletionConfirmation', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  it.each([
    [{ hasPassword: true, authMethod: 'password', sessionCreatedAt: minutesAgo(500) }, 'password'],
    [{ hasPassword: true, authMethod: 'esia', sessionCreatedAt: minutesAgo(1) }, 'password'],
    [{ hasPassword: false, authMethod: 'esia', sessionCreatedAt: minutesAgo(1) }, 'ok'],
    [{ hasPassword: false, authMethod: 'esia', sessionCreatedAt: minutesAgo(15) }, 'ok'],
    [{ hasPassword: false, authMethod: 'esia', sessionCreatedAt: minutesAgo(16) }, 'REAUTH_REQUIRED'],
    [{ hasPassword: false, authMethod: 'esia', sessionCreatedAt: null }, 'REAUTH_REQUIRED'],
    [{ hasPassword: false, authMethod: 'password', sessionCreatedAt: minutesAgo(1) }, 'REAUTH_REQUIRED'],
  ] as const)('%o -> %s', (input, expected) => {
    expect(deletionConfirmation({ ...input, now })).toBe(expected);
  });
});

describe('exportFileName', () => {
  it('names the date, never the person', () => {
    expect(exportFileName('2026-12-07')).toBe('priyom-moi-dannye-2026-12-07.json');
  });
});
