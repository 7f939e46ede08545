// The template rules the clinic edits (issue 16), table-driven: weekdays, odd and even dates,
// breaks, exceptions, quotas, month and year ends, and organisations in several Russian time
// zones while the server runs in UTC. Every case names the local times it expects.
import { describe, expect, it } from 'vitest';
import {
  channelsForDay,
  planDoctorDay,
  planDoctorSlots,
  reconcileSlots,
  ruleAppliesOn,
  type DayException,
  type ExistingSlot,
  type PlannedSlot,
  type TemplateRule,
} from './schedule.rules.js';

const DOCTOR = 7;

function rule(over: Partial<TemplateRule> = {}): TemplateRule {
  return {
    dayRule: 'weekday',
    weekday: 1,
    startTime: '09:00',
    endTime: '10:00',
    slotMinutes: 30,
    breaks: [],
    validFrom: '2026-01-01',
    validUntil: null,
    registryPercent: 0,
    referralPercent: 0,
    ...over,
  };
}

function exception(over: Partial<DayException> & Pick<DayException, 'date' | 'kind'>): DayException {
  return { doctorId: DOCTOR, startTime: null, endTime: null, slotMinutes: null, ...over };
}

/** 'YYYY-MM-DDTHH:MM' UTC starts with their channel's first letter when not portal. */
const show = (slots: PlannedSlot[]) =>
  slots.map((s) => `${s.startAt.toISOString().slice(0, 16)}${s.channel === 'portal' ? '' : ` ${s.channel}`}`);

describe('ruleAppliesOn', () => {
  it.each([
    { name: 'weekday 1 on Monday 7 Dec 2026', r: rule({ weekday: 1 }), date: '2026-12-07', applies: true },
    { name: 'weekday 1 on Tuesday 8 Dec 2026', r: rule({ weekday: 1 }), date: '2026-12-08', applies: false },
    {
      name: 'weekday 7 on Sunday 3 Jan 2027 (across the year end)',
      r: rule({ weekday: 7 }),
      date: '2027-01-03',
      applies: true,
    },
    { name: 'odd dates on the 31st', r: rule({ dayRule: 'odd', weekday: null }), date: '2026-12-31', applies: true },
    {
      name: 'odd dates on 1 Jan, right after the odd 31st',
      r: rule({ dayRule: 'odd', weekday: null }),
      date: '2027-01-01',
      applies: true,
    },
    { name: 'odd dates on the 30th', r: rule({ dayRule: 'odd', weekday: null }), date: '2026-11-30', applies: false },
    {
      name: 'even dates on 28 Feb 2027 (the month’s last day)',
      r: rule({ dayRule: 'even', weekday: null }),
      date: '2027-02-28',
      applies: true,
    },
    {
      name: 'even dates on 1 Mar 2027',
      r: rule({ dayRule: 'even', weekday: null }),
      date: '2027-03-01',
      applies: false,
    },
    {
      name: 'odd dates on 29 Feb 2028 (a leap day)',
      r: rule({ dayRule: 'odd', weekday: null }),
      date: '2028-02-29',
      applies: true,
    },
    { name: 'before validFrom', r: rule({ validFrom: '2026-12-08' }), date: '2026-12-07', applies: false },
    { name: 'on validUntil (inclusive)', r: rule({ validUntil: '2026-12-07' }), date: '2026-12-07', applies: true },
    { name: 'after validUntil', r: rule({ validUntil: '2026-12-06', weekday: 1 }), date: '2026-12-07', applies: false },
  ])('$name', ({ r, date, applies }) => {
    expect(ruleAppliesOn(r, date)).toBe(applies);
  });
});

describe('channelsForDay', () => {
  it.each([
    { count: 5, registry: 0, referral: 0, expected: 'PPPPP' },
    // 1 of 4 for the registry: the middle of the day.
    { count: 4, registry: 25, referral: 0, expected: 'PPRP' },
    // 2 of 10 for the registry (spread: 3rd and 8th), 1 of 10 for referrals among the rest.
    { count: 10, registry: 20, referral: 10, expected: 'PPRPPFPRPP' },
    // Half and half of 3: rounding would ask for 4 slots; referrals get what is left.
    { count: 3, registry: 50, referral: 50, expected: 'RFR' },
    { count: 5, registry: 100, referral: 0, expected: 'RRRRR' },
    { count: 4, registry: 0, referral: 100, expected: 'FFFF' },
    { count: 0, registry: 50, referral: 0, expected: '' },
    // 10 % of 4 slots rounds to none.
    { count: 4, registry: 10, referral: 0, expected: 'PPPP' },
  ])(
    '$count slots, registry $registry %, referral $referral % -> $expected',
    ({ count, registry, referral, expected }) => {
      const letters = channelsForDay(count, registry, referral).map((c) =>
        c === 'portal' ? 'P' : c === 'registry' ? 'R' : 'F',
      );
      expect(letters.join('')).toBe(expected);
    },
  );
});

