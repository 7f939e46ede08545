// The infomat's HTTP API (SPEC section 8), under /api/kiosk:
// - staff (a registrar for their organisation, an operator for any) switch this browser to
//   kiosk mode, list their kiosks and switch them off (/kiosk/devices...);
// - the kiosk itself: every other endpoint needs this browser's device cookie, checked
//   before validation; those about a patient also need the x-kiosk-patient token that
//   POST /kiosk/identify gives. CSRF applies to every POST as everywhere.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  intIdParam,
  KIOSK_PATIENT_HEADER,
  kioskBookBody,
  kioskDevice,
  kioskDeviceList,
  kioskDevicesQuery,
  kioskDoctorsQuery,
  kioskDoctorsResponse,
  kioskEnrolBody,
  kioskHome,
  kioskIdentifyBody,
  kioskIdentifyResponse,
  kioskReferenceResponse,
  kioskSpecialtiesResponse,
  kioskVisit,
  kioskVisitsResponse,
  referenceLookupBody,
  scheduleQuery,
  scheduleResponse,
  uuidParam,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { namingFreeTimes } from '../../booking/booking.service.js';
import { endSession, requireRole } from '../../session/session.js';
import {
  enrolDevice,
  listKioskDevices,
  requireKioskDevice,
  revokeKioskDevice,
  type KioskDeviceContext,
} from './kiosk.devices.service.js';
import {
  createKioskLimiters,
  identifyAtKiosk,
  kioskBook,
  kioskCancel,
  kioskDoctors,
  kioskPatientId,
  kioskSchedule,
  kioskSpecialties,
  kioskVisits,
} from './kiosk.service.js';
import { kioskCancelByReference, kioskFindByReference } from '../reference.lookup.js';

declare module 'fastify' {
  interface FastifyRequest {
    kioskDevice: KioskDeviceContext | null;
  }
}

const tags = ['kiosk'];

