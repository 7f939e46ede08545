import { describe, expect, it } from 'vitest';
import {
  chooseReferral,
  lineReferralRefusal,
  referralNeeded,
  referralRefusal,
  referralState,
  validityOf,
  type ReferralFacts,
  type ReferralTarget,
} from './referral.rules.js';

const cardiology = 7;
const clinic = 1;
const otherClinic = 2;

const referral = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  id: 'r1',
  specialtyId: cardiology,
  organisationId: null,
  validFrom: '2026-12-01',
  validUntil: '2026-12-30',
  revoked: false,
  usedBy: null,
  ...over,
});
const visit = (over: Partial<ReferralTarget> = {}): ReferralTarget => ({
  specialtyId: cardiology,
  organisationId: clinic,
  localDate: '2026-12-10',
  ...over,
});

describe('referralNeeded', () => {
  it.each([
    [true, 'portal', false],
    [true, undefined, false],
    [true, 'referral', true],
    [false, 'portal', true],
    [false, 'referral', true],
  ])('self booking %s, slot channel %s: %s', (selfBooking, channel, expected) => {
    expect(referralNeeded(selfBooking, channel)).toBe(expected);
  });
});

describe('referralRefusal', () => {
  it.each<[string, Partial<ReferralFacts>, Partial<ReferralTarget>, ReturnType<typeof referralRefusal>]>([
    ['valid, any organisation', {}, {}, null],
    ['valid for this organisation', { organisationId: clinic }, {}, null],
    ['for another organisation', { organisationId: otherClinic }, {}, 'REFERRAL_NOT_VALID'],
    ['for another specialty', { specialtyId: 3 }, {}, 'REFERRAL_NOT_VALID'],
    ['revoked', { revoked: true }, {}, 'REFERRAL_NOT_VALID'],
    ['visit on the first valid day', {}, { localDate: '2026-12-01' }, null],
    ['visit on the last valid day', {}, { localDate: '2026-12-30' }, null],
    ['visit the day before it starts', {}, { localDate: '2026-11-30' }, 'REFERRAL_NOT_VALID'],
    ['visit the day after it ends (expired on the visit date)', {}, { localDate: '2026-12-31' }, 'REFERRAL_NOT_VALID'],
    ['used by a visit', { usedBy: 'a1' }, {}, 'REFERRAL_USED'],
    ['used and expired: expired first', { usedBy: 'a1' }, { localDate: '2027-01-05' }, 'REFERRAL_NOT_VALID'],
  ])('%s', (_, r, v, expected) => {
    expect(referralRefusal(referral(r), visit(v))).toBe(expected);
  });
});

describe('chooseReferral', () => {
  it.each<[string, ReferralFacts[], Partial<ReferralTarget>, ReturnType<typeof chooseReferral>]>([
    ['none at all', [], {}, { refusal: 'REFERRAL_REQUIRED' }],
    ['only to another specialty', [referral({ specialtyId: 3 })], {}, { refusal: 'REFERRAL_REQUIRED' }],
    ['only revoked ones', [referral({ revoked: true })], {}, { refusal: 'REFERRAL_REQUIRED' }],
    ['one valid', [referral()], {}, { referralId: 'r1' }],
    ['one used', [referral({ usedBy: 'a1' })], {}, { refusal: 'REFERRAL_USED' }],
    ['one expired', [referral({ validUntil: '2026-12-05' })], {}, { refusal: 'REFERRAL_NOT_VALID' }],
    [
      'one for another organisation',
      [referral({ organisationId: otherClinic })],
      {},
      { refusal: 'REFERRAL_NOT_VALID' },
    ],
    [
      'a used one and an expired one: used is said',
      [referral({ id: 'r1', usedBy: 'a1' }), referral({ id: 'r2', validUntil: '2026-12-05' })],
      {},
      { refusal: 'REFERRAL_USED' },
    ],
    [
      'a used one and a valid one: the valid one',
      [referral({ id: 'r1', usedBy: 'a1' }), referral({ id: 'r2' })],
      {},
      { referralId: 'r2' },
    ],
    [
      'this organisation before any organisation',
      [referral({ id: 'r1', validUntil: '2026-12-20' }), referral({ id: 'r2', organisationId: clinic })],
      {},
      { referralId: 'r2' },
    ],
    [
      'the one that lapses first',
      [referral({ id: 'r1', validUntil: '2026-12-30' }), referral({ id: 'r2', validUntil: '2026-12-15' })],
      {},
      { referralId: 'r2' },
    ],
  ])('%s', (_, candidates, v, expected) => {
    expect(chooseReferral(candidates, visit(v))).toEqual(expected);
  });
});

