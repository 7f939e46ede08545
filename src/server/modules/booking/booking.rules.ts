// Pure booking rules. No I/O, no clock: the caller passes `now` and the time zone.
import { addDays, isoWeekday, localDateOf, localTimeOf, zonedToInstant } from '../../../shared/time.js';
import { restrictionRefusal, type SpecialtyRestriction } from '../catalogue/catalogue.rules.js';
import {
  chooseReferral,
  type ReferralFacts,
  type ReferralRefusal,
  referralNeeded,
} from '../referrals/referral.rules.js';

/**
 * The last instant an appointment can be cancelled online: the cut-off wall time on the
 * day before the visit, in the organisation's zone.
 */
export function cancellationDeadline(startAt: Date, timeZone: string, cutoff: string): Date {
  const visitDay = localDateOf(startAt, timeZone);
  return zonedToInstant(addDays(visitDay, -1), cutoff, timeZone);
}

/** Whether `now` is still before the cancellation cut-off of a visit. */
export function isBeforeCutoff(now: Date, startAt: Date, timeZone: string, cutoff: string): boolean {
  return now.getTime() < cancellationDeadline(startAt, timeZone, cutoff).getTime();
}

/**
 * Where the card file lists a visit: under «Будущие визиты» until its time comes, whatever its
 * status (a cancelled one is marked «Отменена» there), under «Прошедшие визиты» after. A
 * cancelled visit of next week is not a past one.
 */
export function visitGroup(startAt: Date, now: Date): 'future' | 'past' {
  return startAt.getTime() > now.getTime() ? 'future' : 'past';
}

/** The last local date open for booking: today plus horizonDays - 1, in the zone. */
export function lastBookableDate(now: Date, timeZone: string, horizonDays: number): string {
  return addDays(localDateOf(now, timeZone), horizonDays - 1);
}

/**
 * The instant before which a slot must start to be within the horizon: the local midnight
 * after lastBookableDate. timeRefusal is null exactly for now < start < this instant.
 */
export function bookableBefore(now: Date, timeZone: string, horizonDays: number): Date {
  return zonedToInstant(addDays(lastBookableDate(now, timeZone, horizonDays), 1), '00:00', timeZone);
}

/** Why a slot's time is not bookable now, or null: never in the past, never beyond the horizon. */
export function timeRefusal(
  now: Date,
  startAt: Date,
  timeZone: string,
  horizonDays: number,
): 'SLOT_IN_PAST' | 'SLOT_BEYOND_HORIZON' | null {
  if (startAt.getTime() <= now.getTime()) return 'SLOT_IN_PAST';
  if (localDateOf(startAt, timeZone) > lastBookableDate(now, timeZone, horizonDays)) return 'SLOT_BEYOND_HORIZON';
  return null;
}

// ---------- who may book which slot ----------

export type BookingRefusal =
  | 'SLOT_IN_PAST'
  | 'SLOT_BEYOND_HORIZON'
  | 'SLOT_TAKEN'
  | 'SLOT_BLOCKED'
  | 'SLOT_NOT_FOR_PORTAL'
  | 'HOLD_NOT_FOUND'
  | 'AGE_RESTRICTED'
  | 'SEX_RESTRICTED'
  | 'OVERLAPPING_APPOINTMENT'
  | 'SPECIALTY_LIMIT_REACHED'
  | ReferralRefusal;

export interface SlotState {
  status: string;
  holdAccountId: string | null;
  holdPersonId: string | null;
  heldUntil: Date | null;
  /** portal | registry | referral (migration 0007); absent means portal. */
  channel?: string;
}

/**
 * Whether the slot is available to this account for this person.
 * - a slot kept for the registry or for referrals is never the portal's: SLOT_NOT_FOR_PORTAL.
 * - 'hold': free, held with an expired hold, or held by this account (re-hold, any person).
 * - 'book': free, held with an expired hold, or held by this account for this person;
 *   this account's live hold for another person is HOLD_NOT_FOUND (choose again).
 * A hold past held_until counts as free: an expired hold never blocks anyone.
 */
export function slotRefusal(
  slot: SlotState,
  accountId: string,
  personId: string,
  now: Date,
  mode: 'hold' | 'book',
): 'SLOT_TAKEN' | 'SLOT_BLOCKED' | 'SLOT_NOT_FOR_PORTAL' | 'HOLD_NOT_FOUND' | null {
  if (slot.status === 'blocked') return 'SLOT_BLOCKED';
  if (slot.channel !== undefined && slot.channel !== 'portal') return 'SLOT_NOT_FOR_PORTAL';
  if (slot.status === 'booked') return 'SLOT_TAKEN';
  if (slot.status === 'held') {
    const live = slot.heldUntil !== null && slot.heldUntil.getTime() > now.getTime();
    if (!live) return null;
    if (slot.holdAccountId !== accountId) return 'SLOT_TAKEN';
    if (mode === 'book' && slot.holdPersonId !== personId) return 'HOLD_NOT_FOUND';
  }
  return null;
}