export function kioskRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const manager = async (request: FastifyRequest) => {
    requireRole(request, 'registrar', 'operator');
  };
  const device = (request: FastifyRequest): KioskDeviceContext => {
    if (!request.kioskDevice) throw new Error('kiosk route without the device guard');
    return request.kioskDevice;
  };
  const patientOf = (request: FastifyRequest): string => {
    const header = request.headers[KIOSK_PATIENT_HEADER];
    return kioskPatientId(ctx, device(request), typeof header === 'string' ? header : undefined);
  };

  // ---------- staff: kiosk devices ----------
  const devices: FastifyPluginAsyncZod = async (app) => {
    app.post(
      '/kiosk/devices',
      {
        preValidation: manager,
        schema: {
          tags,
          summary: 'Switch this browser to kiosk mode for an organisation; signs the staff member out of it',
          description:
            'Sets the HttpOnly, SameSite=Strict device cookie (path /api/kiosk) and ends the session of this browser. A registrar enrols for their own organisation; an operator names it.',
          body: kioskEnrolBody,
          response: { 201: kioskDevice },
        },
      },
      async (request, reply) => {
        const created = await enrolDevice(
          ctx,
          request,
          reply,
          requireRole(request, 'registrar', 'operator'),
          request.body,
        );
        await endSession(ctx, request, reply);
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/kiosk/devices',
      {
        preValidation: manager,
        schema: {
          tags,
          summary: 'Kiosks of the registrar’s organisation (an operator: of one organisation or all)',
          querystring: kioskDevicesQuery,
          response: { 200: kioskDeviceList },
        },
      },
      async (request) => ({
        devices: await listKioskDevices(
          ctx,
          requireRole(request, 'registrar', 'operator'),
          request.query.organisationId,
        ),
      }),
    );

    app.post(
      '/kiosk/devices/:id/revoke',
      {
        preValidation: manager,
        schema: {
          tags,
          summary: 'Switch a kiosk off: its cookie stops working at once',
          params: uuidParam,
          response: { 200: kioskDevice },
        },
      },
      async (request) => revokeKioskDevice(ctx, requireRole(request, 'registrar', 'operator'), request.params.id),
    );
  };

  // ---------- the kiosk itself ----------
  const kiosk: FastifyPluginAsyncZod = async (app) => {
    const limiters = createKioskLimiters(app.sharedLimits);
    app.decorateRequest('kioskDevice', null);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // A patient's data must not stay in the kiosk browser's cache.
      reply.header('cache-control', 'no-store');
      request.kioskDevice = await requireKioskDevice(ctx, request, reply);
    });
    // Bookings per device, like the portal's per account.
    const perDeviceLimit = {
      rateLimit: {
        max: ctx.config.rateLimit.bookingPerMinute,
        timeWindow: '1 minute',
        keyGenerator: (request: FastifyRequest) => `kiosk:${request.kioskDevice?.id ?? request.ip}`,
      },
    };

    app.get(
      '/kiosk/home',
      { schema: { tags, summary: 'This kiosk and its organisation', response: { 200: kioskHome } } },
      async (request) => {
        const d = device(request);
        return { device: { id: d.id, label: d.label }, organisation: d.organisation };
      },
    );

    app.post(
      '/kiosk/identify',
      {
        schema: {
          tags,
          summary: 'Identify a patient by полис ОМС and date of birth; returns a short-lived patient token',
          description:
            'A wrong pair answers KIOSK_PATIENT_NOT_FOUND (404) whether or not the полис exists. Attempts are limited per device and failures per полис (KIOSK_TOO_MANY_ATTEMPTS, 429).',
          body: kioskIdentifyBody,
          response: { 200: kioskIdentifyResponse },
        },
      },
      async (request) => identifyAtKiosk(ctx, limiters, device(request), request.body),
    );

    app.get(
      '/kiosk/visits',
      {
        schema: {
          tags,
          summary: 'The identified patient’s upcoming visits at this organisation (x-kiosk-patient header)',
          response: { 200: kioskVisitsResponse },
        },
      },
      async (request) => kioskVisits(ctx, device(request), patientOf(request)),
    );

    app.get(
      '/kiosk/specialties',
      {
        schema: {
          tags,
          summary: 'Specialties of this organisation, with whether the identified patient may book each',
          response: { 200: kioskSpecialtiesResponse },
        },
      },
      async (request) => ({ specialties: await kioskSpecialties(ctx, device(request), patientOf(request)) }),
    );

    app.get(
      '/kiosk/doctors',
      {
        schema: {
          tags,
          summary: 'This organisation’s doctors of a specialty with their nearest free time',
          querystring: kioskDoctorsQuery,
          response: { 200: kioskDoctorsResponse },
        },
      },
      async (request) => ({ doctors: await kioskDoctors(ctx, device(request), request.query.specialtyId) }),
    );

    app.get(
      '/kiosk/doctors/:id/schedule',
      {
        schema: {
          tags,
          summary: 'A doctor’s schedule (free and busy times) — only this organisation’s doctors',
          params: intIdParam,
          querystring: scheduleQuery,
          response: { 200: scheduleResponse },
        },
      },
      async (request) => kioskSchedule(ctx, device(request), request.params.id, request.query),
    );

    app.post(
      '/kiosk/appointments',
      {
        config: perDeviceLimit,
        schema: {
          tags,
          summary: 'Book a free slot of this organisation for the identified patient (source infomat)',
          body: kioskBookBody,
          response: { 201: kioskVisit },
        },
      },
      async (request, reply) => {
        // Told «taken», the patient sees the doctor's nearest free times on the same screen.
        const slotId = request.body.slotId;
        const booked = await namingFreeTimes(ctx, slotId, () =>
          kioskBook(ctx, device(request), patientOf(request), slotId),
        );
        return reply.status(201).send(booked);
      },
    );

    app.post(
      '/kiosk/visits/by-reference',
      {
        config: perDeviceLimit,
        schema: {
          tags,
          summary: 'The visit of a scanned талон at this organisation (no other visit of the patient)',
          description:
            'The reference as the scanner typed it. Another organisation’s or an unknown reference: 404 APPOINTMENT_NOT_FOUND. Limited per device.',
          body: referenceLookupBody,
          response: { 200: kioskReferenceResponse },
        },
      },
      async (request) => kioskFindByReference(ctx, device(request), request.body.reference),
    );

    app.post(
      '/kiosk/visits/by-reference/cancel',
      {
        config: perDeviceLimit,
        schema: {
          tags,
          summary: 'Cancel the visit of a scanned талон at the patient’s request, by the kiosk’s rules',
          body: referenceLookupBody,
          response: { 200: kioskReferenceResponse },
        },
      },
      async (request) => kioskCancelByReference(ctx, device(request), request.body.reference),
    );

    app.post(
      '/kiosk/appointments/:id/cancel',
      {
        config: perDeviceLimit,
        schema: {
          tags,
          summary: 'Cancel one of the identified patient’s visits made outside the portal, before the cut-off',
          params: uuidParam,
          response: { 200: kioskVisit },
        },
      },
      async (request) => kioskCancel(ctx, device(request), patientOf(request), request.params.id),
    );
  };

  return async (app) => {
    await app.register(devices);
    await app.register(kiosk);
  };
}
