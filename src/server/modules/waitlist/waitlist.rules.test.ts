// Table-driven tests of the pure waitlist rules. Instants are UTC; the organisation's zone is
// Europe/Samara (UTC+4, no DST), and the code never looks at the process's zone.
import { describe, expect, it } from 'vitest';
import type { ActiveAppointment } from '../booking/booking.rules.js';
import {
  afterUnanswered,
  byPlace,
  candidateRefusal,
  eligibleInOrder,
  entryMatches,
  joinRefusal,
  offerDeadline,
  offersLeft,
  shouldRemindExpiring,
  type Candidate,
  type JoinFacts,
  type MatchSettings,
  type OfferSlot,
} from './waitlist.rules.js';

const ZONE = 'Europe/Samara';
const at = (iso: string) => new Date(iso);

describe('offerDeadline: the offer window, never past the cut-off, at least an hour', () => {
  // Slot: Friday 27 November 2026, 10:00 Samara = 06:00 UTC. Cut-off 18:00 Samara on the 26th = 14:00 UTC.
  const slot = at('2026-11-27T06:00:00Z');
  const cases: [string, string, string, number, string | null][] = [
    // [why, now (UTC), cut-off, window hours, expected deadline (UTC) or null]
    ['the window ends first', '2026-11-25T09:00:00Z', '18:00', 24, '2026-11-26T09:00:00.000Z'],
    ['the cut-off comes first', '2026-11-25T16:00:00Z', '18:00', 24, '2026-11-26T14:00:00.000Z'],
    ['window and cut-off at the same instant', '2026-11-25T14:00:00Z', '18:00', 24, '2026-11-26T14:00:00.000Z'],
    ['a short operator window', '2026-11-25T09:00:00Z', '18:00', 2, '2026-11-25T11:00:00.000Z'],
    ['exactly one hour left: still offered', '2026-11-26T13:00:00Z', '18:00', 24, '2026-11-26T14:00:00.000Z'],
    ['59 minutes 59 seconds left: skips the waitlist', '2026-11-26T13:00:01Z', '18:00', 24, null],
    ['the cut-off has passed', '2026-11-26T15:00:00Z', '18:00', 24, null],
    ['an organisation cut-off of 12:00 (08:00 UTC)', '2026-11-26T06:00:00Z', '12:00', 24, '2026-11-26T08:00:00.000Z'],
    ['an organisation cut-off of 12:00, 30 minutes left', '2026-11-26T07:30:00Z', '12:00', 24, null],
  ];
  it.each(cases)('%s', (_why, now, cutoff, windowHours, expected) => {
    const d = offerDeadline(at(now), slot, ZONE, cutoff, windowHours);
    expect(d === null ? null : d.toISOString()).toBe(expected);
  });

  it('takes the cut-off on the local day before the visit, across UTC midnight', () => {
    // 00:30 Samara on the 27th is 20:30 UTC on the 26th; the local day before is the 26th: 18:00 Samara = 14:00 UTC.
    const lateSlot = at('2026-11-26T20:30:00Z');
    expect(offerDeadline(at('2026-11-26T10:00:00Z'), lateSlot, ZONE, '18:00', 24)?.toISOString()).toBe(
      '2026-11-26T14:00:00.000Z',
    );
    // Read in UTC the visit would be on the 26th and the cut-off on the 25th: already past. Not so in Samara.
    expect(offerDeadline(at('2026-11-26T12:59:59Z'), lateSlot, ZONE, '18:00', 24)).not.toBeNull();
    expect(offerDeadline(at('2026-11-26T13:00:01Z'), lateSlot, ZONE, '18:00', 24)).toBeNull();
  });
});

describe('matching: which entries wait for a doctor’s time', () => {
  const doctor = { id: 7, organisationId: 1, specialtyId: 3 };
  const cases: [string, { organisationId: number; specialtyId: number; doctorId: number | null }, boolean][] = [
    ['this doctor', { organisationId: 1, specialtyId: 3, doctorId: 7 }, true],
    ['another doctor of the same specialty', { organisationId: 1, specialtyId: 3, doctorId: 8 }, false],
    ['the specialty in this organisation', { organisationId: 1, specialtyId: 3, doctorId: null }, true],
    ['the specialty in another organisation', { organisationId: 2, specialtyId: 3, doctorId: null }, false],
    ['another specialty in this organisation', { organisationId: 1, specialtyId: 4, doctorId: null }, false],
  ];
  it.each(cases)('%s', (_why, entry, expected) => {
    expect(entryMatches(entry, doctor)).toBe(expected);
  });
});

