// GET /api/appointments/:id/talon: the printable талон of a visit the account sees.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { talonResponse, uuidParam } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
import { getTalon } from './talon.service.js';

export function talonRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const signedIn = async (request: FastifyRequest) => {
    requireSession(request);
  };
  return async (app) => {
    app.get(
      '/appointments/:id/talon',
      {
        preValidation: signedIn,
        schema: {
          tags: ['booking'],
          summary:
            'The printable талон of a visit: initials, doctor, room, address, local time and the QR code of the reference',
          params: uuidParam,
          response: { 200: talonResponse },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return getTalon(ctx, requireSession(request), request.params.id);
      },
    );
  };
}
