// Booking API: holds and appointments (book, details, calendar file); cancelling and the card
// file are the visits module's (visits.routes.ts). Every endpoint needs a signed-in account
// and touches only its own people.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentDetail,
  bookBody,
  holdBody,
  holdQuery,
  holdResponse,
  okBody,
  slotIdParam,
  uuidParam,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
import { bookAppointment, namingFreeTimes } from './booking.service.js';
import { getHold, placeHold, releaseHold } from './hold.service.js';
import { getAppointmentDetail, getAppointmentIcs } from './appointments.service.js';

/** "priyom-ПР-7K3M92QD.ics" as a Content-Disposition value: ASCII fallback plus the UTF-8 name. */
export function icsDisposition(reference: string): string {
  const name = `priyom-${reference}.ics`;
  const ascii = name.replace('ПР-', 'PR-').replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function bookingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // Checked before validation: an anonymous caller learns nothing but "sign in".
  const signedIn = async (request: FastifyRequest) => {
    requireSession(request);
  };
  // Per account (per address before sign-in): stops scripted slot grabbing.
  const perAccountLimit = {
    rateLimit: {
      max: ctx.config.rateLimit.bookingPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => request.session?.accountId ?? request.ip,
    },
  };

  return async (app) => {
    app.post(
      '/holds',
      {
        preValidation: signedIn,
        config: perAccountLimit,
        schema: {
          tags: ['booking'],
          summary: 'Hold a slot for one of the account’s people while they check the details',
          body: holdBody,
          response: { 200: holdResponse },
        },
      },
      async (request) =>
        namingFreeTimes(ctx, request.body.slotId, () => placeHold(ctx, requireSession(request), request.body)),
    );

    app.get(
      '/holds/:slotId',
      {
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'This account’s live hold on a slot for a person (the check page)',
          params: slotIdParam,
          querystring: holdQuery,
          response: { 200: holdResponse },
        },
      },
      async (request) => getHold(ctx, requireSession(request), request.params.slotId, request.query.personId),
    );

    app.delete(
      '/holds/:slotId',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'Release this account’s hold on a slot',
          description:
            '404 NO_SUCH_HOLD when this account holds no such slot (another account’s hold included); nothing changes then.',
          params: slotIdParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        await releaseHold(ctx, requireSession(request), request.params.slotId);
        return { ok: true as const };
      },
    );

    app.post(
      '/appointments',
      {
        preValidation: signedIn,
        config: perAccountLimit,
        schema: {
          tags: ['booking'],
          summary: 'Book a held (or free) slot for one of the account’s people',
          body: bookBody,
          response: { 201: appointmentDetail },
        },
      },
      async (request, reply) => {
        const detail = await bookAppointment(ctx, requireSession(request), request.body);
        return reply.status(201).send(detail);
      },
    );

    app.get(
      '/appointments/:id',
      {
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'One appointment with everything the done page shows',
          params: uuidParam,
          response: { 200: appointmentDetail },
        },
      },
      async (request) => getAppointmentDetail(ctx, requireSession(request), request.params.id),
    );

    app.get(
      '/appointments/:id/ics',
      {
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary: 'The appointment as an iCalendar file (text/calendar)',
          produces: ['text/calendar'],
          params: uuidParam,
          response: { 200: z.string().describe('text/calendar; charset=utf-8') },
        },
      },
      async (request, reply) => {
        const { reference, body } = await getAppointmentIcs(ctx, requireSession(request), request.params.id);
        return reply
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', icsDisposition(reference))
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );
  };
}
