// Delivers outbox messages. Several processes may run it: rows are claimed with
// SKIP LOCKED and a lease, so a message is sent once; a crash mid-send leaves the lease
// to expire and the message is retried.
import type { AppContext } from '../../context.js';
import type { MailTransport } from './mail.transport.js';
import { outbox } from '../../db/schema.js';
import { releaseLeases } from './lease.js';
import { claimDue, markFailedAttempt, markSent } from './outbox.repository.js';
import { nextAttemptDelayMs } from './outbox.rules.js';

export interface OutboxLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Processes due messages once; returns how many were claimed. When `stopping()` turns true
 * (shutdown) the messages not yet sent are handed back at once rather than left leased.
 */
export async function deliverDue(
  ctx: AppContext,
  transport: MailTransport,
  log: OutboxLogger,
  batch = 20,
  stopping: () => boolean = () => false,
): Promise<number> {
  const due = await claimDue(ctx.db, ctx.now(), batch, 60_000);
  for (const [i, row] of due.entries()) {
    if (stopping()) {
      await releaseLeases(
        ctx.db,
        outbox,
        outbox,
        due.slice(i).map((r) => r.id),
      );
      break;
    }
    try {
      await transport.send({
        outboxId: row.id,
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
      });
    } catch (err) {
      const attempts = row.attempts + 1;
      const delay = nextAttemptDelayMs(attempts);
      const next = delay === null ? null : new Date(ctx.now().getTime() + delay);
      // The error text from SMTP may echo the address: log only the outbox id and kind.
      log.warn({ outboxId: row.id, kind: row.kind, attempts }, 'e-mail delivery failed');
      await markFailedAttempt(ctx.db, row.id, attempts, next, err instanceof Error ? err.message : String(err));
      continue;
    }
    // Sent. If the database is gone now, this throws and the worker's loop tries again later;
    // the lease runs out and the message goes again (at least once), never counted as failed.
    await markSent(ctx.db, row.id, ctx.now());
  }
  return due.length;
}
