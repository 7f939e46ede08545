// Pure schedule rules: templates -> slots, which templates apply on a date, the booking
// window as instants, and what a slot looks like to the account viewing it.
// No I/O, no clock: the caller passes `now` and the time zone.
import {
  addDays,
  isoWeekday,
  localDateOf,
  minutesOf,
  hhmmOf,
  zonedToInstant,
  localTimeOf,
} from '../../../shared/time.js';
import { bookableBefore, lastBookableDate } from '../booking/booking.rules.js';

export interface TemplateHours {
  /** Wall-clock 'HH:MM' in the organisation's zone. */
  startTime: string;
  endTime: string;
  slotMinutes: number;
  breakStart: string | null;
  breakEnd: string | null;
}

export interface TemplateValidity {
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Local dates 'YYYY-MM-DD', inclusive. */
  validFrom: string;
  validUntil: string | null;
}

export interface SlotTimes {
  startAt: Date;
  endAt: Date;
}

/**
 * The slots a template produces on one local date: consecutive slots of `slotMinutes` from
 * the start to the end of the working hours; a slot that would overlap the break is not
 * produced and the next one starts when the break ends. Wall times are converted to
 * instants in the zone. A slot whose start wall time does not exist that day (a DST gap)
 * is not produced, so no two slots ever share an instant.
 */
export function slotsForTemplateDay(t: TemplateHours, localDate: string, timeZone: string): SlotTimes[] {
  const start = minutesOf(t.startTime);
  const end = minutesOf(t.endTime);
  const len = t.slotMinutes;
  if (!(len > 0) || end <= start) return [];
  const hasBreak = t.breakStart !== null && t.breakEnd !== null && minutesOf(t.breakEnd) > minutesOf(t.breakStart);
  const breakStart = hasBreak ? minutesOf(t.breakStart as string) : 0;
  const breakEnd = hasBreak ? minutesOf(t.breakEnd as string) : 0;

  const result: SlotTimes[] = [];
  let cursor = start;
  while (cursor + len <= end) {
    if (hasBreak && cursor < breakEnd && cursor + len > breakStart) {
      cursor = breakEnd;
      continue;
    }
    const wallStart = hhmmOf(cursor);
    const startAt = zonedToInstant(localDate, wallStart, timeZone);
    const endAt = zonedToInstant(localDate, hhmmOf(cursor + len), timeZone);
    const existed = localTimeOf(startAt, timeZone) === wallStart && localDateOf(startAt, timeZone) === localDate;
    const previous = result[result.length - 1];
    if (existed && endAt > startAt && (!previous || startAt >= previous.endAt)) result.push({ startAt, endAt });
    cursor += len;
  }
  return result;
}

/** Whether a template applies on a local date: its weekday, inside its validity. */
export function templateAppliesOn(t: TemplateValidity, localDate: string): boolean {
  if (isoWeekday(localDate) !== t.weekday) return false;
  if (localDate < t.validFrom) return false;
  if (t.validUntil !== null && localDate > t.validUntil) return false;
  return true;
}

/** The templates that apply on a local date. */
export function templatesForDate<T extends TemplateValidity>(templates: readonly T[], localDate: string): T[] {
  return templates.filter((t) => templateAppliesOn(t, localDate));
}

/** Local dates from `firstDate` to `lastDate` inclusive. */
export function datesBetween(firstDate: string, lastDate: string): string[] {
  const out: string[] = [];
  for (let d = firstDate; d <= lastDate; d = addDays(d, 1)) out.push(d);
  return out;
}

export interface BookingWindow {
  /** Today's local date in the zone. */
  today: string;
  /** The last bookable local date (lastBookableDate). */
  lastDate: string;
  /** Slots must start strictly after this instant (now). */
  startsAfter: Date;
  /** Slots must start strictly before this instant: the local midnight after lastDate. */
  startsBefore: Date;
}

/**
 * The booking window as instants, so that a database range query selects exactly the slots
 * for which booking.rules `timeRefusal` is null: start > now, local date <= lastBookableDate.
 */
