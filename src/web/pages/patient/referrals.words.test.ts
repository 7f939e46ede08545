import { describe, expect, it } from 'vitest';
import { formatReferralDate, referralBookable, referralStateText, specialtyReferralHint } from './referrals.words.js';

describe('referral words', () => {
  it.each([
    ['valid', 'Действует', true],
    ['not_yet_valid', 'Ещё не действует', true],
    ['used', 'Использовано: по нему есть запись', false],
    ['expired', 'Срок истёк', false],
    ['revoked', 'Отозвано', false],
  ] as const)('%s: «%s», bookable %s', (state, text, bookable) => {
    expect(referralStateText(state)).toBe(text);
    expect(referralBookable(state)).toBe(bookable);
  });

  it('says the date in words', () => {
    expect(formatReferralDate('2026-12-24')).toBe('24 декабря 2026 г.');
  });

  it.each([
    [{ byReferral: false, referralValidUntil: null }, null],
    [
      { byReferral: true, referralValidUntil: '2026-12-24' },
      'По направлению. У вас есть направление, оно действует по 24 декабря 2026 г.',
    ],
  ])('specialty hint %o', (s, text) => {
    expect(specialtyReferralHint(s)).toBe(text);
  });

  it('says how to get a referral when there is none', () => {
    expect(specialtyReferralHint({ byReferral: true, referralValidUntil: null })).toMatch(
      /^Только по направлению\. Его выдаёт лечащий врач или участковый терапевт/,
    );
  });
});
