// The webhooks of the integration API (/api/integration/v1/webhooks): an API key registers,
// lists and deletes its subscriptions, reads a subscription's delivery log and replays
// deliveries. Every route needs the key (integration.auth.ts); a subscription of another key
// or organisation is "not found".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  webhookCreateBody,
  webhookCreated,
  webhookDeliveriesQuery,
  webhookDeliveriesResponse,
  webhookDelivery,
  webhookDeliveryParams,
  webhookIdParam,
  webhookList,
  webhookReplayBody,
  webhookReplayResponse,
  type WebhookDelivery,
  type WebhookSubscription,
} from '../../../../../shared/api/webhooks.js';
import type { AppContext } from '../../../../context.js';
import { callerOf, type ApiKeyHook } from '../integration.auth.js';
import type { DeliveryLogRow, SubscriptionRow } from './webhooks.repository.js';
import { eventIdOf } from './webhooks.rules.js';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  replayWebhookDelivery,
  replayWebhookSince,
  webhookDeliveries,
} from './webhooks.service.js';

const security = [{ apiKey: [] }];
const tags = ['integration'];

function toSubscription(s: SubscriptionRow): WebhookSubscription {
  return {
    id: s.id,
    url: s.url,
    eventTypes: s.eventTypes as WebhookSubscription['eventTypes'],
    createdAt: s.createdAt.toISOString(),
  };
}

function toDelivery(d: DeliveryLogRow): WebhookDelivery {
  return {
    id: d.id,
    eventId: eventIdOf(d.changeId),
    eventType: d.eventType as WebhookDelivery['eventType'],
    status: d.status as WebhookDelivery['status'],
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    replays: d.replays,
    createdAt: d.createdAt.toISOString(),
  };
}

export function webhookRoutes(ctx: AppContext, authenticate: ApiKeyHook): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', authenticate);

    app.post(
      '',
      {
        schema: {
          tags,
          security,
          summary:
            'Register a URL for appointment and slot events of the key’s organisation (201; the signing secret is in this answer only)',
          body: webhookCreateBody,
          response: { 201: webhookCreated },
        },
      },
      async (request, reply) => {
        const { subscription, secret } = await createWebhook(ctx, callerOf(request), request.body);
        reply.header('cache-control', 'no-store');
        return reply.status(201).send({ ...toSubscription(subscription), secret });
      },
    );

    app.get(
      '',
      { schema: { tags, security, summary: 'The key’s webhook subscriptions', response: { 200: webhookList } } },
      async (request) => ({ webhooks: (await listWebhooks(ctx, callerOf(request))).map(toSubscription) }),
    );

    app.delete(
      '/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Delete a subscription with its delivery log (204)',
          params: webhookIdParam,
          response: { 204: z.undefined().describe('Deleted: no content') },
        },
      },
      async (request, reply) => {
        await deleteWebhook(ctx, callerOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/:id/deliveries',
      {
        schema: {
          tags,
          security,
          summary: 'A subscription’s delivery log, newest first',
          params: webhookIdParam,
          querystring: webhookDeliveriesQuery,
          response: { 200: webhookDeliveriesResponse },
        },
      },
      async (request) => {
        const r = await webhookDeliveries(ctx, callerOf(request), request.params.id, request.query);
        return { deliveries: r.deliveries.map(toDelivery), nextBefore: r.nextBefore };
      },
    );

    app.post(
      '/:id/deliveries/:deliveryId/replay',
      {
        schema: {
          tags,
          security,
          summary: 'Send one delivery again (same event id), at once',
          params: webhookDeliveryParams,
          response: { 200: webhookDelivery },
        },
      },
      async (request) =>
        toDelivery(await replayWebhookDelivery(ctx, callerOf(request), request.params.id, request.params.deliveryId)),
    );

    app.post(
      '/:id/replay',
      {
        schema: {
          tags,
          security,
          summary: 'Send again every delivery of the subscription from an event on (its id, evt_…)',
          params: webhookIdParam,
          body: webhookReplayBody,
          response: { 200: webhookReplayResponse },
        },
      },
      async (request) => ({
        replayed: await replayWebhookSince(ctx, callerOf(request), request.params.id, request.body.since),
      }),
    );
  };
}
