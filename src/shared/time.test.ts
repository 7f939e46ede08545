import { describe, expect, it } from 'vitest';
import { addDays, ageOn, isoWeekday, localDateOf, localDateTimeOf, localTimeOf, zonedToInstant } from './time.js';

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
