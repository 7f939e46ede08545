// The integration API as one plugin: the JSON API at /api/integration/v1 and its FHIR R4
// view at /fhir/R4, both authenticated by API keys (integration.auth.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../../context.js';
import { fhirRoutes } from './fhir.routes.js';
import { apiKeyHook } from './integration.auth.js';
import { integrationRoutes } from './integration.routes.js';
import { integrationReferralRoutes } from './referrals.routes.js';
import { integrationScheduleRoutes } from './schedules.routes.js';
import { webhookRoutes } from './webhooks/webhooks.routes.js';

export function integrationApi(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.decorateRequest('apiCaller', null);
    // One hook, so one rate-limit store: JSON and FHIR calls count against the same key.
    const authenticate = apiKeyHook(ctx, app);
    await app.register(integrationRoutes(ctx, authenticate), { prefix: '/api/integration/v1' });
    await app.register(integrationScheduleRoutes(ctx, authenticate), { prefix: '/api/integration/v1' });
    await app.register(integrationReferralRoutes(ctx, authenticate), { prefix: '/api/integration/v1' });
    await app.register(webhookRoutes(ctx, authenticate), { prefix: '/api/integration/v1/webhooks' });
    await app.register(fhirRoutes(ctx, authenticate), { prefix: '/fhir/R4' });
  };
}