export interface ActiveAppointment {
  startAt: Date;
  endAt: Date;
  specialtyId: number;
}

/**
 * A person's own calendar limits: no two active appointments at overlapping times, and
 * at most `maxPerSpecialty` active future appointments to one specialty (stops hoarding).
 * `active` are the person's appointments with status booked.
 */
export function personLimitRefusal(
  active: ActiveAppointment[],
  candidate: ActiveAppointment,
  maxPerSpecialty: number,
  now: Date,
): 'OVERLAPPING_APPOINTMENT' | 'SPECIALTY_LIMIT_REACHED' | null {
  const overlaps = active.some(
    (a) => a.startAt.getTime() < candidate.endAt.getTime() && candidate.startAt.getTime() < a.endAt.getTime(),
  );
  if (overlaps) return 'OVERLAPPING_APPOINTMENT';
  const sameSpecialty = active.filter(
    (a) => a.specialtyId === candidate.specialtyId && a.startAt.getTime() > now.getTime(),
  ).length;
  if (sameSpecialty >= maxPerSpecialty) return 'SPECIALTY_LIMIT_REACHED';
  return null;
}

export interface BookingFacts {
  accountId: string;
  person: { id: string; birthDate: string; sex: string };
  slot: SlotState & { startAt: Date; endAt: Date };
  /** Whether the doctor still receives patients. */
  doctorActive: boolean;
  timeZone: string;
  specialty: SpecialtyRestriction & { id: number };
  /** The person's active (booked) appointments with their specialties. */
  active: ActiveAppointment[];
  horizonDays: number;
  maxPerSpecialty: number;
  /**
   * A patient's own booking (portal, kiosk): whether the specialty is booked without a
   * referral, and the person's referrals to it (referrals.service referralCandidates) when
   * the booking needs one. Absent: the clinic books (its own channels; no referral asked).
   */
  referral?: { selfBooking: boolean; organisationId: number; candidates: readonly ReferralFacts[] };
}

/**
 * The referral a patient's booking uses (its id), the refusal when it needs one and has none
 * that serves the visit on its local date, or null when it needs none (SPEC section 8a).
 */
export function bookingReferral(
  f: Pick<BookingFacts, 'referral' | 'slot' | 'specialty' | 'timeZone'>,
): { referralId: string } | { refusal: ReferralRefusal } | null {
  if (!f.referral || !referralNeeded(f.referral.selfBooking, f.slot.channel)) return null;
  return chooseReferral(f.referral.candidates, {
    specialtyId: f.specialty.id,
    organisationId: f.referral.organisationId,
    localDate: localDateOf(f.slot.startAt, f.timeZone),
  });
}

/**
 * Every booking rule except the person's verification status (assertBookable), in the
 * order a person would want to hear them: the time, the slot, the specialist, the
 * person's own calendar. The same function decides a hold and a booking, so the check
 * page never promises what booking will refuse.
 */
export function bookingRefusal(f: BookingFacts, now: Date, mode: 'hold' | 'book'): BookingRefusal | null {
  const time = timeRefusal(now, f.slot.startAt, f.timeZone, f.horizonDays);
  if (time) return time;
  if (!f.doctorActive) return 'SLOT_BLOCKED';
  const referral = bookingReferral(f);
  // A time kept for referrals is a patient's with a referral that serves the visit; for a
  // specialty «по направлению» the referral's refusal (below) says more than the slot's.
  const keptForReferrals =
    f.slot.channel === 'referral' && referral !== null && ('referralId' in referral || !f.referral?.selfBooking);
  const slot = slotRefusal(
    keptForReferrals ? { ...f.slot, channel: 'portal' } : f.slot,
    f.accountId,
    f.person.id,
    now,
    mode,
  );
  if (slot) return slot;
  const restriction = restrictionRefusal(f.specialty, f.person, localDateOf(f.slot.startAt, f.timeZone));
  if (restriction) return restriction;
  if (referral && 'refusal' in referral) return referral.refusal;
  return personLimitRefusal(
    f.active,
    { startAt: f.slot.startAt, endAt: f.slot.endAt, specialtyId: f.specialty.id },
    f.maxPerSpecialty,
    now,
  );
}

// ---------- reference numbers ----------

/** Letters and digits that cannot be mistaken for one another when read aloud or retyped (no 0/O, 1/I/L). */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_PREFIX = 'ПР-';

/** A reference number like "ПР-7K3M92QD"; `pick(n)` returns a uniform integer in [0, n). */
export function makeReference(pick: (n: number) => number): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[pick(REFERENCE_ALPHABET.length)];
  return REFERENCE_PREFIX + code;
}

// ---------- what people read ----------

/**
 * Why the card file shows no "Отменить визит" button on a future booked visit, in Russian,
 * or null when there is nothing to explain (cancellable, or already cancelled / past).
 */
