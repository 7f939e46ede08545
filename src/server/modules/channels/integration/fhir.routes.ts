// The integration API as HL7 FHIR R4 (/fhir/R4): Schedule (one per doctor), Slot and Appointment
// searches (GET [type] and POST [type]/_search, fhir.search.ts) with keyset paging, versioned
// reads by id (ETag, If-None-Match -> 304), the CapabilityStatement, and the plugin-wide HTTP
// rules: application/fhir+json only (406 for XML), 405 with Allow for a method a path does not
// serve, errors as OperationOutcome. Same API keys as the JSON API. The other resources and the
// writes are fhir.resources.routes.ts and fhir.write.routes.ts, registered here.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { parseDecimalId } from '../../../../shared/ids.js';
import type { AppContext } from '../../../context.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, loggableError } from '../../../db/errors.js';
import { AppError, errorCatalogue } from '../../../errors.js';
import {
  addFormParser,
  capabilityResponse,
  intIdParam,
  MethodTable,
  notAcceptable,
  readResponses,
  requireJsonAccepted,
  searchRoute,
  sendFhir,
  sendVersioned,
  specialtyParam,
  uuidIdParam,
} from './fhir.http.js';
import {
  appointmentResource,
  EXTERNAL_APPOINTMENT_ID_SYSTEM,
  FHIR_APPOINTMENT_STATUSES,
  operationOutcome,
  portalAppointmentStatuses,
  scheduleResource,
  slotResource,
  SPECIALTY_SYSTEM,
} from './fhir.mapping.js';
import { fhirResourceRoutes, resourceSearches } from './fhir.resources.routes.js';
import {
  capabilityOf,
  countBundle,
  dateParam,
  type DateBounds,
  defineSearch,
  idParam,
  identifierParam,
  pageOf,
  referenceParam,
  searchsetBundle,
  tokenParam,
} from './fhir.search.js';
import { patientResource } from './fhir.resources.mapping.js';
import { appointmentPage, appointmentPatients, slotPage } from './fhir.service.js';
import { contentVersion, withVersion } from './fhir.version.js';
import { APPOINTMENT_WRITES, fhirWriteRoutes } from './fhir.write.routes.js';
import { callerOf, type ApiKeyHook } from './integration.auth.js';
import { appointmentOf, callerOrganisation, organisationDoctors, slotOf } from './integration.service.js';

/** Slot searches cover at most this many days of schedule (a page is small; the window bounds the count). */
const MAX_SLOT_DAYS = 31;
const tags = ['fhir'];
const security = [{ apiKey: [] }];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidOrNull = (id: string) => (UUID.test(id) ? id : null);

export const scheduleSearch = defineSearch({
  resourceType: 'Schedule',
  keyset: ['number'],
  lastUpdated: false,
  params: {
    _id: idParam('Идентификатор расписания (он же идентификатор врача)', parseDecimalId),
    actor: referenceParam('actor', 'Practitioner', 'Врач: Practitioner/<id>', parseDecimalId),
    active: tokenParam('active', ['true', 'false'] as const, 'Ведёт ли врач приём'),
    specialty: specialtyParam(`Специальность: ${SPECIALTY_SYSTEM}|<код>`),
  },
});

export const slotSearch = defineSearch({
  resourceType: 'Slot',
  keyset: ['string', 'number'],
  lastUpdated: false,
  params: {
    _id: idParam('Идентификатор времени приёма', parseDecimalId),
    schedule: referenceParam('schedule', 'Schedule', 'Расписание врача: Schedule/<id>', parseDecimalId),
    start: dateParam(
      'start',
      `Начало: start=ge<дата>&start=lt<дата>, не длиннее ${MAX_SLOT_DAYS} дней (обязателен, если не указан _id)`,
      { maxDays: MAX_SLOT_DAYS },
    ),
    status: tokenParam(
      'status',
      ['free', 'busy', 'busy-unavailable', 'busy-tentative'] as const,
      'free, busy, busy-unavailable (busy-tentative не бывает: закреплённое время занято)',
      'http://hl7.org/fhir/slotstatus',
    ),
  },
});

export const appointmentSearch = defineSearch({
  resourceType: 'Appointment',
  keyset: ['string', 'string'],
  lastUpdated: true,
  includes: ['Appointment:patient'],
  params: {
    _id: idParam('Идентификатор записи', uuidOrNull),
    identifier: identifierParam(
      'Номер записи (urn:priyom:appointment-reference|<номер>) или идентификатор записи в системе МО (urn:priyom:external-appointment-id|<id>)',
    ),
    patient: referenceParam('patient', 'Patient', 'Пациент: Patient/<id>', uuidOrNull),
    actor: referenceParam('actor', 'Practitioner', 'Врач: Practitioner/<id>', parseDecimalId),
    practitioner: referenceParam('practitioner', 'Practitioner', 'Врач: Practitioner/<id>', parseDecimalId),
    slot: referenceParam('slot', 'Slot', 'Время приёма: Slot/<id>', parseDecimalId),
    date: dateParam('date', 'Начало приёма (ge, gt, le, lt, eq)'),
    status: tokenParam(
      'status',
      FHIR_APPOINTMENT_STATUSES,
      'booked, fulfilled, noshow, cancelled',
      'http://hl7.org/fhir/appointmentstatus',
    ),
  },
});

