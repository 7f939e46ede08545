// One appointment as the account sees it: the visit view (the card file's rows, the booking's
// answer), its details and its calendar file. Who sees what is decided by visibility.rules.ts;
// someone else's appointment is "not found". The card file itself is the visits module's.
import type { AppointmentDetail, Visit } from '../../../shared/api/index.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { listOwnedPersons, type PersonRow } from '../identity/persons.service.js';
import { fullName } from '../../../shared/person.js';
import type { CurrentSession } from '../session/session.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import { cancelBlockedText, cancellationDeadline, untilRu, visitGroup } from './booking.rules.js';
import { visitDetail, type VisitPerson } from '../../../shared/visit-detail.js';
import { findVisit, listVisitsForAccount, type VisitRow } from './booking.repository.js';
import { buildIcs } from './ics.js';
import {
  appointmentVisible,
  canCancelOnline,
  canReleaseOnline,
  relationToViewer,
  type AppointmentStatus,
  type CancelFacts,
  type Source,
  type Viewer,
} from './visibility.rules.js';

export type Actor = Pick<CurrentSession, 'accountId' | 'email' | 'authMethod'>;

export function viewerOf(actor: Actor, people: PersonRow[]): Viewer {
  const main = people.find((p) => p.isMain) ?? null;
  return {
    accountId: actor.accountId,
    authMethod: actor.authMethod,
    main: main ? { id: main.id, snils: main.snils, policy: main.policy, status: main.status } : null,
  };
}

function ownerOf(row: VisitRow) {
  return {
    personAccountId: row.person.accountId,
    personIsMain: row.person.isMain,
    personSnils: row.person.snils,
    personPolicy: row.person.policy,
  };
}

/**
 * What the online-cancel rule (and the move's and the release's, built on it) reads of a visit:
 * its source and status, whether `accountId` booked it, its time and the organisation's
 * cut-off (its own, else the region's `regionCutoff`).
 */
export function cancelFactsOf(row: VisitRow, accountId: string, regionCutoff: string): CancelFacts {
  return {
    source: row.source as Source,
    bookedByThisAccount: row.bookedByAccountId === accountId,
    status: row.status as AppointmentStatus,
    startAt: row.startAt,
    timeZone: row.organisation.timeZone,
    cutoff: effectiveCutoff(regionCutoff, row.organisation.cutoffOverride),
  };
}

/** The visit as this viewer sees it; `regionCutoff` is the region's cut-off wall time. */
export function toVisit(row: VisitRow, personId: string, viewer: Viewer, regionCutoff: string, now: Date): Visit {
  const tz = row.organisation.timeZone;
  const facts = cancelFactsOf(row, viewer.accountId, regionCutoff);
  const cutoff = facts.cutoff;
  const refusal = canCancelOnline(facts, now);
  const upcoming = row.status === 'booked' && row.startAt.getTime() > now.getTime();
  return {
    id: row.id,
    reference: row.reference,
    personId,
    startAt: row.startAt.toISOString(),
    endAt: row.endAt.toISOString(),
    localStart: localDateTimeOf(row.startAt, tz),
    timeZone: tz,
    status: row.status as AppointmentStatus,
    source: row.source as Source,
    doctor: { id: row.doctor.id, name: fullName(row.doctor), specialty: row.specialty.name, room: row.doctor.room },
    organisation: {
      id: row.organisation.id,
      name: row.organisation.name,
      address: row.organisation.address,
      phone: row.organisation.phone,
    },
    cancellable: refusal === null,
    cancelUntil: cancellationDeadline(row.startAt, tz, cutoff).toISOString(),
    cancelBlockedReason: upcoming ? cancelBlockedText(refusal, cutoff, row.organisation.phone) : null,
    releasable: canReleaseOnline({ ...facts, releasedAt: row.releasedAt }, now) === null,
    releasedAt: row.releasedAt?.toISOString() ?? null,
    cancelReason: row.cancelReason === 'moved' || row.cancelReason === 'released' ? row.cancelReason : null,
  };
}

export function toDetail(
  row: VisitRow,
  person: VisitPerson,
  viewer: Viewer,
  regionCutoff: string,
  now: Date,
): AppointmentDetail {
  return visitDetail(toVisit(row, person.id, viewer, regionCutoff, now), person);
}

export interface VisibleVisit {
  row: VisitRow;
  person: VisitPerson;
  viewer: Viewer;
}

/**
 * Loads an appointment the actor may see, or APPOINTMENT_NOT_FOUND (never revealing that
 * someone else's exists). `lock` takes the appointment row FOR UPDATE (inside a transaction).
 */
