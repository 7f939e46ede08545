// Pure waitlist rules (SPEC section 4): who may join, which entry gets a freed slot, the
// offer's response deadline, the sequence of offers and its limit, the expiry reminder.
// No I/O, no clock: the caller passes `now`, the time zone and the settings.
import {
  bookingRefusal,
  cancellationDeadline,
  type ActiveAppointment,
  type BookingRefusal,
} from '../booking/booking.rules.js';
import { restrictionRefusal, type SpecialtyRestriction } from '../catalogue/catalogue.rules.js';
import type { ReferralFacts } from '../referrals/referral.rules.js';

/** Less than this left to answer: the slot skips the waitlist and becomes publicly free. */
export const MIN_RESPONSE_MS = 60 * 60_000;
/** A release offer closes this long before the visit at the latest. */
export const RELEASE_NOTICE_MS = 60 * 60_000;
/** The "offer about to expire" reminder goes out when this much (or less) is left. */
export const EXPIRING_NOTICE_MS = 2 * 60 * 60_000;

export type EntryKind = 'doctor' | 'specialty';

// ---------- joining ----------

export type JoinRefusal =
  | 'AGE_RESTRICTED'
  | 'SEX_RESTRICTED'
  | 'WAITLIST_NOT_ALLOWED'
  | 'WAITLIST_ALREADY'
  | 'SPECIALTY_LIMIT_REACHED'
  | 'WAITLIST_NOT_NEEDED';

export interface JoinFacts {
  person: { birthDate: string; sex: string };
  specialty: SpecialtyRestriction;
  /** Today's local date in the organisation's zone. */
  localToday: string;
  waitlistAllowed: boolean;
  /** The person already has an active entry of this kind for this doctor / specialty. */
  alreadyWaiting: boolean;
  /** The person's booked future appointments to this specialty, and the region's limit. */
  futureSameSpecialty: number;
  maxPerSpecialty: number;
  /** Free time inside the horizon: of the doctor (kind doctor) or of any doctor of the specialty in the organisation. */
  hasFreeTime: boolean;
}

/**
 * Why this person may not join this waitlist, or null. The order is the order a person
 * would want to hear it: the specialist's restrictions, the organisation's policy, an entry
 * already there, the booking limit (no offer could ever be made), then free time to book instead.
 */
export function joinRefusal(f: JoinFacts): JoinRefusal | null {
  const restriction = restrictionRefusal(f.specialty, f.person, f.localToday);
  if (restriction) return restriction;
  if (!f.waitlistAllowed) return 'WAITLIST_NOT_ALLOWED';
  if (f.alreadyWaiting) return 'WAITLIST_ALREADY';
  if (f.futureSameSpecialty >= f.maxPerSpecialty) return 'SPECIALTY_LIMIT_REACHED';
  if (f.hasFreeTime) return 'WAITLIST_NOT_NEEDED';
  return null;
}

// ---------- matching a freed slot ----------

export interface EntryTarget {
  organisationId: number;
  specialtyId: number;
  /** null: any doctor of the specialty in the organisation. */
  doctorId: number | null;
}

export interface SlotDoctor {
  id: number;
  organisationId: number;
  specialtyId: number;
}

/** Whether an entry waits for this doctor's time: the doctor itself, or the doctor's specialty in that organisation. */
export function entryMatches(entry: EntryTarget, doctor: SlotDoctor): boolean {
  if (entry.doctorId !== null) return entry.doctorId === doctor.id;
  return entry.organisationId === doctor.organisationId && entry.specialtyId === doctor.specialtyId;
}

