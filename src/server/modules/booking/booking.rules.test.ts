import { describe, expect, it } from 'vitest';
import { effectiveCutoff } from '../region/settings.service.js';
import type { ReferralFacts } from '../referrals/referral.rules.js';
import {
  bookingReferral,
  bookingRefusal,
  cancelBlockedText,
  cancellationDeadline,
  formatVisitTimeRu,
  isBeforeCutoff,
  lastBookableDate,
  bookableBefore,
  makeReference,
  nearestFreeTimes,
  personLimitRefusal,
  REFERENCE_ALPHABET,
  slotRefusal,
  timeRefusal,
  untilRu,
  onRu,
  visitGroup,
  weekdayGenitiveRu,
  type BookingFacts,
  type SlotState,
} from './booking.rules.js';

const zone = 'Europe/Samara';
const me = 'account-me';
const other = 'account-other';
const person = 'person-1';

describe('cancellationDeadline', () => {
  it.each([
    // [visit instant, cut-off, deadline instant, comment]
    [
      '2026-11-27T06:00:00Z',
      '18:00',
      '2026-11-26T14:00:00.000Z',
      '10:00 Samara on the 27th -> 18:00 Samara on the 26th',
    ],
    ['2026-11-26T20:30:00Z', '18:00', '2026-11-26T14:00:00.000Z', '00:30 Samara on the 27th (still the 26th in UTC)'],
    [
      '2026-11-27T19:59:00Z',
      '18:00',
      '2026-11-26T14:00:00.000Z',
      '23:59 Samara on the 27th -> still 18:00 on the 26th',
    ],
    ['2026-11-27T20:00:00Z', '18:00', '2026-11-27T14:00:00.000Z', '00:00 Samara on the 28th -> 18:00 on the 27th'],
    ['2026-12-01T05:00:00Z', '18:00', '2026-11-30T14:00:00.000Z', '09:00 Samara on 1 December -> 30 November'],
    ['2027-01-01T06:00:00Z', '20:30', '2026-12-31T16:30:00.000Z', 'across the year end'],
    ['2026-11-27T06:00:00Z', '00:00', '2026-11-25T20:00:00.000Z', 'midnight cut-off: 00:00 Samara on the 26th'],
  ])('visit %s with cut-off %s closes at %s (%s)', (start, cutoff, deadline) => {
    expect(cancellationDeadline(new Date(start), zone, cutoff).toISOString()).toBe(deadline);
  });

  it('uses the organisation override when there is one, the region time otherwise', () => {
    const start = new Date('2026-11-26T20:30:00Z'); // 00:30 Samara on the 27th
    expect(cancellationDeadline(start, zone, effectiveCutoff('18:00', null)).toISOString()).toBe(
      '2026-11-26T14:00:00.000Z',
    );
    // Override 15:00 Samara on the 26th = 11:00 UTC.
    expect(cancellationDeadline(start, zone, effectiveCutoff('18:00', '15:00')).toISOString()).toBe(
      '2026-11-26T11:00:00.000Z',
    );
    expect(isBeforeCutoff(new Date('2026-11-26T12:00:00Z'), start, zone, effectiveCutoff('18:00', null))).toBe(true);
    expect(isBeforeCutoff(new Date('2026-11-26T12:00:00Z'), start, zone, effectiveCutoff('18:00', '15:00'))).toBe(
      false,
    );
  });
});

describe('timeRefusal and the horizon', () => {
  // Now: 25 November 2026, 21:30 UTC = 01:30 Samara on the 26th.
  const now = new Date('2026-11-25T21:30:00Z');
  it('counts the horizon from the local date, not the UTC one', () => {
    expect(lastBookableDate(now, zone, 14)).toBe('2026-12-09');
    expect(lastBookableDate(now, 'UTC', 14)).toBe('2026-12-08');
  });

  it.each([
    ['a minute ago', '2026-11-25T21:29:00Z', 'SLOT_IN_PAST'],
    ['right now', '2026-11-25T21:30:00Z', 'SLOT_IN_PAST'],
    ['later today (09:00 Samara on the 26th)', '2026-11-26T05:00:00Z', null],
    ['the last bookable day, 23:30 Samara on 9 December', '2026-12-09T19:30:00Z', null],
    ['00:00 Samara on 10 December', '2026-12-09T20:00:00Z', 'SLOT_BEYOND_HORIZON'],
  ])('%s', (_name, start, expected) => {
    expect(timeRefusal(now, new Date(start), zone, 14)).toBe(expected);
  });
});