export async function loadVisibleVisit(
  db: Db,
  actor: Actor,
  appointmentId: string,
  lock = false,
): Promise<VisibleVisit> {
  const people = await listOwnedPersons(db, actor.accountId);
  const viewer = viewerOf(actor, people);
  const row = await findVisit(db, appointmentId, lock);
  if (
    !row ||
    !appointmentVisible(
      ownerOf(row),
      { source: row.source as Source, bookedByAccountId: row.bookedByAccountId },
      viewer,
    )
  )
    throw new AppError('APPOINTMENT_NOT_FOUND');
  const relation = relationToViewer(ownerOf(row), viewer);
  const main = people.find((p) => p.isMain);
  const person = relation === 'linked-main' && main ? main : row.person;
  return { row, person, viewer };
}

export async function getAppointmentDetail(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
): Promise<AppointmentDetail> {
  const { row, person, viewer } = await loadVisibleVisit(ctx.db, actor, appointmentId);
  const settings = await getRegionSettings(ctx.db);
  return toDetail(row, person, viewer, settings.cutoffTime, ctx.now());
}

/** The .ics file of a visible appointment: file name (ASCII and UTF-8 forms) and body. */
export async function getAppointmentIcs(
  ctx: AppContext,
  actor: Actor,
  appointmentId: string,
): Promise<{ reference: string; body: string }> {
  const { row } = await loadVisibleVisit(ctx.db, actor, appointmentId);
  const settings = await getRegionSettings(ctx.db);
  const tz = row.organisation.timeZone;
  const cutoff = effectiveCutoff(settings.cutoffTime, row.organisation.cutoffOverride);
  const deadline = cancellationDeadline(row.startAt, tz, cutoff);
  const url = `${ctx.config.publicUrl}/appointments/${row.id}`;
  const ownPortal = row.source === 'portal' && row.bookedByAccountId === actor.accountId;
  const howToCancel = ownPortal
    ? `Отменить запись можно в личном кабинете на портале («Моя картотека» → «Отменить визит») ${untilRu(deadline, tz)}; позже — только по телефону регистратуры ${row.organisation.phone}.`
    : `Отменить запись можно в регистратуре по телефону ${row.organisation.phone}.`;
  const body = buildIcs({
    uid: `${row.id}@${new URL(ctx.config.publicUrl).host}`,
    stamp: ctx.now(),
    start: row.startAt,
    end: row.endAt,
    summary: 'Приём у врача',
    location: `${row.organisation.address}, кабинет ${row.doctor.room}`,
    description: [
      `Врач: ${fullName(row.doctor)}, кабинет ${row.doctor.room}.`,
      `${row.organisation.name}, ${row.organisation.address}.`,
      `Номер записи: ${row.reference}.`,
      howToCancel,
      `Подробности: ${url}`,
    ].join('\n'),
    url,
    cancelled: row.status === 'cancelled',
  });
  return { reference: row.reference, body };
}

/** How many past visits of a person the card file shows. */
const PAST_VISITS_SHOWN = 20;

/** One person's visible visits: future ones (not started, cancelled ones too) soonest first, past ones newest first. */
export interface PersonVisits {
  future: Visit[];
  past: Visit[];
}

/**
 * The account's people, main person first, and each one's visible visits (at most
 * PAST_VISITS_SHOWN past ones) — the card file's rows; with a ЕСИА session of a confirmed
 * holder, the holder's visits made through other channels too. Three queries, whatever the
 * number of people.
 */
export async function visitsByPerson(
  ctx: AppContext,
  actor: Actor,
): Promise<{ people: PersonRow[]; visits: Map<string, PersonVisits> }> {
  const now = ctx.now();
  const people = await listOwnedPersons(ctx.db, actor.accountId);
  const viewer = viewerOf(actor, people);
  const linked =
    viewer.authMethod === 'esia' && viewer.main?.status === 'confirmed'
      ? { snils: viewer.main.snils, policy: viewer.main.policy }
      : null;
  const [rows, settings] = await Promise.all([
    listVisitsForAccount(ctx.db, actor.accountId, linked),
    getRegionSettings(ctx.db),
  ]);

  const visits = new Map<string, PersonVisits>(people.map((p) => [p.id, { future: [], past: [] }]));
  for (const row of rows) {
    const owner = ownerOf(row);
    if (!appointmentVisible(owner, { source: row.source as Source, bookedByAccountId: row.bookedByAccountId }, viewer))
      continue;
    const personId = relationToViewer(owner, viewer) === 'linked-main' && viewer.main ? viewer.main.id : row.person.id;
    const bucket = visits.get(personId);
    if (!bucket) continue;
    const v = toVisit(row, personId, viewer, settings.cutoffTime, now);
    // Rows arrive newest first.
    if (visitGroup(row.startAt, now) === 'future') bucket.future.push(v);
    else if (bucket.past.length < PAST_VISITS_SHOWN) bucket.past.push(v);
  }
  for (const bucket of visits.values()) bucket.future.reverse();
  return { people, visits };
}