/** The place in the line: the older entry first; equal instants by id, so the order is total. */
export function byPlace(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  const d = a.createdAt.getTime() - b.createdAt.getTime();
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface OfferSlot {
  startAt: Date;
  endAt: Date;
  timeZone: string;
  doctorActive: boolean;
  specialty: SpecialtyRestriction & { id: number };
  /** A specialty «по направлению» (SPEC 8a): its organisation, to check each candidate's referrals against. */
  referral?: { selfBooking: boolean; organisationId: number };
}

export interface Candidate {
  /** The entry's id. */
  id: string;
  createdAt: Date;
  offersMade: number;
  /** Whether this slot was offered to this entry before (a declined slot never comes back). */
  hadThisSlot: boolean;
  person: { id: string; status: string; birthDate: string; sex: string };
  /** For a specialty «по направлению»: the person's referrals to it (none read: none). */
  referrals?: readonly ReferralFacts[];
}

export interface MatchSettings {
  horizonDays: number;
  maxPerSpecialty: number;
  maxOffers: number;
}

export type CandidateRefusal = BookingRefusal | 'PERSON_NOT_CONFIRMED' | 'OFFERS_EXHAUSTED' | 'HAD_THIS_SLOT';

/**
 * Why this waiting entry cannot be offered this slot now, or null. The booking rules decide,
 * as for a booking (time and horizon, restrictions, overlapping visits, the per-specialty
 * limit), where `commitments` are the person's booked visits that have not ended AND the
 * slots of the person's pending offers: an offer is a visit the person may still take.
 */
export function candidateRefusal(
  c: Candidate,
  slot: OfferSlot,
  commitments: ActiveAppointment[],
  settings: MatchSettings,
  now: Date,
): CandidateRefusal | null {
  if (c.person.status !== 'confirmed') return 'PERSON_NOT_CONFIRMED';
  if (c.offersMade >= settings.maxOffers) return 'OFFERS_EXHAUSTED';
  if (c.hadThisSlot) return 'HAD_THIS_SLOT';
  return bookingRefusal(
    {
      accountId: '',
      person: { id: c.person.id, birthDate: c.person.birthDate, sex: c.person.sex },
      // The slot is free for the waitlist: its state was checked by the caller.
      slot: {
        status: 'free',
        holdAccountId: null,
        holdPersonId: null,
        heldUntil: null,
        startAt: slot.startAt,
        endAt: slot.endAt,
      },
      doctorActive: slot.doctorActive,
      timeZone: slot.timeZone,
      specialty: slot.specialty,
      active: commitments,
      horizonDays: settings.horizonDays,
      maxPerSpecialty: settings.maxPerSpecialty,
      // Offered as the person would book it: with a referral that serves the visit, when it needs one.
      referral: slot.referral ? { ...slot.referral, candidates: c.referrals ?? [] } : undefined,
    },
    now,
    'book',
  );
}

/**
 * The entries that may get the slot, in the order they get it: by place (oldest first),
 * skipping those whose person does not pass the rules for this slot.
 */
export function eligibleInOrder<C extends Candidate>(
  candidates: readonly C[],
  slot: OfferSlot,
  commitmentsOf: (personId: string) => ActiveAppointment[],
  settings: MatchSettings,
  now: Date,
): C[] {
  return [...candidates]
    .sort(byPlace)
    .filter((c) => candidateRefusal(c, slot, commitmentsOf(c.person.id), settings, now) === null);
}

// ---------- the offer's deadline ----------

/**
 * The instant by which the offer must be answered: `offerWindowHours` from now, but never
 * later than the cancellation cut-off before the visit (after it the registry has made its
 * lists). Null when less than an hour would remain: the slot then skips the waitlist.
 */
export function offerDeadline(
  now: Date,
  slotStart: Date,
  timeZone: string,
  cutoff: string,
  offerWindowHours: number,
): Date | null {
  const window = now.getTime() + offerWindowHours * 3_600_000;
  const cut = cancellationDeadline(slotStart, timeZone, cutoff).getTime();
  const deadline = Math.min(window, cut);
  if (deadline - now.getTime() < MIN_RESPONSE_MS) return null;
  return new Date(deadline);
}

/**
 * The deadline of a release offer (SPEC section 8a: a visit released with «Не смогу прийти»
 * after the cut-off): `offerWindowHours` from now, but never later than one hour before the
 * visit, so the clinic knows in time who comes. Null when less than an hour would be left to
 * answer (a visit under two hours away): no offer, the visit only carries the patient's warning.
 * Instants only: the organisation's zone does not move either bound.
 */
export function releaseOfferDeadline(now: Date, visitStart: Date, offerWindowHours: number): Date | null {
  const window = now.getTime() + offerWindowHours * 3_600_000;
  const deadline = Math.min(window, visitStart.getTime() - RELEASE_NOTICE_MS);
  if (deadline - now.getTime() < MIN_RESPONSE_MS) return null;
  return new Date(deadline);
}

// ---------- the sequence of offers ----------

/** Offers still possible for an entry; a pending one counts as still possible. */
export function offersLeft(offersMade: number, maxOffers: number, hasPending: boolean): number {
  return Math.max(0, maxOffers - offersMade + (hasPending ? 1 : 0));
}

/**
 * What happens to the entry when its offer is declined or expires unanswered (both count):
 * back to its original place while offers remain, removed from the waitlist after the last.
 * `offersMade` already counts the offer being closed.
 */
export function afterUnanswered(offersMade: number, maxOffers: number): { removed: boolean; offersLeft: number } {
  const left = Math.max(0, maxOffers - offersMade);
  return { removed: left === 0, offersLeft: left };
}

/**
 * Whether to send the "offer about to expire" reminder now: at most two hours left and the
 * deadline not yet passed. An offer made with two hours or less to answer gets none: its
 * first message already says how little time there is.
 */
export function shouldRemindExpiring(createdAt: Date, deadline: Date, now: Date): boolean {
  const left = deadline.getTime() - now.getTime();
  return left > 0 && left <= EXPIRING_NOTICE_MS && deadline.getTime() - createdAt.getTime() > EXPIRING_NOTICE_MS;
}
