// A person's history: GET /api/persons/:id/history, for one of the account's own people only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { personHistoryResponse, uuidParam } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireRole } from '../session/session.js';
import { getPersonHistory } from './history.service.js';

export function historyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/persons/:id/history',
      {
        // Checked before validation: an anonymous caller learns nothing but "sign in"; staff have no card file.
        preValidation: async (request) => {
          requireRole(request, 'patient');
        },
        schema: {
          tags: ['booking'],
          summary:
            'A person’s history: who booked, moved, released, cancelled or marked each visit this session may see, when and through which channel',
          params: uuidParam,
          response: { 200: personHistoryResponse },
        },
      },
      async (request) => getPersonHistory(ctx, requireRole(request, 'patient'), request.params.id),
    );
  };
}
