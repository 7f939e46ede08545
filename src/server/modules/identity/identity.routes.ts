// Accounts and sessions: session info, sign-up, e-mail confirmation, login, logout,
// password reset; the card file's people.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sessionResponse } from '../../../shared/api.js';
import type { AppContext } from '../../context.js';
import { ensureCsrfToken, mainPersonStatus } from './session.js';

export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/session',
      { schema: { tags: ['identity'], summary: 'The current session and the CSRF token', response: { 200: sessionResponse } } },
      async (request, reply) => {
        const csrfToken = ensureCsrfToken(ctx, request, reply);
        const s = request.session;
        if (!s) return { account: null, csrfToken };
        return {
          account: {
            id: s.accountId,
            email: s.email,
            role: s.role,
            authMethod: s.authMethod,
            mainPersonStatus: await mainPersonStatus(ctx.db, s.accountId),
          },
          csrfToken,
        };
      },
    );
  };
}
