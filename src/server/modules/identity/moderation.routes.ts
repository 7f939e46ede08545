// Moderators' API: the queue of people waiting for a check, one person, the decisions.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { moderationItem, moderationQueue, okBody, rejectBody, uuidParam } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import {
  decide,
  moderationItem as getModerationItem,
  moderationQueue as getModerationQueue,
} from './moderation.service.js';
import { requireRole } from '../session/session.js';

export function moderationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // Checked before validation: only moderators learn anything about these endpoints.
  const moderatorOnly = async (request: FastifyRequest) => {
    requireRole(request, 'moderator');
  };

  return async (app) => {
    app.get(
      '/moderation/queue',
      {
        preValidation: moderatorOnly,
        schema: {
          tags: ['moderation'],
          summary: 'People waiting for a check, oldest submission first',
          response: { 200: moderationQueue },
        },
      },
      async () => ({ items: await getModerationQueue(ctx) }),
    );

    app.get(
      '/moderation/persons/:id',
      {
        preValidation: moderatorOnly,
        schema: {
          tags: ['moderation'],
          summary: 'One person with the account’s e-mail and earlier decisions',
          params: uuidParam,
          response: { 200: moderationItem },
        },
      },
      async (request) => getModerationItem(ctx, request.params.id),
    );

    app.post(
      '/moderation/persons/:id/confirm',
      {
        preValidation: moderatorOnly,
        schema: {
          tags: ['moderation'],
          summary: 'Confirm a pending person’s data',
          params: uuidParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'moderator');
        await decide(ctx, session.accountId, request.params.id, 'confirm', null);
        return { ok: true as const };
      },
    );

    app.post(
      '/moderation/persons/:id/reject',
      {
        preValidation: moderatorOnly,
        schema: {
          tags: ['moderation'],
          summary: 'Reject a pending person’s data with a reason the account will see',
          params: uuidParam,
          body: rejectBody,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'moderator');
        await decide(ctx, session.accountId, request.params.id, 'reject', request.body.reason);
        return { ok: true as const };
      },
    );
  };
}
