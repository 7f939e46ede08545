// «Не смогу прийти» (SPEC section 8a): when a patient may release a visit after the cancel
// time (booking/visibility.rules.ts canReleaseOnline), and the deadline of the offer the
// waitlist gets for it (waitlist/waitlist.rules.ts releaseOfferDeadline).
import { describe, expect, it } from 'vitest';
import { canReleaseOnline, type AppointmentStatus, type Source } from '../booking/visibility.rules.js';
import { releaseOfferDeadline } from '../waitlist/waitlist.rules.js';

const at = (iso: string) => new Date(iso);

describe('canReleaseOnline: own portal visits, after the cut-off, before the visit, once', () => {
  // Visit: Friday 27 November 2026, 10:00 Samara (UTC+4) = 06:00 UTC; cut-off 18:00 Samara on the 26th = 14:00 UTC.
  const base = {
    source: 'portal' as Source,
    bookedByThisAccount: true,
    status: 'booked' as AppointmentStatus,
    startAt: at('2026-11-27T06:00:00Z'),
    timeZone: 'Europe/Samara',
    cutoff: '18:00',
    releasedAt: null as Date | null,
  };
  const cases: [string, Partial<typeof base>, string, string | null][] = [
    // [why, facts changed, now (UTC), expected refusal]
    ['after the cut-off: may release', {}, '2026-11-26T15:00:00Z', null],
    ['at the cut-off instant: may release', {}, '2026-11-26T14:00:00Z', null],
    ['one second before the cut-off: cancel instead', {}, '2026-11-26T13:59:59Z', 'RELEASE_BEFORE_CUTOFF'],
    ['days before: cancel instead', {}, '2026-11-20T09:00:00Z', 'RELEASE_BEFORE_CUTOFF'],
    ['an hour before the visit: may release', {}, '2026-11-27T05:00:00Z', null],
    ['the visit has started', {}, '2026-11-27T06:00:00Z', 'VISIT_IN_PAST'],
    ['the registry booked it', { source: 'registry' }, '2026-11-26T15:00:00Z', 'NOT_CANCELLABLE_HERE'],
    ['the kiosk booked it', { source: 'infomat' }, '2026-11-26T15:00:00Z', 'NOT_CANCELLABLE_HERE'],
    ['another account booked it', { bookedByThisAccount: false }, '2026-11-26T15:00:00Z', 'NOT_CANCELLABLE_HERE'],
    ['already cancelled', { status: 'cancelled' }, '2026-11-26T15:00:00Z', 'ALREADY_CANCELLED'],
    ['already visited', { status: 'visited' }, '2026-11-26T15:00:00Z', 'VISIT_IN_PAST'],
    ['released already', { releasedAt: at('2026-11-26T14:30:00Z') }, '2026-11-26T15:00:00Z', 'ALREADY_RELEASED'],
  ];
  it.each(cases)('%s', (_why, change, now, expected) => {
    expect(canReleaseOnline({ ...base, ...change }, at(now))).toBe(expected);
  });

  it('reads the cut-off in the organisation’s zone', () => {
    // 15:00 UTC on the 26th: past 18:00 in Samara (19:00), not yet in Kaliningrad (17:00).
    expect(canReleaseOnline(base, at('2026-11-26T15:00:00Z'))).toBeNull();
    expect(canReleaseOnline({ ...base, timeZone: 'Europe/Kaliningrad' }, at('2026-11-26T15:00:00Z'))).toBe(
      'RELEASE_BEFORE_CUTOFF',
    );
    // A visit at 00:30 Samara on the 27th (20:30 UTC on the 26th): its cut-off is 18:00 Samara on the 26th.
    const late = { ...base, startAt: at('2026-11-26T20:30:00Z') };
    expect(canReleaseOnline(late, at('2026-11-26T13:59:00Z'))).toBe('RELEASE_BEFORE_CUTOFF');
    expect(canReleaseOnline(late, at('2026-11-26T14:01:00Z'))).toBeNull();
  });
});

describe('releaseOfferDeadline: the response window, at the latest an hour before the visit', () => {
  const visit = at('2026-11-27T06:00:00Z');
  const cases: [string, string, number, string | null][] = [
    // [why, now (UTC), window hours, expected deadline (UTC) or null]
    ['the visit is far: an hour before it', '2026-11-26T15:00:00Z', 24, '2026-11-27T05:00:00.000Z'],
    ['a short operator window ends first', '2026-11-26T15:00:00Z', 2, '2026-11-26T17:00:00.000Z'],
    ['window and the hour before at the same instant', '2026-11-27T03:00:00Z', 2, '2026-11-27T05:00:00.000Z'],
    ['two hours away: exactly an hour to answer', '2026-11-27T04:00:00Z', 24, '2026-11-27T05:00:00.000Z'],
    ['a second less: no offer, only the mark', '2026-11-27T04:00:01Z', 24, null],
    ['less than an hour away: no offer, only the mark', '2026-11-27T05:10:00Z', 24, null],
  ];
  it.each(cases)('%s', (_why, now, windowHours, expected) => {
    const d = releaseOfferDeadline(at(now), visit, windowHours);
    expect(d === null ? null : d.toISOString()).toBe(expected);
  });

  it('is the same instant whatever the organisation’s zone (only instants count)', () => {
    // 10:00 Samara and 09:00 Moscow are one instant: one deadline, an hour before it.
    const samara = releaseOfferDeadline(at('2026-11-26T15:00:00Z'), at('2026-11-27T06:00:00Z'), 48);
    const moscowVisit = new Date(Date.parse('2026-11-27T09:00:00+03:00'));
    expect(releaseOfferDeadline(at('2026-11-26T15:00:00Z'), moscowVisit, 48)).toEqual(samara);
    expect(samara?.toISOString()).toBe('2026-11-27T05:00:00.000Z');
  });
});
