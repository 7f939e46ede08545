// The integration API's reads as HL7 FHIR R4 (/fhir/R4): Schedule (one per doctor), Slot and
// Appointment searches returning searchset Bundles, reads by id, and the CapabilityStatement.
// Same API keys as the JSON API; errors are OperationOutcome resources with a 4xx status.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { plainParameter } from '../../../../shared/text.js';
import { decimalId } from '../../../../shared/ids.js';
import type { AppContext } from '../../../context.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, loggableError } from '../../../db/errors.js';
import { AppError, errorCatalogue } from '../../../errors.js';
import {
  appointmentResource,
  FHIR_CONTENT_TYPE,
  fhirAppointmentStatus,
  fhirSlotStatus,
  operationOutcome,
  parseDateSearch,
  referenceId,
  scheduleResource,
  searchBundle,
  slotResource,
  type FhirResource,
} from './fhir.mapping.js';
import { callerOf, type ApiKeyHook } from './integration.auth.js';
import {
  appointmentOf,
  appointmentsInWindow,
  callerOrganisation,
  organisationDoctors,
  slotOf,
  slotsInWindow,
} from './integration.service.js';

const MAX_DAYS = 31;
const tags = ['fhir'];
const security = [{ apiKey: [] }];
/** A search parameter's text: no control or invisible characters (shared/text.ts). */
// The error handler below names the parameter; the rule's message names what is wrong with its value.
const param = (_name: string) => plainParameter('Значение', 200);
/** A search parameter that may be repeated (start=ge…&start=lt…). */
const repeated = (name: string) => z.union([param(name), z.array(param(name)).max(10)]).optional();
const listOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const idParam = z.object({ id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, 'Неверный идентификатор ресурса') });
/** Schedule and Slot ids are the portal's integer ids: decimal digits only (shared/ids.ts). */
const intIdParam = z.object({ id: decimalId('Неверный идентификатор ресурса') });

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, message);
}

/** The comma-separated values of a token parameter, each one of `allowed`. */
function tokens<T extends string>(value: string | undefined, allowed: readonly T[], param: string): Set<T> | null {
  if (value === undefined || value === '') return null;
  const out = new Set<T>();
  for (const v of value.split(',')) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalid(`Параметр ${param}: допустимые значения ${allowed.join(', ')}`);
    }
    out.add(v as T);
  }
  return out;
}

function optionalReference(value: string | undefined, resourceType: string, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const id = referenceId(value, resourceType);
  if (id === null) throw invalid(`Параметр ${param}: укажите ссылку вида ${resourceType}/<идентификатор>`);
  return id;
}

const send = (reply: FastifyReply, status: number, resource: FhirResource) =>
  reply.status(status).type(FHIR_CONTENT_TYPE).header('cache-control', 'no-store').send(resource);

/**
 * 404 for a path under the FHIR base that no route serves. Also called by the app's root
 * not-found handler: the web app's static wildcard route sees such GETs first.
 */
export function sendFhirNotFound(reply: FastifyReply) {
  return send(
    reply,
    404,
    operationOutcome(
      404,
      'NOT_FOUND',
      'Такого ресурса или операции нет: поддерживаются Schedule, Slot, Appointment и metadata.',
    ),
  );
}