export function bookingWindow(now: Date, timeZone: string, horizonDays: number): BookingWindow {
  const lastDate = lastBookableDate(now, timeZone, horizonDays);
  return {
    today: localDateOf(now, timeZone),
    lastDate,
    startsAfter: now,
    startsBefore: bookableBefore(now, timeZone, horizonDays),
  };
}

export type SlotStatus = 'free' | 'held' | 'booked' | 'blocked';
export type SlotState = 'free' | 'busy' | 'mine' | 'blocked' | 'held_by_me';

export interface SlotFacts {
  status: SlotStatus;
  /** Epoch milliseconds of held_until, or null. */
  heldUntilMs: number | null;
  /** Whether the hold belongs to the viewing account. */
  heldByViewer: boolean;
  /** Whether the slot's active appointment is a portal booking made by the viewing account. */
  bookedByViewer: boolean;
}

/** Whether a slot can be taken now: free, or held with the hold expired. */
export function isFreeNow(status: SlotStatus, heldUntilMs: number | null, nowMs: number): boolean {
  return status === 'free' || (status === 'held' && heldUntilMs !== null && heldUntilMs <= nowMs);
}

/**
 * How a slot looks to the viewer. Someone else's appointment or live hold is only "busy":
 * the schedule never tells who.
 */
export function slotStateFor(f: SlotFacts, nowMs: number): SlotState {
  switch (f.status) {
    case 'free':
      return 'free';
    case 'blocked':
      return 'blocked';
    case 'held':
      if (isFreeNow(f.status, f.heldUntilMs, nowMs)) return 'free';
      return f.heldByViewer ? 'held_by_me' : 'busy';
    case 'booked':
      return f.bookedByViewer ? 'mine' : 'busy';
  }
}

// ---------- templates the clinic edits: day rules, breaks, quotas, exceptions (issue 16) ----------

/** Who may book a slot: anyone on the portal, only the registry desk, or only with a referral. */
export type SlotChannel = 'portal' | 'registry' | 'referral';
/** Which dates a template applies on: its weekday, or the odd / even dates of the month. */
export type DayRule = 'weekday' | 'odd' | 'even';

export interface TimeRange {
  /** Wall-clock 'HH:MM'. */
  start: string;
  end: string;
}

/** One rule of a doctor's template, as stored (one row of schedule_templates). */
export interface TemplateRule {
  dayRule: DayRule;
  /** ISO weekday for dayRule 'weekday', null otherwise. */
  weekday: number | null;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  breaks: TimeRange[];
  validFrom: string;
  validUntil: string | null;
  /** Whole per cent of each day's slots kept for the registry / for referrals. */
  registryPercent: number;
  referralPercent: number;
}

export type ExceptionKind = 'day_off' | 'holiday' | 'other_hours';

/** A date that differs from the templates, for one doctor or (doctorId null) the whole organisation. */
export interface DayException {
  date: string;
  doctorId: number | null;
  kind: ExceptionKind;
  /** For other_hours: the day's hours and slot length. */
  startTime: string | null;
  endTime: string | null;
  slotMinutes: number | null;
}

export interface PlannedSlot extends SlotTimes {
  channel: SlotChannel;
}

/** The day of the month of a local date 'YYYY-MM-DD'. */
function dayOfMonth(localDate: string): number {
  return Number(localDate.slice(8, 10));
}

/** Whether a rule applies on a local date: its day rule, inside its validity (inclusive). */
export function ruleAppliesOn(
  rule: Pick<TemplateRule, 'dayRule' | 'weekday' | 'validFrom' | 'validUntil'>,
  localDate: string,
): boolean {
  if (localDate < rule.validFrom) return false;
  if (rule.validUntil !== null && localDate > rule.validUntil) return false;
  switch (rule.dayRule) {
    case 'weekday':
      return isoWeekday(localDate) === rule.weekday;
    case 'odd':
      return dayOfMonth(localDate) % 2 === 1;
    case 'even':
      return dayOfMonth(localDate) % 2 === 0;
  }
}

/**
 * The slot times of working hours with any number of breaks: consecutive slots of
 * `slotMinutes`; a slot that would overlap a break is not made and the next one starts when
 * that break ends. A start that does not exist that day (a DST gap) is skipped.
 */
