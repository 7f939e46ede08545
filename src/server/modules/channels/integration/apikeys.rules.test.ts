import { describe, expect, it } from 'vitest';
import { keyFromRandom, keyPrefixOf, looksLikeKey, presentedKey, shouldRecordUse } from './apikeys.rules.js';

const key = keyFromRandom('AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde');

describe('key shape', () => {
  it('starts with the marker and keeps a short prefix in the clear', () => {
    expect(key.startsWith('priyom_')).toBe(true);
    expect(keyPrefixOf(key)).toBe('priyom_AbCdEfGh');
    expect(looksLikeKey(key)).toBe(true);
  });

  it.each([
    ['', false],
    ['priyom_', false],
    ['priyom_short', false],
    ['other_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde', false],
    ['priyom_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abc+e', false],
    ['priyom_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde', true],
  ])('%j looks like a key: %s', (value, expected) => {
    expect(looksLikeKey(value)).toBe(expected);
  });
});

describe('presentedKey', () => {
  it.each([
    [undefined, undefined, { kind: 'none' }],
    ['', '  ', { kind: 'none' }],
    [`Bearer ${key}`, undefined, { kind: 'key', key }],
    [`bearer   ${key} `, undefined, { kind: 'key', key }],
    [undefined, key, { kind: 'key', key }],
    [`Bearer ${key}`, key, { kind: 'key', key }],
    [`Basic ${key}`, undefined, { kind: 'malformed' }],
    ['Bearer', undefined, { kind: 'malformed' }],
    [`Bearer ${key} extra`, undefined, { kind: 'malformed' }],
    [`Bearer ${key}`, keyFromRandom('ZZZZEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde'), { kind: 'malformed' }],
    ['Bearer not-a-key', undefined, { kind: 'malformed' }],
    [undefined, 'not-a-key', { kind: 'malformed' }],
  ])('Authorization %j, X-Api-Key %j -> %j', (authorization, xApiKey, expected) => {
    expect(presentedKey(authorization, xApiKey)).toEqual(expected);
  });
});

describe('shouldRecordUse', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  it.each([
    [null, true],
    [new Date('2026-11-25T08:59:00Z'), true],
    [new Date('2026-11-25T08:59:00.001Z'), false],
    [new Date('2026-11-25T09:00:00Z'), false],
  ])('last used %s -> %s', (lastUsedAt, expected) => {
    expect(shouldRecordUse(lastUsedAt, now)).toBe(expected);
  });
});