/** Both lists when both are given (AND), else the one given. */
function bothOf<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (a && b) return a.filter((x) => b.includes(x));
  return a ?? b;
}

/**
 * 404 for a path under the FHIR base that no route serves. Also called by the app's root
 * not-found handler: the web app's static wildcard route sees such GETs first.
 */
export function sendFhirNotFound(reply: FastifyReply) {
  return sendFhir(
    reply,
    404,
    operationOutcome(
      404,
      'NOT_FOUND',
      'Такого ресурса или операции нет: список ресурсов и параметров поиска — в /fhir/R4/metadata.',
    ),
  );
}

export function fhirRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  const base = `${ctx.config.publicUrl}/fhir/R4`;
  const cursorSecret = ctx.config.sessionSecret;
  const methods = new MethodTable();

  /** The zone date parameters are read in: the caller's organisation's. */
  const zoneOf = async (request: FastifyRequest) => ({
    timeZone: (await callerOrganisation(ctx, callerOf(request))).timeZone,
  });

  return async (app) => {
    app.addHook('onRoute', (route) => methods.record(route));
    app.addHook('onRequest', requireJsonAccepted);
    addFormParser(app);

    app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
      if (err instanceof AppError) {
        if (err.status === 405) reply.header('allow', methods.allowed(request.url.split('?')[0]).join(', '));
        return sendFhir(reply, err.status, operationOutcome(err.status, err.code, err.message));
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const first = err.validation[0];
        const where = first?.instancePath.replace(/^\//, '') || first?.params?.missingProperty || '';
        const message = `${where ? `Параметр ${String(where)}: ` : ''}${first?.message ?? errorCatalogue.VALIDATION_FAILED.message}`;
        return sendFhir(reply, 400, operationOutcome(400, 'VALIDATION_FAILED', message));
      }
      if (isDatabaseUnavailable(err)) {
        request.log.warn({ code: 'DATABASE_UNAVAILABLE' }, 'request refused: database unavailable');
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return sendFhir(
          reply,
          503,
          operationOutcome(503, 'DATABASE_UNAVAILABLE', errorCatalogue.DATABASE_UNAVAILABLE.message),
        );
      }
      const status = (err as FastifyError).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return sendFhir(reply, status, operationOutcome(status, 'BAD_REQUEST', errorCatalogue.BAD_REQUEST.message));
      }
      request.log.error(loggableError(err), 'unhandled error');
      return sendFhir(reply, 500, operationOutcome(500, 'INTERNAL', errorCatalogue.INTERNAL.message));
    });
    // A path served for other methods: 405 with Allow; any other path: 404.
    app.setNotFoundHandler((request, reply) => {
      const allowed = methods.allowed(request.url.split('?')[0]);
      if (allowed.length === 0) return sendFhirNotFound(reply);
      reply.header('allow', allowed.join(', '));
      return sendFhir(
        reply,
        405,
        operationOutcome(
          405,
          'METHOD_NOT_ALLOWED',
          `${errorCatalogue.METHOD_NOT_ALLOWED.message} Поддерживаются: ${allowed.join(', ')}.`,
        ),
      );
    });

    // The CapabilityStatement is public (FHIR clients read it before authenticating).
    app.get(
      '/metadata',
      {
        schema: {
          tags,
          summary: 'FHIR CapabilityStatement',
          response: { 200: capabilityResponse, 406: notAcceptable },
        },
      },
      async (_request, reply) =>
        sendFhir(reply, 200, {
          resourceType: 'CapabilityStatement',
          status: 'active',
          date: '2026-12-07',
          kind: 'instance',
          fhirVersion: '4.0.1',
          format: ['application/fhir+json'],
          implementation: { description: 'Приём: региональный портал медицинских услуг', url: base },
          rest: [
            {
              mode: 'server',
              security: { description: 'API-ключ медицинской организации: Authorization: Bearer <ключ> или X-Api-Key' },
              resource: [scheduleSearch, slotSearch, appointmentSearch, ...resourceSearches].map((def) => {
                // Appointment is also written (fhir.write.routes.ts); the other resources are read-only.
                const { interaction: writes, ...writeRest } =
                  def.resourceType === 'Appointment' ? APPOINTMENT_WRITES : { interaction: [] };
                return {
                  type: def.resourceType,
                  versioning: 'versioned',
                  readHistory: false,
                  conditionalRead: 'not-match',
                  interaction: [{ code: 'read' }, { code: 'search-type' }, ...writes],
                  ...writeRest,
                  ...capabilityOf(def),
                };
              }),
            },
          ],
        }),
    );

    await app.register(async (plain) => {
      const secured = plain.withTypeProvider<ZodTypeProvider>();
      secured.addHook('onRequest', authenticate);
      // Writes (Appointment create, $book, status updates with If-Match): fhir.write.routes.ts.
      await secured.register(
        fhirWriteRoutes(ctx, {
          base,
          externalIdSystem: EXTERNAL_APPOINTMENT_ID_SYSTEM,
          appointmentResource,
        }),
      );
      // Organization, Location, Practitioner, PractitionerRole, Patient: fhir.resources.routes.ts.
      await secured.register(fhirResourceRoutes(ctx, { base, cursorSecret }));

      searchRoute(secured, {
        def: scheduleSearch,
        summary: 'Schedules (one per doctor) of the key’s organisation',
        tags,
        security,
        cursorSecret,
        context: zoneOf,
        async run(request, search) {
          const { doctors } = await organisationDoctors(ctx, callerOf(request));
          const v = search.values;
          const ids = bothOf(v._id, v.actor);
          const matching = doctors.filter(
            (d) =>
              (ids === undefined || ids.includes(d.id)) &&
              (v.active === undefined || v.active.has(d.active ? 'true' : 'false')) &&
              (v.specialty === undefined || v.specialty.includes(d.specialtyId)),
          );
          if (search.summary === 'count') return countBundle(base, search, matching.length);
          const { page, next } = pageOf(matching, (d) => [d.id], search.after, search.count);
          return searchsetBundle({
            base,
            search,
            matches: page.map(scheduleResource),
            total: matching.length,
            next,
            cursorSecret,
          });
        },
      });

      secured.get(
        '/Schedule/:id',
        { schema: { tags, security, summary: 'One doctor’s Schedule', params: intIdParam, response: readResponses } },
        async (request, reply) => {
          const { doctors } = await organisationDoctors(ctx, callerOf(request), request.params.id);
          if (doctors.length === 0) throw new AppError('NOT_FOUND', undefined, 'Расписание не найдено.');
          return sendVersioned(request, reply, scheduleResource(doctors[0]));
        },
      );

      searchRoute(secured, {
        def: slotSearch,
        summary: `Slots: start=ge<date>&start=lt<date> (at most ${MAX_SLOT_DAYS} days, unless _id), schedule, status, _count`,
        tags,
        security,
        cursorSecret,
        context: zoneOf,
        async run(request, search) {
          const v = search.values;
          if (v.start === undefined && v._id === undefined) {
            throw new AppError(
              'VALIDATION_FAILED',
              { parameter: 'start' },
              `Параметр start: укажите период вида start=ge2026-11-26&start=lt2026-11-30 (не длиннее ${MAX_SLOT_DAYS} дней) или _id`,
            );
          }
          const result = await slotPage(
            ctx,
            callerOf(request),
            { ids: v._id, doctorIds: v.schedule, start: v.start as DateBounds | undefined, statuses: v.status },
            {
              after: search.after as readonly [string, number] | null,
              count: search.summary === 'count' ? 0 : search.count,
            },
          );
          if (search.summary === 'count') return countBundle(base, search, result.total);
          return searchsetBundle({
            base,
            search,
            matches: result.rows.map((s) => slotResource(s, result.now)),
            total: result.total,
            next: result.next,
            cursorSecret,
          });
        },
      });

      secured.get(
        '/Slot/:id',
        { schema: { tags, security, summary: 'One Slot', params: intIdParam, response: readResponses } },
        async (request, reply) => {
          const slot = await slotOf(ctx, callerOf(request), request.params.id);
          return sendVersioned(request, reply, slotResource(slot, ctx.now()));
        },
      );

      searchRoute(secured, {
        def: appointmentSearch,
        summary:
          'Appointments of the organisation: _id, identifier, patient, actor/practitioner, slot, date, status, _lastUpdated, _count',
        tags,
        security,
        cursorSecret,
        context: zoneOf,
        async run(request, search) {
          const v = search.values;
          const result = await appointmentPage(
            ctx,
            callerOf(request),
            {
              ids: v._id,
              identifiers: v.identifier,
              personIds: v.patient,
              doctorIds: bothOf(v.actor, v.practitioner),
              slotIds: v.slot,
              statuses: v.status ? [...v.status].flatMap(portalAppointmentStatuses) : undefined,
              start: v.date as DateBounds | undefined,
              lastUpdated: search.lastUpdated ?? undefined,
            },
            {
              after: search.after as readonly [string, string] | null,
              count: search.summary === 'count' ? 0 : search.count,
            },
          );
          if (search.summary === 'count') return countBundle(base, search, result.total);
          const patients = search.includes.has('Appointment:patient')
            ? await appointmentPatients(ctx, callerOf(request), result.rows)
            : [];
          return searchsetBundle({
            base,
            search,
            matches: result.rows.map(appointmentResource),
            included: patients.map((p) => {
              const resource = patientResource(p);
              return withVersion(resource, contentVersion(resource));
            }),
            total: result.total,
            next: result.next,
            cursorSecret,
          });
        },
      });

      secured.get(
        '/Appointment/:id',
        { schema: { tags, security, summary: 'One Appointment', params: uuidIdParam, response: readResponses } },
        async (request, reply) => {
          const id = request.params.id;
          if (!UUID.test(id)) throw new AppError('APPOINTMENT_NOT_FOUND');
          const row = await appointmentOf(ctx, callerOf(request), id);
          return sendVersioned(request, reply, appointmentResource(row));
        },
      );
    });
  };
}
