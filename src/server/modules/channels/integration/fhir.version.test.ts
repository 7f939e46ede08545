// Table tests of FHIR versions: versionId and lastUpdated of an appointment, content versions
// of slots and schedules, ETags and the conditional headers.
import { describe, expect, it } from 'vitest';
import {
  appointmentVersion,
  contentVersion,
  entityTags,
  etagOf,
  ifMatchVersion,
  instantOfMicros,
  notModified,
  versionOf,
  withVersion,
} from './fhir.version.js';

describe('appointment versions', () => {
  it.each([
    ['1795600800000000', '2026-11-25T10:00:00.000000Z'],
    ['1795600800123456', '2026-11-25T10:00:00.123456Z'],
    ['1795600800000001', '2026-11-25T10:00:00.000001Z'],
    ['0', '1970-01-01T00:00:00.000000Z'],
  ])('%s µs -> %s', (us, instant) => {
    expect(instantOfMicros(us)).toBe(instant);
    expect(appointmentVersion(us)).toEqual({ versionId: us, lastUpdated: instant });
  });

  it('refuses anything but microseconds', () => {
    expect(() => appointmentVersion('1.5')).toThrow();
    expect(() => appointmentVersion('-1')).toThrow();
  });
});

describe('content versions', () => {
  const slot = { resourceType: 'Slot', id: '7', status: 'free', start: 'a', end: 'b' };

  it('equal content, equal version; any change, a new one; meta never counts', () => {
    const v = contentVersion(slot).versionId;
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(contentVersion({ ...slot }).versionId).toBe(v);
    expect(contentVersion({ ...slot, status: 'busy' }).versionId).not.toBe(v);
    expect(contentVersion({ ...slot, meta: { versionId: 'x' } }).versionId).toBe(v);
    expect(contentVersion(slot).lastUpdated).toBeUndefined();
  });

  it('withVersion sets meta and keeps the rest of it', () => {
    const r = withVersion({ ...slot, meta: { profile: ['p'], lastUpdated: 'old' } }, { versionId: 'v1' });
    expect(r.meta).toEqual({ profile: ['p'], versionId: 'v1' });
    expect(versionOf(r)).toBe('v1');
    expect(withVersion(slot, { versionId: '5', lastUpdated: 'L' }).meta).toEqual({ versionId: '5', lastUpdated: 'L' });
    expect(versionOf(slot)).toBeNull();
  });
});

describe('entity tags', () => {
  it('ETag is weak', () => {
    expect(etagOf('123')).toBe('W/"123"');
  });

  it.each([
    [undefined, []],
    ['W/"1"', ['1']],
    ['"1"', ['1']],
    ['W/"1", "2" ,W/"3"', ['1', '2', '3']],
    ['*', ['*']],
    [
      ['W/"1"', 'W/"2"'],
      ['1', '2'],
    ],
    ['garbage', []],
  ] as const)('entityTags(%j) -> %j', (header, tags) => {
    expect(entityTags(header as string | string[] | undefined)).toEqual(tags);
  });

  it.each([
    ['W/"5"', '5', true],
    ['"5"', '5', true],
    ['W/"4", W/"5"', '5', true],
    ['*', '5', true],
    ['W/"4"', '5', false],
    [undefined, '5', false],
    ['5', '5', false],
  ] as const)('If-None-Match %j for version %s -> 304: %s', (header, version, expected) => {
    expect(notModified(header, version)).toBe(expected);
  });

  it.each([
    [undefined, null],
    ['W/"1795600800000000"', '1795600800000000'],
    ['"abc-1.2"', 'abc-1.2'],
    ['W/"1", W/"2"', 'invalid'],
    ['1', 'invalid'],
    ['*', 'invalid'],
  ] as const)('If-Match %j -> %j', (header, expected) => {
    expect(ifMatchVersion(header)).toBe(expected);
  });
});
