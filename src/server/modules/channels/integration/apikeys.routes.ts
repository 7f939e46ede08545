// The operator's integration API keys: issue (the full key is in this one answer only),
// list, revoke. Operators only; every issue and revoke is audit-logged by the service.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  apiKeyIssueBody,
  apiKeyIssued,
  apiKeyList,
  okBody,
  uuidParam,
  type ApiKeyItem,
} from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import { requireRole } from '../../session/session.js';
import type { ApiKeyListRow } from './apikeys.repository.js';
import type { ApiChannel } from './apikeys.rules.js';
import { issueApiKey, listKeys, revokeApiKey } from './apikeys.service.js';

function toItem(k: ApiKeyListRow): ApiKeyItem {
  return {
    id: k.id,
    prefix: k.keyPrefix,
    organisation: { id: k.organisationId, shortName: k.organisationName },
    channel: k.channel as ApiChannel,
    label: k.label,
    createdAt: k.createdAt.toISOString(),
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export function apiKeysRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/operator/api-keys',
      {
        schema: { tags: ['operator'], summary: 'Integration API keys (prefixes only)', response: { 200: apiKeyList } },
      },
      async (request) => {
        requireRole(request, 'operator');
        return { keys: (await listKeys(ctx)).map(toItem) };
      },
    );

    app.post(
      '/operator/api-keys',
      {
        // The role is checked before the body: a non-operator learns nothing about the form.
        preValidation: async (request) => {
          requireRole(request, 'operator');
        },
        schema: {
          tags: ['operator'],
          summary: 'Issue an integration API key for an organisation and a channel (the key is returned once)',
          body: apiKeyIssueBody,
          response: { 201: apiKeyIssued },
        },
      },
      async (request, reply) => {
        const session = requireRole(request, 'operator');
        const { key, apiKey } = await issueApiKey(ctx, session.accountId, request.body);
        // The answer carries a secret: no cache may keep it.
        reply.header('cache-control', 'no-store');
        return reply.status(201).send({ key, apiKey: toItem(apiKey) });
      },
    );

    app.post(
      '/operator/api-keys/:id/revoke',
      {
        preValidation: async (request) => {
          requireRole(request, 'operator');
        },
        schema: {
          tags: ['operator'],
          summary: 'Revoke an integration API key',
          params: uuidParam,
          response: { 200: okBody },
        },
      },
      async (request) => {
        const session = requireRole(request, 'operator');
        await revokeApiKey(ctx, session.accountId, request.params.id);
        return { ok: true as const };
      },
    );
  };
}
