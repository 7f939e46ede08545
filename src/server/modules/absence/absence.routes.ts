// HTTP for a doctor's absence. The desk (/api/desk/..., the registrar or clinic administrator
// of the doctor's organisation): close a doctor's days, list and open absences, reopen, decide
// the affected visits one by one or all at once. The patient (/api/moves/...): see, confirm or
// decline a move offered to their own portal booking. Anyone: the doctor's public notice.
// Roles are checked before validation; the organisation in the service.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  absenceDetail as absenceDetailSchema,
  absenceListResponse,
  absenceParams,
  absenceVisitParams,
  bulkDecisionBody,
  bulkDecisionResponse,
  closeDaysBody,
  doctorAbsenceNotices,
  moveList,
  moveOffer,
  visitDecisionBody,
} from '../../../shared/api/absence.js';
import {
  appointmentDetail,
  intIdParam,
  scheduleQuery,
  scheduleResponse,
  staffDoctorsResponse,
  uuidParam,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { organisationDoctors, organisationDoctorSchedule } from '../channels/desk/desk.service.js';
import { requireRole, requireSession, type AccountRole } from '../session/session.js';
import {
  absenceDetail,
  closeDays,
  doctorNotices,
  listOrganisationAbsences,
  reopenAbsence,
  type AbsenceStaff,
} from './absence.service.js';
import { confirmMove, decideAll, decideVisit, declineMove, getMove, pendingMoves } from './decisions.service.js';

/** Who closes a doctor's days: the organisation's registry desk and its clinic administrator. */
export const ABSENCE_ROLES: AccountRole[] = ['registrar', 'clinic_admin'];

function requireAbsenceStaff(request: FastifyRequest): AbsenceStaff {
  const s = requireRole(request, ...ABSENCE_ROLES);
  if (s.organisationId === null) throw new AppError('FORBIDDEN');
  return { accountId: s.accountId, organisationId: s.organisationId };
}

export function absenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const staffOnly = async (request: FastifyRequest) => {
    requireAbsenceStaff(request);
  };
  const signedIn = async (request: FastifyRequest) => {
    requireSession(request);
  };
  const tags = ['doctor absence'];

  return async (app) => {
    app.post(
      '/desk/doctors/:id/absences',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'Close a doctor’s days (болезнь, отпуск, учёба, другое): free time blocked, affected visits listed',
          params: intIdParam,
          body: closeDaysBody,
          response: { 201: absenceDetailSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await closeDays(ctx, requireAbsenceStaff(request), request.params.id, request.body)),
    );

    app.get(
      '/desk/absences',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'Active and recent absences of this organisation’s doctors',
          response: { 200: absenceListResponse },
        },
      },
      async (request) => listOrganisationAbsences(ctx, requireAbsenceStaff(request)),
    );

    // The organisation's doctors and a doctor's schedule, as the desk's own pages read them,
    // for the clinic administrator too (the form and the move's choice of a time).
    app.get(
      '/desk/absences/doctors',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'This organisation’s doctors, to close days of and to move visits to',
          response: { 200: staffDoctorsResponse },
        },
      },
      async (request) => organisationDoctors(ctx, requireAbsenceStaff(request).organisationId),
    );

    app.get(
      '/desk/absences/doctors/:id/schedule',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'A doctor of this organisation: free, busy and blocked times',
          params: intIdParam,
          querystring: scheduleQuery,
          response: { 200: scheduleResponse },
        },
      },
      async (request) =>
        organisationDoctorSchedule(ctx, requireAbsenceStaff(request).organisationId, request.params.id, request.query),
    );

    app.get(
      '/desk/absences/:absenceId',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'One absence with every affected visit, the patient and contact, and what was decided',
          params: absenceParams,
          response: { 200: absenceDetailSchema },
        },
      },
      async (request) => absenceDetail(ctx, requireAbsenceStaff(request), request.params.absenceId),
    );

    app.post(
      '/desk/absences/:absenceId/cancel',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary: 'Reopen: the doctor receives after all; the closed time is freed (waitlist first)',
          params: absenceParams,
          response: { 200: absenceDetailSchema },
        },
      },
      async (request) => reopenAbsence(ctx, requireAbsenceStaff(request), request.params.absenceId),
    );

    app.post(
      '/desk/absences/:absenceId/visits/:appointmentId/decide',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary:
            'Cancel an affected visit by the organisation’s decision, or move it to another doctor of the same specialty',
          params: absenceVisitParams,
          body: visitDecisionBody,
          response: { 200: absenceDetailSchema },
        },
      },
      async (request) => {
        const staff = requireAbsenceStaff(request);
        await decideVisit(ctx, staff, request.params.absenceId, request.params.appointmentId, request.body);
        return absenceDetail(ctx, staff, request.params.absenceId);
      },
    );

    app.post(
      '/desk/absences/:absenceId/decide-all',
      {
        preValidation: staffOnly,
        schema: {
          tags,
          summary:
            'Decide every undecided visit: cancel all, or move each to the nearest free time of the chosen doctors',
          params: absenceParams,
          body: bulkDecisionBody,
          response: { 200: bulkDecisionResponse },
        },
      },
      async (request) => decideAll(ctx, requireAbsenceStaff(request), request.params.absenceId, request.body),
    );

    app.get(
      '/doctors/:id/absences',
      {
        schema: {
          tags,
          summary: 'The doctor’s closed days as patients read them',
          params: intIdParam,
          response: { 200: doctorAbsenceNotices },
        },
      },
      async (request) => doctorNotices(ctx, request.params.id),
    );

    app.get(
      '/moves',
      {
        preValidation: signedIn,
        schema: { tags, summary: 'This account’s move offers waiting for an answer', response: { 200: moveList } },
      },
      async (request) => pendingMoves(ctx, requireSession(request)),
    );

    app.get(
      '/moves/:id',
      {
        preValidation: signedIn,
        schema: {
          tags,
          summary: 'A move offered to this account’s visit after the doctor’s days were closed',
          params: uuidParam,
          response: { 200: moveOffer },
        },
      },
      async (request) => getMove(ctx, requireSession(request), request.params.id),
    );

    app.post(
      '/moves/:id/confirm',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags,
          summary: 'Confirm the move: the new visit is booked and the old one cancelled, together',
          params: uuidParam,
          response: { 201: appointmentDetail },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await confirmMove(ctx, requireSession(request), request.params.id)),
    );

    app.post(
      '/moves/:id/decline',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: signedIn,
        schema: {
          tags,
          summary:
            'Decline the move: the old visit is cancelled by the organisation’s decision; the answer says where to join the waitlist',
          params: uuidParam,
          response: { 200: z.object({ ok: z.literal(true), doctorId: z.number() }) },
        },
      },
      async (request) => declineMove(ctx, requireSession(request), request.params.id),
    );
  };
}
