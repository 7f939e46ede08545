import { describe, expect, it } from 'vitest';
import { timeRefusal } from '../booking/booking.rules.js';
import {
  bookingWindow,
  datesBetween,
  slotStateFor,
  slotsForTemplateDay,
  templateAppliesOn,
  templatesForDate,
  type SlotFacts,
  type TemplateHours,
} from './schedule.rules.js';

const hours = (
  startTime: string,
  endTime: string,
  slotMinutes: number,
  brk: [string, string] | null = null,
): TemplateHours => ({
  startTime,
  endTime,
  slotMinutes,
  breakStart: brk ? brk[0] : null,
  breakEnd: brk ? brk[1] : null,
});

const iso = (slots: { startAt: Date; endAt: Date }[]) =>
  slots.map((s) => `${s.startAt.toISOString().slice(0, 16)}/${s.endAt.toISOString().slice(11, 16)}`);

describe('slotsForTemplateDay', () => {
  it.each([
    {
      name: 'Samara (UTC+4), 08:00-10:00 by 30 min: 08:00, 08:30, 09:00, 09:30 local',
      t: hours('08:00', '10:00', 30),
      date: '2026-11-26',
      tz: 'Europe/Samara',
      expected: [
        '2026-11-26T04:00/04:30',
        '2026-11-26T04:30/05:00',
        '2026-11-26T05:00/05:30',
        '2026-11-26T05:30/06:00',
      ],
    },
    {
      name: 'Samara, a lunch break 10:00-10:30: 09:00, 09:30, then 10:30, 11:00 local',
      t: hours('09:00', '11:30', 30, ['10:00', '10:30']),
      date: '2026-11-26',
      tz: 'Europe/Samara',
      expected: [
        '2026-11-26T05:00/05:30',
        '2026-11-26T05:30/06:00',
        '2026-11-26T06:30/07:00',
        '2026-11-26T07:00/07:30',
      ],
    },
    {
      name: 'Samara, a break 09:15-09:45 not on the grid: 08:30, then 09:45 and 10:15 local (09:00 would overlap)',
      t: hours('08:30', '10:45', 30, ['09:15', '09:45']),
      date: '2026-11-26',
      tz: 'Europe/Samara',
      expected: ['2026-11-26T04:30/05:00', '2026-11-26T05:45/06:15', '2026-11-26T06:15/06:45'],
    },
    {
      name: 'Samara, the end not on the grid: 13:00-14:50 by 30 min stops at 14:00-14:30 local',
      t: hours('13:00', '14:50', 30),
      date: '2026-11-26',
      tz: 'Europe/Samara',
      expected: ['2026-11-26T09:00/09:30', '2026-11-26T09:30/10:00', '2026-11-26T10:00/10:30'],
    },
    {
      name: 'Samara just after midnight: 00:00 local on 27 Nov is 20:00 UTC on 26 Nov',
      t: hours('00:00', '00:40', 20),
      date: '2026-11-27',
      tz: 'Europe/Samara',
      expected: ['2026-11-26T20:00/20:20', '2026-11-26T20:20/20:40'],
    },
    {
      name: 'Berlin, Saturday before the spring change (CET, UTC+1): 09:00 local is 08:00 UTC',
      t: hours('09:00', '10:00', 30),
      date: '2026-03-28',
      tz: 'Europe/Berlin',
      expected: ['2026-03-28T08:00/08:30', '2026-03-28T08:30/09:00'],
    },
    {
      name: 'Berlin, the spring change day (CEST from 02:00, UTC+2): 09:00 local is 07:00 UTC',
      t: hours('09:00', '10:00', 30),
      date: '2026-03-29',
      tz: 'Europe/Berlin',
      expected: ['2026-03-29T07:00/07:30', '2026-03-29T07:30/08:00'],
    },
    {
      // Local 01:00-02:00 CET, then 02:00-03:00 does not exist (clocks jump to 03:00), then 03:00-04:00 CEST.
      name: 'Berlin, a night shift across the spring gap: the 02:00 slot does not exist and is not produced',
      t: hours('01:00', '04:00', 60),
      date: '2026-03-29',
      tz: 'Europe/Berlin',
      expected: ['2026-03-29T00:00/01:00', '2026-03-29T01:00/02:00'],
    },
    {
      // Local 01:00 CEST, 02:00 CEST (the first of the two 02:00s) to 03:00 CET (two real hours), 03:00 CET.
      name: 'Berlin, a night shift across the autumn change: the repeated hour lengthens one slot, none overlap',
      t: hours('01:00', '04:00', 60),
      date: '2026-10-25',
      tz: 'Europe/Berlin',
      expected: ['2026-10-24T23:00/00:00', '2026-10-25T00:00/02:00', '2026-10-25T02:00/03:00'],
    },
    {
      name: 'an end before the start gives nothing',
      t: hours('14:00', '08:00', 30),
      date: '2026-11-26',
      tz: 'Europe/Samara',
      expected: [],
    },
  ])('$name', ({ t, date, tz, expected }) => {
    expect(iso(slotsForTemplateDay(t, date, tz))).toEqual(expected);
  });

  it('gives 24 twenty-minute slots for 08:00-17:00 with a 12:00-13:00 lunch in Samara', () => {
    const s = slotsForTemplateDay(hours('08:00', '17:00', 20, ['12:00', '13:00']), '2026-11-26', 'Europe/Samara');
    expect(s).toHaveLength(24);
    // 12:00 local (08:00 UTC) to 13:00 local is the break.
    expect(s.some((x) => x.startAt.toISOString() === '2026-11-26T08:00:00.000Z')).toBe(false);
    expect(s.some((x) => x.startAt.toISOString() === '2026-11-26T09:00:00.000Z')).toBe(true);
  });
});