const NOW = at('2026-11-25T09:00:00Z');
const SLOT: OfferSlot = {
  startAt: at('2026-11-27T06:00:00Z'),
  endAt: at('2026-11-27T06:30:00Z'),
  timeZone: ZONE,
  doctorActive: true,
  specialty: { id: 3, minAge: null, maxAge: null, sex: null },
};
const SETTINGS: MatchSettings = { horizonDays: 14, maxPerSpecialty: 1, maxOffers: 3 };

function candidate(
  id: string,
  createdAt: string,
  over: Omit<Partial<Candidate>, 'person'> & { person?: Partial<Candidate['person']> } = {},
): Candidate {
  return {
    id,
    createdAt: at(createdAt),
    offersMade: over.offersMade ?? 0,
    hadThisSlot: over.hadThisSlot ?? false,
    person: { id: `person-${id}`, status: 'confirmed', birthDate: '1985-04-12', sex: 'F', ...over.person },
  };
}

describe('candidateRefusal: the booking rules for the offered slot', () => {
  const visit = (start: string, end: string, specialtyId: number): ActiveAppointment => ({
    startAt: at(start),
    endAt: at(end),
    specialtyId,
  });
  const cases: [string, Candidate, ActiveAppointment[], Partial<OfferSlot>, string | null][] = [
    ['eligible', candidate('a', '2026-11-20T00:00:00Z'), [], {}, null],
    [
      'person not confirmed',
      candidate('a', '2026-11-20T00:00:00Z', { person: { status: 'pending' } }),
      [],
      {},
      'PERSON_NOT_CONFIRMED',
    ],
    ['offers used up', candidate('a', '2026-11-20T00:00:00Z', { offersMade: 3 }), [], {}, 'OFFERS_EXHAUSTED'],
    [
      'declined this very slot before',
      candidate('a', '2026-11-20T00:00:00Z', { hadThisSlot: true }),
      [],
      {},
      'HAD_THIS_SLOT',
    ],
    [
      'a visit at an overlapping time',
      candidate('a', '2026-11-20T00:00:00Z'),
      [visit('2026-11-27T06:15:00Z', '2026-11-27T06:45:00Z', 9)],
      {},
      'OVERLAPPING_APPOINTMENT',
    ],
    [
      'a visit right after (no overlap)',
      candidate('a', '2026-11-20T00:00:00Z'),
      [visit('2026-11-27T06:30:00Z', '2026-11-27T07:00:00Z', 9)],
      {},
      null,
    ],
    [
      'a future visit to the same specialty',
      candidate('a', '2026-11-20T00:00:00Z'),
      [visit('2026-12-01T06:00:00Z', '2026-12-01T06:30:00Z', 3)],
      {},
      'SPECIALTY_LIMIT_REACHED',
    ],
    [
      'a pending offer of the same specialty counts as a visit',
      candidate('a', '2026-11-20T00:00:00Z'),
      [visit('2026-11-28T06:00:00Z', '2026-11-28T06:30:00Z', 3)],
      {},
      'SPECIALTY_LIMIT_REACHED',
    ],
    // A specialty «по направлению» (SPEC 8a): offered as the person would book it (visit on 27 November).
    [
      '«по направлению», no referral',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { referral: { selfBooking: false, organisationId: 1 } },
      'REFERRAL_REQUIRED',
    ],
    [
      '«по направлению», a referral valid on the visit day',
      {
        ...candidate('a', '2026-11-20T00:00:00Z'),
        referrals: [
          {
            id: 'r1',
            specialtyId: 3,
            organisationId: null,
            validFrom: '2026-11-20',
            validUntil: '2026-11-30',
            revoked: false,
            usedBy: null,
          },
        ],
      },
      [],
      { referral: { selfBooking: false, organisationId: 1 } },
      null,
    ],
    [
      '«по направлению», the referral expired before the visit day',
      {
        ...candidate('a', '2026-11-20T00:00:00Z'),
        referrals: [
          {
            id: 'r1',
            specialtyId: 3,
            organisationId: null,
            validFrom: '2026-11-20',
            validUntil: '2026-11-26',
            revoked: false,
            usedBy: null,
          },
        ],
      },
      [],
      { referral: { selfBooking: false, organisationId: 1 } },
      'REFERRAL_NOT_VALID',
    ],
    [
      'too old for a paediatrician',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { specialty: { id: 3, minAge: null, maxAge: 18, sex: null } },
      'AGE_RESTRICTED',
    ],
    [
      'wrong sex for the specialist',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { specialty: { id: 3, minAge: null, maxAge: null, sex: 'M' } },
      'SEX_RESTRICTED',
    ],
    [
      'the slot already started',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { startAt: at('2026-11-25T08:00:00Z'), endAt: at('2026-11-25T08:30:00Z') },
      'SLOT_IN_PAST',
    ],
    [
      'beyond the horizon',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { startAt: at('2026-12-09T06:00:00Z'), endAt: at('2026-12-09T06:30:00Z') },
      'SLOT_BEYOND_HORIZON',
    ],
    [
      'the doctor no longer receives',
      candidate('a', '2026-11-20T00:00:00Z'),
      [],
      { doctorActive: false },
      'SLOT_BLOCKED',
    ],
  ];
  it.each(cases)('%s', (_why, c, commitments, slot, expected) => {
    expect(candidateRefusal(c, { ...SLOT, ...slot }, commitments, SETTINGS, NOW)).toBe(expected);
  });

  it('counts the child’s age on the visit day in the organisation’s zone', () => {
    // Turns 18 on 27 November: at 10:00 Samara (06:00 UTC) on that day the paediatrician no longer sees them.
    const child = candidate('a', '2026-11-20T00:00:00Z', { person: { birthDate: '2008-11-27' } });
    const paediatric = { ...SLOT, specialty: { id: 3, minAge: null, maxAge: 18, sex: null } };
    expect(candidateRefusal(child, paediatric, [], SETTINGS, NOW)).toBe('AGE_RESTRICTED');
    // The day before (a slot at 23:30 Samara on the 26th = 19:30 UTC) they are still 17.
    const eve = { ...paediatric, startAt: at('2026-11-26T19:30:00Z'), endAt: at('2026-11-26T20:00:00Z') };
    expect(candidateRefusal(child, eve, [], SETTINGS, NOW)).toBeNull();
  });
});

