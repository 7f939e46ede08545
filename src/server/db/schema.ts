// Drizzle table definitions. Migrations in ./migrations are generated from this file
// (`npm run db:generate`) plus hand-written SQL for what drizzle cannot express
// (the exclusion constraint against overlapping appointments).
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for an account made through ЕСИА whose person has no e-mail there. */
    email: text('email'),
    passwordHash: text('password_hash'),
    emailConfirmedAt: ts('email_confirmed_at'),
    /**
     * patient | moderator | operator | registrar (registry desk of one organisation) |
     * doctor (one doctor of one organisation) | clinic_admin (the catalogue of one organisation) |
     * system (the clinic register: no sign-in)
     */
    role: text('role').notNull().default('patient'),
    /** The ЕСИА subject (`urn:esia:sbj_id`, the oid) linked to this account. */
    esiaOid: text('esia_oid'),
    esiaLinkedAt: ts('esia_linked_at'),
    /** Staff: the organisation a registrar or doctor works for. */
    organisationId: integer('organisation_id').references((): AnyPgColumn => organisations.id),
    /** Staff: the doctor this account is (role doctor). */
    doctorId: integer('doctor_id').references((): AnyPgColumn => doctors.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** The account was deleted by its holder (migration 0016): kept for its visits, with nothing to sign in with. */
    erasedAt: ts('erased_at'),
  },
  (t) => [
    check(
      'accounts_erased_check',
      sql`${t.erasedAt} is null or (${t.email} is null and ${t.passwordHash} is null and ${t.esiaOid} is null)`,
    ),
    uniqueIndex('accounts_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('accounts_esia_oid_key').on(t.esiaOid),
    check(
      'accounts_role_check',
      sql`${t.role} in ('patient','moderator','operator','registrar','doctor','clinic_admin','system')`,
    ),
    check(
      'accounts_staff_scope_check',
      sql`(${t.role} in ('registrar','doctor','clinic_admin')) = (${t.organisationId} is not null) and (${t.role} = 'doctor') = (${t.doctorId} is not null)`,
    ),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** HMAC of the cookie token; the token itself is never stored. */
    idHash: text('id_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** password | esia: how this session signed in (SPEC section 6). */
    authMethod: text('auth_method').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** confirm | reset */
    purpose: text('purpose').notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('email_tokens_account_idx').on(t.accountId)],
);

export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    isMain: boolean('is_main').notNull().default(false),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    /** M | F */
    sex: text('sex').notNull(),
    snils: text('snils').notNull(),
    policy: text('policy').notNull(),
    phone: text('phone'),
    /** pending | confirmed | rejected */
    status: text('status').notNull().default('pending'),
    rejectReason: text('reject_reason'),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
    decidedBy: uuid('decided_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Removed from the card file (migration 0016): kept for its past visits, personal data replaced. */
    erasedAt: ts('erased_at'),
    /** A child brought from ЕСИА (migration 0015): ЕСИА's id of the child, once per card file. */
    esiaOid: text('esia_oid'),
    /** The birth certificate as ЕСИА gives it: series ("IV-МЮ") and six-digit number; both or neither. */
    birthCertSeries: text('birth_cert_series'),
    birthCertNumber: text('birth_cert_number'),
  },
  (t) => [
    uniqueIndex('persons_one_main_per_account').on(t.accountId).where(sql`${t.isMain}`),
    check(
      'persons_erased_check',
      sql`${t.erasedAt} is null or (${t.status} = 'rejected' and ${t.phone} is null and ${t.middleName} is null and not ${t.isMain})`,
    ),
    uniqueIndex('persons_account_esia_oid_key').on(t.accountId, t.esiaOid).where(sql`${t.esiaOid} is not null`),
    check('persons_esia_oid_check', sql`${t.esiaOid} is null or ${t.esiaOid} ~ '^[0-9]{1,20}$'`),
    check(
      'persons_birth_cert_check',
      sql`(${t.birthCertSeries} is null) = (${t.birthCertNumber} is null) and (${t.birthCertNumber} is null or ${t.birthCertNumber} ~ '^[0-9]{6}$') and (${t.birthCertSeries} is null or ${t.birthCertSeries} ~ '^[IVXLC]{1,6}-[А-ЯЁ]{2}$')`,
    ),
    uniqueIndex('persons_account_snils_key').on(t.accountId, t.snils),
    uniqueIndex('persons_account_policy_key').on(t.accountId, t.policy),
    index('persons_pending_idx').on(t.submittedAt).where(sql`${t.status} = 'pending'`),
    index('persons_snils_idx').on(t.snils),
    index('persons_policy_idx').on(t.policy),
    // The registry desk and the kiosk find people by name (and date of birth).
    index('persons_name_idx').on(sql`lower(${t.lastName})`, sql`lower(${t.firstName})`, t.birthDate),
    check('persons_sex_check', sql`${t.sex} in ('M','F')`),
    check('persons_status_check', sql`${t.status} in ('pending','confirmed','rejected')`),
    check('persons_snils_check', sql`${t.snils} ~ '^[0-9]{11}$'`),
    check('persons_policy_check', sql`${t.policy} ~ '^[0-9]{16}$'`),
  ],
);

