// Schedules: templates expanded into slots ahead of time, doctors' free-time figures and
// the schedule page (the portal's hottest read: one query, no N+1).
import type { DoctorSummary, ScheduleResponse, ScheduleSlot } from '../../../shared/api/index.js';
import { addDays, localDateOf, localPartsOf, zonedToInstant } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { isBeforeCutoff } from '../booking/booking.rules.js';
import {
  compareRussian,
  findActiveDoctorCard,
  listActiveDoctorCards,
  toOrganisation,
  type DoctorCardRow,
} from '../catalogue/catalogue.service.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { getOwnedPerson } from '../identity/persons.service.js';
import { hasUsableReferral } from '../referrals/referrals.service.js';

import {
  insertSlotsIgnoringExisting,
  selectExceptionsFrom,
  selectFreeSummaries,
  selectTemplatesForExpansion,
  selectScheduleSnapshot,
  type NewSlot,
  type ScheduleSnapshot,
  type TemplateForExpansion,
} from './schedule.repository.js';
import {
  bookingWindow,
  datesBetween,
  exceptionOn,
  isFreeNow,
  planDoctorDay,
  ruleAppliesOn,
  slotStateFor,
  type BookingWindow,
  type DayException,
  type PlannedSlot,
} from './schedule.rules.js';
import { fullName } from '../../../shared/person.js';

export type { NewSlot };

// ---------- the booking window ----------

// The window's dates depend only on the zone, the horizon and today's local date: remember
// them per local day instead of converting on every request (the exact same values as
// bookingWindow gives; the fast local clock is checked against shared/time.ts).
const windowsByDay = new Map<string, { window: BookingWindow; days: Map<string, string[]> }>();

function windowFor(now: Date, timeZone: string, horizonDays: number) {
  const today = localPartsOf(now.getTime(), timeZone).date;
  const key = `${timeZone}|${horizonDays}|${today}`;
  let entry = windowsByDay.get(key);
  if (!entry) {
    if (windowsByDay.size >= 1_000) windowsByDay.clear();
    entry = { window: bookingWindow(now, timeZone, horizonDays), days: new Map() };
    windowsByDay.set(key, entry);
  }
  return {
    window: { ...entry.window, startsAfter: now },
    /** Local dates from `first` to `last`, remembered for the day. */
    dates(first: string, last: string): string[] {
      const k = `${first}|${last}`;
      let list = entry.days.get(k);
      if (!list) {
        list = first <= last ? datesBetween(first, last) : [];
        if (entry.days.size < 100) entry.days.set(k, list);
      }
      return list;
    },
  };
}

// ---------- doctors with their free time ----------

function toDoctorSummary(card: DoctorCardRow, nearestMs: number | null, freeCount: number): DoctorSummary {
  return {
    id: card.id,
    name: fullName(card),
    specialty: { id: card.specialtyId, name: card.specialtyName },
    organisation: toOrganisation(card.organisation),
    room: card.room,
    nearestFreeAt: nearestMs === null ? null : new Date(nearestMs).toISOString(),
    freeCount,
  };
}

/**
 * Active doctors (optionally of one specialty and/or organisation) with the nearest free
 * time and the number of free slots inside the booking horizon; sorted by the nearest free
 * time (doctors without free time last), then by name.
 */
export async function listDoctorSummaries(
  ctx: AppContext,
  filter: { specialtyId?: number; organisationId?: number },
): Promise<DoctorSummary[]> {
  const now = ctx.now();
  const cards = await listActiveDoctorCards(ctx.db, filter);
  const free = await selectFreeSummaries(
    ctx.db,
    cards.map((c) => ({
      doctorId: c.id,
      until: windowFor(now, c.organisation.timeZone, c.horizonDays).window.startsBefore,
    })),
    now,
  );
  const byDoctor = new Map(free.map((f) => [f.doctorId, f]));
  const summaries = cards.map((c) => {
    const f = byDoctor.get(c.id);
    return toDoctorSummary(c, f?.nearestMs ?? null, f?.freeCount ?? 0);
  });
  return summaries.sort((a, b) => {
    if (a.nearestFreeAt !== b.nearestFreeAt) {
      if (a.nearestFreeAt === null) return 1;
      if (b.nearestFreeAt === null) return -1;
      return a.nearestFreeAt < b.nearestFreeAt ? -1 : 1;
    }
    return compareRussian(a.name, b.name) || a.id - b.id;
  });
}

