// The catalogue on the portal: organisations, specialties, doctors. Readable without
// signing in, except the per-person check of specialties.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  doctorSummary,
  doctorsQuery,
  intIdParam,
  organisation,
  specialtiesQuery,
  specialty,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../identity/session.js';
import { getDoctorSummary, listDoctorSummaries } from '../schedule/schedule.service.js';
import { scheduleRoutes } from '../schedule/schedule.routes.js';
import { listOrganisations, listSpecialties } from './catalogue.service.js';

export function catalogueRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/organisations',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Medical organisations',
          response: { 200: z.object({ organisations: z.array(organisation) }) },
        },
      },
      async () => ({ organisations: await listOrganisations(ctx) }),
    );

    app.get(
      '/specialties',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Specialties that have doctors; with personId, whether that person may book each',
          querystring: specialtiesQuery,
          response: { 200: z.object({ specialties: z.array(specialty) }) },
        },
      },
      async (request) => {
        const personId = request.query.personId;
        const viewer = personId ? { accountId: requireSession(request).accountId, personId } : null;
        return { specialties: await listSpecialties(ctx, viewer) };
      },
    );

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

    await app.register(scheduleRoutes(ctx));
  };
}
