// The booking's two statements, hand-written and prepared (db/prepared.ts): the locking read
// and the write, alone (booking_lock, booking_write) and for a group (booking_lock_many,
// booking_write_many, group.ts). The benchmark's floor (bench/lib/direct.ts) runs these same
// statements straight on PostgreSQL, with these value builders.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/index.js';
import { preparedSql } from '../../../db/prepared.js';
import type { persons } from '../../../db/schema.js';
import { eventRecordCtes, eventRecordsCtes, type EventRecord } from '../../notify/notify.service.js';
import type { ActiveAppointment, SlotContext } from '../booking.repository.js';

const ms = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const toDate = (v: number | string | null): Date | null => (v === null ? null : new Date(Number(v)));

interface LockRow {
  p_id: string;
  p_account_id: string;
  p_is_main: boolean;
  p_last_name: string;
  p_first_name: string;
  p_middle_name: string | null;
  p_birth_date: string;
  p_sex: string;
  p_snils: string;
  p_policy: string;
  p_phone: string | null;
  p_status: string;
  p_reject_reason: string | null;
  p_submitted_ms: number;
  p_decided_ms: number | null;
  p_decided_by: string | null;
  p_created_ms: number;
  p_esia_oid: string | null;
  p_birth_cert_series: string | null;
  p_birth_cert_number: string | null;
  p_erased_ms: number | null;
  s_id: number | null;
  s_doctor_id: number;
  s_start_ms: number;
  s_end_ms: number;
  s_status: string;
  s_channel: string;
  s_off_template: boolean;
  s_hold_person_id: string | null;
  s_hold_account_id: string | null;
  s_held_until_ms: number | null;
  s_hold_offer_id: string | null;
  d_last_name: string;
  d_first_name: string;
  d_middle_name: string | null;
  d_room: string;
  d_active: boolean;
  sp_id: number;
  sp_name: string;
  sp_min_age: number | null;
  sp_max_age: number | null;
  sp_sex: string | null;
  sp_self_booking: boolean;
  o_id: number;
  o_name: string;
  o_address: string;
  o_phone: string;
  o_time_zone: string;
  o_cutoff_override: string | null;
  settings_version: number | string;
  active: [string, number, number, number][] | string;
}

/**
 * One statement: locks one of the account's people (serialising that person's bookings),
 * then - only then, through the lateral join - the slot; returns the person, the slot with
 * its doctor, specialty and organisation, the region settings' version and the person's
 * booked appointments that have not ended by `now`.
 *
 * In READ COMMITTED a statement reads from the snapshot taken when it started. The locked
 * rows come back in their latest committed version, but the appointments are read from the
 * snapshot, before any wait for the person's lock: a booking of the same person that committed
 * during that wait is not among them. writeBooking therefore re-reads them (a newer snapshot,
 * taken while the lock is held) and writes only if they are the same set.
 */
/** The person's columns of a locking read (LockRow's p_*), from `p`. */
const lockedPersonColumns = sql`p.id as p_id, p.account_id as p_account_id, p.is_main as p_is_main, p.last_name as p_last_name,
             p.first_name as p_first_name, p.middle_name as p_middle_name, p.birth_date::text as p_birth_date,
             p.sex as p_sex, p.snils as p_snils, p.policy as p_policy, p.phone as p_phone, p.status as p_status,
             p.reject_reason as p_reject_reason, ${ms(sql`p.submitted_at`)} as p_submitted_ms,
             ${ms(sql`p.decided_at`)} as p_decided_ms, p.decided_by as p_decided_by, ${ms(sql`p.created_at`)} as p_created_ms,
             p.esia_oid as p_esia_oid, p.birth_cert_series as p_birth_cert_series,
             p.birth_cert_number as p_birth_cert_number, ${ms(sql`p.erased_at`)} as p_erased_ms`;

