import { describe, expect, it } from 'vitest';
import { acceptsGzip } from './content-coding.js';

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
