// Joining and leaving the waitlist (SPEC section 4), and the entries the card file shows.
// Joining is possible for the account's own confirmed person, when the organisation keeps a
// waitlist and the doctor (or, for an entry to the specialty, every doctor of that
// specialty in the organisation) has no free time inside the booking horizon. A person has
// at most one active entry per doctor and per specialty (unique indexes have the last word).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { WaitlistEntry } from '../../../shared/api/index.js';
import { localDateOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { pgError, UNIQUE_VIOLATION } from '../../db/errors.js';
import { waitlistEntries } from '../../db/schema.js';
import { AppError, errorCatalogue } from '../../errors.js';
import type { Actor } from '../booking/appointments.service.js';
import { findActiveDoctorCard } from '../catalogue/catalogue.service.js';
import { assertBookable, getOwnedPerson } from '../identity/persons.service.js';
import { fullName } from '../../../shared/person.js';
import { notify } from '../notify/notify.service.js';
import { getRegionSettings } from '../region/settings.service.js';
import { getDoctorSummary, listDoctorSummaries } from '../schedule/schedule.service.js';
import { offerFreeSlots, rematchPerson } from './matching.service.js';
import { withdrawOffer } from './offers.service.js';
import { joinedEvent, leftEvent, type EntryFacts } from './waitlist.emails.js';
import {
  countFutureBooked,
  endEntry,
  hasActiveEntry,
  insertEntry,
  lockLine,
  lockOwnedEntry,
  lockPendingOfferOfEntry,
  selectEntryViews,
  type EntryViewRow,
} from './waitlist.repository.js';
import { assertMayWaitFor } from '../referrals/referrals.service.js';
import { joinRefusal, type EntryKind } from './waitlist.rules.js';
import { toEntryDto } from './waitlist.views.js';

const ONE_ACTIVE_CONSTRAINTS = new Set(['waitlist_one_active_per_doctor', 'waitlist_one_active_per_specialty']);

function entryFacts(row: EntryViewRow): EntryFacts {
  const d = row.entryDoctor;
  return {
    entryId: row.entry.id,
    personName: fullName(row.person),
    doctorName: d && d.id !== null ? fullName(d) : null,
    specialty: row.specialty.name,
    organisationName: row.organisation.name,
    address: row.organisation.address,
    phone: row.organisation.phone,
    maxOffers: row.maxOffers,
  };
}

/** POST /api/waitlist: puts one of the account's people in the line; 201 body. */
export async function joinWaitlist(
  ctx: AppContext,
  actor: Actor,
  input: { personId: string; doctorId: number; kind: EntryKind },
): Promise<WaitlistEntry> {
  const now = ctx.now();
  const person = await getOwnedPerson(ctx.db, actor.accountId, input.personId);
  assertBookable(person);
  const card = await findActiveDoctorCard(ctx.db, input.doctorId);
  if (!card) throw new AppError('DOCTOR_NOT_FOUND');
  const organisation = card.organisation;
  const target = {
    organisationId: organisation.id,
    specialtyId: card.specialtyId,
    doctorId: input.kind === 'doctor' ? card.id : null,
  };
  const settings = await getRegionSettings(ctx.db);
  const hasFreeTime =
    input.kind === 'doctor'
      ? (await getDoctorSummary(ctx, card.id)).freeCount > 0
      : (await listDoctorSummaries(ctx, { specialtyId: card.specialtyId, organisationId: organisation.id })).some(
          (d) => d.freeCount > 0,
        );
  const refusal = joinRefusal({
    person: { birthDate: person.birthDate, sex: person.sex },
    specialty: { minAge: card.specialtyMinAge, maxAge: card.specialtyMaxAge, sex: card.specialtySex },
    localToday: localDateOf(now, organisation.timeZone),
    waitlistAllowed: organisation.waitlistAllowed,
    alreadyWaiting: await hasActiveEntry(ctx.db, person.id, target),
    futureSameSpecialty: await countFutureBooked(ctx.db, person.id, card.specialtyId, now),
    maxPerSpecialty: settings.maxPerSpecialty,
    hasFreeTime,
  });
  if (refusal === 'WAITLIST_NOT_ALLOWED') {
    // Say how to book otherwise: the registry's phone (not personal data).
    throw new AppError(
      refusal,
      { phone: organisation.phone },
      `${errorCatalogue.WAITLIST_NOT_ALLOWED.message.replace(/\.$/, '')}: ${organisation.phone}.`,
    );
  }
  if (refusal) throw new AppError(refusal);
  // A specialty «по направлению»: only with a referral to it (SPEC 8a).
  await assertMayWaitFor(
    ctx.db,
    person.snils,
    { specialtyId: card.specialtyId, organisationId: organisation.id },
    localDateOf(now, organisation.timeZone),
  );

  try {
    return await ctx.db.transaction(async (tx) => {
      // After any matching in flight on this line: a slot it frees meanwhile is seen below.
      await lockLine(tx, target, true);
      const entry = await insertEntry(tx, {
        ...target,
        personId: person.id,
        accountId: actor.accountId,
        createdAt: now,
      });
      const [joined] = await selectEntryViews(tx, actor.accountId, entry.id);
      await notify(tx, { publicUrl: ctx.config.publicUrl }, joinedEvent(actor.accountId, entryFacts(joined)), now);
      // Time freed since the check above goes to the line first (this entry is its youngest).
      await offerFreeSlots(ctx, tx, [entry.id], now);
      const [row] = await selectEntryViews(tx, actor.accountId, entry.id);
      return toEntryDto(row);
    });
  } catch (err) {
    const pg = pgError(err);
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint && ONE_ACTIVE_CONSTRAINTS.has(pg.constraint)) {
      throw new AppError('WAITLIST_ALREADY');
    }
    throw err;
  }
}

