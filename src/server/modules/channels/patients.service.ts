// The patients clinics know (SPEC section 8): the registry desk and the doctor find them by
// полис, СНИЛС or name; the kiosk identifies them by полис and date of birth; the desk
// registers new ones. One result per real person: the clinic register's row when there is
// one, else a confirmed portal card-file row (copied into the register on first booking).
import type { ChannelVisit, PatientMatch } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { assertBirthDateNotInFuture, identityOf } from '../identity/persons.service.js';
import { recordAudit } from '../region/audit.service.js';
import { listVisitsOfRealPerson } from '../booking/booking.service.js';
import { effectiveCutoff, getRegionSettings } from '../region/settings.service.js';
import type { ChannelActor } from './channels.rules.js';
import { nameKey } from './channels.rules.js';
import { toChannelVisit } from './channel-visits.js';
import {
  findPersonById,
  findRegisterClash,
  findRegisterRow,
  insertRegisterRow,
  searchPersons,
  type PatientQuery,
  type PersonRow,
} from './patients.repository.js';
import { REGISTER_ACCOUNT_ID } from './register.js';
import type { PersonIdentity } from '../../../shared/person.js';

export type { PatientMatch };

const SEARCH_LIMIT = 20;

export function toPatientMatch(p: PersonRow): PatientMatch {
  return {
    patientId: p.id,
    ...identityOf(p),
    inRegister: p.accountId === REGISTER_ACCOUNT_ID,
  };
}

/** Keeps the first row of each real person (rows arrive register first): one per СНИЛС — a shared полис alone is no proof. */
function onePerRealPerson(rows: PersonRow[]): PersonRow[] {
  const seen = new Set<string>();
  const out: PersonRow[] = [];
  for (const r of rows) {
    if (seen.has(r.snils)) continue;
    seen.add(r.snils);
    out.push(r);
  }
  return out;
}

/** Staff search: by полис, by СНИЛС, or by surname (+ start of the first name, + birth date). */
export async function findPatients(
  db: Db,
  q: { policy?: string; snils?: string; lastName?: string; firstName?: string; birthDate?: string },
): Promise<PatientMatch[]> {
  const query: PatientQuery = {
    policy: q.policy,
    snils: q.snils,
    lastName: q.lastName ? nameKey(q.lastName) : undefined,
    firstName: q.firstName ? nameKey(q.firstName) : undefined,
    birthDate: q.birthDate,
  };
  // A first name or a birth date alone would list half the region.
  if (!query.policy && !query.snils && !query.lastName) return [];
  const rows = await searchPersons(db, query, SEARCH_LIMIT * 3);
  return onePerRealPerson(rows).slice(0, SEARCH_LIMIT).map(toPatientMatch);
}

/** Kiosk: the полис and the date of birth must both match; null otherwise (the caller answers generically). */
export async function identifyPatient(db: Db, policy: string, birthDate: string): Promise<PatientMatch | null> {
  const rows = await searchPersons(db, { policy, birthDate }, 5);
  const first = onePerRealPerson(rows)[0];
  return first ? toPatientMatch(first) : null;
}

export async function getPatient(db: Db, patientId: string): Promise<PatientMatch> {
  const row = await findPersonById(db, patientId);
  if (!row || !(row.accountId === REGISTER_ACCOUNT_ID || row.status === 'confirmed'))
    throw new AppError('PATIENT_NOT_FOUND');
  return toPatientMatch(row);
}

