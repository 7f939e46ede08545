// Pure rules of referrals (направления, SPEC section 8a): which booking needs one, whether a
// referral serves a visit (its specialty, organisation, dates, revoked, used), which of a
// person's referrals a booking uses, and a referral's state as the card file names it. No
// I/O, no clock: the caller passes the visit's local date or today's.
import { addDays } from '../../../shared/time.js';

/** A referral as the rules see it. Dates are local dates (YYYY-MM-DD) of the visit. */
export interface ReferralFacts {
  id: string;
  specialtyId: number;
  /** The organisation the visit must be at; null: any. */
  organisationId: number | null;
  validFrom: string;
  validUntil: string;
  revoked: boolean;
  /** The visit (not cancelled) it was used for, or null. */
  usedBy: string | null;
}

/** The visit a referral is to serve: its specialty, organisation and local date. */
export interface ReferralTarget {
  specialtyId: number;
  organisationId: number;
  localDate: string;
}

export type ReferralRefusal = 'REFERRAL_REQUIRED' | 'REFERRAL_NOT_VALID' | 'REFERRAL_USED';

/**
 * Whether a patient's own booking needs a referral: the specialty is «по направлению»
 * (self_booking false), or the time is kept for referrals (slot channel 'referral').
 */
export function referralNeeded(selfBooking: boolean, slotChannel: string | undefined): boolean {
  return !selfBooking || slotChannel === 'referral';
}

/** Why this referral cannot serve the visit, or null when it can. */
export function referralRefusal(
  r: ReferralFacts,
  visit: ReferralTarget,
): 'REFERRAL_NOT_VALID' | 'REFERRAL_USED' | null {
  if (r.specialtyId !== visit.specialtyId || r.revoked) return 'REFERRAL_NOT_VALID';
  if (r.organisationId !== null && r.organisationId !== visit.organisationId) return 'REFERRAL_NOT_VALID';
  if (visit.localDate < r.validFrom || visit.localDate > r.validUntil) return 'REFERRAL_NOT_VALID';
  if (r.usedBy !== null) return 'REFERRAL_USED';
  return null;
}

/**
 * The referral a booking uses among the person's `candidates`: of those that serve the
 * visit, the one for this organisation before one for any, then the one that lapses first
 * (the others stay for later). Without one: REFERRAL_REQUIRED when the person has no
 * referral to this specialty at all, REFERRAL_USED when one would serve but is used,
 * otherwise REFERRAL_NOT_VALID.
 */
export function chooseReferral(
  candidates: readonly ReferralFacts[],
  visit: ReferralTarget,
): { referralId: string } | { refusal: ReferralRefusal } {
  const own = candidates.filter((r) => r.specialtyId === visit.specialtyId && !r.revoked);
  if (own.length === 0) return { refusal: 'REFERRAL_REQUIRED' };
  const refusals = own.map((r) => referralRefusal(r, visit));
  const serving = own.filter((_, i) => refusals[i] === null);
  if (serving.length === 0)
    return { refusal: refusals.includes('REFERRAL_USED') ? 'REFERRAL_USED' : 'REFERRAL_NOT_VALID' };
  const best = [...serving].sort(
    (a, b) =>
      Number(a.organisationId === null) - Number(b.organisationId === null) ||
      (a.validUntil < b.validUntil ? -1 : a.validUntil > b.validUntil ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  )[0];
  return { referralId: best.id };
}

/**
 * Why a person may not join the waiting list of a specialty «по направлению» (organisation
 * `organisationId`) on local date `today`, or null: they need a referral to it that is not
 * revoked, not used, for that organisation or any, and not expired (it may start later: the
 * time offered must fall within it, which the offer's booking checks again).
 */
export function lineReferralRefusal(
  candidates: readonly ReferralFacts[],
  line: { specialtyId: number; organisationId: number },
  today: string,
): ReferralRefusal | null {
  const own = candidates.filter((r) => r.specialtyId === line.specialtyId && !r.revoked);
  if (own.length === 0) return 'REFERRAL_REQUIRED';
  const fits = own.filter(
    (r) => (r.organisationId === null || r.organisationId === line.organisationId) && r.validUntil >= today,
  );
  if (fits.length === 0) return 'REFERRAL_NOT_VALID';
  return fits.some((r) => r.usedBy === null) ? null : 'REFERRAL_USED';
}

/** A referral's state for the card file on local date `today`. */
export type ReferralState = 'valid' | 'used' | 'expired' | 'revoked' | 'not_yet_valid';

export function referralState(r: Omit<ReferralFacts, 'specialtyId' | 'organisationId'>, today: string): ReferralState {
  if (r.revoked) return 'revoked';
  if (r.usedBy !== null) return 'used';
  if (today > r.validUntil) return 'expired';
  if (today < r.validFrom) return 'not_yet_valid';
  return 'valid';
}

/** How long a referral is valid by default, in days (clinics commonly give 30). */
export const DEFAULT_VALIDITY_DAYS = 30;
/** The longest validity a referral may have, in days. */
export const MAX_VALIDITY_DAYS = 365;

/**
 * The validity an issuer asks for, checked: from `validFrom` (default today) until
 * `validUntil` (default from + DEFAULT_VALIDITY_DAYS - 1). Refused when it ends before it
 * starts, starts before today, ends before today, or spans more than MAX_VALIDITY_DAYS.
 */
export function validityOf(
  input: { validFrom?: string; validUntil?: string },
  today: string,
): { validFrom: string; validUntil: string } | { refusal: 'VALIDATION_FAILED'; field: 'validFrom' | 'validUntil' } {
  const validFrom = input.validFrom ?? today;
  const validUntil = input.validUntil ?? addDays(validFrom, DEFAULT_VALIDITY_DAYS - 1);
  if (validFrom < today) return { refusal: 'VALIDATION_FAILED', field: 'validFrom' };
  if (validUntil < validFrom) return { refusal: 'VALIDATION_FAILED', field: 'validUntil' };
  if (validUntil > addDays(validFrom, MAX_VALIDITY_DAYS - 1))
    return { refusal: 'VALIDATION_FAILED', field: 'validUntil' };
  return { validFrom, validUntil };
}
