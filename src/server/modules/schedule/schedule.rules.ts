// Pure schedule rules: templates -> slots, which templates apply on a date, the booking
// window as instants, and what a slot looks like to the account viewing it.
// No I/O, no clock: the caller passes `now` and the time zone.
import { addDays, isoWeekday, localDateOf, minutesOf, hhmmOf, zonedToInstant, localTimeOf } from '../../../shared/time.js';
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