/** The desk registers a new patient; PATIENT_EXISTS (with the existing patient's id) when the СНИЛС or полис is known. */
export async function registerPatient(
  ctx: AppContext,
  staffAccountId: string,
  identity: PersonIdentity,
  organisationId: number | null = null,
): Promise<PatientMatch> {
  const now = ctx.now();
  assertBirthDateNotInFuture(identity.birthDate, now);
  return ctx.db.transaction(async (tx) => {
    const existing = await findRegisterClash(tx, identity.snils, identity.policy);
    if (existing) throw new AppError('PATIENT_EXISTS', { patientId: existing.id });
    const row = await insertRegisterRow(tx, { ...identity, phone: null, decidedBy: staffAccountId, now });
    if (!row) {
      const raced = await findRegisterClash(tx, identity.snils, identity.policy);
      throw new AppError('PATIENT_EXISTS', raced ? { patientId: raced.id } : undefined);
    }
    // Who registered whom: the register row's id, never the patient's data.
    await recordAudit(
      tx,
      {
        actorAccountId: staffAccountId,
        action: 'patient.register',
        entityType: 'person',
        entityId: row.id,
        details: { organisationId },
      },
      now,
    );
    return toPatientMatch(row);
  });
}

/**
 * The register row of the patient, locked FOR UPDATE (serialises one patient's bookings, so
 * the per-specialty limit holds): the row itself, the register row with the same СНИЛС or
 * полис, or a new register row copied from a confirmed portal row. PATIENT_NOT_FOUND when
 * the id is unknown or a portal row that is not confirmed.
 */
export async function lockRegisterPerson(tx: Db, patientId: string, now: Date): Promise<PersonRow> {
  const row = await findPersonById(tx, patientId);
  if (!row) throw new AppError('PATIENT_NOT_FOUND');
  if (row.accountId === REGISTER_ACCOUNT_ID) {
    const locked = await findPersonById(tx, row.id, true);
    if (!locked) throw new AppError('PATIENT_NOT_FOUND');
    return locked;
  }
  if (row.status !== 'confirmed') throw new AppError('PATIENT_NOT_FOUND');
  const known = await findRegisterRow(tx, row.snils, true);
  if (known) return known;
  const copied = await insertRegisterRow(tx, {
    lastName: row.lastName,
    firstName: row.firstName,
    middleName: row.middleName,
    birthDate: row.birthDate,
    sex: row.sex as 'M' | 'F',
    snils: row.snils,
    policy: row.policy,
    phone: row.phone,
    decidedBy: row.decidedBy,
    now,
  });
  // Another booking copied the same person a moment ago: use its row.
  const registered = copied ?? (await findRegisterRow(tx, row.snils));
  if (!registered) throw new AppError('PATIENT_NOT_FOUND');
  const locked = await findPersonById(tx, registered.id, true);
  if (!locked) throw new AppError('PATIENT_NOT_FOUND');
  return locked;
}

/**
 * Finds or creates the register row for an identity pushed by a clinic system: by СНИЛС,
 * then by полис. Returns its id (to book with).
 */
export async function ensureRegisterPatient(tx: Db, identity: PersonIdentity, now: Date): Promise<string> {
  const known = await findRegisterRow(tx, identity.snils);
  if (known) return known.id;
  const row =
    (await insertRegisterRow(tx, { ...identity, phone: null, decidedBy: null, now })) ??
    (await findRegisterRow(tx, identity.snils));
  if (!row) throw new AppError('PATIENT_NOT_FOUND');
  return row.id;
}

/** The patient's visits (every row of the same real person, every source) at the actor's organisation, `cancellable` for this actor: future first, soonest first; then past, newest first. */
export async function patientVisits(ctx: AppContext, patientId: string, actor: ChannelActor): Promise<ChannelVisit[]> {
  const patient = await getPatient(ctx.db, patientId);
  const [rows, settings] = await Promise.all([
    listVisitsOfRealPerson(ctx.db, { snils: patient.snils, policy: patient.policy }, actor.organisationId),
    getRegionSettings(ctx.db),
  ]);
  const now = ctx.now();
  const visits = rows.map((r) =>
    toChannelVisit(
      r,
      patient.patientId,
      actor,
      effectiveCutoff(settings.cutoffTime, r.organisation.cutoffOverride),
      now,
    ),
  );
  const future = visits.filter((v) => v.status === 'booked' && new Date(v.startAt).getTime() > now.getTime()).reverse();
  const past = visits.filter((v) => !(v.status === 'booked' && new Date(v.startAt).getTime() > now.getTime()));
  return [...future, ...past];
}