/**
 * POST /api/waitlist/:id/leave («Отменить визит» on the entry's row): the entry ends; a
 * pending offer is withdrawn and its slot goes on to the next matching entry, else it
 * becomes free.
 */
export async function leaveWaitlist(ctx: AppContext, actor: Actor, entryId: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const entry = await lockOwnedEntry(tx, actor.accountId, entryId);
    if (!entry) throw new AppError('ENTRY_NOT_FOUND');
    if (entry.status !== 'waiting' && entry.status !== 'offered') throw new AppError('ENTRY_ENDED');
    const [row] = await selectEntryViews(tx, actor.accountId, entry.id);
    const offer = await lockPendingOfferOfEntry(tx, entry.id);
    await endEntry(tx, entry.id, 'left', 'left', now);
    if (offer) {
      await withdrawOffer(ctx, tx, offer, now);
      // The withdrawn offer no longer counts against the person's other entries.
      await rematchPerson(ctx, tx, entry.personId, now);
    }
    if (row) await notify(tx, { publicUrl: ctx.config.publicUrl }, leftEvent(actor.accountId, entryFacts(row)), now);
  });
}

/**
 * A person leaves the card file (own data, issue 19), inside the caller's transaction: each of
 * their active entries ends as left («person_removed»), a pending offer is withdrawn and its
 * slot moves on to the next entry, as when leaving by hand; no notice (the holder asked for
 * it). Returns how many entries ended.
 */
export async function withdrawPersonFromWaitlist(
  ctx: AppContext,
  tx: Db,
  accountId: string,
  personId: string,
  now: Date,
): Promise<number> {
  const active = await tx
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.personId, personId),
        eq(waitlistEntries.accountId, accountId),
        inArray(waitlistEntries.status, ['waiting', 'offered']),
      ),
    )
    .orderBy(asc(waitlistEntries.id));
  let ended = 0;
  for (const { id } of active) {
    const entry = await lockOwnedEntry(tx, accountId, id);
    if (!entry || (entry.status !== 'waiting' && entry.status !== 'offered')) continue;
    const offer = await lockPendingOfferOfEntry(tx, entry.id);
    await endEntry(tx, entry.id, 'left', 'person_removed', now);
    if (offer) await withdrawOffer(ctx, tx, offer, now);
    ended++;
  }
  return ended;
}

/** The account's active entries per person id, for the card file: one query. */
export async function waitlistByPerson(db: Db, accountId: string): Promise<Map<string, WaitlistEntry[]>> {
  const rows = await selectEntryViews(db, accountId);
  const byPerson = new Map<string, WaitlistEntry[]>();
  for (const row of rows) {
    const list = byPerson.get(row.entry.personId) ?? [];
    list.push(toEntryDto(row));
    byPerson.set(row.entry.personId, list);
  }
  return byPerson;
}
