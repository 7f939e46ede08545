// The catalogue on the portal: organisations and specialties. Readable without signing in,
// except the per-person check of specialties. Doctors with their nearest free time are the
// schedule's (schedule.routes.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organisation, specialtiesQuery, specialty } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
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
  };
}
