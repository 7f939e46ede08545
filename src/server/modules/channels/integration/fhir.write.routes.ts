// The FHIR R4 writes under /fhir/R4 (issue 17): Appointment create, `$book` (Medplum's and
// the Argonaut scheduling guide's input shapes), and status updates by PUT or JSON Patch with
// If-Match. Registered inside the FHIR plugin (fhir.routes.ts), after its API-key hook, so the
// key, the rate limit and the OperationOutcome error handler are the same as for the reads.
// Refusals keep their codes; a business rule the catalogue answers 409 is 422 here
// (fhir.write.rules.ts fhirWriteStatus), everything else goes to the FHIR error handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { uuidIdParam } from './fhir.http.js';
import { FHIR_CONTENT_TYPE, fhirAppointmentStatus, operationOutcome, type FhirResource } from './fhir.mapping.js';
import { appointmentVersion, etagOf, ifMatchVersion, withVersion } from './fhir.version.js';
import {
  bookingFromAppointment,
  bookingFromBookInput,
  fhirWriteStatus,
  statusFromJsonPatch,
  statusFromPut,
  type Parsed,
} from './fhir.write.rules.js';
import { createAppointment, updateStatus } from './fhir.write.service.js';
import { callerOf } from './integration.auth.js';
import type { AppointmentInfo } from './integration.repository.js';

const tags = ['fhir'];
const security = [{ apiKey: [] }];
const JSON_PATCH = 'application/json-patch+json';
const resourceBody = z.record(z.string(), z.unknown()).describe('FHIR resource (application/fhir+json)');

/**
 * What the CapabilityStatement says of the writes on Appointment: create, update and patch (the
 * status only, with If-Match), and `$book` (the Argonaut scheduling guide's operation; Medplum's
 * parameter names are read too).
 */
export const APPOINTMENT_WRITES = {
  interaction: [
    {
      code: 'create',
      documentation: 'Запись на время (Slot) пациента; identifier — идентификатор записи в системе МО.',
    },
    { code: 'update', documentation: 'Только статус: cancelled, noshow, fulfilled, arrived; нужен If-Match.' },
    { code: 'patch', documentation: 'JSON Patch статуса; нужен If-Match.' },
  ],
  updateCreate: false,
  conditionalUpdate: false,
  operation: [
    {
      name: 'book',
      definition: 'http://fhir.org/guides/argonaut/scheduling/OperationDefinition/appointment-book',
      documentation:
        'Parameters: slot + patient-reference или patient-resource (как в Medplum), либо appt-resource + patient-resource (Argonaut).',
    },
  ],
} as const;

export interface FhirWriteOptions {
  /** The FHIR base URL (…/fhir/R4). */
  base: string;
  /** The identifier system of a clinic system's own appointment id (Appointment.identifier). */
  externalIdSystem: string;
  /** The Appointment as the reads show it (with meta.versionId). */
  appointmentResource(a: AppointmentInfo): FhirResource;
}

/**
 * `Prefer: return=OperationOutcome` asks for an outcome instead of the resource; anything else
 * (representation, the default) gets the resource. `return=minimal` is not honoured: the
 * contract of these operations always has a body, and a client that prefers none may ignore it.
 */
export function prefersOutcome(prefer: string | string[] | undefined): boolean {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  return text
    .split(/[,;]/)
    .map((part) => part.replace(/\s|"/g, ''))
    .includes('return=OperationOutcome');
}

const anyResource = z.looseObject({ resourceType: z.string() });
const outcome = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(z.looseObject({ severity: z.string(), code: z.string() })).min(1),
});
const fhirJson = (description: string, schema: z.ZodType = anyResource) => ({
  description,
  content: { 'application/fhir+json': { schema } },
});
const refusal = (description: string) => fhirJson(description, outcome);
/** The answers of a create or $book (the rest — 400, 401, 429 — the OpenAPI document adds centrally). */
const createResponses = {
  200: fhirJson('The clinic system’s id (identifier) was booked before: the same appointment'),
  201: fhirJson('Booked: the Appointment (Location and ETag headers)'),
  404: refusal('SLOT_NOT_FOUND, PATIENT_NOT_FOUND, DOCTOR_NOT_FOUND: not this organisation’s'),
  409: refusal('SLOT_TAKEN, EXTERNAL_ID_CONFLICT, PATIENT_IDENTITY_MISMATCH'),
  422: refusal('A booking rule: SLOT_IN_PAST, SLOT_BLOCKED, AGE_RESTRICTED, OVERLAPPING_APPOINTMENT, …'),
};
/** The answers of a status update. */
const updateResponses = {
  200: fhirJson('The Appointment after the change (ETag: its new version)'),
  404: refusal('APPOINTMENT_NOT_FOUND'),
  412: refusal('FHIR_VERSION_CONFLICT: If-Match is not the current version'),
  422: refusal('FHIR_CHANGE_NOT_SUPPORTED, ALREADY_CANCELLED, VISIT_IN_PAST, VISIT_NOT_FINISHED'),
  428: refusal('FHIR_IF_MATCH_REQUIRED'),
};

