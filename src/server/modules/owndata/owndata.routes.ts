// Own data (152-ФЗ, issue 19): GET /api/account/data (the readable page), GET
// /api/account/data/download (the same as a JSON file), POST /api/persons/:id/remove, POST
// /api/account/delete. A signed-in patient's own data only; CSRF on the POSTs as everywhere.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import {
  deleteAccountBody,
  okBody,
  ownDataExport,
  personRemovedResponse,
  uuidParam,
} from '../../../shared/api/index.js';
import { localDateOf } from '../../../shared/time.js';
import type { AppContext } from '../../context.js';
import { sessions } from '../../db/schema.js';
import { endSession, hmac, requireRole, SESSION_COOKIE } from '../session/session.js';
import { exportFileName } from './owndata.rules.js';
import { deleteAccount, exportOwnData, removePerson } from './owndata.service.js';

const tags = ['own data'];

export function ownDataRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const patient = async (request: FastifyRequest) => {
    requireRole(request, 'patient');
  };
  /** When this browser's session began (an ЕСИА re-sign-in confirms deleting an account without a password). */
  const sessionCreatedAt = async (request: FastifyRequest): Promise<Date | null> => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const [row] = await ctx.db
      .select({ createdAt: sessions.createdAt })
      .from(sessions)
      .where(eq(sessions.idHash, hmac(ctx.config.sessionSecret, token)));
    return row?.createdAt ?? null;
  };

  return async (app) => {
    app.get(
      '/account/data',
      {
        preValidation: patient,
        schema: {
          tags,
          summary: 'Everything the portal holds about this account and its people (the readable page)',
          response: { 200: ownDataExport },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return exportOwnData(ctx, requireRole(request, 'patient'));
      },
    );

    app.get(
      '/account/data/download',
      {
        preValidation: patient,
        schema: {
          tags,
          summary: 'The same as a JSON file to keep (Content-Disposition: attachment)',
          produces: ['application/json'],
          response: { 200: ownDataExport },
        },
      },
      async (request, reply) => {
        const data = await exportOwnData(ctx, requireRole(request, 'patient'));
        const name = exportFileName(localDateOf(ctx.now(), 'Europe/Moscow'));
        return reply
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(data);
      },
    );

    app.post(
      '/persons/:id/remove',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: patient,
        schema: {
          tags,
          summary: 'Remove a person (not the holder) from the card file; refused while they have future visits',
          description:
            '409 PERSON_HAS_FUTURE_VISITS (details.visits) while a visit is booked ahead; 409 MAIN_PERSON_NOT_REMOVABLE for the holder; another account’s person: 404 PERSON_NOT_FOUND. Past visits stay as medical records without the person’s data; waitlist entries are withdrawn.',
          params: uuidParam,
          response: { 200: personRemovedResponse },
        },
      },
      async (request) => removePerson(ctx, requireRole(request, 'patient'), request.params.id),
    );

    app.post(
      '/account/delete',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: patient,
        schema: {
          tags,
          summary: 'Delete this account: confirmed with the password (without one: a fresh ЕСИА sign-in)',
          description:
            '403 PASSWORD_WRONG; 403 REAUTH_REQUIRED (an account without a password, not signed in through ЕСИА in the last 15 minutes); 409 ACCOUNT_HAS_FUTURE_VISITS (details.visits). Then every session ends and the cookie is cleared.',
          body: deleteAccountBody,
          response: { 200: okBody },
        },
      },
      async (request, reply) => {
        const s = requireRole(request, 'patient');
        await deleteAccount(ctx, s, {
          password: request.body.password,
          sessionCreatedAt: await sessionCreatedAt(request),
        });
        await endSession(ctx, request, reply);
        return { ok: true as const };
      },
    );
  };
}
