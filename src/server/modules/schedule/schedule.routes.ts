// Schedules on the portal: readable without signing in; a signed-in account also sees
// its own appointments and holds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { intIdParam, scheduleQuery, scheduleResponse, type ScheduleResponse } from '../../../shared/api.js';
import type { AppContext } from '../../context.js';
import { readDoctorSchedule } from './schedule.cache.js';

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
        // The hottest read of the portal: the body comes serialised from the schedule cache
        // (schedule.cache.ts), built from exactly the fields of scheduleResponse with
        // JSON.stringify instead of being re-validated and copied by zod for every request.
        // The schema above still documents it, and a test checks the body against it.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request, reply) => {
        const body = await readDoctorSchedule(ctx, request.params.id, request.query, request.session?.accountId ?? null);
        // A Buffer or string is sent as it is (no serializer); it is a ScheduleResponse in JSON.
        return reply.type('application/json; charset=utf-8').send(body as unknown as ScheduleResponse);
      },
    );
  };
}
