import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipToKeep } from './content-coding.js';

describe('acceptsGzip', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip', true],
    ['GZIP', true],
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['br, *;q=0.5', true],
    ['x-gzip', true],
    ['gzip;q=abc', false],
    ['gzipped', false],
  ])('%j -> %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('reads a header given more than once', () => {
    expect(acceptsGzip(['br', 'gzip'])).toBe(true);
  });
});

describe('gzipToKeep', () => {
  it("compresses into a buffer of exactly its own size, not a view of zlib's chunk", () => {
    const body = Buffer.from(
      JSON.stringify(Array.from({ length: 252 }, (_, i) => ({ id: i, time: '10:00', state: 'free' }))),
    );
    const kept = gzipToKeep(body, 1);
    expect(gunzipSync(kept).equals(body)).toBe(true);
    expect(kept.length).toBeLessThan(body.length / 4);
    expect(kept.buffer.byteLength).toBe(kept.length);
    expect(kept.byteOffset).toBe(0);
  });
});