describe('slotRefusal', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  const live = new Date('2026-11-25T09:05:00Z');
  const expired = new Date('2026-11-25T09:00:00Z');
  const s = (
    status: string,
    holdAccountId: string | null = null,
    holdPersonId: string | null = null,
    heldUntil: Date | null = null,
  ): SlotState => ({
    status,
    holdAccountId,
    holdPersonId,
    heldUntil,
  });
  it.each([
    ['free, hold', s('free'), 'hold', null],
    ['free, book', s('free'), 'book', null],
    ['booked', s('booked'), 'hold', 'SLOT_TAKEN'],
    ['booked, book', s('booked'), 'book', 'SLOT_TAKEN'],
    ['blocked', s('blocked'), 'hold', 'SLOT_BLOCKED'],
    ['blocked, book', s('blocked'), 'book', 'SLOT_BLOCKED'],
    ['free, a portal slot', { ...s('free'), channel: 'portal' }, 'book', null],
    ['free, kept for the registry', { ...s('free'), channel: 'registry' }, 'book', 'SLOT_NOT_FOR_PORTAL'],
    ['free, kept for referrals, hold', { ...s('free'), channel: 'referral' }, 'hold', 'SLOT_NOT_FOR_PORTAL'],
    [
      'booked and kept for the registry: not the portal’s (whether taken is not said)',
      { ...s('booked'), channel: 'registry' },
      'book',
      'SLOT_NOT_FOR_PORTAL',
    ],
    ['no channel given (the clinic books): free', { ...s('free'), channel: undefined }, 'book', null],
    ['held by another account', s('held', other, 'p2', live), 'hold', 'SLOT_TAKEN'],
    ['held by another account, book', s('held', other, 'p2', live), 'book', 'SLOT_TAKEN'],
    ['held by another account, expired exactly now', s('held', other, 'p2', expired), 'book', null],
    ['held for a waitlist offer (no account)', s('held', null, 'p2', live), 'book', 'SLOT_TAKEN'],
    ['held by me for this person', s('held', me, person, live), 'book', null],
    ['held by me for another person, re-hold', s('held', me, 'p2', live), 'hold', null],
    ['held by me for another person, book', s('held', me, 'p2', live), 'book', 'HOLD_NOT_FOUND'],
    ['held by me for another person, expired, book', s('held', me, 'p2', expired), 'book', null],
  ] as const)('%s', (_name, slot, mode, expected) => {
    expect(slotRefusal(slot, me, person, now, mode)).toBe(expected);
  });
});

describe('personLimitRefusal', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  const at = (start: string, minutes: number, specialtyId: number) => ({
    startAt: new Date(start),
    endAt: new Date(new Date(start).getTime() + minutes * 60_000),
    specialtyId,
  });
  const candidate = at('2026-11-27T06:00:00Z', 30, 1);
  it.each([
    ['nothing booked', [], 1, null],
    ['the same time at another specialist', [at('2026-11-27T06:00:00Z', 30, 2)], 1, 'OVERLAPPING_APPOINTMENT'],
    ['a partial overlap', [at('2026-11-27T06:15:00Z', 30, 2)], 3, 'OVERLAPPING_APPOINTMENT'],
    ['back to back before', [at('2026-11-27T05:30:00Z', 30, 2)], 1, null],
    ['back to back after', [at('2026-11-27T06:30:00Z', 30, 2)], 1, null],
    ['one future visit of this specialty, limit 1', [at('2026-11-30T06:00:00Z', 30, 1)], 1, 'SPECIALTY_LIMIT_REACHED'],
    ['one future visit of this specialty, limit 2', [at('2026-11-30T06:00:00Z', 30, 1)], 2, null],
    [
      'two future visits of this specialty, limit 2',
      [at('2026-11-30T06:00:00Z', 30, 1), at('2026-12-01T06:00:00Z', 30, 1)],
      2,
      'SPECIALTY_LIMIT_REACHED',
    ],
    ['a past visit of this specialty does not count', [at('2026-11-20T06:00:00Z', 30, 1)], 1, null],
    ['a future visit of another specialty', [at('2026-11-30T06:00:00Z', 30, 2)], 1, null],
  ] as const)('%s', (_name, active, max, expected) => {
    expect(personLimitRefusal([...active], candidate, max, now)).toBe(expected);
  });
});

