// Sign-in through ЕСИА (Госуслуги). The browser's routes (start, callback) are GET
// navigations: they answer with redirects, and every failure ends on the portal's page
// /esia/error?code=… (a code only, never personal data). Linking from the settings and
// completing a registration are JSON calls with the CSRF header.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, sessionResponse } from '../../../../shared/api/index.js';
import { plainParameter } from '../../../../shared/text.js';
import {
  esiaConfigResponse,
  esiaErrorParams,
  esiaErrorResponse,
  esiaLinkBody,
  esiaLinkStatus,
  esiaRedirect,
  esiaRegistration,
  esiaRegistrationBody,
} from '../../../../shared/api/esia.js';
import type { AppContext } from '../../../context.js';
import { isDatabaseUnavailable, loggableError } from '../../../db/errors.js';
import { AppError, errorCatalogue, type ErrorCode } from '../../../errors.js';
import { dropPreviousSession, sessionAccountView } from '../identity.service.js';
import { requireSession, SESSION_COOKIE, startSession } from '../../session/session.js';
import { createEsiaClient, type EsiaClient } from './esia.client.js';
import { safeReturnTo } from './esia.rules.js';
import { seal, unseal, type PendingRegistration } from './esia.seal.js';
import {
  accountLink,
  completeRegistration,
  handleCallback,
  registrationConfirms,
  startLink,
  startLogin,
} from './esia.service.js';
import { signerFor } from './esia.signer.js';
import { signInRateLimit } from '../../../rate-limits.js';

export const ESIA_BROWSER_COOKIE = 'priyom_esia';
export const ESIA_REGISTRATION_COOKIE = 'priyom_esia_reg';
const COOKIE_PATH = '/api/esia';

/** Codes the error page may show; anything else reads as the generic failure. */
const PAGE_CODES = new Set<string>([
  ...Object.keys(errorCatalogue).filter((c) => c.startsWith('ESIA_')),
  'RATE_LIMITED',
  'FORBIDDEN',
  'INTERNAL',
  'DATABASE_UNAVAILABLE',
]);

export interface EsiaRoutesOptions {
  /** Tests inject the HTTP client used to reach ЕСИА and the signing service. */
  fetch?: typeof fetch;
}