/** Stand-in СНИЛС and полис numbers of erased people (migration 0016). */
export const erasedPersonSeq = pgSequence('erased_person_seq');

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: ts('at').notNull().defaultNow(),
    actorAccountId: uuid('actor_account_id').references(() => accounts.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** Never personal data: decisions, reasons, old/new setting values. */
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_at_idx').on(t.at),
    // The organisation's change log (details.organisationId), newest first.
    index('audit_log_organisation_idx').on(sql`(${t.details} ->> 'organisationId')`, t.id),
  ],
);

export const regionSettings = pgTable(
  'region_settings',
  {
    id: smallint('id').primaryKey().default(1),
    /** Wall-clock HH:MM of the day before a visit, in the organisation's zone. */
    cutoffTime: text('cutoff_time').notNull().default('18:00'),
    horizonDays: integer('horizon_days').notNull().default(14),
    maxPerSpecialty: integer('max_per_specialty').notNull().default(1),
    holdMinutes: integer('hold_minutes').notNull().default(10),
    offerWindowHours: integer('offer_window_hours').notNull().default(24),
    maxOffers: integer('max_offers').notNull().default(3),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => accounts.id),
    /** Bumped by a trigger on every update (migration 0004): processes cache the row by it. */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    check('region_settings_singleton', sql`${t.id} = 1`),
    check('region_settings_cutoff_format', sql`${t.cutoffTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

export const organisations = pgTable('organisations', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  /** IANA zone, e.g. Europe/Samara. */
  timeZone: text('time_zone').notNull(),
  waitlistAllowed: boolean('waitlist_allowed').notNull().default(true),
  /** Organisation's own cut-off HH:MM, overriding the region's. */
  cutoffOverride: text('cutoff_override'),
});

export const specialties = pgTable('specialties', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  /** Inclusive minimum age in full years, or null. */
  minAge: integer('min_age'),
  /** Exclusive maximum age in full years (18 = "under 18"), or null. */
  maxAge: integer('max_age'),
  /** M | F | null (anyone). */
  sex: text('sex'),
  /** False: patients may book it only with a referral (the flag is stored and shown). */
  selfBooking: boolean('self_booking').notNull().default(true),
});

export const doctors = pgTable(
  'doctors',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    specialtyId: integer('specialty_id')
      .notNull()
      .references(() => specialties.id),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    room: text('room').notNull(),
    /** Должность, e.g. «врач-терапевт участковый»; '' when not given. */
    position: text('position').notNull().default(''),
    active: boolean('active').notNull().default(true),
    /** The clinic system's own id of the doctor (integration API), unique per organisation; migration 0011. */
    externalId: text('external_id'),
  },
  (t) => [
    index('doctors_specialty_idx').on(t.specialtyId, t.organisationId),
    uniqueIndex('doctors_external_id_key').on(t.organisationId, t.externalId).where(sql`${t.externalId} is not null`),
    check('doctors_external_id_check', sql`${t.externalId} is null or ${t.externalId} ~ '^[A-Za-z0-9._:-]{1,100}$'`),
  ],
);

export const scheduleTemplates = pgTable(
  'schedule_templates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    doctorId: integer('doctor_id')
      .notNull()
      .references(() => doctors.id),
    /** Which days it applies on: weekday (the `weekday` column) | odd | even (dates of the month). Migration 0007. */
    dayRule: text('day_rule').notNull().default('weekday'),
    /** ISO weekday: 1 = Monday ... 7 = Sunday; null for odd/even dates. */
    weekday: smallint('weekday'),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    /** The one break of templates written before migration 0007 (demo data); new ones use `breaks`. */
    breakStart: text('break_start'),
    breakEnd: text('break_end'),
    /** Breaks as [{ start: 'HH:MM', end: 'HH:MM' }]. */
    breaks: jsonb('breaks').$type<{ start: string; end: string }[]>().notNull().default([]),
    /** The share of each day's slots kept for the registry and for referrals (the rest: portal). */
    registryPercent: smallint('registry_percent').notNull().default(0),
    referralPercent: smallint('referral_percent').notNull().default(0),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
  },
  (t) => [
    index('schedule_templates_doctor_idx').on(t.doctorId),
    check('schedule_templates_weekday', sql`${t.weekday} between 1 and 7`),
    check('schedule_templates_slot_minutes', sql`${t.slotMinutes} between 5 and 240`),
    check(
      'schedule_templates_day_rule',
      sql`${t.dayRule} in ('weekday','odd','even') and ((${t.dayRule} = 'weekday') = (${t.weekday} is not null))`,
    ),
    check(
      'schedule_templates_quota',
      sql`${t.registryPercent} between 0 and 100 and ${t.referralPercent} between 0 and 100 and ${t.registryPercent} + ${t.referralPercent} <= 100`,
    ),
    check('schedule_templates_validity', sql`${t.validUntil} is null or ${t.validUntil} >= ${t.validFrom}`),
    check('schedule_templates_breaks_array', sql`jsonb_typeof(${t.breaks}) = 'array'`),
  ],
);

/**
 * A day that differs from the templates (migration 0007): a day off, a holiday, or other
 * hours, for one doctor or (doctor_id null) every doctor of the organisation. A doctor's
 * own exception wins over the organisation's on the same date.
 */
export const scheduleExceptions = pgTable(
  'schedule_exceptions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    doctorId: integer('doctor_id').references(() => doctors.id),
    date: date('date', { mode: 'string' }).notNull(),
    /** day_off | holiday | other_hours */
    kind: text('kind').notNull(),
    startTime: text('start_time'),
    endTime: text('end_time'),
    slotMinutes: integer('slot_minutes'),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('schedule_exceptions_doctor_date_key').on(t.doctorId, t.date).where(sql`${t.doctorId} is not null`),
    uniqueIndex('schedule_exceptions_organisation_date_key')
      .on(t.organisationId, t.date)
      .where(sql`${t.doctorId} is null`),
    check('schedule_exceptions_kind', sql`${t.kind} in ('day_off','holiday','other_hours')`),
    check(
      'schedule_exceptions_hours',
      sql`(${t.kind} = 'other_hours') = (${t.startTime} is not null and ${t.endTime} is not null and ${t.slotMinutes} is not null)
	  and (${t.startTime} is null or (${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} > ${t.startTime}))
	  and (${t.slotMinutes} is null or ${t.slotMinutes} between 5 and 240)`,
    ),
    check('schedule_exceptions_note_length', sql`char_length(${t.note}) <= 200`),
  ],
);

export const slots = pgTable(
  'slots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    doctorId: integer('doctor_id')
      .notNull()
      .references(() => doctors.id),
    startAt: ts('start_at').notNull(),
    endAt: ts('end_at').notNull(),
    /** free | held | booked | blocked. A hold past held_until counts as free. */
    status: text('status').notNull().default('free'),
    holdPersonId: uuid('hold_person_id').references(() => persons.id, { onDelete: 'set null' }),
    holdAccountId: uuid('hold_account_id').references(() => accounts.id, { onDelete: 'set null' }),
    heldUntil: ts('held_until'),
    /** Set while the slot is held for a waitlist offer: such a hold is not free when it lapses
     * (the expiry worker moves the slot on to the next entry first). */
    holdOfferId: uuid('hold_offer_id'),
    /** Who may book it (migration 0007): portal | registry | referral; set by the template's quotas. */
    channel: text('channel').notNull().default('portal'),
    /** A booked, held or retired slot the doctor's template no longer makes (kept, listed as a conflict). */
    offTemplate: boolean('off_template').notNull().default(false),
    /** The clinic system's own id of a slot it pushed, unique per doctor (migration 0011). */
    externalId: text('external_id'),
  },
  (t) => [
    uniqueIndex('slots_doctor_start_key').on(t.doctorId, t.startAt),
    uniqueIndex('slots_external_id_key').on(t.doctorId, t.externalId).where(sql`${t.externalId} is not null`),
    check('slots_external_id_check', sql`${t.externalId} is null or ${t.externalId} ~ '^[A-Za-z0-9._:-]{1,100}$'`),
    // The predicate names no column a booking changes: booking a free slot (status free ->
    // booked, the hold columns null -> null) touches no indexed column, so PostgreSQL updates
    // it in place (HOT) when the page has room (migration 0006 leaves 10 % free per page).
    // Queries for an account's holds still use it: hold_account_id = $1 implies not null.
    index('slots_hold_account_idx').on(t.holdAccountId).where(sql`${t.holdAccountId} is not null`),
    check('slots_status_check', sql`${t.status} in ('free','held','booked','blocked')`),
    check('slots_channel_check', sql`${t.channel} in ('portal','registry','referral')`),
    // A portal account holds a portal time, or one kept for referrals (with a referral: migration 0014).
    check('slots_portal_hold_check', sql`${t.holdAccountId} is null or ${t.channel} in ('portal','referral')`),
    check('slots_time_check', sql`${t.endAt} > ${t.startAt}`),
    check(
      'slots_hold_check',
      sql`(${t.status} = 'held') = (${t.heldUntil} is not null and ${t.holdPersonId} is not null)`,
    ),
  ],
);

export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human reference number shown on the done page, e.g. "ПР-7K3M92QD" in Latin letters. */
    reference: text('reference').notNull().unique(),
    slotId: bigint('slot_id', { mode: 'number' })
      .notNull()
      .references(() => slots.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    doctorId: integer('doctor_id')
      .notNull()
      .references(() => doctors.id),
    startAt: ts('start_at').notNull(),
    endAt: ts('end_at').notNull(),
    /** booked | cancelled | visited | no_show */
    status: text('status').notNull().default('booked'),
    /** portal | electronic_queue | doctor | registry | infomat */
    source: text('source').notNull(),
    bookedByAccountId: uuid('booked_by_account_id').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    cancelledAt: ts('cancelled_at'),
    cancelledByAccountId: uuid('cancelled_by_account_id').references(() => accounts.id),
    /** Who cancelled: patient (online, at the kiosk or by phone) | clinic (the clinic cancelled the visit). */
    cancelledBy: text('cancelled_by'),
    /** The channel through which it was cancelled: portal | registry | infomat | doctor | electronic_queue | integration. */
    cancelledVia: text('cancelled_via'),
    /** Staff account (registrar, doctor) that booked it at the desk or in the office. */
    bookedByStaffAccountId: uuid('booked_by_staff_account_id').references(() => accounts.id),
    /** Integration API key that pushed it (appointments made in a clinic's own systems). */
    bookedByApiKeyId: uuid('booked_by_api_key_id').references((): AnyPgColumn => apiKeys.id),
    /** The clinic system's own id of the appointment, unique per organisation (idempotent pushes). */
    externalOrgId: integer('external_org_id').references(() => organisations.id),
    externalId: text('external_id'),
    statusChangedAt: ts('status_changed_at'),
    /**
     * The person's СНИЛС, copied by a trigger on insert (migration 0005): the same real person
     * may sit in several card files and the clinic register, and is never in two places at
     * once — the exclusion constraint appointments_no_overlap_per_real_person.
     */
    patientSnils: text('patient_snils').notNull().default(''),
    /** A move (migration 0013): the visit this one replaced; that one is cancelled with cancel_reason 'moved'. */
    movedFromId: uuid('moved_from_id').references((): AnyPgColumn => appointments.id),
    /** Why the patient's cancel happened when it was not a plain cancel: moved | released. */
    cancelReason: text('cancel_reason'),
    /** «Не смогу прийти» after the cancel time: the visit stays booked and marked until the waitlist takes it. */
    releasedAt: ts('released_at'),
    /** The referral this visit was booked with (migration 0014): at most one visit not cancelled per referral. */
    referralId: uuid('referral_id').references((): AnyPgColumn => referrals.id),
    /** Who marked the outcome (visited / no-show), migration 0015: registry | doctor | integration; null before it. */
    statusChangedVia: text('status_changed_via'),
  },
  (t) => [
    // The invariant: one slot never holds two active appointments.
    uniqueIndex('appointments_one_active_per_slot').on(t.slotId).where(sql`${t.status} = 'booked'`),
    index('appointments_person_idx').on(t.personId, t.startAt),
    index('appointments_account_idx').on(t.bookedByAccountId),
    check('appointments_status_check', sql`${t.status} in ('booked','cancelled','visited','no_show')`),
    check('appointments_source_check', sql`${t.source} in ('portal','electronic_queue','doctor','registry','infomat')`),
    check('appointments_portal_account_check', sql`${t.source} <> 'portal' or ${t.bookedByAccountId} is not null`),
    check('appointments_cancelled_by_check', sql`${t.cancelledBy} is null or ${t.cancelledBy} in ('patient','clinic')`),
    check(
      'appointments_cancelled_via_check',
      sql`${t.cancelledVia} is null or ${t.cancelledVia} in ('portal','registry','infomat','doctor','electronic_queue','integration')`,
    ),
    check('appointments_external_check', sql`(${t.externalId} is null) = (${t.externalOrgId} is null)`),
    uniqueIndex('appointments_external_key').on(t.externalOrgId, t.externalId).where(sql`${t.externalId} is not null`),
    check(
      'appointments_cancel_reason_check',
      sql`${t.cancelReason} is null or ${t.cancelReason} in ('moved','released')`,
    ),
    uniqueIndex('appointments_moved_from_key').on(t.movedFromId).where(sql`${t.movedFromId} is not null`),
    uniqueIndex('appointments_one_per_referral')
      .on(t.referralId)
      .where(sql`${t.referralId} is not null and ${t.status} <> 'cancelled'`),
    check(
      'appointments_status_changed_via_check',
      sql`${t.statusChangedVia} is null or ${t.statusChangedVia} in ('registry','doctor','integration')`,
    ),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    createdAt: ts('created_at').notNull().defaultNow(),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** What happened, for dedup and display: signup_confirm, password_reset, booking_made ... */
    kind: text('kind').notNull(),
    /** Unique per event so that the same event never yields two messages. */
    dedupKey: text('dedup_key').notNull().unique(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** pending | sent | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    sentAt: ts('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);

/**
 * Durable jobs the worker runs (migration 0009): sign-up and password recovery answer at
 * once and leave the address's lookup to a job, so the answer never depends on whether the
 * address is registered. A job is deleted in the transaction that does its work.
 */
export const outboxJobs = pgTable(
  'outbox_jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** signup | password_reset */
    kind: text('kind').notNull(),
    /** The job's input (an address, a password hash); emptied when the job fails for good. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** pending | failed (done jobs are deleted) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
  },
  (t) => [
    index('outbox_jobs_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('outbox_jobs_status', sql`${t.status} in ('pending', 'failed')`),
    check('outbox_jobs_payload_object', sql`jsonb_typeof(${t.payload}) = 'object'`),
    check('outbox_jobs_attempts', sql`${t.attempts} >= 0`),
  ],
);

// ---------- waitlist (SPEC section 4) ----------

export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    specialtyId: integer('specialty_id')
      .notNull()
      .references(() => specialties.id),
    /** null: any doctor of the specialty in the organisation. */
    doctorId: integer('doctor_id').references(() => doctors.id),
    /** waiting | offered | fulfilled | left | removed */
    status: text('status').notNull().default('waiting'),
    /** Offers made so far (declined or expired ones count). */
    offersMade: integer('offers_made').notNull().default(0),
    /** The place in the line: the oldest waiting entry gets the next offer. */
    createdAt: ts('created_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
    /** fulfilled: booked | left: the person left | removed: offers exhausted */
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('waitlist_one_active_per_doctor')
      .on(t.personId, t.doctorId)
      .where(sql`${t.status} in ('waiting','offered') and ${t.doctorId} is not null`),
    uniqueIndex('waitlist_one_active_per_specialty')
      .on(t.personId, t.organisationId, t.specialtyId)
      .where(sql`${t.status} in ('waiting','offered') and ${t.doctorId} is null`),
    index('waitlist_match_idx').on(t.organisationId, t.specialtyId, t.createdAt).where(sql`${t.status} = 'waiting'`),
    index('waitlist_account_idx').on(t.accountId),
    check('waitlist_status_check', sql`${t.status} in ('waiting','offered','fulfilled','left','removed')`),
  ],
);

export const waitlistOffers = pgTable(
  'waitlist_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => waitlistEntries.id, { onDelete: 'cascade' }),
    slotId: bigint('slot_id', { mode: 'number' })
      .notNull()
      .references(() => slots.id),
    /** pending | accepted | declined | expired | withdrawn */
    status: text('status').notNull().default('pending'),
    createdAt: ts('created_at').notNull().defaultNow(),
    deadline: ts('deadline').notNull(),
    respondedAt: ts('responded_at'),
    /** A release offer (migration 0018): the time of this visit, still booked, released with «Не смогу прийти»; the slot is not held. */
    releasedAppointmentId: uuid('released_appointment_id').references(() => appointments.id),
  },
  (t) => [
    // A slot is never offered to two entries at once; an entry has one open offer at a time.
    uniqueIndex('waitlist_offers_one_pending_per_slot').on(t.slotId).where(sql`${t.status} = 'pending'`),
    uniqueIndex('waitlist_offers_one_pending_per_entry').on(t.entryId).where(sql`${t.status} = 'pending'`),
    index('waitlist_offers_deadline_idx').on(t.deadline).where(sql`${t.status} = 'pending'`),
    check('waitlist_offers_status_check', sql`${t.status} in ('pending','accepted','declined','expired','withdrawn')`),
  ],
);

// ---------- notifications (SPEC section 5) ----------

export const notificationPreferences = pgTable('notification_preferences', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  email: boolean('email').notNull().default(true),
  push: boolean('push').notNull().default(true),
});

/** The in-portal notification list (always on). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** Unique per event and account: the same event never notifies twice. */
    dedupKey: text('dedup_key').notNull().unique(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** A path inside the portal to open, e.g. /offers/<id>. */
    link: text('link'),
    createdAt: ts('created_at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('notifications_account_idx').on(t.accountId, t.createdAt)],
);

export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull().unique(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('push_subscriptions_account_idx').on(t.accountId)],
);

/** Web Push deliveries waiting to be sent (one row per event and subscription). */
export const pushOutbox = pgTable(
  'push_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: bigint('subscription_id', { mode: 'number' })
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    dedupKey: text('dedup_key').notNull().unique(),
    /** JSON payload: { title, body, url } — no diagnosis, no specialty. */
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lockedUntil: ts('locked_until'),
    sentAt: ts('sent_at'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('push_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);

/** Keys generated once and kept (demo mode's VAPID keys). */
export const systemKeys = pgTable('system_keys', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

// ---------- ЕСИА, channels (SPEC sections 1 and 8) ----------

/** One ЕСИА sign-in or link attempt: the `state` sent to ЕСИА, bound to the browser that started it. */
export const esiaRequests = pgTable(
  'esia_requests',
  {
    state: uuid('state').primaryKey(),
    /** login | link */
    purpose: text('purpose').notNull(),
    /** For link: the account that asked to link ЕСИА (after re-entering its password). */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** HMAC of a random value kept in an HttpOnly cookie of the browser that started it. */
    browserHash: text('browser_hash').notNull(),
    /** Where to go after sign-in (a path inside the portal). */
    returnTo: text('return_to'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [
    index('esia_requests_expires_idx').on(t.expiresAt),
    check('esia_requests_purpose_check', sql`${t.purpose} in ('login','link')`),
    check('esia_requests_link_check', sql`(${t.purpose} = 'link') = (${t.accountId} is not null)`),
  ],
);

/** A clinic system's specialty code mapped to one of the region's specialties (migration 0011). */
export const integrationSpecialtyCodes = pgTable(
  'integration_specialty_codes',
  {
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    externalCode: text('external_code').notNull(),
    specialtyId: integer('specialty_id')
      .notNull()
      .references(() => specialties.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'integration_specialty_codes_pkey', columns: [t.organisationId, t.externalCode] }),
    check('integration_specialty_codes_code_check', sql`${t.externalCode} ~ '^[A-Za-z0-9._:-]{1,100}$'`),
  ],
);

/** Integration API keys: one organisation, one channel; only a hash of the key is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** electronic_queue | registry | doctor | infomat: pushes that source; mis: the clinic information system, any non-portal source. */
    channel: text('channel').notNull(),
    label: text('label').notNull(),
    /** HMAC of the whole key. */
    keyHash: text('key_hash').notNull().unique(),
    /** The key's first characters, shown on the operator page to tell keys apart. */
    keyPrefix: text('key_prefix').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => accounts.id),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by').references(() => accounts.id),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [
    index('api_keys_organisation_idx').on(t.organisationId),
    check('api_keys_channel_check', sql`${t.channel} in ('electronic_queue','registry','doctor','infomat','mis')`),
  ],
);

/** Devices switched to kiosk mode (инфомат) by the registry of an organisation. */
export const kioskDevices = pgTable(
  'kiosk_devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    label: text('label').notNull(),
    /** HMAC of the device token kept in the kiosk's HttpOnly cookie. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => accounts.id),
    revokedAt: ts('revoked_at'),
    lastSeenAt: ts('last_seen_at'),
  },
  (t) => [index('kiosk_devices_organisation_idx').on(t.organisationId)],
);

// ---------- cache versions (kept by triggers, migration 0004) ----------

/**
 * Per-doctor schedule version, in shards (slot id mod 16) so that concurrent bookings of one
 * doctor's slots do not queue on one row lock: a trigger on `slots` adds 1 to the shard of
 * every changed slot in the writing transaction, so the sum over a doctor's shards grows with
 * every committed change of the doctor's slots, whoever wrote them.
 */
export const scheduleVersions = pgTable(
  'schedule_versions',
  {
    doctorId: integer('doctor_id')
      .notNull()
      .references(() => doctors.id, { onDelete: 'cascade' }),
    shard: smallint('shard').notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.doctorId, t.shard] })],
);

/**
 * One row: bumped by triggers on doctors, organisations, specialties and region_settings,
 * whose columns also appear in cached schedule responses.
 */
export const catalogueGeneration = pgTable(
  'catalogue_generation',
  {
    id: smallint('id').primaryKey().default(1),
    generation: bigint('generation', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('catalogue_generation_singleton', sql`${t.id} = 1`)],
);

// ---------- a doctor's absence (SPEC section 8, migration 0008) ----------

/**
 * A closed range of a doctor's time (болезнь, отпуск, учёба, другое). While active (not
 * cancelled) a trigger keeps every slot inside it from becoming free, and two active absences
 * of one doctor never overlap (exclusion constraint doctor_absences_no_overlap).
 */
export const doctorAbsences = pgTable(
  'doctor_absences',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    doctorId: integer('doctor_id')
      .notNull()
      .references(() => doctors.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** sick | vacation | training | other */
    reason: text('reason').notNull(),
    /** Staff only; never shown to patients. */
    comment: text('comment'),
    /** Slots that were already blocked before the absence: reopening leaves them blocked. */
    keptBlockedSlotIds: bigint('kept_blocked_slot_ids', { mode: 'number' }).array().notNull().default(sql`'{}'`),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    cancelledAt: ts('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => accounts.id),
  },
  (t) => [
    index('doctor_absences_doctor_idx').on(t.doctorId, t.startsAt).where(sql`${t.cancelledAt} is null`),
    check('doctor_absences_reason_check', sql`${t.reason} in ('sick','vacation','training','other')`),
    check('doctor_absences_range_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('doctor_absences_cancel_check', sql`(${t.cancelledAt} is null) = (${t.cancelledBy} is null)`),
  ],
);

/**
 * A booked visit an absence affected, and what the clinic decided: open (not yet decided) →
 * offered (a move offered to the portal account: the new slot is held with hold_offer_id =
 * offer_id until offer_deadline) → moved | cancelled.
 */
export const absenceVisits = pgTable(
  'absence_visits',
  {
    absenceId: bigint('absence_id', { mode: 'number' })
      .notNull()
      .references(() => doctorAbsences.id),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id),
    /** open | offered | moved | cancelled */
    state: text('state').notNull().default('open'),
    offerId: uuid('offer_id'),
    offerSlotId: bigint('offer_slot_id', { mode: 'number' }).references(() => slots.id),
    offerDeadline: ts('offer_deadline'),
    newAppointmentId: uuid('new_appointment_id').references(() => appointments.id),
    decidedBy: uuid('decided_by').references(() => accounts.id),
    decidedAt: ts('decided_at'),
    answeredAt: ts('answered_at'),
    /** moved_by_clinic | confirmed | declined | expired | cancelled_by_clinic | cancelled_elsewhere */
    outcome: text('outcome'),
  },
  (t) => [
    primaryKey({ columns: [t.absenceId, t.appointmentId] }),
    uniqueIndex('absence_visits_offer_key').on(t.offerId).where(sql`${t.offerId} is not null`),
    uniqueIndex('absence_visits_one_offer_per_slot').on(t.offerSlotId).where(sql`${t.state} = 'offered'`),
    index('absence_visits_due_idx').on(t.offerDeadline).where(sql`${t.state} = 'offered'`),
    check('absence_visits_state_check', sql`${t.state} in ('open','offered','moved','cancelled')`),
  ],
);

// ---------- changes out: the integration change log and webhooks (issue 17, migration 0012) ----------

/**
 * Every change of an appointment or a slot, written by triggers in the writing transaction.
 * `xid` is that transaction's id: readers take rows older than every running transaction only
 * and order by (xid, id), so a cursor never passes over a change (changes.repository.ts).
 */
export const integrationChanges = pgTable(
  'integration_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    xid: bigint('xid', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`),
    organisationId: integer('organisation_id').notNull(),
    /** appointment.created | .cancelled | .visited | .no_show | .updated; slot.created | .updated | .deleted */
    eventType: text('event_type').notNull(),
    appointmentId: uuid('appointment_id'),
    slotId: bigint('slot_id', { mode: 'number' }),
    /** The row as written, without the patient's personal data. */
    data: jsonb('data').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('integration_changes_order_idx').on(t.xid, t.id),
    index('integration_changes_feed_idx').on(t.organisationId, t.xid, t.id).where(sql`${t.appointmentId} is not null`),
    check(
      'integration_changes_event_type',
      sql`${t.eventType} in ('appointment.created','appointment.cancelled','appointment.visited','appointment.no_show','appointment.updated','slot.created','slot.updated','slot.deleted')`,
    ),
    check('integration_changes_one_entity', sql`(${t.appointmentId} is null) <> (${t.slotId} is null)`),
  ],
);

