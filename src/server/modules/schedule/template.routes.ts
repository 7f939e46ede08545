// The clinic's schedule editor over HTTP (issue 16): a doctor's template with its preview,
// and exceptions for the doctor or the whole organisation. For the clinic administrator and
// the registrar of the doctor's organisation; the role is checked before validation, the
// organisation in the service.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { intIdParam, okBody } from '../../../shared/api/index.js';
import {
  exceptionIdParam,
  scheduleDoctorsResponse,
  scheduleExceptionBody,
  scheduleExceptionResponse,
  schedulePreviewResponse,
  scheduleTemplateBody,
  scheduleTemplateResponse,
} from '../../../shared/api/schedule-admin.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { requireRole } from '../session/session.js';
import type { FreeTimePublished } from './schedule.service.js';
import {
  addException,
  getTemplateEditor,
  listScheduleDoctors,
  previewTemplate,
  removeException,
  saveTemplate,
  type ScheduleStaff,
} from './template.service.js';

/** Guard: a signed-in clinic administrator or registrar bound to an organisation. */
export function requireScheduleStaff(request: FastifyRequest): ScheduleStaff {
  const session = requireRole(request, 'clinic_admin', 'registrar');
  if (session.organisationId === null) throw new AppError('FORBIDDEN');
  return { accountId: session.accountId, organisationId: session.organisationId };
}

/** `published`: what follows a change that publishes free time (the app passes the waitlist's sweep). */
export function scheduleTemplateRoutes(ctx: AppContext, published: FreeTimePublished): FastifyPluginAsyncZod {
  const guard = async (request: FastifyRequest) => {
    requireScheduleStaff(request);
  };
  const tags = ['clinic schedules'];

  return async (app) => {
    app.get(
      '/clinic/schedule-doctors',
      {
        preValidation: guard,
        schema: {
          tags,
          summary: 'The organisation’s active doctors, with whether each has a template',
          response: { 200: scheduleDoctorsResponse },
        },
      },
      async (request) => listScheduleDoctors(ctx, requireScheduleStaff(request)),
    );

    app.get(
      '/clinic/doctors/:id/schedule-template',
      {
        preValidation: guard,
        schema: {
          tags,
          summary: 'A doctor’s template, exceptions ahead and booked times outside the template',
          params: intIdParam,
          response: { 200: scheduleTemplateResponse },
        },
      },
      async (request) => getTemplateEditor(ctx, requireScheduleStaff(request), request.params.id),
    );

    app.post(
      '/clinic/doctors/:id/schedule-template/preview',
      {
        preValidation: guard,
        schema: {
          tags,
          summary:
            'What a template would make over the booking horizon and the visits it would conflict with (writes nothing)',
          params: intIdParam,
          body: scheduleTemplateBody,
          response: { 200: schedulePreviewResponse },
        },
      },
      async (request) => previewTemplate(ctx, requireScheduleStaff(request), request.params.id, request.body),
    );

    app.put(
      '/clinic/doctors/:id/schedule-template',
      {
        preValidation: guard,
        schema: {
          tags,
          summary:
            'Save the template and apply it to the horizon at once; booked times it no longer makes are kept and listed',
          params: intIdParam,
          body: scheduleTemplateBody,
          response: { 200: schedulePreviewResponse },
        },
      },
      async (request) => saveTemplate(ctx, requireScheduleStaff(request), request.params.id, request.body, published),
    );

    app.post(
      '/clinic/doctors/:id/schedule-exceptions',
      {
        preValidation: guard,
        schema: {
          tags,
          summary: 'Add a day off, a holiday or other hours for this doctor or the whole organisation, applied at once',
          params: intIdParam,
          body: scheduleExceptionBody,
          response: { 201: scheduleExceptionResponse },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addException(ctx, requireScheduleStaff(request), request.params.id, request.body, published)),
    );

    app.delete(
      '/clinic/schedule-exceptions/:exceptionId',
      {
        preValidation: guard,
        schema: {
          tags,
          summary: 'Remove an exception; the days follow the templates again at once',
          params: exceptionIdParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        await removeException(ctx, requireScheduleStaff(request), request.params.exceptionId, published);
        return { ok: true as const };
      },
    );
  };
}
