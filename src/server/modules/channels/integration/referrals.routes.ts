// Referrals from the clinic's system over HTTP (/api/integration/v1/referrals, SPEC 8a): issue,
// list, read, revoke. An API key of channel `mis` only: the channel is checked before the body
// is validated (403 API_CHANNEL_NOT_ALLOWED), the organisation in the service.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  errorBody,
  integrationReferral,
  integrationReferralBody,
  integrationReferralsQuery,
  integrationReferralsResponse,
  referralIdParam,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { callerOf, type ApiKeyHook } from './integration.auth.js';
import { getApiReferral, issueApiReferral, listApiReferrals, revokeApiReferral } from './referrals.service.js';
import { requireMis } from './schedules.service.js';

const security = [{ apiKey: [] }];
const tags = ['integration'];
/** Every route: another channel's key is refused (403 API_CHANNEL_NOT_ALLOWED). */
const refused = { 403: errorBody };

export function integrationReferralRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  const misOnly = async (request: FastifyRequest) => {
    requireMis(callerOf(request));
  };

  return async (app) => {
    app.addHook('onRequest', authenticate);

    app.post(
      '/referrals',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Issue a referral (направление) for a patient to a specialty, optionally at one organisation, valid for local dates from–until (default 30 days from today); the same externalId again: 200 with the first (channel mis)',
          body: integrationReferralBody,
          response: { 200: integrationReferral, 201: integrationReferral, ...refused },
        },
      },
      async (request, reply) => {
        const { created, referral } = await issueApiReferral(ctx, callerOf(request), request.body);
        return reply.status(created ? 201 : 200).send(referral);
      },
    );

    app.get(
      '/referrals',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'The referrals this organisation issued, newest first, with the visit each was used for (channel mis)',
          querystring: integrationReferralsQuery,
          response: { 200: integrationReferralsResponse, ...refused },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return listApiReferrals(ctx, callerOf(request), request.query);
      },
    );

    app.get(
      '/referrals/:id',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary: 'One referral this organisation issued (channel mis)',
          params: referralIdParam,
          response: { 200: integrationReferral, ...refused },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return getApiReferral(ctx, callerOf(request), request.params.id);
      },
    );

    app.post(
      '/referrals/:id/revoke',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Revoke a referral this organisation issued: no longer books; a visit already booked with it stays (channel mis)',
          params: referralIdParam,
          response: { 200: integrationReferral, ...refused },
        },
      },
      async (request) => revokeApiReferral(ctx, callerOf(request), request.params.id),
    );
  };
}
