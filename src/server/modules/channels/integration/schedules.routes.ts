// «Schedules in» over HTTP (/api/integration/v1, issue 17): a clinic system's specialty codes,
// doctors by its own ids, a doctor's slots for a range of dates, template and exceptions. An
// API key of channel `mis` only: the channel is checked before the body is validated (403
// API_CHANNEL_NOT_ALLOWED), the organisation in the service.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  doctorExternalIdParam,
  errorBody,
  exceptionIdParam,
  externalDoctorBody,
  externalDoctorView,
  okBody,
  scheduleExceptionBody,
  scheduleExceptionResponse,
  schedulePreviewResponse,
  scheduleTemplateBody,
  scheduleTemplateResponse,
  slotPushBody,
  slotPushResponse,
  slotRangeQuery,
  specialtyCodeBody,
  specialtyCodeParam,
  specialtyCodeView,
  specialtyCodesResponse,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { callerOf, type ApiKeyHook } from './integration.auth.js';
import {
  addDoctorException,
  getDoctorTemplate,
  getExternalDoctor,
  listSpecialtyCodes,
  previewDoctorTemplate,
  putDoctorSlots,
  putExternalDoctor,
  putSpecialtyCode,
  removeScheduleException,
  requireMis,
  saveDoctorTemplate,
} from './schedules.service.js';

const security = [{ apiKey: [] }];
const tags = ['integration'];
/** Every route: another channel's key is refused (403 API_CHANNEL_NOT_ALLOWED). */
const refused = { 403: errorBody };

export function integrationScheduleRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  const misOnly = async (request: FastifyRequest) => {
    requireMis(callerOf(request));
  };

  return async (app) => {
    app.addHook('onRequest', authenticate);

    app.get(
      '/specialty-codes',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary: 'The region’s specialties and the clinic’s specialty codes mapped to them (channel mis)',
          response: { 200: specialtyCodesResponse, ...refused },
        },
      },
      async (request) => listSpecialtyCodes(ctx, callerOf(request)),
    );

    app.put(
      '/specialty-codes/:code',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Map the clinic’s specialty code to one of the region’s specialties (201 new, 200 again or changed; channel mis)',
          params: specialtyCodeParam,
          body: specialtyCodeBody,
          response: { 200: specialtyCodeView, 201: specialtyCodeView, ...refused },
        },
      },
      async (request, reply) => {
        const { created, code } = await putSpecialtyCode(
          ctx,
          callerOf(request),
          request.params.code,
          request.body.specialtyId,
        );
        return reply.status(created ? 201 : 200).send(code);
      },
    );

    app.get(
      '/doctors/external/:externalId',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary: 'A doctor of the organisation by the clinic system’s id (channel mis)',
          params: doctorExternalIdParam,
          response: { 200: externalDoctorView, ...refused },
        },
      },
      async (request) => getExternalDoctor(ctx, callerOf(request), request.params.externalId),
    );

    app.put(
      '/doctors/external/:externalId',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Register or update a doctor by the clinic system’s id: ФИО, specialty by the mapped code, position, room, active (201 new, 200 otherwise; channel mis)',
          params: doctorExternalIdParam,
          body: externalDoctorBody,
          response: { 200: externalDoctorView, 201: externalDoctorView, 422: errorBody, ...refused },
        },
      },
      async (request, reply) => {
        const { created, doctor } = await putExternalDoctor(
          ctx,
          callerOf(request),
          request.params.externalId,
          request.body,
        );
        return reply.status(created ? 201 : 200).send(doctor);
      },
    );

    app.put(
      '/doctors/external/:externalId/slots',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Put the doctor’s full slot list for local dates from..to (at most 31 days), idempotent by the clinic’s slot ids: new ones created, changed free ones updated, missing free ones removed; a booked or held time it would remove or change refuses the whole list (409 naming each visit; channel mis)',
          params: doctorExternalIdParam,
          querystring: slotRangeQuery,
          body: slotPushBody,
          response: { 200: slotPushResponse, ...refused },
        },
      },
      async (request) =>
        putDoctorSlots(ctx, callerOf(request), request.params.externalId, {
          from: request.query.from,
          to: request.query.to,
          slots: request.body.slots,
        }),
    );

    app.get(
      '/doctors/external/:externalId/schedule-template',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'The doctor’s template, exceptions ahead and booked times outside the template, as on the clinic’s page (channel mis)',
          params: doctorExternalIdParam,
          response: { 200: scheduleTemplateResponse, ...refused },
        },
      },
      async (request) => getDoctorTemplate(ctx, callerOf(request), request.params.externalId),
    );

    app.post(
      '/doctors/external/:externalId/schedule-template/preview',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'What a template would make over the booking horizon and the visits it would conflict with; writes nothing (channel mis)',
          params: doctorExternalIdParam,
          body: scheduleTemplateBody,
          response: { 200: schedulePreviewResponse, ...refused },
        },
      },
      async (request) => previewDoctorTemplate(ctx, callerOf(request), request.params.externalId, request.body),
    );

    app.put(
      '/doctors/external/:externalId/schedule-template',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Save the template and apply it to the horizon at once; booked times it no longer makes are kept and listed; no rules: no template (channel mis)',
          params: doctorExternalIdParam,
          body: scheduleTemplateBody,
          response: { 200: schedulePreviewResponse, ...refused },
        },
      },
      async (request) => saveDoctorTemplate(ctx, callerOf(request), request.params.externalId, request.body),
    );

    app.post(
      '/doctors/external/:externalId/schedule-exceptions',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary:
            'Add a day off, a holiday or other hours for this doctor or the whole organisation, applied at once (channel mis)',
          params: doctorExternalIdParam,
          body: scheduleExceptionBody,
          response: { 201: scheduleExceptionResponse, ...refused },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addDoctorException(ctx, callerOf(request), request.params.externalId, request.body)),
    );

    app.delete(
      '/schedule-exceptions/:exceptionId',
      {
        preValidation: misOnly,
        schema: {
          tags,
          security,
          summary: 'Remove an exception of the organisation; the days follow the templates again at once (channel mis)',
          params: exceptionIdParam,
          response: { 200: okBody, ...refused },
        },
      },
      async (request) => {
        await removeScheduleException(ctx, callerOf(request), request.params.exceptionId);
        return { ok: true as const };
      },
    );
  };
}
