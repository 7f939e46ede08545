// Notifications: other modules enqueue an e-mail in their own transaction (the outbox);
// the worker (outbox.worker.ts) delivers it with retries and back-off.
import type { Db } from '../../db/index.js';
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
