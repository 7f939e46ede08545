// Notifications: other modules enqueue an e-mail in their own transaction (the outbox);
// the worker (outbox.worker.ts) delivers it with retries and back-off.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { accounts, notificationPreferences, notifications } from '../../db/schema.js';
import { insertEmail, type NewEmail } from './outbox.repository.js';

export type { NewEmail };

/** Enqueue inside the caller's transaction, so the e-mail exists if and only if the event does. */
export async function enqueueEmail(db: Db, email: NewEmail, now: Date): Promise<void> {
  await insertEmail(db, email, now);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * Builds the plain-text and HTML parts of a message from paragraphs and an optional
 * action link. Subjects never name the person or the doctor's specialty (medical secrecy).
 */
export function composeEmail(opts: {
  paragraphs: string[];
  action?: { label: string; url: string };
}): { text: string; html: string } {
  const textParts = [...opts.paragraphs];
  if (opts.action) textParts.push(`${opts.action.label}: ${opts.action.url}`);
  textParts.push('—\nРегиональный портал медицинских услуг «Приём».\nЭто письмо отправлено автоматически, отвечать на него не нужно.');
  const htmlParts = opts.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  if (opts.action) {
    htmlParts.push(
      `<p><a href="${escapeHtml(opts.action.url)}" style="display:inline-block;padding:10px 16px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(opts.action.label)}</a></p>`,
      `<p style="color:#555;font-size:13px">Если кнопка не работает, скопируйте ссылку в адресную строку: ${escapeHtml(opts.action.url)}</p>`,
    );
  }
  htmlParts.push(
    '<p style="color:#555;font-size:13px">Региональный портал медицинских услуг «Приём». Это письмо отправлено автоматически, отвечать на него не нужно.</p>',
  );
  const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;font-size:16px;color:#1a1a1a">${htmlParts.join('')}</body></html>`;
  return { text: textParts.join('\n\n'), html };
}

// ---------- events for people: in-portal list always, e-mail (and push) by preference ----------

export interface NotifyEvent {
  accountId: string;
  /** booking_made, booking_cancelled, waitlist_joined, waitlist_offer, offer_expiring, waitlist_removed, moderation_result, visit_reminder ... */
  kind: string;
  /** Unique per event and account; a repeat with the same key does nothing. */
  dedupKey: string;
  /** Short title for the in-portal list and push; never the person's name or the specialty. */
  title: string;
  /** One or two sentences for the in-portal list. */
  body: string;
  /** A path inside the portal, e.g. /offers/<id>. */
  link: string | null;
  email: { subject: string; paragraphs: string[]; actionLabel?: string };
}

/**
 * Records an event for an account inside the caller's transaction: the in-portal
 * notification (always) and the e-mail (when the account keeps e-mail on). The outbox
 * worker delivers the e-mail afterwards.
 */
export async function notify(db: Db, ctx: { publicUrl: string }, event: NotifyEvent, now: Date): Promise<void> {
  const inserted = await db
    .insert(notifications)
    .values({
      accountId: event.accountId,
      kind: event.kind,
      dedupKey: event.dedupKey,
      title: event.title,
      body: event.body,
      link: event.link,
      createdAt: now,
    })
    .onConflictDoNothing({ target: notifications.dedupKey })
    .returning({ id: notifications.id });
  if (inserted.length === 0) return; // the same event was recorded before
  const [account] = await db
    .select({ email: accounts.email, wantsEmail: notificationPreferences.email })
    .from(accounts)
    .leftJoin(notificationPreferences, eq(notificationPreferences.accountId, accounts.id))
    .where(eq(accounts.id, event.accountId));
  if (!account) return;
  if (account.wantsEmail !== false) {
    const action =
      event.link && event.email.actionLabel ? { label: event.email.actionLabel, url: `${ctx.publicUrl}${event.link}` } : undefined;
    const { text, html } = composeEmail({ paragraphs: event.email.paragraphs, action });
    await insertEmail(
      db,
      {
        accountId: event.accountId,
        kind: event.kind,
        dedupKey: `email:${event.dedupKey}`,
        to: account.email,
        subject: event.email.subject,
        text,
        html,
      },
      now,
    );
  }
}