describe('bookingRefusal', () => {
  const now = new Date('2026-11-25T09:00:00Z'); // 13:00 Samara
  const base: BookingFacts = {
    accountId: me,
    person: { id: person, birthDate: '1985-04-12', sex: 'F' },
    slot: {
      status: 'free',
      holdAccountId: null,
      holdPersonId: null,
      heldUntil: null,
      startAt: new Date('2026-11-27T06:00:00Z'),
      endAt: new Date('2026-11-27T06:30:00Z'),
    },
    doctorActive: true,
    timeZone: zone,
    specialty: { id: 1, minAge: null, maxAge: null, sex: null },
    active: [],
    horizonDays: 14,
    maxPerSpecialty: 1,
  };
  const withSlot = (over: Partial<BookingFacts['slot']>) => ({ slot: { ...base.slot, ...over } });
  it.each([
    ['a free slot for an adult', {}, null],
    [
      'the past',
      withSlot({ startAt: new Date('2026-11-25T08:00:00Z'), endAt: new Date('2026-11-25T08:30:00Z') }),
      'SLOT_IN_PAST',
    ],
    [
      'beyond the horizon',
      withSlot({ startAt: new Date('2026-12-20T06:00:00Z'), endAt: new Date('2026-12-20T06:30:00Z') }),
      'SLOT_BEYOND_HORIZON',
    ],
    [
      'a past slot that is also booked: the time is named first',
      withSlot({ status: 'booked', startAt: new Date('2026-11-25T08:00:00Z') }),
      'SLOT_IN_PAST',
    ],
    ['an inactive doctor', { doctorActive: false }, 'SLOT_BLOCKED'],
    ['a booked slot', withSlot({ status: 'booked' }), 'SLOT_TAKEN'],
    [
      'a child to the adult therapist',
      {
        person: { id: person, birthDate: '2016-01-01', sex: 'M' },
        specialty: { id: 1, minAge: 18, maxAge: null, sex: null },
      },
      'AGE_RESTRICTED',
    ],
    [
      'a man to the gynaecologist',
      {
        person: { id: person, birthDate: '1980-01-01', sex: 'M' },
        specialty: { id: 1, minAge: null, maxAge: null, sex: 'F' },
      },
      'SEX_RESTRICTED',
    ],
    // Born 27 November 2008: 18 on the visit day (27 November Samara), so not the pediatrician's any more.
    [
      '18 on the visit day to the pediatrician',
      {
        person: { id: person, birthDate: '2008-11-27', sex: 'F' },
        specialty: { id: 1, minAge: null, maxAge: 18, sex: null },
      },
      'AGE_RESTRICTED',
    ],
    [
      'overlap',
      {
        active: [
          { startAt: new Date('2026-11-27T06:00:00Z'), endAt: new Date('2026-11-27T06:30:00Z'), specialtyId: 2 },
        ],
      },
      'OVERLAPPING_APPOINTMENT',
    ],
    [
      'specialty limit',
      {
        active: [
          { startAt: new Date('2026-11-28T06:00:00Z'), endAt: new Date('2026-11-28T06:30:00Z'), specialtyId: 1 },
        ],
      },
      'SPECIALTY_LIMIT_REACHED',
    ],
  ] as const)('%s', (_name, over, expected) => {
    expect(bookingRefusal({ ...base, ...over } as BookingFacts, now, 'book')).toBe(expected);
  });

  it('judges the age on the visit’s local date (00:30 Samara on the 27th is the 26th in UTC)', () => {
    const f: BookingFacts = {
      ...base,
      person: { id: person, birthDate: '2008-11-27', sex: 'F' },
      specialty: { id: 1, minAge: null, maxAge: 18, sex: null },
      slot: { ...base.slot, startAt: new Date('2026-11-26T20:30:00Z'), endAt: new Date('2026-11-26T21:00:00Z') },
    };
    expect(bookingRefusal(f, now, 'book')).toBe('AGE_RESTRICTED');
  });

  // Referrals (SPEC 8a): the visit is on 27 November (Samara); a patient's own booking.
  const referral = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
    id: 'r1',
    specialtyId: 1,
    organisationId: null,
    validFrom: '2026-11-20',
    validUntil: '2026-11-27',
    revoked: false,
    usedBy: null,
    ...over,
  });
  const byReferral = (selfBooking: boolean, candidates: ReferralFacts[], channel = 'portal') => ({
    slot: { ...base.slot, channel },
    referral: { selfBooking, organisationId: 5, candidates },
  });
  it.each([
    ['a specialty booked without a referral', byReferral(true, []), null, null],
    ['«по направлению» without one', byReferral(false, []), 'REFERRAL_REQUIRED', null],
    ['«по направлению» with a valid one', byReferral(false, [referral()]), null, 'r1'],
    ['valid until the visit day (last day)', byReferral(false, [referral({ validUntil: '2026-11-27' })]), null, 'r1'],
    [
      'expired the day before the visit',
      byReferral(false, [referral({ validUntil: '2026-11-26' })]),
      'REFERRAL_NOT_VALID',
      null,
    ],
    [
      'valid only from the day after',
      byReferral(false, [referral({ validFrom: '2026-11-28', validUntil: '2026-12-10' })]),
      'REFERRAL_NOT_VALID',
      null,
    ],
    ['for another organisation', byReferral(false, [referral({ organisationId: 6 })]), 'REFERRAL_NOT_VALID', null],
    ['for this organisation', byReferral(false, [referral({ organisationId: 5 })]), null, 'r1'],
    ['used by another visit', byReferral(false, [referral({ usedBy: 'a1' })]), 'REFERRAL_USED', null],
    ['revoked (none left)', byReferral(false, [referral({ revoked: true })]), 'REFERRAL_REQUIRED', null],
    ['a time kept for referrals, with one', byReferral(true, [referral()], 'referral'), null, 'r1'],
    ['a time kept for referrals, without one', byReferral(true, [], 'referral'), 'SLOT_NOT_FOR_PORTAL', null],
    ['«по направлению», a referral time, without one', byReferral(false, [], 'referral'), 'REFERRAL_REQUIRED', null],
    // The referral it would use is named, but the time is the registry's.
    ['a registry time, even with a referral', byReferral(false, [referral()], 'registry'), 'SLOT_NOT_FOR_PORTAL', 'r1'],
    [
      'the clinic books (no referral facts): a «по направлению» time of any channel',
      { slot: { ...base.slot, channel: undefined } },
      null,
      null,
    ],
  ] as const)('%s: %s, uses %s', (_name, over, expected, used) => {
    const f = { ...base, ...over } as BookingFacts;
    expect(bookingRefusal(f, now, 'book')).toBe(expected);
    const choice = bookingReferral(f);
    expect(choice && 'referralId' in choice ? choice.referralId : null).toBe(used);
  });
});