/** The slot's columns of a locking read (LockRow's s_* to o_*), from `s` and its joins (lockedSlotJoins). */
const lockedSlotColumns = sql`s.id::float8 as s_id, s.doctor_id as s_doctor_id, ${ms(sql`s.start_at`)} as s_start_ms,
                 ${ms(sql`s.end_at`)} as s_end_ms, s.status as s_status, s.hold_person_id as s_hold_person_id,
                 s.hold_account_id as s_hold_account_id, ${ms(sql`s.held_until`)} as s_held_until_ms,
                 s.hold_offer_id as s_hold_offer_id, s.channel as s_channel, s.off_template as s_off_template,
                 d.last_name as d_last_name, d.first_name as d_first_name, d.middle_name as d_middle_name,
                 d.room as d_room, d.active as d_active,
                 sp.id as sp_id, sp.name as sp_name, sp.min_age as sp_min_age, sp.max_age as sp_max_age, sp.sex as sp_sex,
                 sp.self_booking as sp_self_booking,
                 o.id as o_id, o.name as o_name, o.address as o_address, o.phone as o_phone,
                 o.time_zone as o_time_zone, o.cutoff_override as o_cutoff_override`;

const lockedSlotJoins = sql`join doctors d on d.id = s.doctor_id
            join specialties sp on sp.id = d.specialty_id
            join organisations o on o.id = d.organisation_id`;

/** The settings version and the person's active appointments of a locking read (LockRow's last two). */
const lockedSettingsAndActive = sql`(select rs.version from region_settings rs where rs.id = 1) as settings_version,
             (select coalesce(json_agg(json_build_array(a.id, ${ms(sql`a.start_at`)}, ${ms(sql`a.end_at`)}, ad.specialty_id) order by a.id), '[]'::json)
                from appointments a join doctors ad on ad.id = a.doctor_id
               where a.person_id = p.id and a.status = 'booked' and a.end_at > ${sql.placeholder('now')}::timestamptz) as active`;

const lockStatement = preparedSql<LockRow>(
  'booking_lock',
  sql`with p as materialized (
        select * from persons
         where id = ${sql.placeholder('personId')}::uuid and account_id = ${sql.placeholder('accountId')}::uuid
           for update
      )
      select ${lockedPersonColumns},
             x.*,
             ${lockedSettingsAndActive}
        from p
        left join lateral (
          select ${lockedSlotColumns}
            from slots s
            ${lockedSlotJoins}
           where s.id = ${sql.placeholder('slotId')}::bigint and p.id is not null
             for update of s
        ) x on true`,
);

/**
 * The locking read of a group of bookings (group.ts bookGroup), each of another person
 * and another slot: a row per booking whose person is the account's (`i`, its place in the
 * group, from 1), as lockStatement's.
 * Every person is locked first, in key order, then every slot of a person who is the
 * account's, in key order: the order a single booking takes too (one person, then one
 * slot), so groups and single bookings never wait for each other in a circle. The rows come
 * from the locking scans themselves, in their latest committed version (a join of the plain
 * tables would read the statement's snapshot, from before any wait); the appointments are
 * read from the snapshot, as in lockStatement.
 */
const lockManyStatement = preparedSql<LockRow & { i: number | string }>(
  'booking_lock_many',
  sql`with k as (
        select * from unnest(${sql.placeholder('personIds')}::uuid[], ${sql.placeholder('accountIds')}::uuid[],
                             ${sql.placeholder('slotIds')}::bigint[]) with ordinality as k(person_id, account_id, slot_id, i)
      ),
      p as materialized (
        select * from persons
         where (id, account_id) in (select person_id, account_id from k)
         order by id
           for update
      ),
      s as materialized (
        select * from slots
         where id in (select k.slot_id from k join p on p.id = k.person_id and p.account_id = k.account_id)
         order by id
           for update
      )
      select k.i, ${lockedPersonColumns},
             x.*,
             ${lockedSettingsAndActive}
        from k
        join p on p.id = k.person_id and p.account_id = k.account_id
        left join lateral (
          select ${lockedSlotColumns}
            from s
            ${lockedSlotJoins}
           where s.id = k.slot_id
        ) x on true
       order by k.i`,
);

export interface BookingLock {
  person: PersonRowOf;
  /** Null when there is no such slot. */
  slot: SlotContext | null;
  settingsVersion: number;
  /** As of the statement's snapshot (see lockStatement). */
  active: ActiveAppointment[];
}

