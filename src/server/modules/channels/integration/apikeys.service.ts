// Integration API keys: the operator issues a key for one organisation and one channel (the
// full key is returned once and never stored: only its HMAC and a short prefix), lists and
// revokes keys; every issue and revoke is audit-logged. authenticateKey() is the look-up
// behind every integration request.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { hmac } from '../../session/session.js';
import { recordAudit } from '../../region/audit.service.js';
import {
  findApiKeyByHash,
  findApiKeyById,
  insertApiKey,
  listApiKeys,
  markRevoked,
  organisationExists,
  recordUse,
  type ApiKeyListRow,
} from './apikeys.repository.js';
import {
  keyFromRandom,
  keyPrefixOf,
  LAST_USED_INTERVAL_MS,
  shouldRecordUse,
  type ApiChannel,
} from './apikeys.rules.js';

/** The caller of an integration request, as the key says. */
export interface ApiCaller {
  apiKeyId: string;
  organisationId: number;
  channel: ApiChannel;
}

/** The key's HMAC under the session secret (the same construction as session tokens). */
function keyHashOf(ctx: AppContext, key: string): string {
  return hmac(ctx.config.sessionSecret, `api-key:${key}`);
}

export async function issueApiKey(
  ctx: AppContext,
  operatorAccountId: string,
  input: { organisationId: number; channel: ApiChannel; label: string },
): Promise<{ key: string; apiKey: ApiKeyListRow }> {
  const now = ctx.now();
  const key = keyFromRandom(randomBytes(32).toString('base64url'));
  const id = await ctx.db.transaction(async (tx) => {
    if (!(await organisationExists(tx, input.organisationId))) throw new AppError('ORGANISATION_NOT_FOUND');
    const row = await insertApiKey(tx, {
      ...input,
      keyHash: keyHashOf(ctx, key),
      keyPrefix: keyPrefixOf(key),
      createdBy: operatorAccountId,
      now,
    });
    await recordAudit(
      tx,
      {
        actorAccountId: operatorAccountId,
        action: 'apikey.issue',
        entityType: 'api_key',
        entityId: row.id,
        details: {
          organisationId: input.organisationId,
          channel: input.channel,
          label: input.label,
          prefix: row.keyPrefix,
        },
      },
      now,
    );
    return row.id;
  });
  const [listed] = await listApiKeys(ctx.db, id);
  if (!listed) throw new Error('the issued key is missing');
  return { key, apiKey: listed };
}

export async function listKeys(ctx: AppContext): Promise<ApiKeyListRow[]> {
  return listApiKeys(ctx.db);
}

export async function revokeApiKey(ctx: AppContext, operatorAccountId: string, id: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const row = await findApiKeyById(tx, id, true);
    if (!row) throw new AppError('API_KEY_NOT_FOUND');
    if (row.revokedAt) throw new AppError('API_KEY_ALREADY_REVOKED');
    await markRevoked(tx, id, operatorAccountId, now);
    await recordAudit(
      tx,
      {
        actorAccountId: operatorAccountId,
        action: 'apikey.revoke',
        entityType: 'api_key',
        entityId: id,
        details: { organisationId: row.organisationId, channel: row.channel, label: row.label, prefix: row.keyPrefix },
      },
      now,
    );
  });
}

/**
 * The caller behind a presented key: API_KEY_INVALID for an unknown key, API_KEY_REVOKED
 * for a revoked one. Writes the last use at most once a minute per key.
 */
export async function authenticateKey(ctx: AppContext, key: string): Promise<ApiCaller> {
  const row = await findApiKeyByHash(ctx.db, keyHashOf(ctx, key));
  if (!row) throw new AppError('API_KEY_INVALID');
  if (row.revokedAt) throw new AppError('API_KEY_REVOKED');
  const now = ctx.now();
  if (shouldRecordUse(row.lastUsedAt, now)) await recordUse(ctx.db, row.id, now, LAST_USED_INTERVAL_MS);
  return { apiKeyId: row.id, organisationId: row.organisationId, channel: row.channel as ApiChannel };
}
