// build(ctx) -> a Fastify instance with every route. It never listens: main.ts does,
// and tests call app.inject().
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { decorateRateLimits } from './rate-limits.js';
import { openSharedLimits } from './shared-limits.js';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.js';
import { metricsPlugin } from './metrics.js';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError, errorCatalogue } from './errors.js';
import type { AppContext } from './context.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  loggableError,
  OutageLog,
  pgError,
  EXCLUSION_VIOLATION,
  UNIQUE_VIOLATION,
} from './db/errors.js';
import { sessionPlugin } from './modules/session/session.js';
import { securityHeadersPlugin } from './security-headers.js';
import { swaggerOptions } from './openapi.js';
import { registerWebAssets, sendPage, webInlineScriptHashes } from './web-assets.js';
import { readinessRoutes } from './readiness.js';
import { sendFhirNotFound } from './modules/channels/integration/fhir.routes.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { moderationRoutes } from './modules/identity/moderation.routes.js';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.js';
import { scheduleRoutes } from './modules/schedule/schedule.routes.js';
import { bookingRoutes } from './modules/booking/booking.routes.js';
import { talonRoutes } from './modules/booking/talon.routes.js';
import { ownDataRoutes } from './modules/owndata/owndata.routes.js';
import { visitsRoutes } from './modules/visits/visits.routes.js';
import { historyRoutes } from './modules/visits/history.routes.js';
import { operatorRoutes } from './modules/operator/operator.routes.js';
import { waitlistRoutes } from './modules/waitlist/waitlist.routes.js';
import { devMailRoutes } from './modules/notify/devmail.routes.js';
import { notificationsRoutes } from './modules/notify/notifications.routes.js';
import { kioskRoutes } from './modules/channels/kiosk/kiosk.routes.js';
import { pushConfigured } from './modules/notify/vapid.js';
import { deskRoutes } from './modules/channels/desk/desk.routes.js';
import { absenceRoutes } from './modules/absence/absence.routes.js';
import { scheduleTemplateRoutes } from './modules/schedule/template.routes.js';
import { offerFreeSlotsToWaitlist } from './modules/waitlist/matching.service.js';
import { catalogueManageRoutes } from './modules/catalogue/manage.routes.js';
import { doctorRoutes } from './modules/channels/doctor/doctor.routes.js';
import { esiaRoutes } from './modules/identity/esia/esia.routes.js';
import { esiaStandin } from './esia-standin/standin.js';
import { ESIA_DEV_KEY } from './config.js';
import { apiKeysRoutes } from './modules/channels/integration/apikeys.routes.js';
import { integrationApi } from './modules/channels/integration/integration.api.js';
import { isIntegrationPath } from './modules/channels/integration/integration.auth.js';

export type App = FastifyInstance;

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface BuildOptions {
  /** pino logger options, or false for none (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Called for every route as it is added (tests list the routes, e.g. those with id parameters). */
  onRoute?: (route: RouteOptions) => void;
  /** The built web app's folder (default dist/web); tests serve a folder of their own. */
  webRoot?: string;
}

