// Own data (152-ФЗ, issue 19): the export of everything the portal holds about an account and
// its people, removing a person from the card file, deleting the account.
//
// Visits are medical records the law keeps (323-ФЗ), so their rows stay, and so do the rows
// they point to: an erased person keeps its row with the name «Удалено», birth date 1900-01-01,
// a stand-in СНИЛС and полис that no real person has (owndata.rules.ts), no phone, status
// rejected (out of the moderation queue, the desk's and the kiosk's searches and booking),
// erased_at set; the past visits' copy of the СНИЛС (patient_snils) takes the stand-in too.
// The clinic register's own rows and the visits on them are the clinic's records and stay as
// they are. The integration feed carries no personal data itself; it reads the person's row
// when asked, so it shows the stand-in from then on.
import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { OwnDataExport, PersonRemovedResponse } from '../../../shared/api/index.js';
import { fullName } from '../../../shared/person.js';
import { localDateTimeOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import { type Db, queryRows } from '../../db/index.js';
import {
  accounts,
  appointments,
  auditLog,
  doctors,
  emailTokens,
  esiaRequests,
  notificationPreferences,
  notifications,
  organisations,
  outbox,
  outboxJobs,
  persons,
  pushSubscriptions,
  sessions,
  slots,
  specialties,
  waitlistEntries,
  waitlistOffers,
} from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { verifyPassword } from '../identity/password.js';
import { recordAudit } from '../region/audit.service.js';
import type { CurrentSession } from '../session/session.js';
import { withdrawPersonFromWaitlist } from '../waitlist/waitlist.service.js';
import {
  auditActor,
  deletionConfirmation,
  ERASED_BIRTH_DATE,
  ERASED_NAME,
  erasedIdentity,
  pushServiceOf,
} from './owndata.rules.js';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

type Holder = Pick<CurrentSession, 'accountId'>;

// ---------- export ----------

/** Everything held about the account and its people, as the holder downloads or reads it. */
export async function exportOwnData(ctx: AppContext, holder: Holder): Promise<OwnDataExport> {
  const db = ctx.db;
  const accountId = holder.accountId;
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!account) throw new AppError('NOT_AUTHENTICATED');
  const people = await db
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, accountId), isNull(persons.erasedAt)))
    .orderBy(desc(persons.isMain), asc(persons.createdAt), asc(persons.id));
  const personIds = people.map((p) => p.id);
  const snilsList = people.map((p) => p.snils);

  const visits =
    personIds.length === 0
      ? []
      : await db
          .select({
            a: appointments,
            doctor: { lastName: doctors.lastName, firstName: doctors.firstName, middleName: doctors.middleName },
            specialty: specialties.name,
            organisation: organisations.name,
            timeZone: organisations.timeZone,
          })
          .from(appointments)
          .innerJoin(doctors, eq(doctors.id, appointments.doctorId))
          .innerJoin(specialties, eq(specialties.id, doctors.specialtyId))
          .innerJoin(organisations, eq(organisations.id, doctors.organisationId))
          .where(inArray(appointments.personId, personIds))
          .orderBy(desc(appointments.startAt), asc(appointments.id));

  const entries = await db
    .select({
      e: waitlistEntries,
      organisation: organisations.name,
      timeZone: organisations.timeZone,
      specialty: specialties.name,
      doctor: { lastName: doctors.lastName, firstName: doctors.firstName, middleName: doctors.middleName },
    })
    .from(waitlistEntries)
    .innerJoin(organisations, eq(organisations.id, waitlistEntries.organisationId))
    .innerJoin(specialties, eq(specialties.id, waitlistEntries.specialtyId))
    .leftJoin(doctors, eq(doctors.id, waitlistEntries.doctorId))
    .where(eq(waitlistEntries.accountId, accountId))
    .orderBy(desc(waitlistEntries.createdAt), asc(waitlistEntries.id));
  const entryIds = entries.map((r) => r.e.id);
  const offers =
    entryIds.length === 0
      ? []
      : await db
          .select({ o: waitlistOffers, startAt: slots.startAt })
          .from(waitlistOffers)
          .innerJoin(slots, eq(slots.id, waitlistOffers.slotId))
          .where(inArray(waitlistOffers.entryId, entryIds))
          .orderBy(desc(waitlistOffers.createdAt), asc(waitlistOffers.id));

  const [notes, mails, prefs, subs, sess] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(eq(notifications.accountId, accountId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id)),
    db
      .select({ kind: outbox.kind, subject: outbox.subject, status: outbox.status, createdAt: outbox.createdAt })
      .from(outbox)
      .where(eq(outbox.accountId, accountId))
      .orderBy(desc(outbox.createdAt), desc(outbox.id)),
    db.select().from(notificationPreferences).where(eq(notificationPreferences.accountId, accountId)),
    db
      .select({
        id: pushSubscriptions.id,
        endpoint: pushSubscriptions.endpoint,
        createdAt: pushSubscriptions.createdAt,
      })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.accountId, accountId))
      .orderBy(asc(pushSubscriptions.id)),
    db
      .select({ authMethod: sessions.authMethod, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.accountId, accountId), gt(sessions.expiresAt, ctx.now())))
      .orderBy(desc(sessions.createdAt)),
  ]);

  const aboutIds = [accountId, ...personIds, ...visits.map((v) => v.a.id), ...entryIds];
  const audit = await db
    .select()
    .from(auditLog)
    .where(or(inArray(auditLog.entityId, aboutIds), eq(auditLog.actorAccountId, accountId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1000);

  const zone = visits[0]?.timeZone ?? entries[0]?.timeZone ?? (await regionZone(db));
  return {
    exportedAt: iso(ctx.now()),
    timeZone: zone,
    account: {
      id: account.id,
      email: account.email,
      emailConfirmedAt: isoOrNull(account.emailConfirmedAt),
      esiaLinked: account.esiaOid !== null,
      esiaLinkedAt: isoOrNull(account.esiaLinkedAt),
      createdAt: iso(account.createdAt),
    },
    sessions: sess.map((s) => ({ authMethod: s.authMethod, createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt) })),
    persons: people.map((p) => ({
      id: p.id,
      isMain: p.isMain,
      lastName: p.lastName,
      firstName: p.firstName,
      middleName: p.middleName,
      birthDate: p.birthDate,
      sex: p.sex === 'F' ? ('F' as const) : ('M' as const),
      snils: p.snils,
      policy: p.policy,
      phone: p.phone,
      status: p.status,
      rejectReason: p.rejectReason,
      birthCertificate:
        p.birthCertSeries && p.birthCertNumber ? { series: p.birthCertSeries, number: p.birthCertNumber } : null,
      fromEsia: p.esiaOid !== null,
      submittedAt: iso(p.submittedAt),
      decidedAt: isoOrNull(p.decidedAt),
      createdAt: iso(p.createdAt),
    })),
    visits: visits.map(({ a, doctor, specialty, organisation, timeZone }) => ({
      id: a.id,
      reference: a.reference,
      personId: a.personId,
      startAt: iso(a.startAt),
      endAt: iso(a.endAt),
      localStart: localDateTimeOf(a.startAt, timeZone),
      timeZone,
      status: a.status,
      source: a.source,
      bookedByThisAccount: a.bookedByAccountId === accountId,
      doctor: fullName(doctor),
      specialty,
      organisation,
      createdAt: iso(a.createdAt),
      cancelledAt: isoOrNull(a.cancelledAt),
      cancelledBy: a.cancelledBy,
    })),
    waitlistEntries: entries.map(({ e, organisation, specialty, doctor }) => ({
      id: e.id,
      personId: e.personId,
      organisation,
      specialty,
      doctor: doctor ? fullName(doctor) : null,
      status: e.status,
      offersMade: e.offersMade,
      createdAt: iso(e.createdAt),
      endedAt: isoOrNull(e.endedAt),
      endReason: e.endReason,
    })),
    waitlistOffers: offers.map(({ o, startAt }) => ({
      id: o.id,
      entryId: o.entryId,
      startAt: iso(startAt),
      status: o.status,
      createdAt: iso(o.createdAt),
      deadline: iso(o.deadline),
      respondedAt: isoOrNull(o.respondedAt),
    })),
    notifications: notes.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: iso(n.createdAt),
      readAt: isoOrNull(n.readAt),
    })),
    emails: mails.map((m) => ({ kind: m.kind, subject: m.subject, status: m.status, createdAt: iso(m.createdAt) })),
    notificationPreferences: prefs[0] ? { email: prefs[0].email, push: prefs[0].push } : null,
    pushSubscriptions: subs.map((s) => ({ id: s.id, service: pushServiceOf(s.endpoint), createdAt: iso(s.createdAt) })),
    referrals: await referralsOf(db, personIds, snilsList),
    auditEntries: audit.map((e) => ({
      at: iso(e.at),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      by: auditActor(e.actorAccountId, accountId),
      details: (e.details ?? {}) as Record<string, unknown>,
    })),
  };
}