describe('planDoctorDay', () => {
  it.each([
    {
      // Samara is UTC+4: 09:00 and 09:30 local on Monday 7 Dec 2026.
      name: 'Samara, a Monday rule on Monday: 09:00, 09:30 local',
      rules: [rule()],
      exceptions: [],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T05:00', '2026-12-07T05:30'],
    },
    {
      name: 'Samara, a Monday rule on Tuesday: nothing',
      rules: [rule()],
      exceptions: [],
      date: '2026-12-08',
      tz: 'Europe/Samara',
      expected: [],
    },
    {
      // Kaliningrad is UTC+2: 09:00 local is 07:00 UTC.
      name: 'Kaliningrad, odd dates on 31 Dec: 09:00, 09:30 local',
      rules: [rule({ dayRule: 'odd', weekday: null })],
      exceptions: [],
      date: '2026-12-31',
      tz: 'Europe/Kaliningrad',
      expected: ['2026-12-31T07:00', '2026-12-31T07:30'],
    },
    {
      // Vladivostok is UTC+10: 08:00 local on 1 Jan 2027 is 22:00 UTC on 31 Dec 2026 (the UTC
      // date is even, the local date odd: the local date decides).
      name: 'Vladivostok, odd dates on 1 Jan 2027: 08:00, 08:30 local, still 2026 in UTC',
      rules: [rule({ dayRule: 'odd', weekday: null, startTime: '08:00', endTime: '09:00' })],
      exceptions: [],
      date: '2027-01-01',
      tz: 'Asia/Vladivostok',
      expected: ['2026-12-31T22:00', '2026-12-31T22:30'],
    },
    {
      name: 'Vladivostok, even dates on 1 Jan 2027: nothing',
      rules: [rule({ dayRule: 'even', weekday: null, startTime: '08:00', endTime: '09:00' })],
      exceptions: [],
      date: '2027-01-01',
      tz: 'Asia/Vladivostok',
      expected: [],
    },
    {
      // 08:00-12:00 by 30 with breaks 09:00-09:30 and 10:45-11:15 (not on the grid):
      // 08:00, 08:30, 09:30, 10:00, then 10:30 would overlap -> 11:15 (UTC+4).
      name: 'Samara, two breaks: 08:00 08:30 | 09:30 10:00 | 11:15 local',
      rules: [
        rule({
          startTime: '08:00',
          endTime: '12:00',
          breaks: [
            { start: '10:45', end: '11:15' },
            { start: '09:00', end: '09:30' },
          ],
        }),
      ],
      exceptions: [],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T04:00', '2026-12-07T04:30', '2026-12-07T05:30', '2026-12-07T06:00', '2026-12-07T07:15'],
    },
    {
      name: 'Samara, the doctor’s day off: nothing',
      rules: [rule()],
      exceptions: [exception({ date: '2026-12-07', kind: 'day_off' })],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: [],
    },
    {
      name: 'Samara, an organisation holiday: nothing',
      rules: [rule()],
      exceptions: [exception({ date: '2026-12-07', kind: 'holiday', doctorId: null })],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: [],
    },
    {
      name: 'Samara, another doctor’s day off changes nothing: 09:00, 09:30 local',
      rules: [rule()],
      exceptions: [exception({ date: '2026-12-07', kind: 'day_off', doctorId: DOCTOR + 1 })],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T05:00', '2026-12-07T05:30'],
    },
    {
      // A different day: 14:00-15:00 by 20 (UTC+4), even where no rule applies (a Saturday).
      name: 'Samara, other hours on a Saturday: 14:00, 14:20, 14:40 local',
      rules: [rule()],
      exceptions: [
        exception({ date: '2026-12-12', kind: 'other_hours', startTime: '14:00', endTime: '15:00', slotMinutes: 20 }),
      ],
      date: '2026-12-12',
      tz: 'Europe/Samara',
      expected: ['2026-12-12T10:00', '2026-12-12T10:20', '2026-12-12T10:40'],
    },
    {
      // The doctor's own exception wins over the organisation's holiday on the same date.
      name: 'Samara, the doctor works other hours on an organisation holiday: 11:00 local',
      rules: [rule()],
      exceptions: [
        exception({ date: '2026-12-07', kind: 'holiday', doctorId: null }),
        exception({ date: '2026-12-07', kind: 'other_hours', startTime: '11:00', endTime: '11:30', slotMinutes: 30 }),
      ],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T07:00'],
    },
    {
      // 4 slots 09:00-11:00 local, a quarter for the registry (the 3rd), a quarter for referrals.
      name: 'Samara, quotas: 09:00 portal, 09:30 referral, 10:00 registry, 10:30 portal',
      rules: [rule({ endTime: '11:00', registryPercent: 25, referralPercent: 25 })],
      exceptions: [],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T05:00', '2026-12-07T05:30 referral', '2026-12-07T06:00 registry', '2026-12-07T06:30'],
    },
    {
      // Two rules on one Monday overlap (09:00-10:00 by 30 and 09:15-10:15 by 30): the
      // earlier slot at each time wins; 09:45 overlaps 09:30 and is left out.
      name: 'Samara, overlapping rules: 09:00, 09:30 local only',
      rules: [rule(), rule({ startTime: '09:15', endTime: '10:15' })],
      exceptions: [],
      date: '2026-12-07',
      tz: 'Europe/Samara',
      expected: ['2026-12-07T05:00', '2026-12-07T05:30'],
    },
  ])('$name', ({ rules, exceptions, date, tz, expected }) => {
    expect(show(planDoctorDay(rules, exceptions, DOCTOR, date, tz))).toEqual(expected);
  });

  it('planDoctorSlots leaves out what started: Vladivostok at 09:15 local on 7 Dec (23:15 UTC on 6 Dec)', () => {
    const slots = planDoctorSlots(
      [rule()],
      [],
      DOCTOR,
      ['2026-12-07', '2026-12-08'],
      'Asia/Vladivostok',
      new Date('2026-12-06T23:15:00Z'),
    );
    // 09:00 local has begun; 09:30 local (23:30 UTC on 6 Dec) is next; Tuesday has nothing.
    expect(show(slots)).toEqual(['2026-12-06T23:30']);
  });
});

