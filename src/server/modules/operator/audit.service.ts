// The audit log: who did what and when. Details never carry personal data.
import { desc, eq } from 'drizzle-orm';
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

export async function listAudit(db: Db, limit: number) {
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
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, details: (r.details ?? {}) as Record<string, unknown> }));
}
