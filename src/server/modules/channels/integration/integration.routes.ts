// The integration API's JSON routes (/api/integration/v1): doctors, slots, the appointment
// change feed, pushing appointments and changing their status. Every route needs an API key
// (integration.auth.ts); the key's organisation bounds everything it can see or change.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  integrationAppointment,
  integrationAppointmentsQuery,
  integrationAppointmentsResponse,
  integrationDoctorsResponse,
  integrationExternalIdParam,
  integrationIdParam,
  integrationPushBody,
  integrationSlotsQuery,
  integrationSlotsResponse,
  integrationStatusBody,
} from '../../../../shared/api/index.js';
import { localDateTimeOf } from '../../../../shared/time.js';
import type { AppContext } from '../../../context.js';
import { callerOf, type ApiKeyHook } from './integration.auth.js';
import { externalSlotStatus } from './integration.rules.js';
import {
  appointmentChanges,
  callerOrganisation,
  getAppointment,
  localDaysWindow,
  organisationDoctors,
  pushAppointment,
  slotsInWindow,
  updateAppointmentStatus,
} from './integration.service.js';

const security = [{ apiKey: [] }];
const tags = ['integration'];

export function integrationRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', authenticate);

    app.get(
      '/doctors',
      {
        schema: {
          tags,
          security,
          summary: 'Doctors of the key’s organisation',
          response: { 200: integrationDoctorsResponse },
        },
      },
      async (request) => {
        const { organisation, doctors } = await organisationDoctors(ctx, callerOf(request));
        return {
          organisation,
          doctors: doctors.map((d) => ({
            id: d.id,
            name: [d.lastName, d.firstName, d.middleName].filter(Boolean).join(' '),
            specialty: d.specialty,
            room: d.room,
            active: d.active,
          })),
        };
      },
    );

    app.get(
      '/slots',
      {
        schema: {
          tags,
          security,
          summary:
            'Slots of a doctor or of every doctor of the organisation, local dates from..to (at most 31 days): free, busy or blocked, never who',
          querystring: integrationSlotsQuery,
          response: { 200: integrationSlotsResponse },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const organisation = await callerOrganisation(ctx, caller);
        const window = localDaysWindow(request.query.from, request.query.to, organisation.timeZone);
        const { slots } = await slotsInWindow(ctx, caller, { doctorId: request.query.doctorId, ...window });
        const now = ctx.now();
        return {
          timeZone: organisation.timeZone,
          slots: slots.map((s) => ({
            id: s.id,
            doctorId: s.doctorId,
            startAt: s.startAt.toISOString(),
            endAt: s.endAt.toISOString(),
            localStart: localDateTimeOf(s.startAt, organisation.timeZone),
            status: externalSlotStatus(s, now),
          })),
        };
      },
    );

    app.get(
      '/appointments',
      {
        schema: {
          tags,
          security,
          summary:
            'The organisation’s appointments (portal and other channels) made or changed after the cursor, oldest change first',
          querystring: integrationAppointmentsQuery,
          response: { 200: integrationAppointmentsResponse },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return appointmentChanges(ctx, callerOf(request), request.query);
      },
    );

    app.get(
      '/appointments/:id',
      {
        schema: {
          tags,
          security,
          summary: 'One appointment by the portal’s id',
          params: integrationIdParam,
          response: { 200: integrationAppointment },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return getAppointment(ctx, callerOf(request), { id: request.params.id });
      },
    );

    app.get(
      '/appointments/external/:externalId',
      {
        schema: {
          tags,
          security,
          summary: 'One appointment by the clinic system’s id (externalId)',
          params: integrationExternalIdParam,
          response: { 200: integrationAppointment },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return getAppointment(ctx, callerOf(request), { externalId: request.params.externalId });
      },
    );

    app.post(
      '/appointments',
      {
        schema: {
          tags,
          security,
          summary:
            'Push an appointment made in the clinic’s system (201; the same externalId again: 200 with the same appointment)',
          body: integrationPushBody,
          response: { 200: integrationAppointment, 201: integrationAppointment },
        },
      },
      async (request, reply) => {
        const { created, appointment } = await pushAppointment(ctx, callerOf(request), request.body);
        return reply.status(created ? 201 : 200).send(appointment);
      },
    );

    const statusSchema = {
      tags,
      security,
      body: integrationStatusBody,
      response: { 200: integrationAppointment },
    };

    app.post(
      '/appointments/:id/status',
      {
        schema: {
          ...statusSchema,
          summary:
            'Record visited / no_show, or cancel (by the clinic unless cancelledBy is patient), by the portal’s id',
          params: integrationIdParam,
        },
      },
      async (request) => updateAppointmentStatus(ctx, callerOf(request), { id: request.params.id }, request.body),
    );

    app.post(
      '/appointments/external/:externalId/status',
      {
        schema: {
          ...statusSchema,
          summary: 'The same, by the clinic system’s id (externalId)',
          params: integrationExternalIdParam,
        },
      },
      async (request) =>
        updateAppointmentStatus(ctx, callerOf(request), { externalId: request.params.externalId }, request.body),
    );
  };
}