describe('eligibleInOrder: the oldest eligible entry gets the slot', () => {
  const none = () => [];
  it('orders by the time of joining, then by id for the same instant', () => {
    const cs = [
      candidate('c', '2026-11-22T00:00:00Z'),
      candidate('b', '2026-11-21T00:00:00Z'),
      candidate('z', '2026-11-20T00:00:00Z'),
      candidate('a', '2026-11-21T00:00:00Z'),
    ];
    expect(eligibleInOrder(cs, SLOT, none, SETTINGS, NOW).map((c) => c.id)).toEqual(['z', 'a', 'b', 'c']);
  });

  it('skips entries that fail the rules; they keep their place for the next slot', () => {
    const clash: ActiveAppointment = { startAt: SLOT.startAt, endAt: SLOT.endAt, specialtyId: 9 };
    const cs = [
      candidate('old', '2026-11-20T00:00:00Z'),
      candidate('declined', '2026-11-20T01:00:00Z', { hadThisSlot: true }),
      candidate('young', '2026-11-21T00:00:00Z'),
    ];
    const busyOld = (personId: string) => (personId === 'person-old' ? [clash] : []);
    expect(eligibleInOrder(cs, SLOT, busyOld, SETTINGS, NOW).map((c) => c.id)).toEqual(['young']);
    // Another slot: no clash, and "had this slot" is about that other slot (false for all).
    const later = { ...SLOT, startAt: at('2026-11-28T06:00:00Z'), endAt: at('2026-11-28T06:30:00Z') };
    const forLater = cs.map((c) => ({ ...c, hadThisSlot: false }));
    expect(eligibleInOrder(forLater, later, busyOld, SETTINGS, NOW).map((c) => c.id)).toEqual([
      'old',
      'declined',
      'young',
    ]);
  });

  it('a returned entry keeps its original place (created_at), ahead of younger ones', () => {
    const returned = candidate('returned', '2026-11-20T00:00:00Z', { offersMade: 2 });
    const younger = candidate('younger', '2026-11-24T00:00:00Z');
    expect(eligibleInOrder([younger, returned], SLOT, none, SETTINGS, NOW)[0].id).toBe('returned');
  });

  it('byPlace is a total order', () => {
    const a = { id: 'a', createdAt: at('2026-11-20T00:00:00Z') };
    const b = { id: 'b', createdAt: at('2026-11-20T00:00:00Z') };
    expect([byPlace(a, b), byPlace(b, a), byPlace(a, a)]).toEqual([-1, 1, 0]);
  });
});