/** One active doctor with free-time figures; DOCTOR_NOT_FOUND otherwise. */
export async function getDoctorSummary(ctx: AppContext, doctorId: number): Promise<DoctorSummary> {
  const now = ctx.now();
  const card = await findActiveDoctorCard(ctx.db, doctorId);
  if (!card) throw new AppError('DOCTOR_NOT_FOUND');
  const { window } = windowFor(now, card.organisation.timeZone, card.horizonDays);
  const [f] = await selectFreeSummaries(ctx.db, [{ doctorId, until: window.startsBefore }], now);
  return toDoctorSummary(card, f?.nearestMs ?? null, f?.freeCount ?? 0);
}

// ---------- the schedule page ----------

/**
 * Who the schedule is for: the portal (its own slots only), a person with a referral to the
 * doctor's specialty (the portal's and the times kept for referrals), or clinic staff (every
 * slot, with its channel).
 */
export type ScheduleAudience = 'portal' | 'referral' | 'staff';

export interface ScheduleQuery {
  /** First local date to show; defaults to today in the organisation's zone. */
  from?: string;
  /** How many days to show; defaults to the horizon. */
  days?: number;
}

/**
 * A doctor's schedule for the viewing account (null when not signed in): the days from
 * `from` (never before today, never after the last bookable date), each with its slots in
 * the organisation's local time. Slots that already started are omitted. Other people's
 * appointments and live holds are only "busy"; this account's own portal appointments are
 * "mine" (with whether they can still be cancelled online), its own holds "held_by_me".
 */
export async function getDoctorSchedule(
  ctx: AppContext,
  doctorId: number,
  query: ScheduleQuery,
  viewerAccountId: string | null,
  audience: ScheduleAudience = 'portal',
): Promise<ScheduleResponse> {
  const now = ctx.now();
  const snapshot = await selectScheduleSnapshot(ctx.db, doctorId, now, viewerAccountId);
  if (!snapshot || !snapshot.card.active) throw new AppError('DOCTOR_NOT_FOUND');
  return renderSchedule(snapshot, query, now, audience).response;
}

/**
 * The schedule for one of the account's people (PERSON_NOT_FOUND for someone else's) who has a
 * usable referral to the doctor's specialty, for this organisation or any: with the times kept
 * for referrals, rendered for this viewer (never the shared cached page). Null when the person
 * has none: the ordinary page serves.
 */
export async function getReferralSchedule(
  ctx: AppContext,
  doctorId: number,
  query: ScheduleQuery,
  accountId: string,
  personId: string,
): Promise<ScheduleResponse | null> {
  const person = await getOwnedPerson(ctx.db, accountId, personId);
  const card = await findActiveDoctorCard(ctx.db, doctorId);
  if (!card) throw new AppError('DOCTOR_NOT_FOUND');
  const today = localDateOf(ctx.now(), card.organisation.timeZone);
  const target = { specialtyId: card.specialtyId, organisationId: card.organisation.id };
  if (!(await hasUsableReferral(ctx.db, person, target, today))) return null;
  return getDoctorSchedule(ctx, doctorId, query, accountId, 'referral');
}

export interface RenderedSchedule {
  response: ScheduleResponse;
  /**
   * Until when (epoch ms) the same data renders the same response: the next start of a slot
   * (it leaves the list), the next end of a live hold (the slot turns free), the next local
   * midnight (the window moves). Own appointments' `cancellable` is not covered: a cached
   * response holds none.
   */
  validUntilMs: number;
}

/**
 * The schedule page from a snapshot read at or before `now` (slots starting after the read's
 * instant, viewer columns filled in for a signed-in viewer). Pure: the schedule cache renders
 * the anonymous page with it once per change of the doctor's slots.
 */
