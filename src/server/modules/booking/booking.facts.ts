// What a booking takes from its slot and person, for every path that books (booking.service.ts
// and the fast path in fast/): the first rule refused, the new appointment's columns, the
// facts its notification tells, the visit row of an appointment just written. Pure.
import { fullName } from '../../../shared/person.js';
import type { PersonRow } from '../identity/persons.service.js';
import { effectiveCutoff, type RegionSettingsValues } from '../region/settings.service.js';
import type { VisitFacts } from './booking.emails.js';
import type { SlotContext, VisitRow } from './booking.repository.js';
import { bookingRefusal, cancellationDeadline } from './booking.rules.js';

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
    },
    now,
    mode,
  );
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
