// Schedules on the portal: readable without signing in; a signed-in account also sees
// its own appointments and holds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { intIdParam, scheduleQuery, scheduleResponse } from '../../../shared/api.js';
import type { AppContext } from '../../context.js';
import { getDoctorSchedule } from './schedule.service.js';

export function scheduleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/doctors/:id/schedule',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'A doctor’s schedule: days and slots in the organisation’s local time',
          params: intIdParam,
          querystring: scheduleQuery,
          response: { 200: scheduleResponse },
        },
        // The hottest read of the portal: the service builds exactly the fields of
        // scheduleResponse (see schedule.service.ts), so the response is written with plain
        // JSON.stringify instead of being re-validated and copied by zod for every request.
        // The schema above still documents it, and a test checks the body against it.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request) =>
        getDoctorSchedule(ctx, request.params.id, request.query, request.session?.accountId ?? null),
    );
  };
}
