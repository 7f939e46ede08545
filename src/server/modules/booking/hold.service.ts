// Holding a slot for a few minutes while the user checks the details (SPEC section 3).
// Every booking rule is checked first, so the check page never promises what booking
// will refuse; then one conditional UPDATE takes the slot. One hold per account: taking
// a new one releases the others. An expired hold counts as free for everyone.
//
// Convention for other modules: a slot held for a waitlist offer has hold_account_id
// NULL, so neither a new hold nor a booking through these endpoints can take or release it.
import type { HoldResponse } from '../../../shared/api/index.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { getOwnedPerson, type PersonRow } from '../identity/persons.service.js';
import { fullName } from '../../../shared/person.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { cancellationDeadline, slotRefusal } from './booking.rules.js';
import {
  findSlotContext,
  holdSlot,
  lockAccount,
  releaseHoldOf,
  releaseOtherLiveHolds,
  type SlotContext,
} from './booking.repository.js';
import { assertCanBook } from './booking.service.js';
import type { Actor } from './appointments.service.js';

/**
 * The check page's view of a hold. It also says when the visit could be cancelled through the
 * portal once booked (the same cancellationDeadline as the card file), and whether that time
 * has already passed (booking for tomorrow after the cut-off today).
 */
function holdView(
  slot: SlotContext,
  person: PersonRow,
  heldUntil: Date,
  regionCutoff: string,
  now: Date,
): HoldResponse {
  const tz = slot.organisation.timeZone;
  const cancelUntil = cancellationDeadline(
    slot.slot.startAt,
    tz,
    effectiveCutoff(regionCutoff, slot.organisation.cutoffOverride),
  );
  return {
    slotId: slot.slot.id,
    personId: person.id,
    heldUntil: heldUntil.toISOString(),
    startAt: slot.slot.startAt.toISOString(),
    endAt: slot.slot.endAt.toISOString(),
    localStart: localDateTimeOf(slot.slot.startAt, tz),
    timeZone: tz,
    person: { id: person.id, name: fullName(person), birthDate: person.birthDate },
    doctor: { id: slot.doctor.id, name: fullName(slot.doctor), specialty: slot.specialty.name, room: slot.doctor.room },
    organisation: {
      id: slot.organisation.id,
      name: slot.organisation.name,
      address: slot.organisation.address,
      phone: slot.organisation.phone,
    },
    cancelUntil: cancelUntil.toISOString(),
    cancelClosed: now.getTime() >= cancelUntil.getTime(),
  };
}

/** POST /api/holds: checks every rule, then holds the slot for `holdMinutes`. */
export async function placeHold(
  ctx: AppContext,
  actor: Actor,
  input: { slotId: number; personId: string },
): Promise<HoldResponse> {
  const now = ctx.now();
  const person = await getOwnedPerson(ctx.db, actor.accountId, input.personId);
  const slot = await findSlotContext(ctx.db, input.slotId);
  if (!slot) throw new AppError('SLOT_NOT_FOUND');
  const settings = await getRegionSettings(ctx.db);
  await assertCanBook(ctx.db, { ...input, accountId: actor.accountId }, person, slot, settings, now, 'hold');

  const heldUntil = new Date(now.getTime() + settings.holdMinutes * 60_000);
  await ctx.db.transaction(async (tx) => {
    await lockAccount(tx, actor.accountId);
    const taken = await holdSlot(tx, {
      slotId: slot.slot.id,
      accountId: actor.accountId,
      personId: person.id,
      now,
      heldUntil,
    });
    if (!taken) {
      // Someone was quicker between the check and the update: say what happened.
      const fresh = await findSlotContext(tx, slot.slot.id);
      const refusal = fresh ? slotRefusal(fresh.slot, actor.accountId, person.id, now, 'hold') : 'SLOT_TAKEN';
      throw new AppError(refusal ?? 'SLOT_TAKEN');
    }
    await releaseOtherLiveHolds(tx, actor.accountId, slot.slot.id, now);
  });
  return holdView(slot, person, heldUntil, settings.cutoffTime, now);
}

/** GET /api/holds/:slotId: the live hold of this account for this person, else HOLD_NOT_FOUND. */
export async function getHold(ctx: AppContext, actor: Actor, slotId: number, personId: string): Promise<HoldResponse> {
  const now = ctx.now();
  const person = await getOwnedPerson(ctx.db, actor.accountId, personId);
  const slot = await findSlotContext(ctx.db, slotId);
  const s = slot?.slot;
  if (
    !slot ||
    !s ||
    s.status !== 'held' ||
    s.holdAccountId !== actor.accountId ||
    s.holdPersonId !== person.id ||
    s.heldUntil === null ||
    s.heldUntil.getTime() <= now.getTime()
  )
    throw new AppError('HOLD_NOT_FOUND');
  const settings = await getRegionSettings(ctx.db);
  return holdView(slot, person, s.heldUntil, settings.cutoffTime, now);
}

/**
 * DELETE /api/holds/:slotId: releases this account's hold. Anything else (another account's
 * hold, a free, booked or unknown slot) is NO_SUCH_HOLD and changes nothing.
 */
export async function releaseHold(ctx: AppContext, actor: Actor, slotId: number): Promise<void> {
  if (!(await releaseHoldOf(ctx.db, actor.accountId, slotId))) throw new AppError('NO_SUCH_HOLD');
}
