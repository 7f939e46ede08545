// Moving a visit (перенос, SPEC section 8a): which visit this account may move now, and to
// which time. Pure: the caller passes the clock, the zones and the slot's state. The booking
// rules (booking.rules.ts bookingRefusal) are checked again by the booking write itself.
import { slotRefusal, timeRefusal, type SlotState } from '../booking/booking.rules.js';
import { canCancelOnline, type CancelFacts, type CancelRefusal } from '../booking/visibility.rules.js';

export type MoveVisitRefusal = CancelRefusal | 'VISIT_ALREADY_MOVED';

/**
 * Whether this account may move the visit now: the rule of cancelling online (its own portal
 * booking, still booked, before the cancel time), and a visit already moved says so.
 */
export function moveVisitRefusal(v: CancelFacts & { cancelReason: string | null }, now: Date): MoveVisitRefusal | null {
  if (v.status === 'cancelled' && v.cancelReason === 'moved') return 'VISIT_ALREADY_MOVED';
  return canCancelOnline(v, now);
}

/** Where a visit is, or where it would go: its slot, doctor, the doctor's specialty and organisation. */
export interface MovePlace {
  slotId: number;
  doctorId: number;
  specialtyId: number;
  organisationId: number;
}

export type MoveTargetRefusal =
  | 'MOVE_SAME_TIME'
  | 'MOVE_TARGET_NOT_ALLOWED'
  | 'SLOT_IN_PAST'
  | 'SLOT_BEYOND_HORIZON'
  | 'SLOT_TAKEN'
  | 'SLOT_BLOCKED'
  | 'SLOT_NOT_FOR_PORTAL'
  | 'HOLD_NOT_FOUND';

export interface MoveTarget extends MovePlace {
  slot: SlotState & { startAt: Date };
  /** The target organisation's zone and the region's booking horizon. */
  timeZone: string;
  horizonDays: number;
}

/**
 * Whether the visit at `from` may move to `to` for this account and person: another time
 * (not the same slot) of the same doctor, or of another doctor of the same specialty and
 * organisation; in the future and inside the horizon; free for the portal (a time this
 * account holds for this person counts as free). A time kept for referrals is left to the
 * booking rules, which give it to a person with a referral that serves the visit.
 */
export function moveTargetRefusal(
  from: MovePlace,
  to: MoveTarget,
  who: { accountId: string; personId: string },
  now: Date,
): MoveTargetRefusal | null {
  if (to.slotId === from.slotId) return 'MOVE_SAME_TIME';
  const sameDoctor = to.doctorId === from.doctorId;
  const sameService = to.specialtyId === from.specialtyId && to.organisationId === from.organisationId;
  if (!sameDoctor && !sameService) return 'MOVE_TARGET_NOT_ALLOWED';
  // A time kept for referrals may be the person's with a referral: the booking rules decide that.
  const slot = to.slot.channel === 'referral' ? { ...to.slot, channel: 'portal' } : to.slot;
  return (
    timeRefusal(now, to.slot.startAt, to.timeZone, to.horizonDays) ??
    slotRefusal(slot, who.accountId, who.personId, now, 'book')
  );
}

/**
 * The refusals a cancel and a move share speak of cancelling in the catalogue; a move says
 * «перенести». Null: the catalogue's message fits as it is.
 */
export function moveRefusalMessage(code: string): string | null {
  switch (code) {
    case 'CUTOFF_PASSED':
      return 'Перенести запись через портал уже нельзя: регистратура сформировала списки пациентов и подобрала медицинские карты на этот день. Позвоните в регистратуру.';
    case 'NOT_CANCELLABLE_HERE':
      return 'Эту запись можно перенести только через регистратуру медицинской организации.';
    case 'ALREADY_CANCELLED':
      return 'Запись отменена, перенести её нельзя.';
    case 'VISIT_IN_PAST':
      return 'Визит уже состоялся, перенести его нельзя.';
    default:
      return null;
  }
}
