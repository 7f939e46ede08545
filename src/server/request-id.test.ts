import { describe, expect, it } from 'vitest';
import { acceptedRequestId, trustedPeer } from './request-id.js';

describe('acceptedRequestId', () => {
  it.each<[string | string[] | undefined, boolean, string | null]>([
    ['0f8e2c7a9b1d4e6f8a0b2c4d6e8f0a1b', true, '0f8e2c7a9b1d4e6f8a0b2c4d6e8f0a1b'],
    ['req-1.2:3_4', true, 'req-1.2:3_4'],
    ['0f8e2c7a9b1d4e6f8a0b2c4d6e8f0a1b', false, null], // not from a trusted proxy
    [undefined, true, null],
    ['', true, null],
    ['a'.repeat(65), true, null],
    ['has space', true, null],
    ['line\nbreak', true, null],
    ['Иванов', true, null],
    [['a', 'b'], true, null],
  ])('%j from a trusted peer: %s -> %s', (header, trusted, expected) => {
    expect(acceptedRequestId(header, trusted)).toBe(expected);
  });
});

describe('trustedPeer', () => {
  it.each<[boolean | number | string[], string | undefined, boolean]>([
    [false, '127.0.0.1', false],
    [true, '203.0.113.9', true],
    [1, '10.0.0.5', true],
    [['127.0.0.1'], '127.0.0.1', true],
    [['127.0.0.1'], '::ffff:127.0.0.1', true],
    [['127.0.0.1'], '127.0.0.2', false],
    [['10.0.0.0/8'], '10.20.30.40', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['fd00::/8'], 'fd12::1', true],
    [['fd00::/8'], '2001:db8::1', false],
    [['127.0.0.1'], undefined, false],
  ])('TRUST_PROXY %j, peer %s: %s', (trust, address, expected) => {
    expect(trustedPeer(trust)(address)).toBe(expected);
  });
});