function invalidResource(message: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, message);
}

function parsedOrThrow<T>(
  parsed: Parsed<T> | { ok: false; code: 'FHIR_CHANGE_NOT_SUPPORTED' | 'FHIR_VERSION_CONFLICT' },
): T {
  if (parsed.ok) return parsed.value;
  if ('code' in parsed) throw new AppError(parsed.code);
  throw invalidResource(parsed.message);
}

export function fhirWriteRoutes(ctx: AppContext, opts: FhirWriteOptions): FastifyPluginAsyncZod {
  const { base } = opts;

  /** The appointment after a write: status, ETag, Location (create), and the body the client preferred. */
  function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    appointment: AppointmentInfo,
    body: (resource: FhirResource) => FhirResource,
    message: string,
  ) {
    const version = appointmentVersion(appointment.changedUs);
    const resource = withVersion(opts.appointmentResource(appointment), version);
    reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('etag', etagOf(version.versionId))
      .header('last-modified', new Date(Number(BigInt(appointment.changedUs) / 1000n)).toUTCString());
    if (status === 201) reply.header('location', `${base}/Appointment/${appointment.id}`);
    reply.type(FHIR_CONTENT_TYPE);
    if (prefersOutcome(request.headers.prefer)) {
      return reply.send({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'information', code: 'informational', diagnostics: message }],
      });
    }
    return reply.send(body(resource));
  }

  return async (app) => {
    // FHIR clients send application/fhir+json; PATCH sends JSON Patch. Both are JSON.
    for (const type of ['application/fhir+json', JSON_PATCH]) {
      if (!app.hasContentTypeParser(type)) {
        app.addContentTypeParser(type, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
      }
    }

    // A refusal keeps its code; a booking rule's 409 becomes FHIR's 422 (a conflict stays 409).
    // Anything else is the FHIR plugin's error handler's (validation, database, internal).
    app.setErrorHandler((err, _request, reply) => {
      if (!(err instanceof AppError)) throw err;
      const status = fhirWriteStatus(err.code, err.status);
      const outcome = operationOutcome(status, err.code, err.message);
      const issue = (outcome.issue as Record<string, unknown>[])[0];
      if (status === 412 || err.code === 'SLOT_TAKEN') issue.code = 'conflict';
      if (status === 422) issue.code = 'business-rule';
      if (status === 428) issue.code = 'required';
      return reply.status(status).type(FHIR_CONTENT_TYPE).header('cache-control', 'no-store').send(outcome);
    });

    app.post(
      '/Appointment',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirAppointmentCreate',
          summary: 'Create a booked Appointment for a Slot and a Patient (through the integration push)',
          description:
            'One slot (`slot: [{reference: "Slot/<id>"}]`, or `start` with a Practitioner participant) and one patient: a contained Patient (`#<id>`: name, gender, birthDate, СНИЛС and полис ОМС identifiers) or `Patient/<id>` of a patient with a visit at the organisation. `identifier` with the external-id system makes a retry return the same appointment (200). A `mis` key names the channel in the extension `urn:priyom:fhir:appointment-source`. 201 with Location and ETag; `Prefer: return=OperationOutcome` for an outcome instead of the resource. 409 slot taken, 422 a booking rule.',
          body: resourceBody,
          response: createResponses,
        },
      },
      async (request, reply) => {
        const booking = parsedOrThrow(bookingFromAppointment(request.body, opts.externalIdSystem));
        const { created, appointment } = await createAppointment(ctx, callerOf(request), booking);
        return answer(request, reply, created ? 201 : 200, appointment, (r) => r, 'Запись создана.');
      },
    );

    app.post(
      '/Appointment/$book',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirAppointmentBook',
          summary: '$book: a Parameters resource (slot + patient-reference, or appt-resource + patient-resource)',
          description:
            "Medplum's shape: `slot` (one Slot resource: its `id`, or `schedule` and `start`) and `patient-reference` (Patient/<id>) or `patient-resource` (a Patient with its identity). The Argonaut scheduling guide's: `appt-resource` (an Appointment as for create) and `patient-resource`. Optional `identifier` (valueIdentifier) and `source` (valueCode). Answers Parameters with `return`: a Bundle of the Appointment and its Slot.",
          body: resourceBody,
          response: createResponses,
        },
      },
      async (request, reply) => {
        const booking = parsedOrThrow(bookingFromBookInput(request.body, opts.externalIdSystem));
        const { created, appointment } = await createAppointment(ctx, callerOf(request), booking);
        const slotReference = `Slot/${appointment.slotId}`;
        return answer(
          request,
          reply,
          created ? 201 : 200,
          appointment,
          (resource) => ({
            resourceType: 'Parameters',
            parameter: [
              {
                name: 'return',
                resource: {
                  resourceType: 'Bundle',
                  type: 'collection',
                  entry: [
                    { fullUrl: `${base}/Appointment/${appointment.id}`, resource },
                    {
                      fullUrl: `${base}/${slotReference}`,
                      resource: {
                        resourceType: 'Slot',
                        id: String(appointment.slotId),
                        schedule: { reference: `Schedule/${appointment.doctor.id}` },
                        status: 'busy',
                        start: appointment.startAt.toISOString(),
                        end: appointment.endAt.toISOString(),
                      },
                    },
                  ],
                },
              },
            ],
          }),
          'Запись создана.',
        );
      },
    );

    app.put(
      '/Appointment/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirAppointmentUpdate',
          summary: 'Change an Appointment’s status (cancelled, noshow, fulfilled, arrived) with If-Match',
          description:
            'The Appointment as read, with a new `status` (and for cancelled a `cancelationReason` of HL7\'s appointment-cancellation-reason: `pat` the patient asked, else the clinic cancelled). Needs `If-Match: W/"<versionId>"`: missing 428, stale 412. The same rules as POST /api/integration/v1/appointments/:id/status; another slot, start or end is 422.',
          params: uuidIdParam,
          body: resourceBody,
          response: updateResponses,
        },
      },
      async (request, reply) => {
        const { changed, appointment } = await updateStatus(
          ctx,
          callerOf(request),
          request.params.id,
          ifMatchVersion(request.headers['if-match']),
          (current) =>
            parsedOrThrow(
              statusFromPut(request.body, current.id, {
                start: current.startAt.toISOString(),
                end: current.endAt.toISOString(),
                slotReference: `Slot/${current.slotId}`,
              }),
            ),
        );
        return answer(request, reply, 200, appointment, (r) => r, changed ? 'Статус изменён.' : 'Без изменений.');
      },
    );

    app.patch(
      '/Appointment/:id',
      {
        schema: {
          tags,
          security,
          operationId: 'fhirAppointmentPatch',
          summary: 'Change an Appointment’s status by JSON Patch (application/json-patch+json) with If-Match',
          description:
            'Operations `replace`/`add` of `/status` and `/cancelationReason`, `test` of `/status`. Needs `If-Match: W/"<versionId>"`: missing 428, stale 412.',
          params: uuidIdParam,
          body: z.array(z.unknown()).describe('JSON Patch (RFC 6902)'),
          response: updateResponses,
        },
      },
      async (request, reply) => {
        const type = String(request.headers['content-type'] ?? '');
        if (!type.startsWith(JSON_PATCH)) {
          throw invalidResource('PATCH: поддерживается JSON Patch, Content-Type: application/json-patch+json.');
        }
        const { changed, appointment } = await updateStatus(
          ctx,
          callerOf(request),
          request.params.id,
          ifMatchVersion(request.headers['if-match']),
          (current) => parsedOrThrow(statusFromJsonPatch(request.body, fhirAppointmentStatus(current.status))),
        );
        return answer(request, reply, 200, appointment, (r) => r, changed ? 'Статус изменён.' : 'Без изменений.');
      },
    );
  };
}
