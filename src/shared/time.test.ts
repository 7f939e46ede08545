import { fromAbsolute } from '@internationalized/date';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  exactLocalPartsOf,
  exactZonedToInstant,
  isoWeekday,
  localDateOf,
  localDateTimeOf,
  localPartsOf,
  localTimeOf,
  zonedToInstant,
} from './time.js';

describe('time in an organisation zone', () => {
  it('converts wall time in Europe/Samara (UTC+4) to an instant and back', () => {
    // 09:30 in Izhevsk is 05:30 UTC.
    const i = zonedToInstant('2026-11-26', '09:30', 'Europe/Samara');
    expect(i.toISOString()).toBe('2026-11-26T05:30:00.000Z');
    expect(localTimeOf(i, 'Europe/Samara')).toBe('09:30');
    expect(localDateOf(i, 'Europe/Samara')).toBe('2026-11-26');
  });

  it('puts an instant late in the UTC evening on the next local day', () => {
    // 2026-11-25 21:30 UTC is 01:30 on 26 November in Samara.
    const i = new Date('2026-11-25T21:30:00Z');
    expect(localDateTimeOf(i, 'Europe/Samara')).toBe('2026-11-26T01:30');
    expect(localDateOf(i, 'UTC')).toBe('2026-11-25');
  });

  it('handles a DST gap: 02:30 on 2026-03-29 does not exist in Berlin', () => {
    const i = zonedToInstant('2026-03-29', '02:30', 'Europe/Berlin');
    expect(localTimeOf(i, 'Europe/Berlin')).toBe('03:30');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it.each([
    ['2026-11-23', 1],
    ['2026-11-25', 3],
    ['2026-11-29', 7],
    ['2024-01-01', 1],
    ['2023-12-31', 7],
  ])('weekday of %s is %i', (d, w) => {
    expect(isoWeekday(d)).toBe(w);
  });

  it.each([
    ['2008-11-25', '2026-11-25', 18],
    ['2008-11-26', '2026-11-25', 17],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ])('a person born %s is on %s %i years old', (b, on, age) => {
    expect(ageOn(b, on)).toBe(age);
  });
});

describe('the fast path (remembered quarter-hour offsets) agrees with the exact conversion', () => {
  const zones = [
    'Europe/Samara',
    'Europe/Moscow',
    'Asia/Yekaterinburg',
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Africa/Monrovia',
    'UTC',
  ];

  it.each([
    // 20:00 UTC on 26 November is 00:00 on 27 November in Samara (UTC+4).
    ['2026-11-26T20:00:00Z', 'Europe/Samara', '2026-11-27', '00:00'],
    // 00:59 UTC on 29 March 2026 is 01:59 CET; one minute later the clocks read 03:00 CEST.
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '2026-03-29', '01:59'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29', '03:00'],
    // 00:30 UTC on 25 October 2026 is the first 02:30 (CEST); 01:30 UTC the second (CET).
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25', '02:30'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25', '02:30'],
    // Moscow went from +4 to +3 at 02:00 local on 26 October 2014 (22:00 UTC on the 25th).
    ['2014-10-25T21:59:00Z', 'Europe/Moscow', '2014-10-26', '01:59'],
    ['2014-10-25T22:00:00Z', 'Europe/Moscow', '2014-10-26', '01:00'],
  ])('%s in %s is %s %s', (instant, tz, date, time) => {
    const ms = new Date(instant).getTime();
    expect(localPartsOf(ms, tz)).toEqual({ date, time });
    expect(localDateOf(new Date(ms), tz)).toBe(date);
    expect(localTimeOf(new Date(ms), tz)).toBe(time);
  });

  it('for local parts of any instant, 1970-2040, in zones with DST, half- and quarter-hour offsets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, tz) => {
        expect(localPartsOf(ms, tz)).toEqual(exactLocalPartsOf(ms, tz));
      }),
      { numRuns: 5000 },
    );
  });

  it('for the instant of any wall-clock minute, 1971-2040, gaps and repeated hours included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 }),
        fc.constantFrom(...zones),
        (minute, tz) => {
          const wall = new Date(minute * 60_000).toISOString();
          const date = wall.slice(0, 10);
          const time = wall.slice(11, 16);
          expect(zonedToInstant(date, time, tz).getTime()).toBe(exactZonedToInstant(date, time, tz).getTime());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each(['Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham'])(
    'minute by minute around every 2026 offset change in %s, both ways',
    (tz) => {
      const hour = 3_600_000;
      let changes = 0;
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += hour) {
        if (fromAbsolute(ms, tz).offset === fromAbsolute(ms + hour, tz).offset) continue;
        changes += 1;
        for (let m = ms - 2 * hour; m <= ms + 3 * hour; m += 60_000) {
          const parts = exactLocalPartsOf(m, tz);
          expect(localPartsOf(m, tz)).toEqual(parts);
          // Wall-clock minutes near the change, including skipped and repeated ones.
          const wall = new Date(m).toISOString();
          expect(zonedToInstant(wall.slice(0, 10), wall.slice(11, 16), tz).getTime()).toBe(
            exactZonedToInstant(wall.slice(0, 10), wall.slice(11, 16), tz).getTime(),
          );
        }
      }
      expect(changes).toBeGreaterThanOrEqual(2);
    },
  );
});