describe('makeReference', () => {
  it('is ПР- and 8 characters of the unambiguous alphabet', () => {
    let i = 0;
    const ref = makeReference((n) => i++ % n);
    expect(ref).toBe('ПР-23456789');
    for (let k = 0; k < 50; k++) {
      expect(makeReference((n) => Math.floor(Math.random() * n))).toMatch(/^ПР-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    }
    expect(REFERENCE_ALPHABET).not.toMatch(/[01OIL]/);
  });
});

describe('cancelBlockedText', () => {
  it('explains the cut-off and the registry phone', () => {
    expect(cancelBlockedText('CUTOFF_PASSED', '18:00', '+7 3412 00-00-00')).toBe(
      'Отмена через портал закрыта в 18:00 накануне визита: регистратура уже сформировала списки пациентов и подобрала медицинские карты. Позвоните в регистратуру по телефону +7 3412 00-00-00.',
    );
    expect(cancelBlockedText('NOT_CANCELLABLE_HERE', '18:00', '+7 3412 00-00-00')).toBe(
      'Запись сделана не через портал: отменить её можно в регистратуре по телефону +7 3412 00-00-00.',
    );
    expect(cancelBlockedText(null, '18:00', 'x')).toBeNull();
    expect(cancelBlockedText('ALREADY_CANCELLED', '18:00', 'x')).toBeNull();
    expect(cancelBlockedText('VISIT_IN_PAST', '18:00', 'x')).toBeNull();
  });
});

describe('formatVisitTimeRu', () => {
  it('writes the local date and 24-hour time in Russian', () => {
    // 20:30 UTC on the 26th is 00:30 on Friday 27 November in Samara.
    expect(formatVisitTimeRu(new Date('2026-11-26T20:30:00Z'), zone)).toBe('пятница, 27 ноября 2026 г., 00:30');
    expect(formatVisitTimeRu(new Date('2026-11-26T11:00:00Z'), zone)).toBe('четверг, 26 ноября 2026 г., 15:00');
  });
});

describe('visitGroup: where the card file lists a visit', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  it.each([
    ['a week ahead', '2026-12-02T06:00:00Z', 'future'],
    ['a minute ahead', '2026-11-25T09:01:00Z', 'future'],
    ['starting now', '2026-11-25T09:00:00Z', 'past'],
    ['yesterday', '2026-11-24T06:00:00Z', 'past'],
  ] as const)('%s -> %s (booked or cancelled alike)', (_, startAt, group) => {
    expect(visitGroup(new Date(startAt), now)).toBe(group);
  });
});