/** One API key's webhook: its URL and event types; the signing secret is derived, never stored. */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    url: text('url').notNull(),
    /** Exact types or 'appointment.*' / 'slot.*'. */
    eventTypes: text('event_types').array().notNull(),
    secretSalt: text('secret_salt').notNull(),
    /** Only changes after this one are delivered (the log's end when it was made). */
    fromChangeId: bigint('from_change_id', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('webhook_subscriptions_key_idx').on(t.apiKeyId),
    index('webhook_subscriptions_organisation_idx').on(t.organisationId),
    check('webhook_subscriptions_event_types', sql`cardinality(${t.eventTypes}) between 1 and 20`),
  ],
);

/** One delivery per subscription and change: the webhook outbox, leased like the e-mail outbox. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    changeId: bigint('change_id', { mode: 'number' })
      .notNull()
      .references(() => integrationChanges.id),
    /** pending | delivered | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    lastAttemptAt: ts('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    replays: integer('replays').notNull().default(0),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_change_key').on(t.subscriptionId, t.changeId),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('webhook_deliveries_status', sql`${t.status} in ('pending', 'delivered', 'failed')`),
    check('webhook_deliveries_attempts', sql`${t.attempts} >= 0`),
  ],
);

/** Where the fan-out from the change log to the deliveries stands (one row). */
export const webhookDispatch = pgTable(
  'webhook_dispatch',
  {
    id: smallint('id').primaryKey().default(1),
    xid: bigint('xid', { mode: 'number' }).notNull(),
    changeId: bigint('change_id', { mode: 'number' }).notNull(),
  },
  (t) => [check('webhook_dispatch_singleton', sql`${t.id} = 1`)],
);

