// Referrals from the clinic's information system (SPEC 8a, channel mis only): issue one for a
// patient named by their identity (found in the clinic register or registered there, as a
// pushed appointment's patient is), list the organisation's, read and revoke one. The
// organisation of the key bounds everything: another organisation's referral is not found.
import type { z } from 'zod';
import type {
  IntegrationReferral,
  IntegrationReferralsResponse,
  integrationReferralBody,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import {
  getIssuedReferral,
  issueReferralInTx,
  listIssuedReferrals,
  type ReferralIssuer,
  revokeReferral,
  toIntegrationReferral,
} from '../../referrals/referrals.service.js';
import type { ApiCaller } from './apikeys.service.js';
import { resolvePushedPatient } from './integration.patients.js';
import { requireMis } from './schedules.service.js';
import { assertBirthDateNotInFuture } from '../../identity/persons.service.js';

function issuerOf(caller: ApiCaller): ReferralIssuer {
  return { kind: 'api', organisationId: caller.organisationId, apiKeyId: caller.apiKeyId };
}

/** POST /referrals: 201 with the new referral; the same externalId again: 200 with the first. */
export async function issueApiReferral(
  ctx: AppContext,
  caller: ApiCaller,
  body: z.output<typeof integrationReferralBody>,
): Promise<{ created: boolean; referral: IntegrationReferral }> {
  requireMis(caller);
  const now = ctx.now();
  const identity = body.patient;
  assertBirthDateNotInFuture(identity.birthDate, now);
  const { created, id } = await ctx.db.transaction(async (tx) => {
    const patientId = await resolvePushedPatient(tx, identity, now);
    return issueReferralInTx(
      tx,
      issuerOf(caller),
      { personId: patientId, snils: identity.snils },
      {
        specialtyId: body.specialtyId,
        organisationId: body.organisationId ?? null,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
        externalId: body.externalId,
      },
      now,
    );
  });
  return { created, referral: toIntegrationReferral(await getIssuedReferral(ctx.db, caller.organisationId, id), now) };
}

export async function listApiReferrals(
  ctx: AppContext,
  caller: ApiCaller,
  q: { patientId?: string; since?: string; limit: number },
): Promise<IntegrationReferralsResponse> {
  requireMis(caller);
  const now = ctx.now();
  const rows = await listIssuedReferrals(ctx.db, caller.organisationId, {
    personId: q.patientId,
    since: q.since ? new Date(q.since) : undefined,
    limit: q.limit,
  });
  return { referrals: rows.map((r) => toIntegrationReferral(r, now)) };
}

export async function getApiReferral(ctx: AppContext, caller: ApiCaller, id: string): Promise<IntegrationReferral> {
  requireMis(caller);
  return toIntegrationReferral(await getIssuedReferral(ctx.db, caller.organisationId, id), ctx.now());
}

/** POST /referrals/:id/revoke: revoked (again: unchanged); a visit booked with it stays. */
export async function revokeApiReferral(ctx: AppContext, caller: ApiCaller, id: string): Promise<IntegrationReferral> {
  requireMis(caller);
  return toIntegrationReferral(await revokeReferral(ctx, issuerOf(caller), id), ctx.now());
}