export function fhirRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  const base = `${ctx.config.publicUrl}/fhir/R4`;
  const identifierBase = `${ctx.config.publicUrl}/fhir/R4/identifiers`;
  const selfUrl = (request: FastifyRequest) => `${ctx.config.publicUrl}${request.url}`;

  return async (app) => {
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
      if (err instanceof AppError) return send(reply, err.status, operationOutcome(err.status, err.code, err.message));
      if (hasZodFastifySchemaValidationErrors(err)) {
        const first = err.validation[0];
        const where = first?.instancePath.replace(/^\//, '') || first?.params?.missingProperty || '';
        const message = `${where ? `Параметр ${String(where)}: ` : ''}${first?.message ?? errorCatalogue.VALIDATION_FAILED.message}`;
        return send(reply, 400, operationOutcome(400, 'VALIDATION_FAILED', message));
      }
      if (isDatabaseUnavailable(err)) {
        request.log.warn({ code: 'DATABASE_UNAVAILABLE' }, 'request refused: database unavailable');
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return send(
          reply,
          503,
          operationOutcome(503, 'DATABASE_UNAVAILABLE', errorCatalogue.DATABASE_UNAVAILABLE.message),
        );
      }
      const status = (err as FastifyError).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return send(reply, status, operationOutcome(status, 'BAD_REQUEST', errorCatalogue.BAD_REQUEST.message));
      }
      request.log.error(loggableError(err), 'unhandled error');
      return send(reply, 500, operationOutcome(500, 'INTERNAL', errorCatalogue.INTERNAL.message));
    });
    app.setNotFoundHandler((_request, reply) => sendFhirNotFound(reply));

    // The CapabilityStatement is public (FHIR clients read it before authenticating).
    app.get('/metadata', { schema: { tags, summary: 'FHIR CapabilityStatement' } }, async (_request, reply) =>
      send(reply, 200, {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: '2026-12-01',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['application/fhir+json'],
        implementation: { description: 'Приём: региональный портал медицинских услуг', url: base },
        rest: [
          {
            mode: 'server',
            security: { description: 'API-ключ медицинской организации: Authorization: Bearer <ключ> или X-Api-Key' },
            resource: [
              {
                type: 'Schedule',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: [{ name: 'actor', type: 'reference' }],
              },
              {
                type: 'Slot',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: [
                  { name: 'schedule', type: 'reference' },
                  { name: 'start', type: 'date' },
                  { name: 'status', type: 'token' },
                ],
              },
              {
                type: 'Appointment',
                interaction: [{ code: 'read' }, { code: 'search-type' }],
                searchParam: [
                  { name: 'date', type: 'date' },
                  { name: 'actor', type: 'reference' },
                  { name: 'practitioner', type: 'reference' },
                  { name: 'status', type: 'token' },
                ],
              },
            ],
          },
        ],
      }),
    );

    await app.register(async (plain) => {
      const secured = plain.withTypeProvider<ZodTypeProvider>();
      secured.addHook('onRequest', authenticate);

      secured.get(
        '/Schedule',
        {
          schema: {
            tags,
            security,
            summary: 'Schedules (one per doctor) of the key’s organisation; actor=Practitioner/<doctorId> for one',
            querystring: z.looseObject({ actor: param('actor').optional() }),
          },
        },
        async (request, reply) => {
          const doctorId = optionalReference(request.query.actor, 'Practitioner', 'actor');
          const { doctors } = await organisationDoctors(ctx, callerOf(request), doctorId);
          return send(reply, 200, searchBundle(base, selfUrl(request), doctors.map(scheduleResource)));
        },
      );

      secured.get(
        '/Schedule/:id',
        { schema: { tags, security, summary: 'One doctor’s Schedule', params: intIdParam } },
        async (request, reply) => {
          const { doctors } = await organisationDoctors(ctx, callerOf(request), request.params.id);
          if (doctors.length === 0) throw new AppError('NOT_FOUND', undefined, 'Расписание не найдено.');
          return send(reply, 200, scheduleResource(doctors[0]));
        },
      );

      secured.get(
        '/Slot',
        {
          schema: {
            tags,
            security,
            summary:
              'Slots: schedule=Schedule/<doctorId> (optional), start=ge<date>&start=lt<date> (at most 31 days), status=free|busy|busy-unavailable',
            querystring: z.looseObject({
              schedule: param('schedule').optional(),
              start: repeated('start'),
              status: param('status').optional(),
            }),
          },
        },
        async (request, reply) => {
          const caller = callerOf(request);
          const organisation = await callerOrganisation(ctx, caller);
          const doctorId = optionalReference(request.query.schedule, 'Schedule', 'schedule');
          const range = parseDateSearch(listOf(request.query.start), organisation.timeZone, 'start', MAX_DAYS);
          if (!range.ok) throw invalid(range.message);
          const statuses = tokens(
            request.query.status,
            ['free', 'busy', 'busy-unavailable', 'busy-tentative'] as const,
            'status',
          );
          const { slots } = await slotsInWindow(ctx, caller, { doctorId, from: range.from, to: range.to });
          const now = ctx.now();
          const matching = statuses ? slots.filter((s) => statuses.has(fhirSlotStatus(s, now))) : slots;
          return send(
            reply,
            200,
            searchBundle(
              base,
              selfUrl(request),
              matching.map((s) => slotResource(s, now)),
            ),
          );
        },
      );

      secured.get(
        '/Slot/:id',
        { schema: { tags, security, summary: 'One Slot', params: intIdParam } },
        async (request, reply) => {
          const slot = await slotOf(ctx, callerOf(request), request.params.id);
          return send(reply, 200, slotResource(slot, ctx.now()));
        },
      );

      secured.get(
        '/Appointment',
        {
          schema: {
            tags,
            security,
            summary:
              'Appointments of the organisation: date=ge<date>&date=lt<date> (at most 31 days), actor=Practitioner/<doctorId>, status',
            querystring: z.looseObject({
              date: repeated('date'),
              actor: param('actor').optional(),
              practitioner: param('practitioner').optional(),
              status: param('status').optional(),
            }),
          },
        },
        async (request, reply) => {
          const caller = callerOf(request);
          const organisation = await callerOrganisation(ctx, caller);
          const range = parseDateSearch(listOf(request.query.date), organisation.timeZone, 'date', MAX_DAYS);
          if (!range.ok) throw invalid(range.message);
          const doctorId =
            optionalReference(request.query.actor, 'Practitioner', 'actor') ??
            optionalReference(request.query.practitioner, 'Practitioner', 'practitioner');
          const statuses = tokens(
            request.query.status,
            ['booked', 'fulfilled', 'noshow', 'cancelled'] as const,
            'status',
          );
          const { appointments } = await appointmentsInWindow(ctx, caller, {
            doctorId,
            from: range.from,
            to: range.to,
          });
          const matching = statuses
            ? appointments.filter((a) => statuses.has(fhirAppointmentStatus(a.status)))
            : appointments;
          return send(
            reply,
            200,
            searchBundle(
              base,
              selfUrl(request),
              matching.map((a) => appointmentResource(a, identifierBase)),
            ),
          );
        },
      );

      secured.get(
        '/Appointment/:id',
        { schema: { tags, security, summary: 'One Appointment', params: idParam } },
        async (request, reply) => {
          const caller = callerOf(request);
          const id = request.params.id;
          if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
            throw new AppError('APPOINTMENT_NOT_FOUND');
          const row = await appointmentOf(ctx, caller, id);
          return send(reply, 200, appointmentResource(row, identifierBase));
        },
      );
    });
  };
}