export function cancelBlockedText(
  refusal: 'NOT_CANCELLABLE_HERE' | 'ALREADY_CANCELLED' | 'VISIT_IN_PAST' | 'CUTOFF_PASSED' | null,
  cutoff: string,
  registryPhone: string,
): string | null {
  if (refusal === 'CUTOFF_PASSED')
    return `Отмена через портал закрыта в ${cutoff} накануне визита: регистратура уже сформировала списки пациентов и подобрала медицинские карты. Позвоните в регистратуру по телефону ${registryPhone}.`;
  if (refusal === 'NOT_CANCELLABLE_HERE')
    return `Запись сделана не через портал: отменить её можно в регистратуре по телефону ${registryPhone}.`;
  return null;
}

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const WEEKDAYS = ['понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];
const WEEKDAYS_GENITIVE = ['понедельника', 'вторника', 'среды', 'четверга', 'пятницы', 'субботы', 'воскресенья'];
const WEEKDAYS_ACCUSATIVE = ['понедельник', 'вторник', 'среду', 'четверг', 'пятницу', 'субботу', 'воскресенье'];

function formatInstantRu(instant: Date, timeZone: string, weekdays: readonly string[]): string {
  const date = localDateOf(instant, timeZone);
  const [y, m, d] = date.split('-').map(Number);
  return `${weekdays[isoWeekday(date) - 1]}, ${d} ${MONTHS_GENITIVE[m - 1]} ${y} г., ${localTimeOf(instant, timeZone)}`;
}

/** "четверг, 26 ноября 2026 г., 10:00" in the organisation's zone, 24-hour clock. */
export function formatVisitTimeRu(instant: Date, timeZone: string): string {
  return formatInstantRu(instant, timeZone, WEEKDAYS);
}

/** The weekday of a local date 'YYYY-MM-DD' in the genitive, as after «до»: "вторника". */
export function weekdayGenitiveRu(localDate: string): string {
  return WEEKDAYS_GENITIVE[isoWeekday(localDate) - 1];
}

/**
 * A deadline with its preposition: "до четверга, 26 ноября 2026 г., 18:00" (the weekday in
 * the genitive), in the organisation's zone. Every «answer / cancel until» text uses it.
 */
export function untilRu(instant: Date, timeZone: string): string {
  return `до ${formatInstantRu(instant, timeZone, WEEKDAYS_GENITIVE)}`;
}

/**
 * A moment with its preposition, as in «Врач не сможет принять в среду, 25 ноября 2026 г.,
 * 10:00» (the weekday in the accusative; «во вторник» as Russian says it), in the zone given.
 */
export function onRu(instant: Date, timeZone: string): string {
  const when = formatInstantRu(instant, timeZone, WEEKDAYS_ACCUSATIVE);
  return `${when.startsWith('вторник') ? 'во' : 'в'} ${when}`;
}

// ---------- what to offer after a refusal ----------

export interface FreeTime {
  id: number;
  startAt: Date;
}

/**
 * The times to name after an attempt on `refused` was refused (SLOT_TAKEN): the doctor's free
 * times nearest to it (the earlier on a tie), bookable now (not begun, within the horizon),
 * without the ones `skip` names (a booking in this process is taking them right now), at
 * most `max`, in order of start. `free` is in order of start. Empty: nothing of this
 * doctor's is left to try. At a rush every loser asks, so this walks out from the refused
 * time instead of sorting the whole list.
 */
export function nearestFreeTimes(
  refused: FreeTime,
  free: FreeTime[],
  now: Date,
  timeZone: string,
  horizonDays: number,
  skip: (id: number) => boolean,
  max: number,
): FreeTime[] {
  // timeRefusal is null exactly for now < start < bookableBefore.
  const after = now.getTime();
  const before = bookableBefore(now, timeZone, horizonDays).getTime();
  const ok = (f: FreeTime) => {
    const t = f.startAt.getTime();
    return t > after && t < before && f.id !== refused.id && !skip(f.id);
  };
  const at = refused.startAt.getTime();
  // The first time at or after the refused one; earlier ones go left, later ones right.
  let lo = 0;
  let hi = free.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (free[mid].startAt.getTime() < at) lo = mid + 1;
    else hi = mid;
  }
  let left = lo - 1;
  let right = lo;
  const earlier: FreeTime[] = [];
  const later: FreeTime[] = [];
  while (earlier.length + later.length < max && (left >= 0 || right < free.length)) {
    const l = left >= 0 ? at - free[left].startAt.getTime() : Infinity;
    const r = right < free.length ? free[right].startAt.getTime() - at : Infinity;
    if (l <= r) {
      if (ok(free[left])) earlier.push(free[left]);
      left -= 1;
    } else {
      if (ok(free[right])) later.push(free[right]);
      right += 1;
    }
  }
  return [...earlier.reverse(), ...later];
}