export function renderSchedule(
  snapshot: ScheduleSnapshot,
  query: ScheduleQuery,
  now: Date,
  audience: ScheduleAudience = 'portal',
): RenderedSchedule {
  const staff = audience === 'staff';
  const nowMs = now.getTime();
  const { card } = snapshot;
  const tz = card.organisation.timeZone;
  const { window, dates } = windowFor(now, tz, card.horizonDays);
  const windowEndMs = window.startsBefore.getTime();
  const cutoff = effectiveCutoff(card.regionCutoff, card.organisation.cutoffOverride);

  const requestedFrom = query.from ?? window.today;
  const firstDate = requestedFrom > window.today ? requestedFrom : window.today;
  const requestedLast = addDays(requestedFrom, (query.days ?? card.horizonDays) - 1);
  const lastDate = requestedLast < window.lastDate ? requestedLast : window.lastDate;

  const days = dates(firstDate, lastDate);
  const slotsByDate = new Map<string, ScheduleSlot[]>(days.map((d) => [d, []]));
  let nearestMs: number | null = null;
  let freeCount = 0;
  let validUntilMs = nextLocalMidnightMs(window.today, tz);
  for (const r of snapshot.slots) {
    // The query reads a little past the horizon; the window decides (start > now, local date <= horizonEnd).
    if (r.startMs <= nowMs) continue;
    if (r.startMs < validUntilMs) validUntilMs = r.startMs;
    if (r.startMs >= windowEndMs) break;
    // Times kept for the registry or for referrals are not the portal's: it does not show them
    // (those kept for referrals it shows to a person with a referral).
    if (!staff && r.channel !== 'portal' && !(audience === 'referral' && r.channel === 'referral')) continue;
    // A retired time (the template no longer makes it; kept only for its history) is no time of the doctor's.
    if (r.status === 'blocked' && r.offTemplate) continue;
    if (r.status === 'held' && r.heldUntilMs !== null && r.heldUntilMs > nowMs && r.heldUntilMs < validUntilMs) {
      validUntilMs = r.heldUntilMs;
    }
    if (isFreeNow(r.status, r.heldUntilMs, nowMs)) {
      freeCount += 1;
      if (nearestMs === null) nearestMs = r.startMs;
    }
    const local = localPartsOf(r.startMs, tz);
    const daySlots = slotsByDate.get(local.date);
    if (!daySlots) continue;
    const state = slotStateFor(
      {
        status: r.status,
        heldUntilMs: r.heldUntilMs,
        heldByViewer: r.heldByViewer,
        bookedByViewer: r.viewerAppointmentId !== null,
      },
      nowMs,
    );
    const mine = state === 'mine';
    daySlots.push({
      id: r.id,
      startAt: new Date(r.startMs).toISOString(),
      endAt: new Date(r.endMs).toISOString(),
      time: local.time,
      state,
      appointmentId: mine ? r.viewerAppointmentId : null,
      cancellable: mine ? isBeforeCutoff(now, new Date(r.startMs), tz, cutoff) : false,
      ...(staff ? { channel: r.channel } : {}),
    });
  }

  return {
    response: {
      doctor: toDoctorSummary(card, nearestMs, freeCount),
      days: days.map((date) => ({ date, slots: slotsByDate.get(date) ?? [] })),
      horizonEnd: window.lastDate,
      hasFreeInHorizon: freeCount > 0,
    },
    validUntilMs,
  };
}

const midnights = new Map<string, number>();

/** The instant of the local midnight after `today` in the zone (remembered). */
function nextLocalMidnightMs(today: string, timeZone: string): number {
  const key = `${timeZone}|${today}`;
  let ms = midnights.get(key);
  if (ms === undefined) {
    if (midnights.size >= 1_000) midnights.clear();
    ms = zonedToInstant(addDays(today, 1), '00:00', timeZone).getTime();
    midnights.set(key, ms);
  }
  return ms;
}

// ---------- templates -> slots ----------

const INSERT_CHUNK = 5_000;

export interface ExpandFilter {
  doctorId?: number;
}

/**
 * Creates the slots every applicable template gives from today to the last bookable date
 * (in each organisation's zone), skipping starts already in the past. Existing slots are
 * never touched: an insert that meets a slot of the same doctor at the same start does
 * nothing, so running it twice, or in two processes at once, is safe. Rows are inserted in
 * a fixed order (doctor, start) in batches, which keeps concurrent runs free of deadlocks.
 * Returns how many slots were created.
 */