/** The person as the booking reads it: the whole row (the rules take a PersonRow). */
type PersonRowOf = typeof persons.$inferSelect;

export interface LockInput {
  accountId: string;
  personId: string;
  slotId: number;
  now: Date;
}

/** lockStatement's values. */
export function lockValues(input: LockInput): Record<string, unknown> {
  return { personId: input.personId, accountId: input.accountId, slotId: input.slotId, now: input.now.toISOString() };
}

/** The booking's locking read (lockStatement); null when the person is not the account's. */
export async function lockForBooking(db: Db, input: LockInput): Promise<BookingLock | null> {
  return toBookingLock(await lockStatement.rows(db, lockValues(input)));
}

/** lockManyStatement's values: the group's bookings, each of another person and slot, at one clock. */
export function lockManyValues(inputs: Omit<LockInput, 'now'>[], now: Date): Record<string, unknown> {
  return {
    personIds: inputs.map((b) => b.personId),
    accountIds: inputs.map((b) => b.accountId),
    slotIds: inputs.map((b) => b.slotId),
    now: now.toISOString(),
  };
}

/** lockManyStatement's answer: per booking, in order, its BookingLock (null: the person is not the account's). */
export function toBookingLocks(rows: (LockRow & { i: number | string })[], count: number): (BookingLock | null)[] {
  const locks: (BookingLock | null)[] = Array.from({ length: count }, () => null);
  for (const r of rows) locks[Number(r.i) - 1] = lockFromRow(r);
  return locks;
}

/** lockStatement's answer as a BookingLock; null when the person is not the account's. */
export function toBookingLock(rows: LockRow[]): BookingLock | null {
  const r = rows[0];
  return r ? lockFromRow(r) : null;
}

function lockFromRow(r: LockRow): BookingLock {
  const person: PersonRowOf = {
    id: r.p_id,
    accountId: r.p_account_id,
    isMain: r.p_is_main,
    lastName: r.p_last_name,
    firstName: r.p_first_name,
    middleName: r.p_middle_name,
    birthDate: r.p_birth_date,
    sex: r.p_sex,
    snils: r.p_snils,
    policy: r.p_policy,
    phone: r.p_phone,
    status: r.p_status,
    rejectReason: r.p_reject_reason,
    submittedAt: new Date(Number(r.p_submitted_ms)),
    decidedAt: toDate(r.p_decided_ms),
    decidedBy: r.p_decided_by,
    createdAt: new Date(Number(r.p_created_ms)),
    esiaOid: r.p_esia_oid,
    birthCertSeries: r.p_birth_cert_series,
    birthCertNumber: r.p_birth_cert_number,
    erasedAt: toDate(r.p_erased_ms),
  };
  const slot: SlotContext | null =
    r.s_id === null
      ? null
      : {
          slot: {
            id: Number(r.s_id),
            doctorId: r.s_doctor_id,
            startAt: new Date(Number(r.s_start_ms)),
            endAt: new Date(Number(r.s_end_ms)),
            status: r.s_status,
            holdPersonId: r.s_hold_person_id,
            holdAccountId: r.s_hold_account_id,
            heldUntil: toDate(r.s_held_until_ms),
            holdOfferId: r.s_hold_offer_id,
            channel: r.s_channel,
            offTemplate: r.s_off_template,
          },
          doctor: {
            id: r.s_doctor_id,
            lastName: r.d_last_name,
            firstName: r.d_first_name,
            middleName: r.d_middle_name,
            room: r.d_room,
            active: r.d_active,
          },
          specialty: {
            id: r.sp_id,
            name: r.sp_name,
            minAge: r.sp_min_age,
            maxAge: r.sp_max_age,
            sex: r.sp_sex,
            selfBooking: r.sp_self_booking,
          },
          organisation: {
            id: r.o_id,
            name: r.o_name,
            address: r.o_address,
            phone: r.o_phone,
            timeZone: r.o_time_zone,
            cutoffOverride: r.o_cutoff_override,
          },
        };
  const tuples = typeof r.active === 'string' ? (JSON.parse(r.active) as [string, number, number, number][]) : r.active;
  return {
    person,
    slot,
    settingsVersion: Number(r.settings_version),
    active: tuples.map((t) => ({
      id: t[0],
      startAt: new Date(Number(t[1])),
      endAt: new Date(Number(t[2])),
      specialtyId: t[3],
    })),
  };
}