describe('reconcileSlots', () => {
  const at = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00Z`);
  const planned = (start: string, end: string, channel: PlannedSlot['channel'] = 'portal'): PlannedSlot => ({
    startAt: at(start),
    endAt: at(end),
    channel,
  });
  const slot = (
    id: number,
    start: string,
    end: string,
    status: ExistingSlot['status'],
    over: Partial<ExistingSlot> = {},
  ): ExistingSlot => ({
    id,
    startMs: at(start).getTime(),
    endMs: at(end).getTime(),
    status,
    channel: 'portal',
    offTemplate: false,
    ...over,
  });

  it.each([
    {
      name: 'a new time is inserted',
      existing: [],
      plan: [planned('05:00', '05:30')],
      expected: { insert: ['05:00'], drop: [], update: [], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a free time the template no longer makes is dropped',
      existing: [slot(1, '05:00', '05:30', 'free')],
      plan: [],
      expected: { insert: [], drop: [1], update: [], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a free time kept for the registry now changes channel, nothing else',
      existing: [slot(1, '05:00', '05:30', 'free')],
      plan: [planned('05:00', '05:30', 'registry')],
      expected: { insert: [], drop: [], update: [1], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'an unchanged free time is left alone',
      existing: [slot(1, '05:00', '05:30', 'free')],
      plan: [planned('05:00', '05:30')],
      expected: { insert: [], drop: [], update: [], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a booked time the template no longer makes stays, as a conflict',
      existing: [slot(1, '05:00', '05:30', 'booked')],
      plan: [],
      expected: { insert: [], drop: [], update: [], restore: [], conflicts: [1], backInTemplate: [] },
    },
    {
      name: 'a held time (a waitlist offer) the template no longer makes is a conflict too',
      existing: [slot(1, '05:00', '05:30', 'held')],
      plan: [],
      expected: { insert: [], drop: [], update: [], restore: [], conflicts: [1], backInTemplate: [] },
    },
    {
      // 20-minute slots now: 05:00 is booked (kept), 05:20 would overlap it, 05:40 is made.
      name: 'a new slot length: no new slot overlaps a booked one',
      existing: [slot(1, '05:00', '05:30', 'booked')],
      plan: [planned('05:00', '05:20'), planned('05:20', '05:40'), planned('05:40', '06:00')],
      expected: { insert: ['05:40'], drop: [], update: [], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a closed (blocked) time is never touched, and nothing is made over it',
      existing: [slot(1, '05:00', '05:30', 'blocked')],
      plan: [planned('05:00', '05:30'), planned('05:15', '05:45')],
      expected: { insert: [], drop: [], update: [], restore: [], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a retired time that the template makes again is free again',
      existing: [slot(1, '05:00', '05:30', 'blocked', { offTemplate: true })],
      plan: [planned('05:00', '05:30', 'registry')],
      expected: { insert: [], drop: [], update: [], restore: [1], conflicts: [], backInTemplate: [] },
    },
    {
      name: 'a booked time outside the template that it makes again is back in it',
      existing: [slot(1, '05:00', '05:30', 'booked', { offTemplate: true })],
      plan: [planned('05:00', '05:30')],
      expected: { insert: [], drop: [], update: [], restore: [], conflicts: [], backInTemplate: [1] },
    },
  ])('$name', ({ existing, plan, expected }) => {
    const c = reconcileSlots(existing, plan);
    expect({
      insert: c.insert.map((p) => p.startAt.toISOString().slice(11, 16)),
      drop: c.drop,
      update: c.update.map((u) => u.id),
      restore: c.restore.map((u) => u.id),
      conflicts: c.conflicts.map((e) => e.id),
      backInTemplate: c.backInTemplate,
    }).toEqual(expected);
  });
});
