// What a booking takes from its slot and person, for every path that books (booking.service.ts
// and the fast path in fast/): the first rule refused, the new appointment's columns, the
// facts its notification tells, the visit row of an appointment just written. Pure.
import { fullName } from '../../../shared/person.js';
import type { PersonRow } from '../identity/persons.service.js';
import { type ReferralFacts, referralNeeded } from '../referrals/referral.rules.js';
import { effectiveCutoff, type RegionSettingsValues } from '../region/settings.service.js';
import type { VisitFacts } from './booking.emails.js';
import type { SlotContext, VisitRow } from './booking.repository.js';
import { bookingReferral, bookingRefusal, cancellationDeadline } from './booking.rules.js';

export interface SlotForPerson {
  slotId: number;
  personId: string;
  accountId: string;
}

/** What a new appointment of this person in this slot takes from the slot. */
export function appointmentOfSlot(slot: Pick<SlotContext, 'slot' | 'doctor'>, personId: string) {
  return {
    slotId: slot.slot.id,
    personId,
    doctorId: slot.doctor.id,
    startAt: slot.slot.startAt,
    endAt: slot.slot.endAt,
  };
}

/** The first booking rule this person and slot break, against the given active appointments. */
export function refusalFor(
  input: SlotForPerson,
  person: PersonRow,
  slot: SlotContext,
  settings: RegionSettingsValues,
  active: { startAt: Date; endAt: Date; specialtyId: number }[],
  now: Date,
  mode: 'hold' | 'book',
  /** Who books: a patient themselves (portal, kiosk: portal slots only) or the clinic (any channel). */
  bookedBy: 'patient' | 'clinic' = 'patient',
  /** A patient's booking that needs a referral: the person's referrals to the specialty (none read: none). */
  referrals: readonly ReferralFacts[] = [],
) {
  return bookingRefusal(
    {
      accountId: input.accountId,
      person: { id: person.id, birthDate: person.birthDate, sex: person.sex },
      slot: bookedBy === 'clinic' ? { ...slot.slot, channel: undefined } : slot.slot,
      doctorActive: slot.doctor.active,
      timeZone: slot.organisation.timeZone,
      specialty: slot.specialty,
      active,
      horizonDays: settings.horizonDays,
      maxPerSpecialty: settings.maxPerSpecialty,
      referral: referralFactsFor(slot, bookedBy, referrals),
    },
    now,
    mode,
  );
}

/** What bookingRefusal and bookingReferral know of referrals: nothing for the clinic's own bookings. */
export function referralFactsFor(
  slot: Pick<SlotContext, 'specialty' | 'organisation'>,
  bookedBy: 'patient' | 'clinic',
  referrals: readonly ReferralFacts[],
) {
  return bookedBy === 'patient'
    ? { selfBooking: slot.specialty.selfBooking, organisationId: slot.organisation.id, candidates: referrals }
    : undefined;
}

/** Whether this booking must read the person's referrals first (a patient's, of a specialty or time that needs one). */
export function readsReferrals(slot: Pick<SlotContext, 'specialty' | 'slot'>, bookedBy: 'patient' | 'clinic'): boolean {
  return bookedBy === 'patient' && referralNeeded(slot.specialty.selfBooking, slot.slot.channel);
}

/** The referral a patient's booking of this slot uses, or null (none needed; a refusal was thrown before). */
export function chosenReferral(
  slot: SlotContext,
  bookedBy: 'patient' | 'clinic',
  referrals: readonly ReferralFacts[],
): string | null {
  const choice = bookingReferral({
    referral: referralFactsFor(slot, bookedBy, referrals),
    slot: slot.slot,
    specialty: slot.specialty,
    timeZone: slot.organisation.timeZone,
  });
  return choice && 'referralId' in choice ? choice.referralId : null;
}

/** The facts a notification about this visit needs. */
export function visitFacts(
  v: { appointmentId: string; reference: string; startAt: Date },
  person: { lastName: string; firstName: string; middleName: string | null },
  slot: {
    doctor: { lastName: string; firstName: string; middleName: string | null; room: string };
    specialty: { name: string };
    organisation: Pick<SlotContext['organisation'], 'timeZone' | 'name' | 'address' | 'phone' | 'cutoffOverride'>;
  },
  regionCutoff: string,
): VisitFacts {
  const tz = slot.organisation.timeZone;
  return {
    appointmentId: v.appointmentId,
    reference: v.reference,
    personName: fullName(person),
    startAt: v.startAt,
    timeZone: tz,
    doctorName: fullName(slot.doctor),
    specialty: slot.specialty.name,
    room: slot.doctor.room,
    organisationName: slot.organisation.name,
    address: slot.organisation.address,
    phone: slot.organisation.phone,
    cancelUntil: cancellationDeadline(v.startAt, tz, effectiveCutoff(regionCutoff, slot.organisation.cutoffOverride)),
  };
}

/** The visit row of a portal appointment just inserted. */
export function newVisitRow(
  appointmentId: string,
  reference: string,
  slot: SlotContext,
  person: PersonRow,
  accountId: string,
): VisitRow {
  return {
    id: appointmentId,
    reference,
    slotId: slot.slot.id,
    startAt: slot.slot.startAt,
    endAt: slot.slot.endAt,
    status: 'booked',
    source: 'portal',
    bookedByAccountId: accountId,
    cancelledBy: null,
    cancelReason: null,
    releasedAt: null,
    person: {
      id: person.id,
      accountId: person.accountId,
      isMain: person.isMain,
      lastName: person.lastName,
      firstName: person.firstName,
      middleName: person.middleName,
      birthDate: person.birthDate,
      snils: person.snils,
      policy: person.policy,
    },
    doctor: slot.doctor,
    specialty: { id: slot.specialty.id, name: slot.specialty.name },
    organisation: slot.organisation,
  };
}
