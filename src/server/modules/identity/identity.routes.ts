// Accounts and sessions: session info, sign-up, e-mail confirmation, login, logout,
// password reset; the card file's people.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  forgotBody,
  loginBody,
  okBody,
  person,
  personInput,
  resetBody,
  sessionResponse,
  signupBody,
  tokenBody,
  uuidParam,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { signInRateLimit } from '../../rate-limits.js';
import {
  confirmEmail,
  dropPreviousSession,
  logIn,
  requestPasswordReset,
  resetPassword,
  sessionAccountView,
  signUp,
} from './identity.service.js';
import { addPerson, editPerson, getOwnedPerson, listOwnedPersons, toPersonDto } from './persons.service.js';
import {
  endSession,
  ensureCsrfToken,
  mainPersonStatus,
  requireRole,
  requireSession,
  SESSION_COOKIE,
  startSession,
} from '../session/session.js';

export function identityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const rateLimited = signInRateLimit(ctx.config);
  const accepted = z.object({ ok: z.literal(true) });

  /** Starts a fresh session (dropping any previous one of this browser) and describes it. */
  async function signInResponse(request: FastifyRequest, reply: FastifyReply, accountId: string) {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await dropPreviousSession(ctx, previous);
    // The session's own CSRF token, set in this same answer: the one used before sign-in stops working.
    const csrfToken = await startSession(ctx, reply, accountId, 'password');
    return { account: await sessionAccountView(ctx, accountId, 'password'), csrfToken };
  }

  // Guards run before body validation, so an anonymous caller learns nothing but 401.
  const patientOnly = async (request: FastifyRequest) => {
    requireRole(request, 'patient');
  };

  return async (app) => {
    app.get(
      '/session',
      {
        schema: {
          tags: ['identity'],
          summary: 'The current session and the CSRF token',
          response: { 200: sessionResponse },
        },
      },
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
            organisationId: s.organisationId,
            doctorId: s.doctorId,
            mainPersonStatus: await mainPersonStatus(ctx.db, s.accountId),
          },
          csrfToken,
        };
      },
    );

    // ---------- accounts ----------

    app.post(
      '/auth/signup',
      {
        config: rateLimited,
        schema: {
          tags: ['identity'],
          summary: 'Sign up with e-mail and password; a confirmation link is e-mailed',
          description: 'Always 202, whether or not the address is already registered.',
          body: signupBody,
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        await signUp(ctx, request.body.email, request.body.password);
        return reply.status(202).send({ ok: true as const });
      },
    );

    app.post(
      '/auth/confirm-email',
      {
        onRequest: app.rateLimits.tokenCheck,
        schema: {
          tags: ['identity'],
          summary: 'Confirm the e-mail address with the link’s token and sign in',
          body: tokenBody,
          response: { 200: sessionResponse },
        },
      },
      async (request, reply) => {
        const accountId = await confirmEmail(ctx, request.body.token);
        return signInResponse(request, reply, accountId);
      },
    );

    app.post(
      '/auth/login',
      {
        config: rateLimited,
        schema: {
          tags: ['identity'],
          summary: 'Sign in with e-mail and password',
          body: loginBody,
          response: { 200: sessionResponse },
        },
      },
      async (request, reply) => {
        const accountId = await logIn(ctx, request.body.email, request.body.password);
        return signInResponse(request, reply, accountId);
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['identity'], summary: 'Sign out of this browser', response: { 200: okBody } } },
      async (request, reply) => {
        await endSession(ctx, request, reply);
        return { ok: true as const };
      },
    );

    app.post(
      '/auth/forgot',
      {
        config: rateLimited,
        schema: {
          tags: ['identity'],
          summary: 'Request a password-reset link by e-mail',
          description: 'Always 202, whether or not the address is registered.',
          body: forgotBody,
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(ctx, request.body.email);
        return reply.status(202).send({ ok: true as const });
      },
    );

    app.post(
      '/auth/reset',
      {
        onRequest: app.rateLimits.tokenCheck,
        schema: {
          tags: ['identity'],
          summary: 'Set a new password with the reset link’s token; ends every session',
          body: resetBody,
          response: { 200: okBody },
        },
      },
      async (request) => {
        await resetPassword(ctx, request.body.token, request.body.password);
        return { ok: true as const };
      },
    );

    // ---------- the card file's people ----------

    app.get(
      '/persons',
      {
        schema: {
          tags: ['persons'],
          summary: 'The people of my card file, the main person first',
          response: { 200: z.object({ persons: z.array(person) }) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        const rows = await listOwnedPersons(ctx.db, session.accountId);
        return { persons: rows.map(toPersonDto) };
      },
    );

    app.get(
      '/persons/:id',
      {
        schema: {
          tags: ['persons'],
          summary: 'One person of my card file',
          params: uuidParam,
          response: { 200: person },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return toPersonDto(await getOwnedPerson(ctx.db, session.accountId, request.params.id));
      },
    );

    app.post(
      '/persons',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: patientOnly,
        schema: {
          tags: ['persons'],
          summary: 'Add a person to my card file (the first one is me); the data goes to moderation',
          body: personInput,
          response: { 201: person },
        },
      },
      async (request, reply) => {
        const session = requireRole(request, 'patient');
        const row = await addPerson(ctx, session.accountId, request.body);
        return reply.status(201).send(toPersonDto(row));
      },
    );

    app.put(
      '/persons/:id',
      {
        onRequest: app.rateLimits.patientWrite,
        preValidation: patientOnly,
        schema: {
          tags: ['persons'],
          summary: 'Correct a person’s data before confirmation and resubmit it to moderation',
          params: uuidParam,
          body: personInput,
          response: { 200: person },
        },
      },
      async (request) => {
        const session = requireRole(request, 'patient');
        return toPersonDto(await editPerson(ctx, session.accountId, request.params.id, request.body));
      },
    );
  };
}
