// Table-driven tests of the absence's pure rules: the closed range in local time (with a DST
// case), what patients read, which visits are affected, the move's refusals and deadline, and
// the "all at once" assignment.
import { describe, expect, it } from 'vitest';
import {
  absenceDates,
  absenceRange,
  assignNearest,
  closeRefusal,
  isAffected,
  moveDeadline,
  moveRefusal,
  publicNotice,
} from './absence.rules.js';

const SAMARA = 'Europe/Samara'; // UTC+4, no DST
const BERLIN = 'Europe/Berlin'; // DST ends 2026-10-25 03:00 local

describe('absenceRange', () => {
  it.each([
    // 01.12 00:00 Samara = 30.11 20:00 UTC; the day after 03.12 starts 03.12 20:00 UTC
    ['2026-12-01', '2026-12-03', SAMARA, '2026-11-30T20:00:00.000Z', '2026-12-03T20:00:00.000Z'],
    ['2026-12-01', '2026-12-01', SAMARA, '2026-11-30T20:00:00.000Z', '2026-12-01T20:00:00.000Z'],
    // 25.10 is 25 hours long in Berlin: 00:00 CEST (22:00 UTC the day before) to 00:00 CET (23:00 UTC)
    ['2026-10-25', '2026-10-25', BERLIN, '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
  ])('%s..%s in %s', (from, to, tz, start, end) => {
    const r = absenceRange(from, to, tz);
    expect(r.startsAt.toISOString()).toBe(start);
    expect(r.endsAt.toISOString()).toBe(end);
    expect(absenceDates(r.startsAt, r.endsAt, tz)).toEqual({ fromDate: from, toDate: to });
  });
});

describe('closeRefusal', () => {
  const now = new Date('2026-11-25T19:30:00Z'); // 25.11 23:30 in Samara
  it.each([
    ['2026-11-25', '2026-11-25', null], // today may be closed (its rest)
    ['2026-11-20', '2026-11-25', null],
    ['2026-11-20', '2026-11-24', 'ABSENCE_IN_PAST'],
    ['2026-11-26', '2027-11-26', null], // 366 days
    ['2026-11-26', '2027-11-27', 'ABSENCE_TOO_LONG'],
  ] as const)('%s..%s -> %s', (from, to, expected) => {
    expect(closeRefusal(from, to, now, SAMARA)).toBe(expected);
  });
});

describe('publicNotice', () => {
  it.each([
    ['vacation', '2026-07-01', '2026-07-14', 'Врач не принимает: отпуск с 01.07 до 14.07 включительно'],
    ['training', '2026-07-01', '2026-07-01', 'Врач не принимает: учёба 01.07'],
    // Sickness is never published: staff's health is private.
    ['sick', '2026-12-01', '2026-12-03', 'Врач не принимает с 01.12 до 03.12 включительно'],
    ['other', '2026-12-01', '2026-12-01', 'Врач не принимает 01.12'],
  ] as const)('%s %s..%s', (reason, from, to, text) => {
    expect(publicNotice(reason, from, to)).toBe(text);
  });
});

describe('isAffected', () => {
  const range = { startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-02T00:00:00Z') };
  const now = new Date('2026-12-01T08:00:00Z');
  const v = (start: string, end: string, status = 'booked') => ({
    status,
    startAt: new Date(start),
    endAt: new Date(end),
  });
  it.each([
    [v('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z'), true],
    [v('2026-12-01T07:00:00Z', '2026-12-01T07:30:00Z'), false], // already started / over
    [v('2026-12-01T09:00:00Z', '2026-12-01T09:30:00Z', 'cancelled'), false],
    [v('2026-12-02T00:00:00Z', '2026-12-02T00:30:00Z'), false], // starts at the end: outside
    [v('2026-12-01T23:45:00Z', '2026-12-02T00:15:00Z'), true], // overlaps the end
  ])('%o -> %s', (visit, expected) => {
    expect(isAffected(visit, range, now)).toBe(expected);
  });
});

describe('moveRefusal', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  const from = { doctorId: 1, organisationId: 10, specialtyId: 5 };
  const ok = {
    doctorId: 2,
    organisationId: 10,
    specialtyId: 5,
    doctorActive: true,
    free: true,
    startAt: new Date('2026-12-03T08:00:00Z'),
  };
  it.each([
    [ok, null],
    [{ ...ok, organisationId: 11 }, 'SLOT_NOT_FOUND'],
    [{ ...ok, doctorId: 1 }, 'MOVE_SAME_DOCTOR'],
    [{ ...ok, specialtyId: 6 }, 'MOVE_OTHER_SPECIALTY'],
    [{ ...ok, doctorActive: false }, 'MOVE_OTHER_SPECIALTY'],
    [{ ...ok, startAt: now }, 'SLOT_IN_PAST'],
    [{ ...ok, free: false }, 'SLOT_TAKEN'],
  ] as const)('%o -> %s', (to, expected) => {
    expect(moveRefusal(from, to, now)).toBe(expected);
  });
});

describe('moveDeadline (24 h, never after the cut-off before the new visit, null under an hour)', () => {
  it.each([
    // now 25.11 13:00 Samara; new visit 28.11 10:00: 24 h wins -> 26.11 13:00 Samara
    ['2026-11-25T09:00:00Z', '2026-11-28T06:00:00Z', '2026-11-26T09:00:00.000Z'],
    // new visit 26.11 10:00: the cut-off 25.11 18:00 Samara wins
    ['2026-11-25T09:00:00Z', '2026-11-26T06:00:00Z', '2026-11-25T14:00:00.000Z'],
    // now 25.11 17:30 Samara: half an hour to the cut-off -> nobody can be asked
    ['2026-11-25T13:30:00Z', '2026-11-26T06:00:00Z', null],
  ])('now %s, visit %s -> %s', (now, start, expected) => {
    const d = moveDeadline(new Date(now), new Date(start), SAMARA, '18:00', 24);
    expect(d ? d.toISOString() : null).toBe(expected);
  });
});

describe('assignNearest', () => {
  const t = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
  const free = [
    { slotId: 1, doctorId: 7, startAt: t(9), endAt: t(10) },
    { slotId: 2, doctorId: 8, startAt: t(9), endAt: t(10) },
    { slotId: 3, doctorId: 7, startAt: t(14), endAt: t(15) },
  ];
  it('gives each visit, in time order, the nearest free time; a tie goes to the doctor chosen first; none left -> null', () => {
    const visits = [
      { appointmentId: 'b', startAt: t(13) },
      { appointmentId: 'a', startAt: t(9) },
      { appointmentId: 'c', startAt: t(9) },
      { appointmentId: 'd', startAt: t(9) },
    ];
    const got = assignNearest(visits, free, [8, 7]);
    expect(got.get('a')?.slotId).toBe(2); // 09:00 of doctor 8 (chosen first)
    expect(got.get('c')?.slotId).toBe(1);
    expect(got.get('d')?.slotId).toBe(3);
    expect(got.get('b')).toBeNull(); // visits go in time order: 13:00 comes last and nothing is left
  });
});
