// The catalogue's management API (issue 16). The regional operator: organisations (create,
// details) and specialties. The clinic administrator: its own organisation's details, its
// doctors and its change log. Another role, or another organisation's doctor: refused.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntry, intIdParam, okBody } from '../../../shared/api/index.js';
import {
  clinicDoctor,
  createdId,
  doctorBody,
  organisationDetails,
  organisationFull,
  specialtyBody,
  specialtyChoice,
  specialtyFull,
} from '../../../shared/api/catalogue-admin.js';
import type { AppContext } from '../../context.js';
import { requireRole } from '../session/session.js';
import { listAudit } from '../region/audit.service.js';
import {
  createClinicDoctor,
  getClinicDoctor,
  listClinicDoctors,
  setClinicDoctorActive,
  updateClinicDoctor,
} from './doctors.manage.js';
import { createOrganisation, getOrganisation, ownOrganisationId, updateOrganisation } from './organisations.manage.js';
import { createSpecialty, listSpecialtiesFull, updateSpecialty } from './specialties.manage.js';

const tags = ['catalogue management'];

export function catalogueManageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------- the operator: organisations and specialties ----------

    app.post(
      '/operator/organisations',
      { schema: { tags, summary: 'Add an organisation', body: organisationDetails, response: { 200: createdId } } },
      async (request) => ({ id: await createOrganisation(ctx, requireRole(request, 'operator'), request.body) }),
    );

    app.get(
      '/operator/organisations/:id',
      {
        schema: {
          tags,
          summary: 'One organisation with its settings',
          params: intIdParam,
          response: { 200: organisationFull },
        },
      },
      async (request) => {
        requireRole(request, 'operator');
        return getOrganisation(ctx, request.params.id);
      },
    );

    app.get(
      '/operator/specialties',
      {
        schema: {
          tags,
          summary: 'Every specialty with its limits',
          response: { 200: z.object({ specialties: z.array(specialtyFull) }) },
        },
      },
      async (request) => {
        requireRole(request, 'operator');
        return { specialties: await listSpecialtiesFull(ctx.db) };
      },
    );

    app.post(
      '/operator/specialties',
      { schema: { tags, summary: 'Add a specialty', body: specialtyBody, response: { 200: createdId } } },
      async (request) => ({ id: await createSpecialty(ctx, requireRole(request, 'operator'), request.body) }),
    );

    app.put(
      '/operator/specialties/:id',
      {
        schema: {
          tags,
          summary: 'Change a specialty',
          params: intIdParam,
          body: specialtyBody,
          response: { 200: okBody },
        },
      },
      async (request) => {
        await updateSpecialty(ctx, requireRole(request, 'operator'), request.params.id, request.body);
        return { ok: true as const };
      },
    );

    // ---------- the clinic administrator: its organisation and doctors ----------

    app.get(
      '/clinic/organisation',
      { schema: { tags, summary: 'The clinic administrator’s organisation', response: { 200: organisationFull } } },
      async (request) => getOrganisation(ctx, ownOrganisationId(requireRole(request, 'clinic_admin'))),
    );

    app.put(
      '/clinic/organisation',
      {
        schema: {
          tags,
          summary: 'Change the organisation’s details',
          body: organisationDetails,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'clinic_admin');
        await updateOrganisation(ctx, session, ownOrganisationId(session), request.body);
        return { ok: true as const };
      },
    );

    app.get(
      '/clinic/specialties',
      {
        schema: {
          tags,
          summary: 'Specialties to choose a doctor’s from',
          response: { 200: z.object({ specialties: z.array(specialtyChoice) }) },
        },
      },
      async (request) => {
        requireRole(request, 'clinic_admin');
        const rows = await listSpecialtiesFull(ctx.db);
        return { specialties: rows.map((s) => ({ id: s.id, name: s.name, selfBooking: s.selfBooking })) };
      },
    );

    app.get(
      '/clinic/doctors',
      {
        schema: {
          tags,
          summary: 'The organisation’s doctors, active and inactive',
          response: { 200: z.object({ doctors: z.array(clinicDoctor) }) },
        },
      },
      async (request) => ({ doctors: await listClinicDoctors(ctx, requireRole(request, 'clinic_admin')) }),
    );

    app.post(
      '/clinic/doctors',
      { schema: { tags, summary: 'Add a doctor', body: doctorBody, response: { 200: createdId } } },
      async (request) => ({ id: await createClinicDoctor(ctx, requireRole(request, 'clinic_admin'), request.body) }),
    );

    app.get(
      '/clinic/doctors/:id',
      {
        schema: {
          tags,
          summary: 'One doctor of the organisation',
          params: intIdParam,
          response: { 200: clinicDoctor },
        },
      },
      async (request) => getClinicDoctor(ctx, requireRole(request, 'clinic_admin'), request.params.id),
    );

    app.put(
      '/clinic/doctors/:id',
      { schema: { tags, summary: 'Change a doctor', params: intIdParam, body: doctorBody, response: { 200: okBody } } },
      async (request) => {
        await updateClinicDoctor(ctx, requireRole(request, 'clinic_admin'), request.params.id, request.body);
        return { ok: true as const };
      },
    );

    for (const [path, active] of [
      ['deactivate', false],
      ['activate', true],
    ] as const) {
      app.post(
        `/clinic/doctors/:id/${path}`,
        {
          schema: {
            tags,
            summary: active
              ? 'Make a doctor active again'
              : 'Make a doctor inactive (refused while future visits are booked)',
            params: intIdParam,
            response: { 200: okBody },
          },
        },
        async (request) => {
          await setClinicDoctorActive(ctx, requireRole(request, 'clinic_admin'), request.params.id, active);
          return { ok: true as const };
        },
      );
    }

    app.get(
      '/clinic/audit',
      {
        schema: {
          tags,
          summary: 'The organisation’s change log, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ entries: z.array(auditEntry) }) },
        },
      },
      async (request) => {
        const organisationId = ownOrganisationId(requireRole(request, 'clinic_admin'));
        const rows = await listAudit(ctx.db, request.query.limit, organisationId);
        return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
      },
    );
  };
}