export async function expandTemplates(db: Db, now: Date, filter: ExpandFilter = {}): Promise<number> {
  const { horizonDays } = await getRegionSettings(db);
  // The earliest "today" of any zone is at most one day before UTC's.
  const earliestToday = addDays(localDateOf(now, 'UTC'), -1);
  const templates = await selectTemplatesForExpansion(db, earliestToday, filter.doctorId);
  if (templates.length === 0) return 0;
  const exceptions = await selectExceptionsFrom(db, earliestToday);
  const exceptionsByOrganisation = new Map<number, DayException[]>();
  for (const e of exceptions) {
    const list = exceptionsByOrganisation.get(e.organisationId);
    if (list) list.push(e);
    else exceptionsByOrganisation.set(e.organisationId, [e]);
  }

  const nowMs = now.getTime();
  const zoneDates = new Map<string, string[]>();
  // Many doctors share a template: remember each (rules, date, zone) day without exceptions.
  const dayCache = new Map<string, PlannedSlot[]>();
  const byDoctor = new Map<number, TemplateForExpansion[]>();
  for (const t of templates) {
    const list = byDoctor.get(t.doctorId);
    if (list) list.push(t);
    else byDoctor.set(t.doctorId, [t]);
  }

  const rows: NewSlot[] = [];
  for (const [doctorId, doctorTemplates] of byDoctor) {
    const tz = doctorTemplates[0].timeZone;
    const organisationExceptions = exceptionsByOrganisation.get(doctorTemplates[0].organisationId) ?? [];
    let dates = zoneDates.get(tz);
    if (!dates) {
      const w = bookingWindow(now, tz, horizonDays);
      dates = datesBetween(w.today, w.lastDate);
      zoneDates.set(tz, dates);
    }
    for (const date of dates) {
      let day: PlannedSlot[];
      if (exceptionOn(organisationExceptions, doctorId, date)) {
        day = planDoctorDay(doctorTemplates, organisationExceptions, doctorId, date, tz);
      } else {
        const applicable = doctorTemplates.filter((t) => ruleAppliesOn(t, date));
        if (applicable.length === 0) continue;
        const key = `${JSON.stringify(applicable.map(({ doctorId: _d, organisationId: _o, timeZone: _z, ...rule }) => rule))}|${date}|${tz}`;
        let cached = dayCache.get(key);
        if (!cached) {
          cached = planDoctorDay(applicable, [], doctorId, date, tz);
          dayCache.set(key, cached);
        }
        day = cached;
      }
      for (const s of day) {
        if (s.startAt.getTime() > nowMs)
          rows.push({ doctorId, startAt: s.startAt, endAt: s.endAt, channel: s.channel });
      }
    }
  }

  return insertFreeSlots(db, rows);
}

/**
 * Inserts free slots in batches (e.g. pushed by a clinic's system); a slot of the same
 * doctor at the same start is left as it is. Returns how many were created.
 */
export async function insertFreeSlots(db: Db, rows: readonly NewSlot[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    inserted += await insertSlotsIgnoringExisting(db, rows.slice(i, i + INSERT_CHUNK));
  }
  return inserted;
}

/**
 * What follows when free time is published (slots made from templates, a template or an
 * exception changed): the waitlist's sweep, which offers each free slot a waiting entry
 * matches to its oldest eligible entry first (SPEC section 4; waitlist/matching.service.ts
 * offerFreeSlotsToWaitlist). The app's wiring passes it in (app.ts, worker.ts): the waitlist
 * reads the schedule, so the schedule does not import the waitlist.
 */
export type FreeTimePublished = (ctx: AppContext) => Promise<unknown>;

/**
 * Expands every template ahead (the worker calls this hourly and at start), then lets
 * `published` offer the free time to the waitlist first - the slots just published among
 * them. Returns how many slots were created.
 */
export async function expandTemplatesAhead(ctx: AppContext, published: FreeTimePublished): Promise<number> {
  const created = await expandTemplates(ctx.db, ctx.now());
  await published(ctx);
  return created;
}

/** Expands one doctor's templates ahead (after a template change; tests; demo data). */
export async function expandDoctorTemplates(ctx: AppContext, doctorId: number): Promise<number> {
  return expandTemplates(ctx.db, ctx.now(), { doctorId });
}
