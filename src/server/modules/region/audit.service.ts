// The audit log: who did what and when. Details never carry personal data.
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, auditLog } from '../../db/schema.js';

export interface AuditEntryInput {
  actorAccountId: string | null;
  /** e.g. person.confirm, person.reject, settings.update, organisation.update */
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: AuditEntryInput, now: Date): Promise<void> {
  await db.insert(auditLog).values({
    at: now,
    actorAccountId: entry.actorAccountId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    details: entry.details ?? {},
  });
}

/**
 * The newest entries; with `organisationId`, only that organisation's: the organisation itself
 * and every entry whose details name it (its doctors, schedules, desk actions, API keys).
 */
export async function listAudit(db: Db, limit: number, organisationId?: number) {
  const scope =
    organisationId === undefined
      ? undefined
      : or(
          and(eq(auditLog.entityType, 'organisation'), eq(auditLog.entityId, String(organisationId))),
          sql`${auditLog.details} ->> 'organisationId' = ${String(organisationId)}`,
        );
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actor: accounts.email,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.actorAccountId))
    .where(scope)
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, details: (r.details ?? {}) as Record<string, unknown> }));
}