describe('referralState', () => {
  it.each<[string, Partial<ReferralFacts>, string, ReturnType<typeof referralState>]>([
    ['valid today', {}, '2026-12-10', 'valid'],
    ['valid on its last day', {}, '2026-12-30', 'valid'],
    ['expired the day after', {}, '2026-12-31', 'expired'],
    ['not yet valid', {}, '2026-11-30', 'not_yet_valid'],
    ['used', { usedBy: 'a1' }, '2026-12-10', 'used'],
    ['revoked wins over used', { revoked: true, usedBy: 'a1' }, '2026-12-10', 'revoked'],
  ])('%s', (_, r, today, expected) => {
    expect(referralState(referral(r), today)).toBe(expected);
  });
});

describe('validityOf', () => {
  const today = '2026-12-07';
  it.each<[string, { validFrom?: string; validUntil?: string }, ReturnType<typeof validityOf>]>([
    ['default: 30 days from today', {}, { validFrom: '2026-12-07', validUntil: '2027-01-05' }],
    ['from a later day, 30 days', { validFrom: '2026-12-10' }, { validFrom: '2026-12-10', validUntil: '2027-01-08' }],
    ['until a given day', { validUntil: '2026-12-20' }, { validFrom: '2026-12-07', validUntil: '2026-12-20' }],
    ['one day', { validFrom: today, validUntil: today }, { validFrom: today, validUntil: today }],
    ['starting yesterday', { validFrom: '2026-12-06' }, { refusal: 'VALIDATION_FAILED', field: 'validFrom' }],
    [
      'ending before it starts',
      { validFrom: '2026-12-10', validUntil: '2026-12-09' },
      { refusal: 'VALIDATION_FAILED', field: 'validUntil' },
    ],
    ['ending before today', { validUntil: '2026-12-01' }, { refusal: 'VALIDATION_FAILED', field: 'validUntil' }],
    ['a year exactly', { validUntil: '2027-12-06' }, { validFrom: today, validUntil: '2027-12-06' }],
    ['over a year', { validUntil: '2027-12-07' }, { refusal: 'VALIDATION_FAILED', field: 'validUntil' }],
  ])('%s', (_, input, expected) => {
    expect(validityOf(input, today)).toEqual(expected);
  });
});

describe('lineReferralRefusal', () => {
  const line = { specialtyId: cardiology, organisationId: clinic };
  it.each<[string, ReferralFacts[], string, ReturnType<typeof lineReferralRefusal>]>([
    ['none', [], '2026-12-10', 'REFERRAL_REQUIRED'],
    ['only revoked', [referral({ revoked: true })], '2026-12-10', 'REFERRAL_REQUIRED'],
    ['valid today', [referral()], '2026-12-10', null],
    ['valid from a later day', [referral()], '2026-11-25', null],
    ['valid until today', [referral()], '2026-12-30', null],
    ['expired yesterday', [referral()], '2026-12-31', 'REFERRAL_NOT_VALID'],
    ['for another organisation', [referral({ organisationId: otherClinic })], '2026-12-10', 'REFERRAL_NOT_VALID'],
    ['used', [referral({ usedBy: 'a1' })], '2026-12-10', 'REFERRAL_USED'],
    ['one used, one free', [referral({ usedBy: 'a1' }), referral({ id: 'r2' })], '2026-12-10', null],
  ])('%s', (_, candidates, today, expected) => {
    expect(lineReferralRefusal(candidates, line, today)).toBe(expected);
  });
});
