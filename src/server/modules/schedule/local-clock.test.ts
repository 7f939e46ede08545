import { fromAbsolute } from '@internationalized/date';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf, localTimeOf } from '../../../shared/time.js';
import { localParts } from './local-clock.js';

describe('localParts', () => {
  it.each([
    // 20:00 UTC on 26 November is 00:00 on 27 November in Samara (UTC+4).
    ['2026-11-26T20:00:00Z', 'Europe/Samara', '2026-11-27', '00:00'],
    // 00:59 UTC on 29 March 2026 is 01:59 CET; one minute later the clocks read 03:00 CEST.
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '2026-03-29', '01:59'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29', '03:00'],
    // 00:30 UTC on 25 October 2026 is the first 02:30 (CEST); 01:30 UTC the second (CET).
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25', '02:30'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25', '02:30'],
  ])('%s in %s is %s %s', (instant, tz, date, time) => {
    expect(localParts(new Date(instant).getTime(), tz)).toEqual({ date, time });
  });

  it('agrees with localDateOf / localTimeOf for any instant in zones with DST and half-hour offsets', () => {
    const zones = ['Europe/Samara', 'Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, tz) => {
          const d = new Date(ms - (ms % 60_000));
          expect(localParts(d.getTime(), tz)).toEqual({ date: localDateOf(d, tz), time: localTimeOf(d, tz) });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each(['Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe'])(
    'agrees minute by minute around every 2026 offset change in %s',
    (tz) => {
      const hour = 3_600_000;
      let changes = 0;
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += hour) {
        if (fromAbsolute(ms, tz).offset === fromAbsolute(ms + hour, tz).offset) continue;
        changes += 1;
        for (let m = ms - hour; m <= ms + 2 * hour; m += 60_000) {
          const d = new Date(m);
          expect(localParts(m, tz)).toEqual({ date: localDateOf(d, tz), time: localTimeOf(d, tz) });
        }
      }
      expect(changes).toBeGreaterThanOrEqual(2);
    },
  );
});