describe('templateAppliesOn', () => {
  // 2026-11-23 is a Monday, 2026-11-28 a Saturday.
  const monday = { weekday: 1, validFrom: '2026-11-01', validUntil: '2026-11-30' };
  it.each([
    ['a Monday inside the validity', monday, '2026-11-23', true],
    ['a Tuesday', monday, '2026-11-24', false],
    ['the Monday before validFrom', { ...monday, validFrom: '2026-11-24' }, '2026-11-23', false],
    ['validFrom itself', { ...monday, validFrom: '2026-11-23' }, '2026-11-23', true],
    ['validUntil itself', { ...monday, validUntil: '2026-11-23' }, '2026-11-23', true],
    ['a Monday after validUntil', monday, '2026-12-07', false],
    ['no end of validity', { ...monday, validUntil: null }, '2027-06-07', true],
    [
      'a Saturday template on a Saturday',
      { weekday: 6, validFrom: '2026-01-01', validUntil: null },
      '2026-11-28',
      true,
    ],
  ] as const)('%s', (_name, t, date, expected) => {
    expect(templateAppliesOn(t, date)).toBe(expected);
  });

  it('selects the templates of a date', () => {
    const ts = [
      { id: 1, weekday: 1, validFrom: '2026-01-01', validUntil: null },
      { id: 2, weekday: 2, validFrom: '2026-01-01', validUntil: null },
      { id: 3, weekday: 1, validFrom: '2027-01-01', validUntil: null },
    ];
    expect(templatesForDate(ts, '2026-11-23').map((t) => t.id)).toEqual([1]);
  });
});

describe('datesBetween', () => {
  it('lists local dates inclusively across a month end', () => {
    expect(datesBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(datesBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });
});

describe('bookingWindow', () => {
  it('selects exactly the instants timeRefusal accepts (Samara, 14 days)', () => {
    // now: 13:00 local on 25 November; last bookable date 8 December; window ends at 00:00 local on 9 December.
    const now = new Date('2026-11-25T09:00:00Z');
    const w = bookingWindow(now, 'Europe/Samara', 14);
    expect(w.today).toBe('2026-11-25');
    expect(w.lastDate).toBe('2026-12-08');
    expect(w.startsBefore.toISOString()).toBe('2026-12-08T20:00:00.000Z');
    const probes = [
      new Date('2026-11-25T09:00:00Z'),
      new Date('2026-11-25T09:00:01Z'),
      new Date('2026-12-08T19:59:00Z'),
      new Date('2026-12-08T20:00:00Z'),
    ];
    for (const p of probes) {
      const inWindow = p > w.startsAfter && p < w.startsBefore;
      expect(inWindow).toBe(timeRefusal(now, p, 'Europe/Samara', 14) === null);
    }
  });

  it('uses the local date, not UTC: 22:30 UTC is already tomorrow in Samara', () => {
    // 2026-11-25 22:30 UTC is 02:30 on 26 November local.
    const w = bookingWindow(new Date('2026-11-25T22:30:00Z'), 'Europe/Samara', 1);
    expect(w.today).toBe('2026-11-26');
    expect(w.lastDate).toBe('2026-11-26');
    expect(w.startsBefore.toISOString()).toBe('2026-11-26T20:00:00.000Z');
  });
});

describe('slotStateFor', () => {
  const now = 1_000_000;
  const base: SlotFacts = { status: 'free', heldUntilMs: null, heldByViewer: false, bookedByViewer: false };
  it.each([
    ['free', base, 'free'],
    ['blocked', { ...base, status: 'blocked' }, 'blocked'],
    ['booked by someone else', { ...base, status: 'booked' }, 'busy'],
    ['booked by the viewer through the portal', { ...base, status: 'booked', bookedByViewer: true }, 'mine'],
    ['held by someone else', { ...base, status: 'held', heldUntilMs: now + 1 }, 'busy'],
    ['held by the viewer', { ...base, status: 'held', heldUntilMs: now + 1, heldByViewer: true }, 'held_by_me'],
    ['held, the hold expired just now', { ...base, status: 'held', heldUntilMs: now }, 'free'],
    ['held by the viewer, expired', { ...base, status: 'held', heldUntilMs: now - 1, heldByViewer: true }, 'free'],
  ] as const)('%s', (_name, facts, expected) => {
    expect(slotStateFor(facts as SlotFacts, now)).toBe(expected);
  });
});
