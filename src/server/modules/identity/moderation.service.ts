// Moderation: the queue of people waiting for a check, and the decisions on them.
// Every decision is audit-logged and announced to the account in one transaction.
import type { ModerationItem } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { notify } from '../notify/notify.service.js';
import { recordAudit } from '../region/audit.service.js';
import { fullName } from '../../../shared/person.js';
import { moderationResultEvent } from './identity.emails.js';
import { applyDecision, canDecide, type ModerationDecision, type PersonStatus } from './identity.rules.js';
import { findAccountById } from './identity.repository.js';
import {
  getPersonWithEmail,
  listDecisionHistory,
  listPendingWithEmail,
  lockPerson,
  setDecision,
  type DecisionHistoryRow,
  type PersonWithEmail,
} from './persons.repository.js';
import { toPersonDto } from './persons.service.js';

/** How many pending people one queue page shows (oldest first). */
export const QUEUE_PAGE = 200;

function reasonOf(details: unknown): string | null {
  if (details && typeof details === 'object' && 'reason' in details) {
    const r = (details as { reason: unknown }).reason;
    return typeof r === 'string' ? r : null;
  }
  return null;
}

function toItem(p: PersonWithEmail, history: DecisionHistoryRow[]): ModerationItem {
  return {
    ...toPersonDto(p),
    submittedAt: p.submittedAt.toISOString(),
    accountEmail: p.accountEmail,
    history: history
      .filter((h) => h.entityId === p.id)
      .map((h) => ({ at: h.at.toISOString(), action: h.action, reason: reasonOf(h.details) })),
  };
}

export async function moderationQueue(ctx: AppContext): Promise<ModerationItem[]> {
  const pending = await listPendingWithEmail(ctx.db, QUEUE_PAGE);
  const history = await listDecisionHistory(
    ctx.db,
    pending.map((p) => p.id),
  );
  return pending.map((p) => toItem(p, history));
}

export async function moderationItem(ctx: AppContext, personId: string): Promise<ModerationItem> {
  const p = await getPersonWithEmail(ctx.db, personId);
  if (!p) throw new AppError('NOT_FOUND');
  return toItem(p, await listDecisionHistory(ctx.db, [p.id]));
}

/**
 * Confirms or rejects a pending person. The row is locked, so when two moderators
 * decide at once exactly one succeeds and the other gets ALREADY_DECIDED.
 */
export async function decide(
  ctx: AppContext,
  moderatorAccountId: string,
  personId: string,
  decision: ModerationDecision,
  reason: string | null,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const person = await lockPerson(tx, personId);
    if (!person) throw new AppError('NOT_FOUND');
    if (!canDecide(person.status as PersonStatus)) throw new AppError('ALREADY_DECIDED');
    const next = applyDecision(decision, reason);
    await setDecision(tx, personId, { ...next, decidedBy: moderatorAccountId, now });
    await recordAudit(
      tx,
      {
        actorAccountId: moderatorAccountId,
        action: decision === 'confirm' ? 'person.confirm' : 'person.reject',
        entityType: 'person',
        entityId: personId,
        details: { reason: next.rejectReason },
      },
      now,
    );
    const account = await findAccountById(tx, person.accountId);
    if (!account) return;
    await notify(
      tx,
      { publicUrl: ctx.config.publicUrl },
      moderationResultEvent(
        account.id,
        // One decision per submission: the person and the submission instant identify it.
        `moderation_result:${personId}:${person.submittedAt.getTime()}`,
        next.status === 'confirmed' ? { status: 'confirmed' } : { status: 'rejected', reason: next.rejectReason ?? '' },
        { name: fullName(person), sex: person.sex === 'F' ? 'F' : 'M' },
      ),
      now,
    );
  });
}
