// The registry desk's API (role registrar, scoped to the account's organisation): find a
// patient (by полис, СНИЛС or name — in the body, never the URL), register a new one, see
// their visits here, book for them, cancel, and block or free the doctors' slots.
// Every endpoint checks the role before validation, then the organisation in the service.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  channelVisit,
  deskReferenceResponse,
  intIdParam,
  patientIdParam,
  patientSearchBody,
  patientSearchResponse,
  referenceLookupBody,
  registerPatientBody,
  scheduleQuery,
  scheduleResponse,
  slotIdParam,
  slotStatusResponse,
  staffBookBody,
  staffCancelBody,
  staffDoctorsResponse,
  staffPatient,
  staffPatientResponse,
  uuidParam,
  type StaffPatient,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { requireRole } from '../../session/session.js';
import { bookForPatient, cancelForPatient } from '../channel-booking.service.js';
import {
  blockSlot,
  organisationDoctorSchedule,
  organisationDoctors,
  organisationPatient,
  staffActor,
  unblockSlot,
  type StaffSession,
} from './desk.service.js';
import { findPatients, registerPatient, type PatientMatch } from '../patients.service.js';
import { findVisitByReference } from '../reference.lookup.js';

/** Guard: a signed-in registrar or doctor bound to an organisation. */
export function requireStaffSession(request: FastifyRequest, role: 'registrar' | 'doctor'): StaffSession {
  const session = requireRole(request, role);
  if (session.organisationId === null) throw new AppError('FORBIDDEN');
  return { ...session, role, organisationId: session.organisationId };
}

export function toStaffPatient(m: PatientMatch): StaffPatient {
  return {
    patientId: m.patientId,
    inRegister: m.inRegister,
    lastName: m.lastName,
    firstName: m.firstName,
    middleName: m.middleName,
    birthDate: m.birthDate,
    sex: m.sex,
    snils: m.snils,
    policy: m.policy,
  };
}

/** The core's search query from the validated body. */
function searchQuery(body: z.output<typeof patientSearchBody>) {
  if (body.by === 'policy') return { policy: body.policy };
  if (body.by === 'snils') return { snils: body.snils };
  return {
    lastName: body.lastName,
    firstName: body.firstName,
    ...(body.birthDate ? { birthDate: body.birthDate } : {}),
  };
}

export function deskRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const registrarOnly = async (request: FastifyRequest) => {
    requireStaffSession(request, 'registrar');
  };
  const staff = (request: FastifyRequest) => requireStaffSession(request, 'registrar');
  // Per clerk: a desk searches a few times a minute; a script going through полис numbers is stopped.
  const perClerkLimit = {
    rateLimit: {
      max: ctx.config.rateLimit.bookingPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => request.session?.accountId ?? request.ip,
    },
  };

  return async (app) => {
    app.post(
      '/desk/patients/search',
      {
        preValidation: registrarOnly,
        config: perClerkLimit,
        schema: {
          tags: ['registry desk'],
          summary: 'Find a patient by полис, СНИЛС, or surname and name (+ date of birth); one result per real person',
          body: patientSearchBody,
          response: { 200: patientSearchResponse },
        },
      },
      async (request) => {
        staff(request);
        const found = await findPatients(ctx.db, searchQuery(request.body));
        return { patients: found.map(toStaffPatient) };
      },
    );

    app.post(
      '/desk/appointments/by-reference',
      {
        preValidation: registrarOnly,
        config: perClerkLimit,
        schema: {
          tags: ['registry desk'],
          summary:
            'Find a visit at this organisation by the reference on its талон (scanned from the QR code or typed)',
          description:
            'Accepts «ПР-…», «PR-…», the code alone, and what a scanner types in a Russian keyboard layout. Another organisation’s or an unknown reference: 404 APPOINTMENT_NOT_FOUND.',
          body: referenceLookupBody,
          response: { 200: deskReferenceResponse },
        },
      },
      async (request) => findVisitByReference(ctx.db, staff(request).organisationId, request.body.reference),
    );

    app.post(
      '/desk/patients',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'Register a new patient in the clinic register (PATIENT_EXISTS when the СНИЛС or полис is known)',
          body: registerPatientBody,
          response: { 201: staffPatient },
        },
      },
      async (request, reply) => {
        const s = staff(request);
        const match = await registerPatient(ctx, s.accountId, request.body, s.organisationId);
        return reply.status(201).send(toStaffPatient(match));
      },
    );

    app.get(
      '/desk/patients/:patientId',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'One patient with their visits at this organisation (every source), future first',
          params: patientIdParam,
          response: { 200: staffPatientResponse },
        },
      },
      async (request) => organisationPatient(ctx, staffActor(staff(request)), request.params.patientId),
    );

    app.get(
      '/desk/doctors',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'This organisation and its doctors with their nearest free time',
          response: { 200: staffDoctorsResponse },
        },
      },
      async (request) => organisationDoctors(ctx, staff(request).organisationId),
    );

    app.get(
      '/desk/doctors/:id/schedule',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'A doctor of this organisation: free, busy and blocked times',
          params: intIdParam,
          querystring: scheduleQuery,
          response: { 200: scheduleResponse },
        },
      },
      async (request) =>
        organisationDoctorSchedule(ctx, staff(request).organisationId, request.params.id, request.query),
    );

    app.post(
      '/desk/appointments',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'Book a free time of a doctor of this organisation for the patient (source registry)',
          body: staffBookBody,
          response: { 201: channelVisit },
        },
      },
      async (request, reply) => {
        const visit = await bookForPatient(ctx, staffActor(staff(request)), request.body);
        return reply.status(201).send(visit);
      },
    );

    app.post(
      '/desk/appointments/:id/cancel',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary:
            'Cancel a booked visit at this organisation, at the patient’s request or by the organisation’s decision',
          params: uuidParam,
          body: staffCancelBody,
          response: { 200: channelVisit },
        },
      },
      async (request) =>
        cancelForPatient(ctx, staffActor(staff(request)), { appointmentId: request.params.id, by: request.body.by }),
    );

    app.post(
      '/desk/slots/:slotId/block',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'Block a free time of a doctor of this organisation',
          params: slotIdParam,
          response: { 200: slotStatusResponse },
        },
      },
      async (request) => ({
        slotId: request.params.slotId,
        status: await blockSlot(ctx, staff(request), request.params.slotId),
      }),
    );

    app.post(
      '/desk/slots/:slotId/unblock',
      {
        preValidation: registrarOnly,
        schema: {
          tags: ['registry desk'],
          summary: 'Open a blocked time again (offered to the waitlist first, like any freed time)',
          params: slotIdParam,
          response: { 200: slotStatusResponse },
        },
      },
      async (request) => ({
        slotId: request.params.slotId,
        status: await unblockSlot(ctx, staff(request), request.params.slotId),
      }),
    );
  };
}