export function slotTimesForHours(
  h: { startTime: string; endTime: string; slotMinutes: number; breaks: readonly TimeRange[] },
  localDate: string,
  timeZone: string,
): SlotTimes[] {
  const start = minutesOf(h.startTime);
  const end = minutesOf(h.endTime);
  const len = h.slotMinutes;
  if (!(len > 0) || end <= start) return [];
  const breaks = h.breaks
    .map((b) => ({ start: minutesOf(b.start), end: minutesOf(b.end) }))
    .filter((b) => b.end > b.start)
    .sort((a, b) => a.start - b.start);

  const result: SlotTimes[] = [];
  let cursor = start;
  while (cursor + len <= end) {
    const hit = breaks.find((b) => cursor < b.end && cursor + len > b.start);
    if (hit) {
      cursor = hit.end;
      continue;
    }
    const wallStart = hhmmOf(cursor);
    const startAt = zonedToInstant(localDate, wallStart, timeZone);
    const endAt = zonedToInstant(localDate, hhmmOf(cursor + len), timeZone);
    const existed = localTimeOf(startAt, timeZone) === wallStart && localDateOf(startAt, timeZone) === localDate;
    const previous = result[result.length - 1];
    if (existed && endAt > startAt && (!previous || startAt >= previous.endAt)) result.push({ startAt, endAt });
    cursor += len;
  }
  return result;
}

/**
 * The channel of each of a day's `count` slots, in order. The registry gets
 * round(count × registryPercent / 100) slots and referrals round(count × referralPercent / 100)
 * of the rest, each spread evenly over the day (the middle of each equal share); the other
 * slots are open to the portal.
 */
export function channelsForDay(count: number, registryPercent: number, referralPercent: number): SlotChannel[] {
  const out: SlotChannel[] = new Array<SlotChannel>(count).fill('portal');
  const registry = Math.min(count, Math.round((count * registryPercent) / 100));
  for (let j = 0; j < registry; j++) out[Math.floor(((j + 0.5) * count) / registry)] = 'registry';
  const rest = out.flatMap((c, i) => (c === 'portal' ? [i] : []));
  const referral = Math.min(rest.length, Math.round((count * referralPercent) / 100));
  for (let j = 0; j < referral; j++) out[rest[Math.floor(((j + 0.5) * rest.length) / referral)]] = 'referral';
  return out;
}

/** The exception in force for a doctor on a date: the doctor's own, else the organisation's, else null. */
export function exceptionOn(
  exceptions: readonly DayException[],
  doctorId: number,
  localDate: string,
): DayException | null {
  let organisationWide: DayException | null = null;
  for (const e of exceptions) {
    if (e.date !== localDate) continue;
    if (e.doctorId === doctorId) return e;
    if (e.doctorId === null) organisationWide = e;
  }
  return organisationWide;
}

/**
 * The slots a doctor's template makes on one local date, with their channels: nothing on a
 * day off or a holiday; the exception's hours on a different day (no breaks; the quotas of
 * the rule that applies that day, if any); otherwise every applicable rule's slots, a slot
 * overlapping an earlier one left out.
 */
export function planDoctorDay(
  rules: readonly TemplateRule[],
  exceptions: readonly DayException[],
  doctorId: number,
  localDate: string,
  timeZone: string,
): PlannedSlot[] {
  const exception = exceptionOn(exceptions, doctorId, localDate);
  if (exception && exception.kind !== 'other_hours') return [];
  const applicable = rules.filter((r) => ruleAppliesOn(r, localDate));
  const withChannels = (
    times: SlotTimes[],
    rule: Pick<TemplateRule, 'registryPercent' | 'referralPercent'> | undefined,
  ) => {
    const channels = channelsForDay(times.length, rule?.registryPercent ?? 0, rule?.referralPercent ?? 0);
    return times.map((t, i) => ({ ...t, channel: channels[i] }));
  };
  if (exception) {
    const times = slotTimesForHours(
      {
        startTime: exception.startTime ?? '00:00',
        endTime: exception.endTime ?? '00:00',
        slotMinutes: exception.slotMinutes ?? 0,
        breaks: [],
      },
      localDate,
      timeZone,
    );
    return withChannels(times, applicable[0]);
  }
  const all = applicable.flatMap((r) => withChannels(slotTimesForHours(r, localDate, timeZone), r));
  all.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  const out: PlannedSlot[] = [];
  for (const s of all) {
    const previous = out[out.length - 1];
    if (!previous || s.startAt >= previous.endAt) out.push(s);
  }
  return out;
}

