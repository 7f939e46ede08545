// What one portal booking decides from its locking read (booking.service bookOnce, the
// pipelined path and booking.group's groups): the rules re-checked, the write with its
// rendered notification, the 201 answer. Pure but for the ids it draws.
import { randomInt, randomUUID } from 'node:crypto';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { assertBookable, fullName, type PersonRow } from '../identity/persons.service.js';
import { renderEventRecord } from '../notify/notify.service.js';
import { effectiveCutoff, type RegionSettingsValues } from '../operator/settings.service.js';
import { bookingMadeEvent, type VisitFacts } from './booking.emails.js';
import { bookingRefusal, cancellationDeadline, makeReference } from './booking.rules.js';
import type { ActiveAppointment, BookingLock, BookingWrite, SlotContext, VisitRow } from './booking.repository.js';
import { toDetail, viewerOf, type Actor } from './visits.service.js';

export interface SlotForPerson {
  slotId: number;
  personId: string;
  accountId: string;
}

/** How many bookings of this process were written by each path (diagnostics, tests). */
export const bookingPaths = { grouped: 0, groups: 0, pipelined: 0, ordinary: 0 };

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

export function lockedOrRefused(locked: BookingLock | null): BookingLock & { slot: SlotContext } {
  if (!locked) throw new AppError('PERSON_NOT_FOUND');
  if (!locked.slot) throw new AppError('SLOT_NOT_FOUND');
  return locked as BookingLock & { slot: SlotContext };
}

export interface BookingPlan {
  personId: string;
  /** The slot's doctor and the slot (the write bumps their schedule version row). */
  doctorId: number;
  slotId: number;
  /** The person's active appointments as the locking read saw them. */
  active: ActiveAppointment[];
  /** Throws the first booking rule broken against these active appointments. */
  check(active: ActiveAppointment[]): void;
  /** The write, valid while the person's active appointments are these. */
  write(active: ActiveAppointment[]): BookingWrite;
  /** The 201 answer once written. */
  detail(): AppointmentDetail;
}

/** Everything a booking writes and answers, decided from its locking read (pure but for ids). */
export function planBooking(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
  locked: BookingLock & { slot: SlotContext },
  settings: RegionSettingsValues,
  now: Date,
): BookingPlan {
  const { person, slot } = locked;
  const check = { ...input, accountId: actor.accountId };
  const appointmentId = randomUUID();
  const reference = makeReference((n) => randomInt(n));
  const event = renderEventRecord(
    { publicUrl: ctx.config.publicUrl },
    bookingMadeEvent(
      actor.accountId,
      visitFacts({ appointmentId, reference, startAt: slot.slot.startAt }, person, slot, settings.cutoffTime),
    ),
  );
  return {
    personId: person.id,
    doctorId: slot.doctor.id,
    slotId: slot.slot.id,
    active: locked.active,
    check(active) {
      assertBookable(person);
      const refusal = refusalFor(check, person, slot, settings, active, now, 'book');
      if (refusal) throw new AppError(refusal);
    },
    write: (active) => ({
      appointmentId,
      reference,
      ...appointmentOfSlot(slot, person.id),
      bookedByAccountId: actor.accountId,
      createdAt: now,
      seenActiveIds: active.map((a) => a.id).sort(),
      event,
    }),
    detail: () =>
      toDetail(
        newVisitRow(appointmentId, reference, slot, person, actor.accountId),
        person,
        viewerOf(actor, []),
        settings.cutoffTime,
        now,
      ),
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
