// A clinic system's slot list for one doctor and a range of dates (issue 17, «Schedules in»):
// one transaction under the doctor's schedule lock - new slots created, changed free ones
// updated, missing free ones removed; a booked or held time the list would remove or change
// refuses the whole list (409 naming each visit by id and reference, never the patient). A
// doctor whose times come from a template is refused: one doctor, one source of times.
// The caller (the integration API) authorises the key and offers free time to the waitlist.
import type { SlotPushConflict } from '../../../shared/api/integration-schedules.js';
import { addDays, localPartsOf, zonedToInstant } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { findActiveDoctorCard } from '../catalogue/catalogue.service.js';
import { recordAudit } from '../region/audit.service.js';
import { planSlotPush, slotsOutsideRange, type PushedSlot } from './pushed-slots.rules.js';
import {
  insertPushedSlots,
  parkSlots,
  removePushedSlots,
  selectPushCandidates,
  selectRangeSlots,
  updatePushedSlots,
  type RangeSlotRow,
} from './pushed-slots.repository.js';
import type { SlotChannel } from './schedule.rules.js';
import { lockDoctorForSchedule, selectConflictDetails, selectDoctorRules } from './template.repository.js';

/** Who pushes: an API key of the doctor's organisation (audit-logged by its id). */
export interface SlotPushActor {
  organisationId: number;
  apiKeyId: string;
}

export interface SlotPushInput {
  /** Local dates of the organisation, inclusive. */
  from: string;
  to: string;
  slots: readonly { externalId: string; startAt: string; endAt: string; channel: SlotChannel }[];
}

export interface SlotPushResult {
  timeZone: string;
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
  skippedPast: number;
  /** The doctor's slots of the range after the change, in order of start. */
  slots: RangeSlotRow[];
}

export async function pushDoctorSlots(
  ctx: AppContext,
  actor: SlotPushActor,
  doctorId: number,
  input: SlotPushInput,
): Promise<SlotPushResult> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const card = await findActiveDoctorCard(tx, doctorId);
    if (!card || card.organisation.id !== actor.organisationId) throw new AppError('DOCTOR_NOT_FOUND');
    const tz = card.organisation.timeZone;
    await lockDoctorForSchedule(tx, doctorId);
    if ((await selectDoctorRules(tx, doctorId)).length > 0) throw new AppError('DOCTOR_HAS_TEMPLATE');

    const from = zonedToInstant(input.from, '00:00', tz);
    const to = zonedToInstant(addDays(input.to, 1), '00:00', tz);
    const pushed: PushedSlot[] = input.slots.map((s) => ({
      externalId: s.externalId,
      startMs: Date.parse(s.startAt),
      endMs: Date.parse(s.endAt),
      channel: s.channel,
    }));
    const outside = slotsOutsideRange(pushed, from.getTime(), to.getTime());
    if (outside.length > 0) {
      const i = outside[0];
      throw new AppError(
        'VALIDATION_FAILED',
        { field: `slots.${i}.startAt`, outside: outside.length },
        `Слот № ${i + 1} начинается вне дат from–to (${input.from} – ${input.to}, время ${tz}).`,
      );
    }

    const current = await selectPushCandidates(tx, doctorId, {
      after: now,
      from,
      to,
      externalIds: pushed.map((p) => p.externalId),
    });
    const plan = planSlotPush(current, pushed, now.getTime());
    if (plan.pastChanged.length > 0) {
      throw new AppError('SLOT_ALREADY_STARTED', { externalIds: plan.pastChanged.slice(0, 20) });
    }
    if (plan.conflicts.length > 0) {
      const details = await selectConflictDetails(
        tx,
        plan.conflicts.map((c) => c.slot.id),
      );
      const byId = new Map(details.map((d) => [d.slotId, d]));
      const conflicts: SlotPushConflict[] = plan.conflicts.map((c) => {
        const d = byId.get(c.slot.id);
        const local = localPartsOf(c.slot.startMs, tz);
        return {
          slotId: c.slot.id,
          externalId: c.slot.externalId,
          change: c.change,
          date: local.date,
          time: local.time,
          startAt: new Date(c.slot.startMs).toISOString(),
          status: c.slot.status === 'held' ? 'held' : 'booked',
          appointmentId: d?.appointmentId ?? null,
          reference: d?.reference ?? null,
          source: d?.source ?? null,
        };
      });
      throw new AppError('SLOTS_PUSH_CONFLICT', { conflicts });
    }

    const statusOf = new Map(current.map((c) => [c.id, c.status]));
    const removed = await removePushedSlots(
      tx,
      doctorId,
      plan.remove.map((id) => ({ id, status: statusOf.get(id) ?? 'free' })),
    );
    await parkSlots(tx, plan.park);
    const updated = await updatePushedSlots(tx, plan.update, statusOf);
    const created = await insertPushedSlots(tx, doctorId, plan.insert);
    const counts = { created, updated, removed, unchanged: plan.unchanged, skippedPast: plan.skippedPast };
    if (created + updated + removed > 0) {
      await recordAudit(
        tx,
        {
          actorAccountId: null,
          action: 'schedule_slots.push',
          entityType: 'doctor',
          entityId: String(doctorId),
          details: {
            organisationId: actor.organisationId,
            apiKeyId: actor.apiKeyId,
            from: input.from,
            to: input.to,
            ...counts,
          },
        },
        now,
      );
    }
    return { timeZone: tz, ...counts, slots: await selectRangeSlots(tx, doctorId, from, to) };
  });
}
