// Referrals (направления, SPEC section 8a): issuing one (a doctor for the patient in front of
// them, the clinic's system through the integration API), revoking it, listing them for the
// card file and for the clinic, and the candidates a booking chooses from (booking.service).
// A referral belongs to the real person (the СНИЛС); it is used by the visit that names it
// (appointments.referral_id) until that visit is cancelled. The database keeps one visit not
// cancelled per referral (appointments_one_per_referral).
import { randomUUID } from 'node:crypto';
import type { IntegrationReferral, ReferralView } from '../../../shared/api/index.js';
import { fullName } from '../../../shared/person.js';
import { localDateOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../region/audit.service.js';
import { lineReferralRefusal, type ReferralFacts, referralState, validityOf } from './referral.rules.js';
import {
  insertReferral,
  lockIssued,
  markRevoked,
  organisationZone,
  type ReferralRecord,
  selectCandidates,
  selectIdByExternal,
  selectIssued,
  selectOfPeople,
  selectReferral,
  selectSelfBooking,
  specialtyExists,
} from './referrals.repository.js';

export { chooseReferral, referralNeeded, type ReferralFacts } from './referral.rules.js';

/** Who issues: a doctor of the organisation (their account and doctor), or its system's API key. */
export type ReferralIssuer =
  | { kind: 'doctor'; organisationId: number; accountId: string; doctorId: number }
  | { kind: 'api'; organisationId: number; apiKeyId: string };

/** The patient a referral is issued to: a person row (card file or register) and its СНИЛС. */
export interface ReferralPatient {
  personId: string;
  snils: string;
}

export interface ReferralRequest {
  specialtyId: number;
  organisationId?: number | null;
  validFrom?: string;
  validUntil?: string;
  externalId?: string;
}

const VALIDITY_MESSAGES = {
  validFrom: 'Срок действия: направление не может начинать действовать раньше сегодняшнего дня.',
  validUntil: 'Срок действия: дата окончания не раньше даты начала и не дальше чем через год.',
} as const;

/**
 * Checks what does not depend on the patient (the specialty, the organisation, the validity in
 * the issuer's zone); throws the refusal. Returns the validity to write.
 */
async function checkRequest(db: Db, issuer: ReferralIssuer, input: ReferralRequest, now: Date) {
  const zone = await organisationZone(db, issuer.organisationId);
  if (!zone) throw new AppError('ORGANISATION_NOT_FOUND');
  if (!(await specialtyExists(db, input.specialtyId))) throw new AppError('SPECIALTY_NOT_FOUND');
  if (input.organisationId != null && !(await organisationZone(db, input.organisationId)))
    throw new AppError('ORGANISATION_NOT_FOUND');
  const validity = validityOf(input, localDateOf(now, zone));
  if ('refusal' in validity)
    throw new AppError('VALIDATION_FAILED', { field: validity.field }, VALIDITY_MESSAGES[validity.field]);
  return validity;
}

/**
 * Issues a referral inside the caller's transaction (which has found and, for the API,
 * registered the patient): audit-logged with ids only. An API key's `externalId` issued again
 * returns the referral issued first (created false).
 */
export async function issueReferralInTx(
  tx: Db,
  issuer: ReferralIssuer,
  patient: ReferralPatient,
  input: ReferralRequest,
  now: Date,
): Promise<{ created: boolean; id: string }> {
  const externalId = issuer.kind === 'api' ? (input.externalId ?? null) : null;
  if (externalId) {
    const existing = await selectIdByExternal(tx, issuer.organisationId, externalId);
    if (existing) return { created: false, id: existing };
  }
  const validity = await checkRequest(tx, issuer, input, now);
  const id = randomUUID();
  await insertReferral(tx, {
    id,
    personId: patient.personId,
    patientSnils: patient.snils,
    specialtyId: input.specialtyId,
    organisationId: input.organisationId ?? null,
    validFrom: validity.validFrom,
    validUntil: validity.validUntil,
    issuedByOrganisationId: issuer.organisationId,
    issuedByAccountId: issuer.kind === 'doctor' ? issuer.accountId : null,
    issuedByDoctorId: issuer.kind === 'doctor' ? issuer.doctorId : null,
    issuedByApiKeyId: issuer.kind === 'api' ? issuer.apiKeyId : null,
    externalId,
    createdAt: now,
  });
  await recordAudit(
    tx,
    {
      actorAccountId: issuer.kind === 'doctor' ? issuer.accountId : null,
      action: 'referral.issue',
      entityType: 'referral',
      entityId: id,
      details: {
        organisationId: issuer.organisationId,
        via: issuer.kind === 'doctor' ? 'doctor' : 'integration',
        ...(issuer.kind === 'api' ? { apiKeyId: issuer.apiKeyId } : { doctorId: issuer.doctorId }),
        patientId: patient.personId,
        specialtyId: input.specialtyId,
        targetOrganisationId: input.organisationId ?? null,
        validFrom: validity.validFrom,
        validUntil: validity.validUntil,
      },
    },
    now,
  );
  return { created: true, id };
}

/**
 * Revokes a referral the issuer's organisation issued (REFERRAL_NOT_FOUND for another's).
 * Revoking again changes nothing. A visit already booked with it stays booked.
 */
export async function revokeReferral(ctx: AppContext, issuer: ReferralIssuer, id: string): Promise<ReferralRecord> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const row = await lockIssued(tx, issuer.organisationId, id);
    if (!row) throw new AppError('REFERRAL_NOT_FOUND');
    if (row.revokedAt === null) {
      await markRevoked(tx, id, now);
      await recordAudit(
        tx,
        {
          actorAccountId: issuer.kind === 'doctor' ? issuer.accountId : null,
          action: 'referral.revoke',
          entityType: 'referral',
          entityId: id,
          details: {
            organisationId: issuer.organisationId,
            via: issuer.kind === 'doctor' ? 'doctor' : 'integration',
            ...(issuer.kind === 'api' ? { apiKeyId: issuer.apiKeyId } : {}),
          },
        },
        now,
      );
    }
    const updated = await selectReferral(tx, id);
    if (!updated) throw new AppError('REFERRAL_NOT_FOUND');
    return updated;
  });
}