/**
 * The one booking write, used by every path that books (booking.service.ts writeAppointment,
 * the pipelined path; a group of portal bookings writes the same in booking_write_many): the
 * appointment, its slot marked booked, and - when there is an account to tell - its
 * notification with the e-mail and pushes (notify's eventRecordCtes), in one statement. With
 * `seenActiveIds` it writes only if the person's booked, not yet ended appointments are still
 * exactly those (read again here, in this statement's snapshot, while the person's lock is
 * held; the portal's locking read saw them in an older one) and otherwise returns false,
 * having written nothing: the caller re-checks and tries again. Without them (null) the
 * caller read them under the person's lock itself.
 */
const writeStatement = preparedSql<{ appointment_id: string | null }>(
  'booking_write',
  sql`with seen as (
        select 1 from (
          select coalesce(array_agg(a.id order by a.id), '{}'::uuid[]) as ids
            from appointments a
           where a.person_id = ${sql.placeholder('personId')}::uuid and a.status = 'booked'
             and a.end_at > ${sql.placeholder('at')}::timestamptz
        ) cur
         where ${sql.placeholder('seenActiveIds')}::uuid[] is null or cur.ids = ${sql.placeholder('seenActiveIds')}::uuid[]
      ),
      ins as (
        insert into appointments (id, reference, slot_id, person_id, doctor_id, start_at, end_at, status, source,
                                  booked_by_account_id, booked_by_staff_account_id, booked_by_api_key_id,
                                  external_org_id, external_id, created_at, referral_id)
        select ${sql.placeholder('appointmentId')}::uuid, ${sql.placeholder('reference')}, ${sql.placeholder('slotId')}::bigint,
               ${sql.placeholder('personId')}::uuid, ${sql.placeholder('doctorId')}::int,
               ${sql.placeholder('startAt')}::timestamptz, ${sql.placeholder('endAt')}::timestamptz, 'booked',
               ${sql.placeholder('source')}::text, ${sql.placeholder('accountId')}::uuid,
               ${sql.placeholder('staffAccountId')}::uuid, ${sql.placeholder('apiKeyId')}::uuid,
               ${sql.placeholder('externalOrgId')}::int, ${sql.placeholder('externalId')}::text,
               ${sql.placeholder('at')}::timestamptz, ${sql.placeholder('referralId')}::uuid
          from seen
        returning id
      ),
      booked as (
        update slots set status = 'booked', hold_person_id = null, hold_account_id = null, held_until = null
         where id = ${sql.placeholder('slotId')}::bigint and exists (select 1 from ins)
        returning id
      ),
      ${eventRecordCtes({
        accountId: sql`${sql.placeholder('eventAccountId')}`,
        kind: sql`${sql.placeholder('kind')}`,
        dedupKey: sql`${sql.placeholder('dedupKey')}`,
        title: sql`${sql.placeholder('title')}`,
        body: sql`${sql.placeholder('body')}`,
        link: sql`${sql.placeholder('link')}`,
        emailDedupKey: sql`${sql.placeholder('emailDedupKey')}`,
        subject: sql`${sql.placeholder('subject')}`,
        text: sql`${sql.placeholder('text')}`,
        html: sql`${sql.placeholder('html')}`,
        pushDedupPrefix: sql`${sql.placeholder('pushDedupPrefix')}`,
        pushPayload: sql`${sql.placeholder('pushPayload')}`,
        at: sql`${sql.placeholder('at')}`,
        onlyIf: sql`exists (select 1 from ins) and ${sql.placeholder('kind')}::text is not null`,
      })}
      select (select id from ins) as appointment_id, (select count(*) from booked) as slots_booked`,
);

/** Where an appointment comes from (appointments.source). */
export type AppointmentSource = 'portal' | 'registry' | 'doctor' | 'infomat' | 'electronic_queue';

