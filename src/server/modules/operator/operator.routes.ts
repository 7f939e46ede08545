// Operator pages' API: region-wide rules, per-organisation settings, the audit log.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditEntry,
  intIdParam,
  okBody,
  organisationWithSettings,
  regionSettings,
  regionSettingsResponse,
} from '../../../shared/api/index.js';
import { organisationUpdateBody } from '../../../shared/api/catalogue-admin.js';
import type { AppContext } from '../../context.js';
import { organisationView, updateOrganisation } from '../catalogue/organisations.manage.js';
import { requireRole } from '../session/session.js';
import { listAudit } from '../region/audit.service.js';
import { getRegionSettings, listOrganisationSettings, updateRegionSettings } from '../region/settings.service.js';

export function operatorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/operator/settings',
      { schema: { tags: ['operator'], summary: 'Region-wide rules', response: { 200: regionSettingsResponse } } },
      async (request) => {
        requireRole(request, 'operator');
        const s = await getRegionSettings(ctx.db);
        return {
          cutoffTime: s.cutoffTime,
          horizonDays: s.horizonDays,
          maxPerSpecialty: s.maxPerSpecialty,
          holdMinutes: s.holdMinutes,
          offerWindowHours: s.offerWindowHours,
          maxOffers: s.maxOffers,
          updatedAt: s.updatedAt.toISOString(),
          updatedBy: s.updatedBy,
        };
      },
    );

    app.put(
      '/operator/settings',
      {
        schema: {
          tags: ['operator'],
          summary: 'Change region-wide rules',
          body: regionSettings,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'operator');
        await updateRegionSettings(ctx.db, session.accountId, request.body, ctx.now());
        return { ok: true as const };
      },
    );

    app.get(
      '/operator/organisations',
      {
        schema: {
          tags: ['operator'],
          summary: 'Organisations with their settings',
          response: { 200: z.object({ organisations: z.array(organisationWithSettings) }) },
        },
      },
      async (request) => {
        requireRole(request, 'operator');
        const rows = await listOrganisationSettings(ctx.db);
        return {
          organisations: rows.map(organisationView),
        };
      },
    );

    app.put(
      '/operator/organisations/:id',
      {
        schema: {
          tags: ['operator'],
          summary: 'Change an organisation’s settings and, optionally, its details',
          params: intIdParam,
          body: organisationUpdateBody,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'operator');
        await updateOrganisation(ctx, session, request.params.id, request.body);
        return { ok: true as const };
      },
    );

    app.get(
      '/operator/audit',
      {
        schema: {
          tags: ['operator'],
          summary: 'Recent audit log entries',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ entries: z.array(auditEntry) }) },
        },
      },
      async (request) => {
        requireRole(request, 'operator', 'moderator');
        const rows = await listAudit(ctx.db, request.query.limit);
        return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
      },
    );
  };
}