/** One referral by id, as its issuing organisation sees it (REFERRAL_NOT_FOUND for another's). */
export async function getIssuedReferral(db: Db, organisationId: number, id: string): Promise<ReferralRecord> {
  const row = await selectReferral(db, id);
  if (!row || row.issuedByOrganisationId !== organisationId) throw new AppError('REFERRAL_NOT_FOUND');
  return row;
}

/** The referrals an organisation issued, newest first. */
export function listIssuedReferrals(
  db: Db,
  organisationId: number,
  q: { personId?: string; snils?: string; since?: Date; limit: number },
): Promise<ReferralRecord[]> {
  return selectIssued(db, organisationId, q);
}

/** The referrals of these real people (by СНИЛС), revoked ones left out, newest first. */
export function referralsOfPeople(db: Db, snilsList: string[]) {
  return selectOfPeople(db, snilsList);
}

/**
 * A real person's referrals to a specialty for a booking to choose from (not revoked, with
 * their use). With `lock` (a booking's transaction) they are locked first, so two bookings
 * with one referral take turns; the database's unique index has the last word.
 */
export async function referralCandidates(
  db: Db,
  snils: string,
  specialtyId: number,
  lock: boolean,
): Promise<ReferralFacts[]> {
  const rows = await selectCandidates(db, snils, specialtyId, lock);
  return rows.map((r) => ({
    id: r.id,
    specialtyId: r.specialtyId,
    organisationId: r.organisationId,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    revoked: false,
    usedBy: r.usedBy,
  }));
}

/**
 * The waiting list of a specialty «по направлению» takes a person only with a referral to it
 * that is neither used nor expired (lineReferralRefusal); throws the refusal. Other
 * specialties: nothing to check. The offer's booking checks the referral again on its date.
 */
export async function assertMayWaitFor(
  db: Db,
  snils: string,
  line: { specialtyId: number; organisationId: number },
  today: string,
): Promise<void> {
  if ((await selectSelfBooking(db, line.specialtyId)) !== false) return;
  const refusal = lineReferralRefusal(await referralCandidates(db, snils, line.specialtyId, false), line, today);
  if (refusal) throw new AppError(refusal);
}

/**
 * A confirmed person's usable referrals (not used, not expired on `today`) by specialty: the
 * last valid day of the one that lasts longest. An unconfirmed person (СНИЛС not checked): none.
 */
export async function usableReferralsOf(
  db: Db,
  person: { snils: string; status: string },
  today: string,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (person.status !== 'confirmed') return out;
  for (const r of await selectOfPeople(db, [person.snils])) {
    const state = referralState({ ...r, revoked: r.revokedAt !== null }, today);
    if (state !== 'valid' && state !== 'not_yet_valid') continue;
    const known = out.get(r.specialtyId);
    if (!known || known < r.validUntil) out.set(r.specialtyId, r.validUntil);
  }
  return out;
}

/** Several real people's referrals to a specialty (not revoked, with their use), by СНИЛС: the waitlist's candidates. */
export async function referralCandidatesOf(
  db: Db,
  snilsList: string[],
  specialtyId: number,
): Promise<Map<string, ReferralFacts[]>> {
  const out = new Map<string, ReferralFacts[]>();
  for (const snils of new Set(snilsList)) out.set(snils, await referralCandidates(db, snils, specialtyId, false));
  return out;
}

/**
 * Whether a confirmed person has a usable referral (unused, not expired on `today`) to this
 * specialty for this organisation or any: then the times kept for referrals are theirs too.
 */
export async function hasUsableReferral(
  db: Db,
  person: { snils: string; status: string },
  target: { specialtyId: number; organisationId: number },
  today: string,
): Promise<boolean> {
  if (person.status !== 'confirmed') return false;
  const candidates = await referralCandidates(db, person.snils, target.specialtyId, false);
  return lineReferralRefusal(candidates, target, today) === null;
}

/** A referral as people read it, its state as of the local date `today`. */
export function toReferralView(r: ReferralRecord, today: string): ReferralView {
  const doctor =
    r.doctorLastName !== null && r.doctorFirstName !== null
      ? fullName({ lastName: r.doctorLastName, firstName: r.doctorFirstName, middleName: r.doctorMiddleName })
      : null;
  return {
    id: r.id,
    specialty: { id: r.specialtyId, name: r.specialtyName },
    organisation:
      r.organisationId !== null && r.organisationName !== null
        ? { id: r.organisationId, name: r.organisationName }
        : null,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    state: referralState({ ...r, revoked: r.revokedAt !== null, usedBy: r.usedBy }, today),
    issuedBy: { organisation: { id: r.issuedByOrganisationId, name: r.issuedByOrganisationName }, doctorName: doctor },
    createdAt: r.createdAt.toISOString(),
  };
}

/** A referral as the clinic's system reads it. */
export function toIntegrationReferral(r: ReferralRecord, now: Date): IntegrationReferral {
  return {
    ...toReferralView(r, localDateOf(now, r.issuedByOrganisationTimeZone)),
    externalId: r.externalId,
    patientId: r.personId,
    appointmentId: r.usedBy,
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
  };
}