/** One appointment as the one booking write writes it. */
export interface AppointmentWrite {
  /** Drawn by the caller (randomUUID): the notification links to it. */
  appointmentId: string;
  reference: string;
  slotId: number;
  personId: string;
  doctorId: number;
  startAt: Date;
  endAt: Date;
  source: AppointmentSource;
  /** The portal account that booked (source portal), else null. */
  bookedByAccountId: string | null;
  /** The member of staff (registry, doctor) who booked, the API key that pushed it, the clinic system's id. */
  bookedByStaffAccountId: string | null;
  bookedByApiKeyId: string | null;
  externalOrgId: number | null;
  externalId: string | null;
  createdAt: Date;
  /** The person's active appointments the rules were checked against (see writeStatement), or null. */
  seenActiveIds: string[] | null;
  /** The notification of the account to tell, or null (nobody: a clinic's booking). */
  event: EventRecord | null;
  /** The referral it uses (migration 0014), checked and locked by the caller; absent: none. */
  referralId?: string | null;
}

/** A portal booking's write names no member of staff, API key or clinic system. */
export const NOT_BY_A_CLINIC = {
  bookedByStaffAccountId: null,
  bookedByApiKeyId: null,
  externalOrgId: null,
  externalId: null,
} as const;

/** A portal booking's write (the pipelined path and the groups): checked against the appointments seen, told to its account. */
export interface BookingWrite extends AppointmentWrite {
  source: 'portal';
  bookedByAccountId: string;
  seenActiveIds: string[];
  event: EventRecord;
}

/** Writes the appointment (writeStatement); false when the person's appointments changed meanwhile. */
export async function writeBooking(db: Db, b: AppointmentWrite): Promise<boolean> {
  return wasWritten(await writeStatement.rows(db, writeValues(b)));
}

/** writeStatement's values. */
export function writeValues(b: AppointmentWrite): Record<string, unknown> {
  const e = b.event;
  return {
    seenActiveIds: b.seenActiveIds,
    appointmentId: b.appointmentId,
    reference: b.reference,
    slotId: b.slotId,
    personId: b.personId,
    doctorId: b.doctorId,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    source: b.source,
    accountId: b.bookedByAccountId,
    staffAccountId: b.bookedByStaffAccountId,
    apiKeyId: b.bookedByApiKeyId,
    externalOrgId: b.externalOrgId,
    externalId: b.externalId,
    at: b.createdAt.toISOString(),
    referralId: b.referralId ?? null,
    eventAccountId: e?.accountId ?? null,
    kind: e?.kind ?? null,
    dedupKey: e?.dedupKey ?? null,
    title: e?.title ?? null,
    body: e?.body ?? null,
    link: e?.link ?? null,
    emailDedupKey: e?.email.dedupKey ?? null,
    subject: e?.email.subject ?? null,
    text: e?.email.text ?? null,
    html: e?.email.html ?? null,
    pushDedupPrefix: e?.push.dedupPrefix ?? null,
    pushPayload: e ? JSON.stringify(e.push.payload) : null,
  };
}

const many = (name: string, type: string): SQL => sql`${sql.placeholder(name)}::${sql.raw(type)}[]`;

/**
 * writeStatement for a group of portal bookings (group.ts) in one statement: each booking's
 * appointment, slot and notification with its e-mail and pushes, written only if that
 * person's booked, not yet ended appointments are still exactly the ones it saw (as text:
 * their ids in order, joined by commas). One statement instead of one per booking: its start,
 * its check constraints and its statement triggers (the schedule versions, bumped in key
 * order) run once for the group. Returns the ids of the appointments it wrote.
 */
