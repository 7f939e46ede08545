// What one portal booking decides from its locking read (the ordinary transaction in
// booking.service.ts, the pipelined path and the groups in group.ts): the rules re-checked,
// the write with its rendered notification, the 201 answer. Pure but for the ids it draws.
import { randomInt, randomUUID } from 'node:crypto';
import type { AppointmentDetail } from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { assertBookable } from '../../identity/persons.service.js';
import { renderEventRecord } from '../../notify/notify.service.js';
import type { RegionSettingsValues } from '../../region/settings.service.js';
import { bookingMadeEvent } from '../booking.emails.js';
import {
  appointmentOfSlot,
  chosenReferral,
  newVisitRow,
  readsReferrals,
  refusalFor,
  visitFacts,
} from '../booking.facts.js';
import type { ReferralFacts } from '../../referrals/referral.rules.js';
import type { ActiveAppointment, SlotContext } from '../booking.repository.js';
import { makeReference } from '../booking.rules.js';
import { toDetail, viewerOf, type Actor } from '../appointments.service.js';
import { type BookingLock, type BookingWrite, NOT_BY_A_CLINIC } from './statements.js';

/** How many bookings of this process were written by each path (diagnostics, tests). */
export const bookingPaths = { grouped: 0, groups: 0, pipelined: 0, ordinary: 0 };

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
  /**
   * The booking needs the person's referrals and they were not read: only the ordinary
   * transaction (booking.service.ts) reads and locks them, so the fast paths leave it to that.
   */
  needsReferrals: boolean;
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
  /** The person's referrals to the slot's specialty, locked, when the booking needs one. */
  referrals?: readonly ReferralFacts[],
): BookingPlan {
  const { person, slot } = locked;
  const needsReferrals = referrals === undefined && readsReferrals(slot, 'patient');
  const candidates = referrals ?? [];
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
    needsReferrals,
    check(active) {
      assertBookable(person);
      const refusal = refusalFor(check, person, slot, settings, active, now, 'book', 'patient', candidates);
      if (refusal) throw new AppError(refusal);
    },
    write: (active) => ({
      appointmentId,
      reference,
      ...appointmentOfSlot(slot, person.id),
      source: 'portal',
      bookedByAccountId: actor.accountId,
      ...NOT_BY_A_CLINIC,
      createdAt: now,
      seenActiveIds: active.map((a) => a.id).sort(),
      event,
      referralId: chosenReferral(slot, 'patient', candidates),
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