/** Fastify's trustProxy from TRUST_PROXY; a hop count as the function Fastify makes of one (its types omit numbers). */
function trustProxyOption(
  value: AppContext['config']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

export async function build(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const loggerOption =
    opts.logger === undefined || opts.logger === true
      ? {
          level: ctx.config.logLevel,
          // Personal data never reaches logs: no bodies, no query strings, no cookies.
          redact: [
            'req.headers.cookie',
            'req.headers.authorization',
            'req.headers["x-csrf-token"]',
            'req.headers["x-api-key"]',
          ],
          serializers: {
            req(req: { method: string; url: string; id: string }) {
              return { id: req.id, method: req.method, path: req.url.split('?')[0] };
            },
          },
        }
      : opts.logger;
  const app = Fastify({
    logger: loggerOption,
    // Only the configured proxies' X-Forwarded-For is believed (TRUST_PROXY); request.ip,
    // which the rate limits count by, is otherwise the connection's own address.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    bodyLimit: 256 * 1024,
    // The request id of every log line (request-id.ts): a trusted proxy's X-Request-Id, else a new one.
    genReqId: requestIdGenerator(ctx.config.trustProxy),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  const outage = new OutageLog();
  // Every answer names its request id, so a client's or the balancer's report leads to the log lines.
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // Before every route, so that its hooks count them all.
  metricsPlugin(app, ctx);
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const webRoot = opts.webRoot ?? webDist;
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  await app.register(securityHeadersPlugin, {
    options: {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // The app's files, and its HTML's one inline script by its hash (a rebuilt
          // low-vision.js needs a restart, as every deployment makes).
          scriptSrc: ["'self'", ...webInlineScriptHashes(webRoot)],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          // The installable app: its service worker (Web Push) and its manifest.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: ctx.config.secureCookies ? [] : null,
        },
      },
      hsts: ctx.config.secureCookies,
    },
  });
  await app.register(cookie);
  // Answers over 1 kB go compressed to clients that accept it (brotli at quality 4, else gzip);
  // an answer that already carries a Content-Encoding (the schedule's kept gzip page, the web
  // app's pre-compressed files) is left as it is. Request bodies are never decompressed.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, globalDecompression: false });
  // Counted in Redis when REDIS_URL is set (shared by the instances), else in this process;
  // a limit that cannot be checked lets the request through unless its route says otherwise.
  const sharedLimits = openSharedLimits(ctx.config, app.log);
  app.decorate('sharedLimits', sharedLimits);
  app.addHook('onClose', async () => sharedLimits.close());
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
    skipOnError: true,
    ...(sharedLimits.rateLimitStore ? { store: sharedLimits.rateLimitStore } : {}),
  });
  decorateRateLimits(app, ctx.config);
  // operationIds, error answers, security per guard, servers: openapi.ts, for every route.
  await app.register(swagger, swaggerOptions(ctx.config, Object.values(app.rateLimits)));
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(sessionPlugin, { ctx, csrfExempt: isIntegrationPath });

  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
      outage.note(request.log);
      err = new AppError('DATABASE_UNAVAILABLE');
    }
    if (err instanceof AppError) {
      if (err.status === 503) reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply
        .status(err.status)
        .send({ code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, string> = {};
      for (const v of err.validation) {
        const key = v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '_';
        if (!fields[key]) fields[key] = v.message ?? 'Неверное значение';
      }
      return reply.status(400).send({
        code: 'VALIDATION_FAILED',
        message: errorCatalogue.VALIDATION_FAILED.message,
        fields,
      });
    }
    const pg = pgError(err);
    if (pg?.code === UNIQUE_VIOLATION && pg.constraint === 'appointments_one_active_per_slot') {
      const e = new AppError('SLOT_TAKEN');
      return reply.status(e.status).send({ code: e.code, message: e.message });
    }
    if (pg?.code === EXCLUSION_VIOLATION) {
      const e = new AppError('OVERLAPPING_APPOINTMENT');
      return reply.status(e.status).send({ code: e.code, message: e.message });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ code: 'RATE_LIMITED', message: errorCatalogue.RATE_LIMITED.message });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ code: 'BAD_REQUEST', message: errorCatalogue.BAD_REQUEST.message });
    }
    request.log.error(loggableError(err), 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: errorCatalogue.INTERNAL.message });
  });

  await app.register(identityRoutes(ctx), { prefix: '/api' });
  await app.register(moderationRoutes(ctx), { prefix: '/api' });
  await app.register(catalogueRoutes(ctx), { prefix: '/api' });
  await app.register(scheduleRoutes(ctx), { prefix: '/api' });
  await app.register(bookingRoutes(ctx), { prefix: '/api' });
  await app.register(talonRoutes(ctx), { prefix: '/api' });
  await app.register(ownDataRoutes(ctx), { prefix: '/api' });
  await app.register(visitsRoutes(ctx), { prefix: '/api' });
  await app.register(historyRoutes(ctx), { prefix: '/api' });
  await app.register(operatorRoutes(ctx), { prefix: '/api' });
  await app.register(waitlistRoutes(ctx), { prefix: '/api' });
  await app.register(notificationsRoutes(ctx), { prefix: '/api' });
  await app.register(esiaRoutes(ctx), { prefix: '/api' });
  const esia = ctx.config.esia;
  if (esia?.standin) {
    // The bundled ЕСИА stand-in (demo and development only; config.ts refuses it in production).
    const standin = esiaStandin({
      clientId: esia.clientId,
      devKey: esia.signer.kind === 'dev' ? esia.signer.key : ESIA_DEV_KEY,
      redirectUris: [esia.redirectUri],
      basePath: '/esia-standin',
      now: ctx.now,
    });
    await app.register(standin.plugin, { prefix: '/esia-standin' });
  }
  await app.register(kioskRoutes(ctx), { prefix: '/api' });
  await app.register(deskRoutes(ctx), { prefix: '/api' });
  await app.register(absenceRoutes(ctx), { prefix: '/api' });
  // Free time a template or an exception publishes goes to the waitlist first (SPEC section 4).
  await app.register(scheduleTemplateRoutes(ctx, offerFreeSlotsToWaitlist), { prefix: '/api' });
  await app.register(catalogueManageRoutes(ctx), { prefix: '/api' });
  await app.register(doctorRoutes(ctx), { prefix: '/api' });
  await app.register(apiKeysRoutes(ctx), { prefix: '/api' });
  await app.register(integrationApi(ctx));
  if (ctx.config.demo && !ctx.config.smtpUrl) await app.register(devMailRoutes(ctx), { prefix: '/api' });
  if (!pushConfigured(ctx.config)) {
    app.log.warn('Web Push is off: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT to turn it on');
  }

  readinessRoutes(app, ctx);

  if (hasWeb) await registerWebAssets(app, webRoot);
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    // The static wildcard route answers every unmatched GET first and lands here: the FHIR
    // view keeps its own 404 (an OperationOutcome), never the web app's page.
    if (url === '/fhir' || url.startsWith('/fhir/')) return sendFhirNotFound(reply);
    if (hasWeb && request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
      return sendPage(reply, webRoot, url);
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: errorCatalogue.NOT_FOUND.message });
  });

  return app;
}
