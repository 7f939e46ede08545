// Doctors and their schedules on the portal: readable without signing in; a signed-in account
// also sees its own appointments and holds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  doctorSummary,
  doctorsQuery,
  intIdParam,
  patientScheduleQuery,
  scheduleResponse,
  type ScheduleResponse,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { acceptsGzip } from '../../content-coding.js';
import { readDoctorSchedule } from './schedule.cache.js';
import { getDoctorSummary, getReferralSchedule, listDoctorSummaries } from './schedule.service.js';

export function scheduleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/doctors',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Doctors with the nearest free time inside the booking horizon',
          querystring: doctorsQuery,
          response: { 200: z.object({ doctors: z.array(doctorSummary) }) },
        },
      },
      async (request) => ({ doctors: await listDoctorSummaries(ctx, request.query) }),
    );

    app.get(
      '/doctors/:id',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'One doctor with the nearest free time',
          params: intIdParam,
          response: { 200: doctorSummary },
        },
      },
      async (request) => getDoctorSummary(ctx, request.params.id),
    );

    app.get(
      '/doctors/:id/schedule',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'A doctor’s schedule: days and slots in the organisation’s local time',
          params: intIdParam,
          querystring: patientScheduleQuery,
          response: {
            200: scheduleResponse,
            304: z.null().describe('Not modified: the page with this entity tag is still current'),
          },
        },
        // The hottest read of the portal: the body comes serialised from the schedule cache
        // (schedule.cache.ts), built from exactly the fields of scheduleResponse with
        // JSON.stringify instead of being re-validated and copied by zod for every request.
        // The schema above still documents it, and a test checks the body against it.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request, reply) => {
        const { personId, ...query } = request.query;
        const json = 'application/json; charset=utf-8';
        // One of the account's people with a referral to this specialty: the times kept for
        // referrals too, rendered for this viewer (SPEC 8a). Without one, the ordinary page.
        const accountId = request.session?.accountId ?? null;
        if (personId && accountId) {
          const withReferral = await getReferralSchedule(ctx, request.params.id, query, accountId, personId);
          if (withReferral)
            return reply
              .header('cache-control', 'no-store')
              .type(json)
              .send(JSON.stringify(withReferral) as unknown as ScheduleResponse);
        }
        const page = await readDoctorSchedule(ctx, request.params.id, query, accountId);
        // The shared page carries an entity tag: a browser revalidates it (no-cache) and gets 304
        // while it is still current; a page with the viewer's own visits carries none. The shared
        // page is kept gzip-compressed (a two-week page: ~40 kB, ~3-4 kB compressed) and sent so
        // to clients that accept it, under its own tag; others get it decompressed.
        if (!page.etag)
          return reply
            .header('cache-control', 'no-store')
            .type(json)
            .send(page.body() as unknown as ScheduleResponse);
        const gzip = acceptsGzip(request.headers['accept-encoding']) ? page.gzip : null;
        const etag = gzip ? `${page.etag.slice(0, -1)}-gz"` : page.etag;
        reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding').header('etag', etag);
        if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
        // A Buffer or string is sent as it is (no serializer); it is a ScheduleResponse in JSON.
        if (gzip) reply.header('content-encoding', 'gzip');
        return reply.type(json).send((gzip ? gzip() : page.body()) as unknown as ScheduleResponse);
      },
    );
  };
}

/** Whether an If-None-Match header (one tag, a list, or `*`) names `etag` (weak comparison). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
