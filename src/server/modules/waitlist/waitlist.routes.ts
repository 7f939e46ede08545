// Waitlist API: join and leave the line, see an offer, confirm or decline it. Every endpoint
// needs a signed-in account and touches only its own people, entries and offers; anyone
// else's is "not found".
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  appointmentDetail,
  declineResponse,
  joinWaitlistBody,
  okBody,
  uuidParam,
  waitlistEntry,
  waitlistOffer,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
import { confirmOffer, declineOffer, getOffer } from './offers.service.js';
import { joinWaitlist, leaveWaitlist } from './waitlist.service.js';

export function waitlistRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // Checked before validation: an anonymous caller learns nothing but "sign in".
  const signedIn = async (request: FastifyRequest) => {
    requireSession(request);
  };

  return async (app) => {
    app.post(
      '/waitlist',
      {
        onRequest: app.rateLimits.waitlistJoin,
        preValidation: signedIn,
        schema: {
          tags: ['waitlist'],
          summary: 'Join the waitlist for a doctor, or for any doctor of the doctor’s specialty in the organisation',
          body: joinWaitlistBody,
          response: { 201: waitlistEntry },
        },
      },
      async (request, reply) => {
        const entry = await joinWaitlist(ctx, requireSession(request), request.body);
        return reply.status(201).send(entry);
      },
    );

    app.post(
      '/waitlist/:id/leave',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['waitlist'],
          summary: 'Leave the waitlist; a pending offer is withdrawn and its time goes on to the next in line',
          params: uuidParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        await leaveWaitlist(ctx, requireSession(request), request.params.id);
        return { ok: true as const };
      },
    );

    app.get(
      '/offers/:id',
      {
        preValidation: signedIn,
        schema: {
          tags: ['waitlist'],
          summary: 'An offered time (the page the notification links to)',
          params: uuidParam,
          response: { 200: waitlistOffer },
        },
      },
      async (request) => getOffer(ctx, requireSession(request), request.params.id),
    );

    app.post(
      '/offers/:id/confirm',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['waitlist'],
          summary: 'Confirm an offered time: the appointment is created and the waitlist entry fulfilled',
          params: uuidParam,
          response: { 201: appointmentDetail },
        },
      },
      async (request, reply) => {
        const detail = await confirmOffer(ctx, requireSession(request), request.params.id);
        return reply.status(201).send(detail);
      },
    );

    app.post(
      '/offers/:id/decline',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['waitlist'],
          summary: 'Decline an offered time: back to the original place in line, or out after the last allowed offer',
          params: uuidParam,
          response: { 200: declineResponse },
        },
      },
      async (request) => declineOffer(ctx, requireSession(request), request.params.id),
    );
  };
}
