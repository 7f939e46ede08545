// A doctor's referrals (SPEC 8a): «Выдать направление» for the patient in front of them (a
// patient with a visit to this doctor), listed with the others their organisation issued to
// that patient, and revoked. Issued by the doctor's account and doctor, for their organisation.
import type { DoctorReferralBody, ReferralListResponse, ReferralView } from '../../../../shared/api/index.js';
import { localDateOf } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import {
  getIssuedReferral,
  issueReferralInTx,
  listIssuedReferrals,
  type ReferralIssuer,
  revokeReferral,
  toReferralView,
} from '../../referrals/referrals.service.js';
import type { StaffSession } from '../desk/desk.service.js';
import { doctorPatient } from './doctor.service.js';

function issuerOf(s: StaffSession): ReferralIssuer {
  if (s.doctorId === null) throw new AppError('FORBIDDEN');
  return { kind: 'doctor', organisationId: s.organisationId, accountId: s.accountId, doctorId: s.doctorId };
}

/** The organisation's zone's today, from a referral of it (all of one organisation). */
const todayOf = (zone: string, now: Date) => localDateOf(now, zone);

/** POST /api/doctor/patients/:patientId/referrals: 201 with the referral. */
export async function issueDoctorReferral(
  ctx: AppContext,
  s: StaffSession,
  patientId: string,
  body: DoctorReferralBody,
): Promise<ReferralView> {
  const issuer = issuerOf(s);
  // Only a patient with a visit to this doctor (PATIENT_NOT_FOUND otherwise).
  const { patient } = await doctorPatient(ctx, s, patientId);
  const now = ctx.now();
  const { id } = await ctx.db.transaction((tx) =>
    issueReferralInTx(
      tx,
      issuer,
      { personId: patient.patientId, snils: patient.snils },
      {
        specialtyId: body.specialtyId,
        organisationId: body.organisationId ?? null,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
      },
      now,
    ),
  );
  const row = await getIssuedReferral(ctx.db, s.organisationId, id);
  return toReferralView(row, todayOf(row.issuedByOrganisationTimeZone, now));
}

/** GET /api/doctor/patients/:patientId/referrals: what this organisation issued to the patient, newest first. */
export async function doctorPatientReferrals(
  ctx: AppContext,
  s: StaffSession,
  patientId: string,
): Promise<ReferralListResponse> {
  issuerOf(s);
  const { patient } = await doctorPatient(ctx, s, patientId);
  const now = ctx.now();
  const rows = await listIssuedReferrals(ctx.db, s.organisationId, { snils: patient.snils, limit: 100 });
  return { referrals: rows.map((r) => toReferralView(r, todayOf(r.issuedByOrganisationTimeZone, now))) };
}

/** POST /api/doctor/referrals/:id/revoke: one this organisation issued (REFERRAL_NOT_FOUND otherwise). */
export async function revokeDoctorReferral(ctx: AppContext, s: StaffSession, id: string): Promise<ReferralView> {
  const row = await revokeReferral(ctx, issuerOf(s), id);
  return toReferralView(row, todayOf(row.issuedByOrganisationTimeZone, ctx.now()));
}
