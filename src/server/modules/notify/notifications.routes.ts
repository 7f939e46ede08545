// The in-portal notification list, the account's channels, and Web Push subscriptions.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  intIdParam,
  notificationList as notificationListSchema,
  notificationPreferences,
  notificationUnread,
  okBody,
  pushEndpointQuery,
  pushPublicKey as pushPublicKeySchema,
  pushSubscriptionBody,
  pushSubscriptionStatus,
} from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { requireSession } from '../session/session.js';
import {
  changePreferences,
  notificationList,
  preferencesOf,
  pushPublicKey,
  readAllNotifications,
  readNotification,
  subscribe,
  subscriptionStatus,
  unreadCount,
  unsubscribe,
} from './notifications.service.js';

export function notificationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The account’s notifications, newest first (50), and how many are unread',
          response: { 200: notificationListSchema },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return notificationList(ctx, session.accountId);
      },
    );

    app.get(
      '/notifications/unread-count',
      {
        schema: {
          tags: ['notifications'],
          summary: 'How many of the account’s notifications are unread (for the header)',
          response: { 200: notificationUnread },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return { unreadCount: await unreadCount(ctx, session.accountId) };
      },
    );

    app.post(
      '/notifications/:id/read',
      {
        onRequest: app.rateLimits.patientWrite,
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of the account’s notifications read',
          params: intIdParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireSession(request);
        await readNotification(ctx, session.accountId, request.params.id);
        return { ok: true as const };
      },
    );

    app.post(
      '/notifications/read-all',
      {
        onRequest: app.rateLimits.patientWrite,
        schema: {
          tags: ['notifications'],
          summary: 'Mark all the account’s notifications read',
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireSession(request);
        await readAllNotifications(ctx, session.accountId);
        return { ok: true as const };
      },
    );

    app.get(
      '/notifications/preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The account’s channels: e-mail and Web Push (the in-portal list is always on)',
          response: { 200: notificationPreferences },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return preferencesOf(ctx, session.accountId);
      },
    );

    app.put(
      '/notifications/preferences',
      {
        onRequest: app.rateLimits.patientWrite,
        schema: {
          tags: ['notifications'],
          summary: 'Change the account’s channels',
          body: notificationPreferences,
          response: { 200: notificationPreferences },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return changePreferences(ctx, session.accountId, request.body);
      },
    );

    app.get(
      '/push/public-key',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The VAPID public key browsers subscribe with (503 PUSH_UNAVAILABLE when push is off)',
          response: { 200: pushPublicKeySchema },
        },
      },
      async () => ({ publicKey: await pushPublicKey(ctx) }),
    );

    app.post(
      '/push/subscriptions',
      {
        onRequest: app.rateLimits.patientWrite,
        schema: {
          tags: ['notifications'],
          summary: 'Subscribe this browser to the account’s notifications (again: updates it)',
          body: pushSubscriptionBody,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireSession(request);
        await subscribe(ctx, session.accountId, request.body);
        return { ok: true as const };
      },
    );

    app.get(
      '/push/subscriptions',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Whether this browser’s subscription belongs to the account',
          querystring: pushEndpointQuery,
          response: { 200: pushSubscriptionStatus },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return { subscribed: await subscriptionStatus(ctx, session.accountId, request.query.endpoint) };
      },
    );

    app.delete(
      '/push/subscriptions',
      {
        onRequest: app.rateLimits.patientWrite,
        schema: {
          tags: ['notifications'],
          summary: 'Stop notifications to this browser',
          querystring: pushEndpointQuery,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireSession(request);
        await unsubscribe(ctx, session.accountId, request.query.endpoint);
        return { ok: true as const };
      },
    );
  };
}
