import { describe, expect, it } from 'vitest';
import {
  attemptAllowed,
  attemptsInWindow,
  birthDateInFuture,
  kioskBookingRefusal,
  kioskCancelNote,
  kioskGreeting,
  PORTAL_CANCEL_NOTE,
} from './kiosk.rules.js';
import { AttemptLimiter } from './kiosk.limiter.js';
import { openPatientToken, sealPatientToken } from './kiosk.token.js';

const limit = { max: 3, windowMs: 60_000 };

describe('attempt windows', () => {
  it.each([
    { times: [], now: 0, allowed: true },
    { times: [1_000, 2_000], now: 3_000, allowed: true },
    { times: [1_000, 2_000, 3_000], now: 4_000, allowed: false },
    // the oldest attempt left the window exactly a minute later
    { times: [1_000, 2_000, 3_000], now: 61_000, allowed: true },
    { times: [1_000, 2_000, 3_000], now: 60_999, allowed: false },
  ])('$times at $now -> $allowed', ({ times, now, allowed }) => {
    expect(attemptAllowed(times, now, limit)).toBe(allowed);
  });

  it('keeps only attempts inside the window', () => {
    expect(attemptsInWindow([1, 50_000, 70_000], 100_000, 60_000)).toEqual([50_000, 70_000]);
  });

  it('the limiter counts per key', () => {
    const l = new AttemptLimiter(limit);
    for (let i = 0; i < 3; i++) l.record('a', 1_000 + i);
    expect(l.allowed('a', 2_000)).toBe(false);
    expect(l.allowed('b', 2_000)).toBe(true);
    expect(l.allowed('a', 62_000)).toBe(true);
  });
});

describe('what the kiosk says', () => {
  const phone = '+7 (3412) 00-41-10';
  // The portal's cancel time: 18:00 in Izhevsk the day before the visit.
  const cancelUntil = '2026-11-25T14:00:00.000Z';
  const before = new Date('2026-11-25T13:59:00Z');
  const after = new Date('2026-11-25T14:00:00Z');
  it.each([
    { v: { cancellable: true, status: 'booked', source: 'infomat' }, now: before, note: null },
    { v: { cancellable: false, status: 'booked', source: 'portal' }, now: before, note: PORTAL_CANCEL_NOTE },
    {
      v: { cancellable: false, status: 'booked', source: 'portal' },
      now: after,
      note: `Отменить эту запись через портал уже нельзя: регистратура подготовила списки пациентов на этот день. Позвоните в регистратуру: ${phone}.`,
    },
    {
      v: { cancellable: false, status: 'booked', source: 'registry' },
      now: after,
      note: `Отменить эту запись на инфомате уже нельзя: регистратура подготовила списки пациентов на этот день. Позвоните в регистратуру: ${phone}.`,
    },
    { v: { cancellable: false, status: 'cancelled', source: 'registry' }, now: before, note: null },
    { v: { cancellable: false, status: 'cancelled', source: 'portal' }, now: after, note: null },
  ] as const)('$v.source $v.status cancellable=$v.cancellable at $now', ({ v, now, note }) => {
    const text = kioskCancelNote({ ...v, organisation: { phone }, cancelUntil }, now);
    if (note === null) expect(text).toBeNull();
    else expect(text).toBe(note);
  });

  it('a portal booking after its cancel time is never sent to the personal account', () => {
    const text = kioskCancelNote(
      { cancellable: false, status: 'booked', source: 'portal', organisation: { phone }, cancelUntil },
      after,
    );
    expect(text).not.toContain('личном кабинете');
  });

  it('greets without the surname', () => {
    expect(kioskGreeting({ firstName: 'Анна', middleName: 'Сергеевна' })).toBe('Анна Сергеевна');
    expect(kioskGreeting({ firstName: 'Анна', middleName: null })).toBe('Анна');
  });

  it('a date of birth after today is refused', () => {
    expect(birthDateInFuture('2026-11-26', '2026-11-25')).toBe(true);
    expect(birthDateInFuture('2026-11-25', '2026-11-25')).toBe(false);
  });
});

describe('the patient token', () => {
  const secret = 's'.repeat(40);
  const claims = {
    deviceId: '6f1c2a7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    patientId: '0b6e4f8a-2c1d-4e3f-9a8b-7c6d5e4f3a2b',
    expiresAtMs: 1_800_000_000_000,
  };

  it('opens what it sealed and hides the ids', () => {
    const token = sealPatientToken(secret, claims);
    expect(token).not.toContain(claims.patientId);
    expect(openPatientToken(secret, token)).toEqual(claims);
    expect(sealPatientToken(secret, claims)).not.toBe(token);
  });

  it('refuses another secret, a changed byte and rubbish', () => {
    const token = sealPatientToken(secret, claims);
    expect(openPatientToken('t'.repeat(40), token)).toBeNull();
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect(openPatientToken(secret, flipped)).toBeNull();
    expect(openPatientToken(secret, 'not a token')).toBeNull();
    expect(openPatientToken(secret, '')).toBeNull();
  });
});

describe('booking refusals over every row of the same person', () => {
  // 10:00-10:30 UTC on 26 November 2026 (14:00-14:30 in Izhevsk).
  const slot = {
    startAt: new Date('2026-11-26T10:00:00Z'),
    endAt: new Date('2026-11-26T10:30:00Z'),
    specialty: 'уролог',
  };
  const visit = (start: string, end: string, specialty = 'хирург') => ({ startAt: start, endAt: end, specialty });
  it.each([
    { upcoming: [], max: 1, refusal: null },
    { upcoming: [visit('2026-11-26T10:15:00Z', '2026-11-26T10:45:00Z')], max: 1, refusal: 'OVERLAPPING_APPOINTMENT' },
    // touching ends do not overlap
    { upcoming: [visit('2026-11-26T09:30:00Z', '2026-11-26T10:00:00Z')], max: 1, refusal: null },
    { upcoming: [visit('2026-11-26T10:30:00Z', '2026-11-26T11:00:00Z')], max: 1, refusal: null },
    {
      upcoming: [visit('2026-11-27T10:00:00Z', '2026-11-27T10:30:00Z', 'уролог')],
      max: 1,
      refusal: 'SPECIALTY_LIMIT_REACHED',
    },
    { upcoming: [visit('2026-11-27T10:00:00Z', '2026-11-27T10:30:00Z', 'уролог')], max: 2, refusal: null },
  ] as const)('$refusal with max $max', ({ upcoming, max, refusal }) => {
    expect(kioskBookingRefusal(slot, upcoming, max)).toBe(refusal);
  });
});