describe('the sequence of offers and its limit', () => {
  const cases: [number, number, { removed: boolean; offersLeft: number }][] = [
    // [offers made (the closed one included), max offers, outcome]
    [1, 3, { removed: false, offersLeft: 2 }],
    [2, 3, { removed: false, offersLeft: 1 }],
    [3, 3, { removed: true, offersLeft: 0 }],
    [1, 1, { removed: true, offersLeft: 0 }],
    [4, 3, { removed: true, offersLeft: 0 }], // the operator lowered the limit meanwhile
  ];
  it.each(cases)('after %i of %i offers declined or expired', (made, max, expected) => {
    expect(afterUnanswered(made, max)).toEqual(expected);
  });

  const left: [number, number, boolean, number][] = [
    [0, 3, false, 3],
    [1, 3, true, 3],
    [1, 3, false, 2],
    [3, 3, true, 1],
    [3, 3, false, 0],
    [5, 3, false, 0],
  ];
  it.each(left)('offersLeft(made %i, max %i, pending %s) = %i', (made, max, pending, expected) => {
    expect(offersLeft(made, max, pending)).toBe(expected);
  });
});

describe('the "about to expire" reminder', () => {
  const cases: [string, string, string, string, boolean][] = [
    // [why, created, deadline, now, remind]
    ['more than two hours left', '2026-11-25T09:00:00Z', '2026-11-26T09:00:00Z', '2026-11-26T06:59:59Z', false],
    ['exactly two hours left', '2026-11-25T09:00:00Z', '2026-11-26T09:00:00Z', '2026-11-26T07:00:00Z', true],
    ['one minute left', '2026-11-25T09:00:00Z', '2026-11-26T09:00:00Z', '2026-11-26T08:59:00Z', true],
    [
      'the deadline passed (it expires instead)',
      '2026-11-25T09:00:00Z',
      '2026-11-26T09:00:00Z',
      '2026-11-26T09:00:00Z',
      false,
    ],
    [
      'an offer made with only 90 minutes to answer',
      '2026-11-26T07:30:00Z',
      '2026-11-26T09:00:00Z',
      '2026-11-26T07:30:00Z',
      false,
    ],
    [
      'an offer made with exactly two hours to answer',
      '2026-11-26T07:00:00Z',
      '2026-11-26T09:00:00Z',
      '2026-11-26T08:00:00Z',
      false,
    ],
  ];
  it.each(cases)('%s', (_why, created, deadline, now, expected) => {
    expect(shouldRemindExpiring(at(created), at(deadline), at(now))).toBe(expected);
  });
});

describe('joinRefusal', () => {
  const base: JoinFacts = {
    person: { birthDate: '1985-04-12', sex: 'F' },
    specialty: { minAge: null, maxAge: null, sex: null },
    localToday: '2026-11-25',
    waitlistAllowed: true,
    alreadyWaiting: false,
    futureSameSpecialty: 0,
    maxPerSpecialty: 1,
    hasFreeTime: false,
  };
  const cases: [string, Partial<JoinFacts>, string | null][] = [
    ['may join', {}, null],
    ['too old for the specialist', { specialty: { minAge: null, maxAge: 18, sex: null } }, 'AGE_RESTRICTED'],
    ['wrong sex', { specialty: { minAge: null, maxAge: null, sex: 'M' } }, 'SEX_RESTRICTED'],
    ['the organisation keeps no waitlist', { waitlistAllowed: false }, 'WAITLIST_NOT_ALLOWED'],
    ['already in this line', { alreadyWaiting: true }, 'WAITLIST_ALREADY'],
    [
      'already in this line, and there is free time now',
      { alreadyWaiting: true, hasFreeTime: true },
      'WAITLIST_ALREADY',
    ],
    ['at the per-specialty limit', { futureSameSpecialty: 1 }, 'SPECIALTY_LIMIT_REACHED'],
    ['below a higher limit', { futureSameSpecialty: 1, maxPerSpecialty: 2 }, null],
    ['free time to book instead', { hasFreeTime: true }, 'WAITLIST_NOT_NEEDED'],
    [
      'restriction before policy',
      { waitlistAllowed: false, specialty: { minAge: 60, maxAge: null, sex: null } },
      'AGE_RESTRICTED',
    ],
  ];
  it.each(cases)('%s', (_why, over, expected) => {
    expect(joinRefusal({ ...base, ...over })).toBe(expected);
  });
});
