// Referrals (направления, SPEC section 8a): issued by a doctor (the doctor's page) or by the
// clinic's information system (the integration API, channel mis); listed in the patient's card
// file, with «Записаться по направлению».
import { z } from 'zod';
import { calendarDate } from '../dates.js';
import { idNumber } from '../ids.js';
import { patientIdentity } from './patients.js';

export const referralState = z.enum(['valid', 'used', 'expired', 'revoked', 'not_yet_valid']);
export type ReferralStateValue = z.infer<typeof referralState>;

/** What an issuer says of a referral: the specialty, optionally the organisation, the validity (local dates). */
const referralIssueFields = {
  specialtyId: idNumber('Выберите специальность', 'Выберите специальность'),
  /** The organisation the visit must be at; absent: any. */
  organisationId: idNumber('Неверный идентификатор медицинской организации').optional(),
  /** The first local date of a visit it serves; default today. */
  validFrom: calendarDate.optional(),
  /** The last local date of a visit it serves; default 30 days from validFrom. */
  validUntil: calendarDate.optional(),
};

/** POST /api/doctor/patients/:patientId/referrals. */
export const doctorReferralBody = z.object(referralIssueFields);
export type DoctorReferralBody = z.input<typeof doctorReferralBody>;

/** A referral as its issuer (the doctor, the clinic's system) and the patient see it. */
export const referralView = z.object({
  id: z.uuid(),
  specialty: z.object({ id: z.number(), name: z.string() }),
  /** The organisation the visit must be at; null: any of the region. */
  organisation: z.object({ id: z.number(), name: z.string() }).nullable(),
  validFrom: z.string(),
  validUntil: z.string(),
  state: referralState,
  issuedBy: z.object({
    organisation: z.object({ id: z.number(), name: z.string() }),
    /** The doctor who issued it; null when the clinic's system did. */
    doctorName: z.string().nullable(),
  }),
  createdAt: z.string(),
});
export type ReferralView = z.infer<typeof referralView>;

export const referralListResponse = z.object({ referrals: z.array(referralView) });
export type ReferralListResponse = z.infer<typeof referralListResponse>;

const referralExternalId = z
  .string()
  .trim()
  .min(1, 'Укажите идентификатор направления в вашей системе')
  .max(100, 'Не длиннее 100 символов')
  .regex(/^[A-Za-z0-9._:-]+$/, 'Латинские буквы, цифры и знаки . _ : -');

/** POST /api/integration/v1/referrals (channel mis). */
export const integrationReferralBody = z.object({
  /** The clinic system's id of the referral: issuing it again returns the same referral. */
  externalId: referralExternalId.optional(),
  patient: patientIdentity,
  ...referralIssueFields,
});
export type IntegrationReferralBody = z.input<typeof integrationReferralBody>;

/** A referral as the clinic's system sees it: with its id there and the visit it was used for. */
export const integrationReferral = referralView.extend({
  externalId: z.string().nullable(),
  /** The register's patient id. */
  patientId: z.uuid(),
  /** The visit (not cancelled) booked with it, or null. */
  appointmentId: z.uuid().nullable(),
  revokedAt: z.string().nullable(),
});
export type IntegrationReferral = z.infer<typeof integrationReferral>;

export const integrationReferralsQuery = z.object({
  /** Only this patient's (the register's patient id). */
  patientId: z.uuid('Неверный идентификатор пациента').optional(),
  /** Only those issued at or after this instant (ISO 8601). */
  since: z.iso
    .datetime({ offset: true, message: 'Время в формате ISO 8601 со смещением, например 2026-11-26T10:00:00+04:00' })
    .optional(),
  limit: z.coerce.number().int('Целое число').min(1, 'Не меньше 1').max(200, 'Не больше 200').default(100),
});
export const integrationReferralsResponse = z.object({ referrals: z.array(integrationReferral) });
export type IntegrationReferralsResponse = z.infer<typeof integrationReferralsResponse>;

export const referralIdParam = z.object({ id: z.uuid('Неверный идентификатор направления') });
export const referralExternalIdParam = z.object({ externalId: referralExternalId });