/**
 * Referrals (направления, migration 0014): a specialty marked «по направлению» is booked from
 * the portal only with a valid one. It belongs to the real person (the СНИЛС): any card-file
 * row of that person books with it. Validity is a range of local dates of the visit.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    /** The row it was issued to: a card-file row or the clinic register's. */
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    patientSnils: text('patient_snils').notNull(),
    specialtyId: integer('specialty_id')
      .notNull()
      .references(() => specialties.id),
    /** The organisation the visit must be at; null: any. */
    organisationId: integer('organisation_id').references(() => organisations.id),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    issuedByOrganisationId: integer('issued_by_organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** A doctor's account (with their doctor) or the clinic system's API key: exactly one. */
    issuedByAccountId: uuid('issued_by_account_id').references(() => accounts.id),
    issuedByDoctorId: integer('issued_by_doctor_id').references(() => doctors.id),
    issuedByApiKeyId: uuid('issued_by_api_key_id').references((): AnyPgColumn => apiKeys.id),
    /** The clinic system's own id of the referral, unique per organisation (idempotent issue). */
    externalId: text('external_id'),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    index('referrals_patient_idx').on(t.patientSnils, t.specialtyId),
    index('referrals_issuer_idx').on(t.issuedByOrganisationId, t.createdAt),
    uniqueIndex('referrals_external_key')
      .on(t.issuedByOrganisationId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    check('referrals_valid_range_check', sql`${t.validUntil} >= ${t.validFrom}`),
    check('referrals_issuer_check', sql`(${t.issuedByAccountId} is null) <> (${t.issuedByApiKeyId} is null)`),
    check('referrals_snils_check', sql`${t.patientSnils} <> ''`),
  ],
);