/** The slots of a doctor's template over local dates, those starting after `now` only. */
export function planDoctorSlots(
  rules: readonly TemplateRule[],
  exceptions: readonly DayException[],
  doctorId: number,
  dates: readonly string[],
  timeZone: string,
  now: Date,
): PlannedSlot[] {
  const nowMs = now.getTime();
  return dates.flatMap((d) =>
    planDoctorDay(rules, exceptions, doctorId, d, timeZone).filter((s) => s.startAt.getTime() > nowMs),
  );
}

/** A slot of the doctor's that exists now, inside the window being planned. */
export interface ExistingSlot {
  id: number;
  startMs: number;
  endMs: number;
  status: SlotStatus;
  channel: SlotChannel;
  offTemplate: boolean;
}

export interface SlotChanges {
  /** The slots the template makes that can be made (none over a booked, held or blocked slot). */
  planned: PlannedSlot[];
  /** New free slots. */
  insert: PlannedSlot[];
  /** Free slots the template no longer makes: deleted (or retired when history refers to them). */
  drop: number[];
  /** Free slots kept, with a new channel or end. */
  update: { id: number; endAt: Date; channel: SlotChannel }[];
  /** Slots retired earlier that the template makes again: free once more. */
  restore: { id: number; endAt: Date; channel: SlotChannel }[];
  /** Booked or held slots the template no longer makes: kept, marked outside the template. */
  conflicts: ExistingSlot[];
  /** Booked or held slots marked outside the template that it makes again. */
  backInTemplate: number[];
}

/**
 * What applying a plan to the existing slots changes. Booked, held and blocked slots are never
 * changed (only marked outside the template or back in it); a planned slot that would overlap
 * one of them at another start is not made. A retired slot (blocked and outside the template)
 * is the only blocked one that comes back. Pure; the service writes the result.
 */
export function reconcileSlots(existing: readonly ExistingSlot[], planned: readonly PlannedSlot[]): SlotChanges {
  const isRetired = (e: ExistingSlot) => e.status === 'blocked' && e.offTemplate;
  const fixed = existing.filter((e) => e.status !== 'free' && !isRetired(e));
  const fixedStarts = new Set(fixed.map((e) => e.startMs));
  const usable = planned.filter(
    (p) =>
      fixedStarts.has(p.startAt.getTime()) ||
      !fixed.some((e) => e.startMs < p.endAt.getTime() && e.endMs > p.startAt.getTime()),
  );
  const byStart = new Map(usable.map((p) => [p.startAt.getTime(), p]));
  const taken = new Set<number>();
  const changes: SlotChanges = {
    planned: usable,
    insert: [],
    drop: [],
    update: [],
    restore: [],
    conflicts: [],
    backInTemplate: [],
  };
  for (const e of existing) {
    const p = byStart.get(e.startMs);
    if (p) taken.add(e.startMs);
    if (e.status === 'free') {
      if (!p) changes.drop.push(e.id);
      else if (p.channel !== e.channel || p.endAt.getTime() !== e.endMs || e.offTemplate)
        changes.update.push({ id: e.id, endAt: p.endAt, channel: p.channel });
    } else if (isRetired(e)) {
      if (p) changes.restore.push({ id: e.id, endAt: p.endAt, channel: p.channel });
    } else if (e.status === 'booked' || e.status === 'held') {
      if (!p) changes.conflicts.push(e);
      else if (e.offTemplate) changes.backInTemplate.push(e.id);
    }
  }
  changes.insert = usable.filter((p) => !taken.has(p.startAt.getTime()));
  return changes;
}