describe('weekdayGenitiveRu and untilRu', () => {
  it.each([
    ['2026-11-23', 'понедельника'],
    ['2026-11-24', 'вторника'],
    ['2026-11-25', 'среды'],
    ['2026-11-26', 'четверга'],
    ['2026-11-27', 'пятницы'],
    ['2026-11-28', 'субботы'],
    ['2026-11-29', 'воскресенья'],
  ])('%s -> до %s', (date, word) => {
    expect(weekdayGenitiveRu(date)).toBe(word);
  });

  it('says a deadline after «до» with the weekday in the genitive, in the zone', () => {
    expect(untilRu(new Date('2026-11-24T14:00:00Z'), zone)).toBe('до вторника, 24 ноября 2026 г., 18:00');
    // 20:30 UTC on Saturday is 00:30 on Sunday in Samara.
    expect(untilRu(new Date('2026-11-28T20:30:00Z'), zone)).toBe('до воскресенья, 29 ноября 2026 г., 00:30');
  });
});

describe('onRu', () => {
  it.each([
    ['2026-11-23T06:00:00Z', 'в понедельник, 23 ноября 2026 г., 10:00'],
    ['2026-11-24T06:00:00Z', 'во вторник, 24 ноября 2026 г., 10:00'],
    ['2026-11-25T06:00:00Z', 'в среду, 25 ноября 2026 г., 10:00'],
    ['2026-11-26T06:00:00Z', 'в четверг, 26 ноября 2026 г., 10:00'],
    ['2026-11-27T06:00:00Z', 'в пятницу, 27 ноября 2026 г., 10:00'],
    ['2026-11-28T06:00:00Z', 'в субботу, 28 ноября 2026 г., 10:00'],
    ['2026-11-29T06:00:00Z', 'в воскресенье, 29 ноября 2026 г., 10:00'],
  ])('%s -> %s (the weekday in the accusative, in the zone)', (instant, text) => {
    expect(onRu(new Date(instant), zone)).toBe(text);
  });
});

describe('nearestFreeTimes', () => {
  // now: 13:00 local (Samara, UTC+4) on 25 November; horizon 14 days: the last bookable date is 8 December.
  const now = new Date('2026-11-25T09:00:00Z');
  const at = (iso: string, id: number) => ({ id, startAt: new Date(iso) });
  const refused = at('2026-11-27T06:00:00Z', 1); // 10:00 local on 27 November
  const none = () => false;
  const byStart = (list: { id: number; startAt: Date }[]) =>
    [...list].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());

  it('names the nearest times, the earlier on a tie, at most max, in order of start', () => {
    const free = [
      at('2026-11-27T08:00:00Z', 2), // +2 h
      at('2026-11-27T05:00:00Z', 3), // -1 h
      at('2026-11-27T07:00:00Z', 4), // +1 h (tie with 3: the earlier wins)
      at('2026-11-28T06:00:00Z', 5), // +1 day
      at('2026-11-27T06:30:00Z', 6), // +30 min
    ];
    expect(nearestFreeTimes(refused, byStart(free), now, zone, 14, none, 3).map((f) => f.id)).toEqual([3, 6, 4]);
    expect(nearestFreeTimes(refused, byStart(free), now, zone, 14, none, 10).map((f) => f.id)).toEqual([3, 6, 4, 2, 5]);
  });

  it('leaves out the refused slot, times that have begun, times past the horizon and the skipped ones', () => {
    const free = [
      refused,
      at('2026-11-25T08:30:00Z', 2), // 12:30 local today: begun
      at('2026-11-25T09:00:00Z', 3), // starts right now: begun
      at('2026-12-08T19:00:00Z', 4), // 23:00 local on 8 December: the last bookable day
      at('2026-12-08T20:00:00Z', 5), // 00:00 local on 9 December: past the horizon
      at('2026-11-27T06:30:00Z', 6), // being booked in this process (skipped)
      at('2026-11-27T07:00:00Z', 7),
    ];
    expect(nearestFreeTimes(refused, byStart(free), now, zone, 14, (id) => id === 6, 10).map((f) => f.id)).toEqual([
      7, 4,
    ]);
    expect(nearestFreeTimes(refused, [], now, zone, 14, none, 10)).toEqual([]);
  });
});

describe('bookableBefore', () => {
  it('is the local midnight after the last bookable date, where timeRefusal turns to SLOT_BEYOND_HORIZON', () => {
    const now = new Date('2026-11-25T09:00:00Z'); // 13:00 in Samara; horizon 14 days: last date 8 December
    const before = bookableBefore(now, zone, 14);
    expect(before.toISOString()).toBe('2026-12-08T20:00:00.000Z');
    expect(timeRefusal(now, new Date(before.getTime() - 60_000), zone, 14)).toBeNull();
    expect(timeRefusal(now, before, zone, 14)).toBe('SLOT_BEYOND_HORIZON');
  });
});
