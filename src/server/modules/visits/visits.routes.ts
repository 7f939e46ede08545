// Visits API: cancelling or moving one of the account's portal bookings and the card file (the account's
// people with their visits and waitlist entries). Both need a signed-in account and touch only
// its own people. The OpenAPI tag stays «booking», where these endpoints have always been.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appointmentDetail, cardFileResponse, uuidParam } from '../../../shared/api/index.js';
import { moveBody, moveResponse } from '../../../shared/api/move.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
import { cancelAppointment } from './cancel.service.js';
import { getCardFile } from './cardfile.service.js';
import { releaseAppointment } from './release.service.js';
import { moveAppointment } from './move.service.js';

export function visitsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // Checked before validation: an anonymous caller learns nothing but "sign in".
  const signedIn = async (request: FastifyRequest) => {
    requireSession(request);
  };

  return async (app) => {
    app.post(
      '/appointments/:id/cancel',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'Cancel this account’s portal appointment before the cut-off',
          params: uuidParam,
          response: { 200: appointmentDetail },
        },
      },
      async (request) => cancelAppointment(ctx, requireSession(request), request.params.id),
    );

    app.post(
      '/appointments/:id/move',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary:
            'Move this account’s portal appointment before the cut-off to another time of the same doctor, or of another doctor of the same specialty and organisation',
          params: uuidParam,
          body: moveBody,
          response: { 200: moveResponse },
        },
      },
      async (request) => moveAppointment(ctx, requireSession(request), request.params.id, request.body),
    );

    app.post(
      '/appointments/:id/release',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary:
            '«Не смогу прийти»: after the cut-off, mark this account’s portal appointment and offer its time to the waitlist',
          params: uuidParam,
          response: { 200: appointmentDetail },
        },
      },
      async (request) => releaseAppointment(ctx, requireSession(request), request.params.id),
    );

    app.get(
      '/cardfile',
      {
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'The card file: the account’s people with their visible future and past visits',
          response: { 200: cardFileResponse },
        },
      },
      async (request) => ({ persons: await getCardFile(ctx, requireSession(request)) }),
    );
  };
}
