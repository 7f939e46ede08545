import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSubscription, isAcceptableEndpoint, parseRetryAfter, pushOutcome } from './push.rules.js';

function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe('isAcceptableEndpoint', () => {
  it.each([
    ['https://fcm.googleapis.com/fcm/send/abc', false, true],
    ['https://updates.push.services.mozilla.com/wpush/v2/abc', false, true],
    ['https://web.push.apple.com/QGx', false, true],
    ['http://fcm.googleapis.com/fcm/send/abc', false, false],
    ['https://127.0.0.1/push', false, false],
    ['https://10.0.0.5/push', false, false],
    ['https://[::1]/push', false, false],
    ['https://localhost/push', false, false],
    ['https://intranet/push', false, false],
    ['https://user:pw@fcm.googleapis.com/x', false, false],
    ['ftp://fcm.googleapis.com/x', false, false],
    ['not a url', false, false],
    // development and tests: a local stand-in for the push service
    ['http://127.0.0.1:4321/push/1', true, true],
    ['https://localhost/push', true, true],
    ['ftp://127.0.0.1/x', true, false],
  ])('%s (local allowed: %s) -> %s', (endpoint, allowLocal, ok) => {
    expect(isAcceptableEndpoint(endpoint, allowLocal)).toBe(ok);
  });
});

describe('checkSubscription', () => {
  const endpoint = 'https://fcm.googleapis.com/fcm/send/abc';

  it('accepts what a browser sends and normalises the keys to unpadded base64url', () => {
    const keys = browserKeys();
    expect(checkSubscription({ endpoint, keys }, false)).toEqual({ endpoint, ...keys });
    const padded = {
      p256dh: Buffer.from(keys.p256dh, 'base64url').toString('base64'),
      auth: Buffer.from(keys.auth, 'base64url').toString('base64'),
    };
    expect(padded.auth.endsWith('==')).toBe(true);
    expect(checkSubscription({ endpoint, keys: padded }, false)).toEqual({ endpoint, ...keys });
  });

  it('refuses keys a browser could not have made', () => {
    const good = browserKeys();
    const point = Buffer.from(good.p256dh, 'base64url');
    const offCurve = Buffer.from(point);
    offCurve[64] ^= 0x01; // y no longer matches x
    const compressed = Buffer.concat([Buffer.from([0x02]), point.subarray(1, 33)]);
    const cases = [
      { p256dh: offCurve.toString('base64url'), auth: good.auth },
      { p256dh: compressed.toString('base64url'), auth: good.auth },
      { p256dh: 'not*base64url*at*all', auth: good.auth },
      { p256dh: good.p256dh, auth: randomBytes(12).toString('base64url') },
      { p256dh: good.p256dh, auth: randomBytes(32).toString('base64url') },
    ];
    for (const keys of cases) expect(checkSubscription({ endpoint, keys }, false)).toBeNull();
    expect(checkSubscription({ endpoint: 'http://127.0.0.1/x', keys: good }, false)).toBeNull();
  });
});

describe('pushOutcome', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  const at = (ms: number) => ({ kind: 'retry', at: new Date(now.getTime() + ms) });
  it.each([
    [201, 1, null, { kind: 'sent' }],
    [200, 3, null, { kind: 'sent' }],
    [404, 1, null, { kind: 'gone' }],
    [410, 5, null, { kind: 'gone' }],
    [500, 1, null, at(30_000)],
    [503, 2, null, at(60_000)],
    [null, 3, null, at(120_000)],
    [429, 1, 300, at(300_000)],
    [429, 1, 5, at(30_000)],
    [408, 1, null, at(30_000)],
    [500, 8, null, { kind: 'failed' }],
    [400, 1, null, { kind: 'failed' }],
    [403, 1, null, { kind: 'failed' }],
    [413, 1, null, { kind: 'failed' }],
  ])('status %s after attempt %i (Retry-After %s)', (status, attempts, retryAfter, outcome) => {
    expect(pushOutcome(status, attempts, now, retryAfter)).toEqual(outcome);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  it.each([
    [null, null],
    ['120', 120],
    [' 7 ', 7],
    ['Wed, 25 Nov 2026 09:01:00 GMT', 60],
    ['Wed, 25 Nov 2026 08:00:00 GMT', 0],
    ['soon', null],
  ])('%s -> %s', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