/** The region's zone when the account has no visit or entry to take it from: its first organisation's. */
async function regionZone(db: Db): Promise<string> {
  const [first] = await db
    .select({ timeZone: organisations.timeZone })
    .from(organisations)
    .orderBy(asc(organisations.id))
    .limit(1);
  return first?.timeZone ?? 'Europe/Moscow';
}

/**
 * Направления of the account's people (issued to their rows or to their СНИЛС), when this
 * database has them (migration 0014); the issuing staff account and API key are left out.
 */
async function referralsOf(db: Db, personIds: string[], snilsList: string[]): Promise<Record<string, unknown>[]> {
  if (personIds.length === 0) return [];
  const [exists] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('public.referrals') is not null as present`,
  );
  if (!exists?.present) return [];
  const rows = await queryRows<{ data: Record<string, unknown> }>(
    db,
    sql`select to_jsonb(r) - 'issued_by_account_id' - 'issued_by_api_key_id' as data from referrals r
        where r.person_id in (${sql.join(
          personIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) or r.patient_snils in (${sql.join(
          snilsList.map((s) => sql`${s}`),
          sql`, `,
        )})
        order by r.created_at desc, r.id`,
  );
  return rows.map((r) => r.data);
}

// ---------- erasure ----------

/** Future booked visits of these people (every source on their rows). */
async function countFutureVisits(tx: Db, personIds: string[], now: Date): Promise<number> {
  if (personIds.length === 0) return 0;
  const rows = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(inArray(appointments.personId, personIds), eq(appointments.status, 'booked'), gt(appointments.endAt, now)),
    );
  return rows.length;
}

/**
 * Erases one person's data inside `tx` (the person locked, no future visit): waitlist entries
 * withdrawn, the row's personal data replaced, the past visits' СНИЛС copy replaced. Returns
 * what was kept and withdrawn.
 */
async function erasePersonInTx(
  ctx: AppContext,
  tx: Db,
  accountId: string,
  personId: string,
  now: Date,
): Promise<Omit<PersonRemovedResponse, 'personId'>> {
  const withdrawn = await withdrawPersonFromWaitlist(ctx, tx, accountId, personId, now);
  const [seq] = await queryRows<{ n: string | number }>(tx, sql`select nextval('erased_person_seq') as n`);
  const stand = erasedIdentity(Number(seq?.n));
  await tx
    .update(persons)
    .set({
      isMain: false,
      lastName: ERASED_NAME,
      firstName: ERASED_NAME,
      middleName: null,
      birthDate: ERASED_BIRTH_DATE,
      snils: stand.snils,
      policy: stand.policy,
      phone: null,
      status: 'rejected',
      rejectReason: null,
      esiaOid: null,
      birthCertSeries: null,
      birthCertNumber: null,
      erasedAt: now,
    })
    .where(eq(persons.id, personId));
  const kept = await tx
    .update(appointments)
    .set({ patientSnils: stand.snils })
    .where(eq(appointments.personId, personId))
    .returning({ id: appointments.id });
  // A booking hold of the person (someone was on the check page) ends now rather than lapsing.
  await tx
    .update(slots)
    .set({ status: 'free', holdPersonId: null, holdAccountId: null, heldUntil: null })
    .where(and(eq(slots.holdPersonId, personId), eq(slots.status, 'held'), isNull(slots.holdOfferId)));
  return { pastVisitsKept: kept.length, waitlistEntriesWithdrawn: withdrawn };
}

async function lockLivePeople(tx: Db, accountId: string) {
  return tx
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, accountId), isNull(persons.erasedAt)))
    .orderBy(asc(persons.id))
    .for('update');
}

/**
 * «Удалить человека из картотеки»: one of the account's people other than the holder. Refused
 * while they have a future visit; the holder's own data goes with the account only.
 */
export async function removePerson(ctx: AppContext, holder: Holder, personId: string): Promise<PersonRemovedResponse> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const [person] = await tx
      .select()
      .from(persons)
      .where(and(eq(persons.id, personId), eq(persons.accountId, holder.accountId), isNull(persons.erasedAt)))
      .for('update');
    if (!person) throw new AppError('PERSON_NOT_FOUND');
    if (person.isMain) throw new AppError('MAIN_PERSON_NOT_REMOVABLE');
    const future = await countFutureVisits(tx, [person.id], now);
    if (future > 0) throw new AppError('PERSON_HAS_FUTURE_VISITS', { visits: future });
    const result = await erasePersonInTx(ctx, tx, holder.accountId, person.id, now);
    await recordAudit(
      tx,
      {
        actorAccountId: holder.accountId,
        action: 'person.erase',
        entityType: 'person',
        entityId: person.id,
        details: { accountId: holder.accountId, ...result },
      },
      now,
    );
    return { personId: person.id, ...result };
  });
}

/**
 * «Удалить учётную запись». Confirmed with the password (an account without one: a session
 * signed in through ЕСИА in the last minutes); refused while any person of the account has a
 * future visit — the holder cancels them first, as the portal cannot cancel past the cut-off
 * and a clinic's visit is the clinic's to cancel. Then, in one transaction: every person
 * erased, every session, token, notification, e-mail, preference and push subscription
 * deleted, the account's e-mail, password and ЕСИА link removed; the row stays (erased_at)
 * because visits name the account that booked them.
 */
export async function deleteAccount(
  ctx: AppContext,
  session: Pick<CurrentSession, 'accountId' | 'authMethod'>,
  input: { password?: string | undefined; sessionCreatedAt: Date | null },
): Promise<void> {
  const now = ctx.now();
  const [account] = await ctx.db.select().from(accounts).where(eq(accounts.id, session.accountId));
  if (!account || account.erasedAt) throw new AppError('NOT_AUTHENTICATED');
  const how = deletionConfirmation({
    hasPassword: account.passwordHash !== null,
    authMethod: session.authMethod,
    sessionCreatedAt: input.sessionCreatedAt,
    now,
  });
  if (how === 'REAUTH_REQUIRED') throw new AppError('REAUTH_REQUIRED');
  if (how === 'password') {
    const ok =
      !!input.password && !!account.passwordHash && (await verifyPassword(account.passwordHash, input.password));
    if (!ok) throw new AppError('PASSWORD_WRONG', { field: 'password' });
  }
  await ctx.db.transaction(async (tx) => {
    // NO KEY UPDATE, not UPDATE: a booking racing this one holds the person's lock and then
    // inserts a visit whose foreign key takes KEY SHARE on this account row; FOR UPDATE here
    // would wait for it while it waits for our lock on the person (a deadlock, answered 500).
    const [locked] = await tx.select().from(accounts).where(eq(accounts.id, account.id)).for('no key update');
    if (!locked || locked.erasedAt) throw new AppError('NOT_AUTHENTICATED');
    const people = await lockLivePeople(tx, account.id);
    const future = await countFutureVisits(
      tx,
      people.map((p) => p.id),
      now,
    );
    if (future > 0) throw new AppError('ACCOUNT_HAS_FUTURE_VISITS', { visits: future });
    let pastVisitsKept = 0;
    let waitlistEntriesWithdrawn = 0;
    for (const p of people) {
      const r = await erasePersonInTx(ctx, tx, account.id, p.id, now);
      pastVisitsKept += r.pastVisitsKept;
      waitlistEntriesWithdrawn += r.waitlistEntriesWithdrawn;
    }
    const email = locked.email;
    await tx.delete(sessions).where(eq(sessions.accountId, account.id));
    await tx.delete(emailTokens).where(eq(emailTokens.accountId, account.id));
    await tx.delete(esiaRequests).where(eq(esiaRequests.accountId, account.id));
    await tx.delete(notifications).where(eq(notifications.accountId, account.id));
    await tx.delete(notificationPreferences).where(eq(notificationPreferences.accountId, account.id));
    await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.accountId, account.id));
    await tx
      .delete(outbox)
      .where(
        email
          ? or(eq(outbox.accountId, account.id), sql`lower(${outbox.toAddress}) = lower(${email})`)
          : eq(outbox.accountId, account.id),
      );
    if (email) {
      // Sign-up and recovery jobs waiting for this address.
      await tx.delete(outboxJobs).where(sql`lower(${outboxJobs.payload} ->> 'email') = lower(${email})`);
    }
    await tx
      .update(accounts)
      .set({
        email: null,
        passwordHash: null,
        emailConfirmedAt: null,
        esiaOid: null,
        esiaLinkedAt: null,
        erasedAt: now,
      })
      .where(eq(accounts.id, account.id));
    await recordAudit(
      tx,
      {
        actorAccountId: account.id,
        action: 'account.erase',
        entityType: 'account',
        entityId: account.id,
        details: { persons: people.map((p) => p.id), pastVisitsKept, waitlistEntriesWithdrawn },
      },
      now,
    );
  });
}