export function esiaRoutes(ctx: AppContext, opts: EsiaRoutesOptions = {}): FastifyPluginAsyncZod {
  const config = ctx.config.esia;
  const client: EsiaClient | null = config ? createEsiaClient(config, signerFor(config, opts.fetch), opts.fetch) : null;
  const rateLimited = signInRateLimit(ctx.config);
  const cookieBase = { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.secureCookies };

  const errorPage = (reply: FastifyReply, code: string) =>
    reply.redirect(`/esia/error?code=${encodeURIComponent(PAGE_CODES.has(code) ? code : 'INTERNAL')}`, 303);

  /** This browser's binding token (a random value in an HttpOnly cookie; requests keep its HMAC). */
  function browserToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies[ESIA_BROWSER_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    reply.setCookie(ESIA_BROWSER_COOKIE, token, { ...cookieBase, maxAge: 3600 });
    return token;
  }

  function requireClient(): EsiaClient {
    if (!client) throw new AppError('ESIA_UNAVAILABLE');
    return client;
  }

  function pendingOf(request: FastifyRequest): PendingRegistration {
    const pending = unseal(ctx.config.sessionSecret, request.cookies[ESIA_REGISTRATION_COOKIE], ctx.now());
    if (!pending) throw new AppError('ESIA_REGISTRATION_EXPIRED');
    return pending;
  }

  /** Starts the session (dropping this browser's previous one); returns its new CSRF token. */
  async function signIn(request: FastifyRequest, reply: FastifyReply, accountId: string): Promise<string> {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await dropPreviousSession(ctx, previous);
    return startSession(ctx, reply, accountId, 'esia');
  }

  return async (app) => {
    // Failures of the navigation routes (including the rate limit and bad query strings)
    // become the error page; the JSON routes fall through to the app's handler.
    app.setErrorHandler((err, request, reply) => {
      if (!(request.routeOptions.config as { esiaNavigation?: boolean }).esiaNavigation) throw err;
      if (err instanceof AppError) {
        // Only the code: the query string (code, state) and ЕСИА's data never reach the logs.
        request.log.info({ esiaError: err.code }, 'esia sign-in ended on the error page');
        return errorPage(reply, err.code);
      }
      if ((err as { statusCode?: number }).statusCode === 429) return errorPage(reply, 'RATE_LIMITED');
      if ((err as { validation?: unknown }).validation) return errorPage(reply, 'ESIA_REFUSED');
      if (isDatabaseUnavailable(err)) {
        request.log.warn(
          { code: 'DATABASE_UNAVAILABLE' },
          'esia sign-in ended on the error page: database unavailable',
        );
        return errorPage(reply, 'DATABASE_UNAVAILABLE');
      }
      request.log.error(loggableError(err), 'esia callback failed');
      return errorPage(reply, 'INTERNAL');
    });

    app.get(
      '/esia/config',
      {
        schema: {
          tags: ['esia'],
          summary: 'Whether sign-in through Госуслуги is offered',
          response: { 200: esiaConfigResponse },
        },
      },
      async () => ({ enabled: client !== null }),
    );

    app.get(
      '/esia/errors/:code',
      {
        schema: {
          tags: ['esia'],
          summary: 'The Russian text of an error code shown on /esia/error',
          params: esiaErrorParams,
          response: { 200: esiaErrorResponse },
        },
      },
      async (request) => {
        const code = PAGE_CODES.has(request.params.code) ? (request.params.code as ErrorCode) : 'INTERNAL';
        return { code, message: errorCatalogue[code].message };
      },
    );

    app.get(
      '/esia/start',
      {
        config: { ...rateLimited, esiaNavigation: true },
        schema: {
          tags: ['esia'],
          summary: 'Start signing in through Госуслуги: redirects to ЕСИА’s consent page',
          querystring: z.object({ returnTo: plainParameter('returnTo', 500).optional() }),
        },
      },
      async (request, reply) => {
        const url = await startLogin(
          ctx,
          requireClient(),
          browserToken(request, reply),
          safeReturnTo(request.query.returnTo),
        );
        return reply.redirect(url, 303);
      },
    );

    app.get(
      '/esia/callback',
      {
        config: { ...rateLimited, esiaNavigation: true },
        schema: {
          tags: ['esia'],
          summary: 'ЕСИА’s answer (redirect_uri): checks the state, exchanges the code, signs in',
          querystring: z.object({
            state: plainParameter('state', 100).optional(),
            code: plainParameter('code', 4000).optional(),
            error: plainParameter('error', 200).optional(),
            error_description: plainParameter('error_description', 1000).optional(),
          }),
        },
      },
      async (request, reply) => {
        const outcome = await handleCallback(ctx, requireClient(), {
          query: request.query,
          browserToken: request.cookies[ESIA_BROWSER_COOKIE],
          sessionAccountId: request.session?.accountId ?? null,
          log: request.log,
        });
        switch (outcome.kind) {
          case 'signed-in':
            await signIn(request, reply, outcome.accountId);
            return reply.redirect(outcome.returnTo ?? '/cardfile', 303);
          case 'linked':
            return reply.redirect('/settings?esia=linked', 303);
          case 'register':
            reply.setCookie(ESIA_REGISTRATION_COOKIE, seal(ctx.config.sessionSecret, outcome.pending), {
              ...cookieBase,
              maxAge: Math.round((outcome.pending.expiresAt - ctx.now().getTime()) / 1000),
            });
            return reply.redirect('/esia/register', 303);
        }
      },
    );

    app.get(
      '/esia/registration',
      {
        schema: {
          tags: ['esia'],
          summary: 'ЕСИА’s data of a first sign-in waiting for the полис',
          response: { 200: esiaRegistration },
        },
      },
      async (request) => {
        const pending = pendingOf(request);
        const p = pending.person;
        return {
          lastName: p.lastName,
          firstName: p.firstName,
          middleName: p.middleName,
          birthDate: p.birthDate,
          sex: p.sex,
          snils: p.snils,
          email: pending.accountId ? null : pending.email,
          confirmed: registrationConfirms(pending),
          existingAccount: pending.accountId !== null,
        };
      },
    );

    app.post(
      '/esia/registration',
      {
        config: rateLimited,
        schema: {
          tags: ['esia'],
          summary: 'Complete a first sign-in through Госуслуги with the полис (and the СНИЛС when ЕСИА has none)',
          body: esiaRegistrationBody,
          response: { 200: sessionResponse, 400: errorBody },
        },
      },
      async (request, reply) => {
        const pending = pendingOf(request);
        if (pending.person.snils === null && request.body.snils === null) {
          return reply.status(400).send({
            code: 'VALIDATION_FAILED',
            message: errorCatalogue.VALIDATION_FAILED.message,
            fields: { snils: 'Введите СНИЛС' },
          });
        }
        const accountId = await completeRegistration(ctx, pending, {
          policy: request.body.policy,
          snils: pending.person.snils === null ? request.body.snils : null,
          phone: null,
        });
        reply.clearCookie(ESIA_REGISTRATION_COOKIE, { path: COOKIE_PATH });
        const csrfToken = await signIn(request, reply, accountId);
        return { account: await sessionAccountView(ctx, accountId, 'esia'), csrfToken };
      },
    );

    app.get(
      '/esia/link',
      {
        schema: {
          tags: ['esia'],
          summary: 'Whether Госуслуги are linked to my account',
          response: { 200: esiaLinkStatus },
        },
      },
      async (request) => {
        const session = requireSession(request);
        const link = await accountLink(ctx.db, session.accountId);
        if (!link) throw new AppError('NOT_AUTHENTICATED');
        return {
          linked: link.linkedAt !== null,
          linkedAt: link.linkedAt?.toISOString() ?? null,
          hasPassword: link.hasPassword,
          enabled: client !== null,
        };
      },
    );

    app.post(
      '/esia/link',
      {
        config: rateLimited,
        preValidation: async (request) => {
          requireSession(request);
        },
        schema: {
          tags: ['esia'],
          summary: 'Link Госуслуги to my account: re-enter the password, then go to ЕСИА',
          body: esiaLinkBody,
          response: { 200: esiaRedirect },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        const url = await startLink(ctx, requireClient(), session, request.body.password, browserToken(request, reply));
        return { url };
      },
    );
  };
}
