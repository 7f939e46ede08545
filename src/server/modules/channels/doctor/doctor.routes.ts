// The doctor's API (role doctor, the account's doctor and organisation): today's and the
// coming days' patients, one patient with their visits here, the organisation's doctors and
// schedules, a follow-up booking (source doctor), and the outcome of a visit.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  channelVisit,
  doctorPatientsResponse,
  intIdParam,
  patientIdParam,
  scheduleQuery,
  scheduleResponse,
  staffBookBody,
  staffDoctorsResponse,
  staffPatientResponse,
  doctorReferralBody,
  referralIdParam,
  referralListResponse,
  referralView,
  uuidParam,
  visitOutcomeBody,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { requireStaffSession } from '../desk/desk.routes.js';
import { organisationDoctorSchedule, organisationDoctors } from '../desk/desk.service.js';
import { bookFollowUp, doctorPatient, doctorPatients, recordOutcome } from './doctor.service.js';
import { doctorPatientReferrals, issueDoctorReferral, revokeDoctorReferral } from './doctor.referrals.js';

export function doctorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const doctorOnly = async (request: FastifyRequest) => {
    requireStaffSession(request, 'doctor');
  };
  const staff = (request: FastifyRequest) => requireStaffSession(request, 'doctor');

  return async (app) => {
    app.get(
      '/doctor/patients',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'This doctor’s appointments today and in the coming days, with the patients’ names',
          response: { 200: doctorPatientsResponse },
        },
      },
      async (request) => doctorPatients(ctx, staff(request)),
    );

    app.get(
      '/doctor/patients/:patientId',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'One of this doctor’s patients with their visits at this organisation',
          params: patientIdParam,
          response: { 200: staffPatientResponse },
        },
      },
      async (request) => doctorPatient(ctx, staff(request), request.params.patientId),
    );

    app.get(
      '/doctor/doctors',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'This organisation and its doctors (for a follow-up with a colleague)',
          response: { 200: staffDoctorsResponse },
        },
      },
      async (request) => organisationDoctors(ctx, staff(request).organisationId),
    );

    app.get(
      '/doctor/doctors/:id/schedule',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
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
      '/doctor/appointments',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'Book a follow-up for one of this doctor’s patients (source doctor)',
          body: staffBookBody,
          response: { 201: channelVisit },
        },
      },
      async (request, reply) => {
        const visit = await bookFollowUp(ctx, staff(request), request.body);
        return reply.status(201).send(visit);
      },
    );

    app.get(
      '/doctor/patients/:patientId/referrals',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'The referrals this organisation issued to one of this doctor’s patients, newest first',
          params: patientIdParam,
          response: { 200: referralListResponse },
        },
      },
      async (request) => doctorPatientReferrals(ctx, staff(request), request.params.patientId),
    );

    app.post(
      '/doctor/patients/:patientId/referrals',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary:
            '«Выдать направление»: a referral for one of this doctor’s patients to a specialty, optionally at one organisation, valid for local dates from–until (default 30 days)',
          params: patientIdParam,
          body: doctorReferralBody,
          response: { 201: referralView },
        },
      },
      async (request, reply) => {
        const referral = await issueDoctorReferral(ctx, staff(request), request.params.patientId, request.body);
        return reply.status(201).send(referral);
      },
    );

    app.post(
      '/doctor/referrals/:id/revoke',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'Revoke a referral this organisation issued (a visit already booked with it stays)',
          params: referralIdParam,
          response: { 200: referralView },
        },
      },
      async (request) => revokeDoctorReferral(ctx, staff(request), request.params.id),
    );

    app.post(
      '/doctor/appointments/:id/outcome',
      {
        preValidation: doctorOnly,
        schema: {
          tags: ['doctor'],
          summary: 'Record that the patient came (visited) or did not (no_show)',
          params: uuidParam,
          body: visitOutcomeBody,
          response: { 200: channelVisit },
        },
      },
      async (request) => recordOutcome(ctx, staff(request), request.params.id, request.body.status),
    );
  };
}