const writeManyStatement = preparedSql<{ appointment_id: string }>(
  'booking_write_many',
  sql`with b as (
        select * from unnest(${many('appointmentIds', 'uuid')}, ${many('references', 'text')}, ${many('slotIds', 'bigint')},
                             ${many('personIds', 'uuid')}, ${many('doctorIds', 'int')}, ${many('startAts', 'timestamptz')},
                             ${many('endAts', 'timestamptz')}, ${many('accountIds', 'uuid')}, ${many('ats', 'timestamptz')},
                             ${many('seenActiveIds', 'text')}, ${many('kinds', 'text')}, ${many('dedupKeys', 'text')},
                             ${many('titles', 'text')}, ${many('bodies', 'text')}, ${many('links', 'text')},
                             ${many('emailDedupKeys', 'text')}, ${many('subjects', 'text')}, ${many('texts', 'text')},
                             ${many('htmls', 'text')}, ${many('pushDedupPrefixes', 'text')}, ${many('pushPayloads', 'jsonb')})
               with ordinality as b(appointment_id, reference, slot_id, person_id, doctor_id, start_at, end_at, account_id, at,
                                    seen, kind, dedup_key, title, body, link, email_dedup_key, subject, text_body, html_body,
                                    push_dedup_prefix, push_payload, i)
      ),
      ok as materialized (
        select b.* from b
         where (select coalesce(string_agg(a.id::text, ',' order by a.id), '')
                  from appointments a
                 where a.person_id = b.person_id and a.status = 'booked' and a.end_at > b.at) = b.seen
      ),
      ins as (
        insert into appointments (id, reference, slot_id, person_id, doctor_id, start_at, end_at, status, source,
                                  booked_by_account_id, created_at)
        select appointment_id, reference, slot_id, person_id, doctor_id, start_at, end_at, 'booked', 'portal', account_id, at
          from ok order by i
        returning id, slot_id
      ),
      booked as (
        update slots set status = 'booked', hold_person_id = null, hold_account_id = null, held_until = null
         where id in (select slot_id from ins)
        returning id
      ),
      ev as (
        select ok.account_id, ok.kind, ok.dedup_key, ok.title, ok.body, ok.link, ok.email_dedup_key, ok.subject, ok.text_body,
               ok.html_body, ok.push_dedup_prefix, ok.push_payload, ok.at
          from ok
         where exists (select 1 from ins where ins.id = ok.appointment_id)
      ),
      ${eventRecordsCtes()}
      select id as appointment_id from ins`,
);

/** writeManyStatement's values: the bookings' writes, in the order they are to be written. */
export function writeManyValues(writes: BookingWrite[]): Record<string, unknown> {
  const column = <T>(f: (b: BookingWrite) => T): T[] => writes.map(f);
  return {
    appointmentIds: column((b) => b.appointmentId),
    references: column((b) => b.reference),
    slotIds: column((b) => b.slotId),
    personIds: column((b) => b.personId),
    doctorIds: column((b) => b.doctorId),
    startAts: column((b) => b.startAt.toISOString()),
    endAts: column((b) => b.endAt.toISOString()),
    accountIds: column((b) => b.bookedByAccountId),
    ats: column((b) => b.createdAt.toISOString()),
    seenActiveIds: column((b) => b.seenActiveIds.join(',')),
    kinds: column((b) => b.event.kind),
    dedupKeys: column((b) => b.event.dedupKey),
    titles: column((b) => b.event.title),
    bodies: column((b) => b.event.body),
    links: column((b) => b.event.link),
    emailDedupKeys: column((b) => b.event.email.dedupKey),
    subjects: column((b) => b.event.email.subject),
    texts: column((b) => b.event.email.text),
    htmls: column((b) => b.event.email.html),
    pushDedupPrefixes: column((b) => b.event.push.dedupPrefix),
    pushPayloads: column((b) => JSON.stringify(b.event.push.payload)),
  };
}

/** The ids of the appointments writeManyStatement wrote. */
export function writtenIds(rows: { appointment_id: string }[]): Set<string> {
  return new Set(rows.map((r) => r.appointment_id));
}

/** Whether writeStatement's answer says it wrote the booking. */
export function wasWritten(rows: { appointment_id: string | null }[]): boolean {
  return rows[0]?.appointment_id != null;
}

/** The two statements, for the benchmark's floor (bench/lib/direct.ts runs them straight on PostgreSQL). */
export const bookingStatements = {
  lock: lockStatement,
  lockMany: lockManyStatement,
  write: writeStatement,
  writeMany: writeManyStatement,
} as const;
