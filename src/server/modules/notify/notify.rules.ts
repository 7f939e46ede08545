// Pure building blocks of notifications: the e-mail's text and HTML parts, and the Web
// Push payload. No I/O, no clock.

/** What notify() records for an account: see notify.service.ts. */
export interface NotifyEvent {
  accountId: string;
  /** booking_made, booking_cancelled, waitlist_joined, waitlist_offer, offer_expiring, waitlist_removed, moderation_result, visit_reminder ... */
  kind: string;
  /** Unique per event and account; a repeat with the same key does nothing. */
  dedupKey: string;
  /** Short title for the in-portal list and push; never the person's name or the specialty. */
  title: string;
  /**
   * One or two sentences for the in-portal list. Web Push shows it on a lock screen too
   * (unless `push` says otherwise), so never the person's name or the specialty here.
   */
  body: string;
  /** A path inside the portal, e.g. /offers/<id>. */
  link: string | null;
  email: { subject: string; paragraphs: string[]; actionLabel?: string };
  /**
   * What a lock screen may show, when `title`/`body` say more than that (a room, an
   * address, a moderator's reason). Defaults to `title` and `body`.
   */
  push?: { title: string; body: string };
}

export interface EmailParts {
  subject: string;
  text: string;
  html: string;
}

/** 'пятница, 27 ноября' -> 'Пятница, 27 ноября': a sentence that starts with a date. */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/**
 * Builds the plain-text and HTML parts of a message from paragraphs and an optional
 * action link. Subjects never name the person or the doctor's specialty (medical secrecy).
 */
export function composeEmail(opts: { paragraphs: string[]; action?: { label: string; url: string } }): {
  text: string;
  html: string;
} {
  const textParts = [...opts.paragraphs];
  if (opts.action) textParts.push(`${opts.action.label}: ${opts.action.url}`);
  textParts.push(
    '—\nРегиональный портал медицинских услуг «Приём».\nЭто письмо отправлено автоматически, отвечать на него не нужно.',
  );
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

/** The e-mail of an event: its paragraphs, and a button to the event's page when it has one. */
export function renderEventEmail(event: Pick<NotifyEvent, 'link' | 'email'>, publicUrl: string): EmailParts {
  const action =
    event.link && event.email.actionLabel
      ? { label: event.email.actionLabel, url: `${publicUrl}${event.link}` }
      : undefined;
  return { subject: event.email.subject, ...composeEmail({ paragraphs: event.email.paragraphs, action }) };
}

export interface PushPayload {
  title: string;
  body: string;
  /** A path inside the portal that a tap on the notification opens. */
  url: string;
}

export const PUSH_TITLE_MAX = 100;
export const PUSH_BODY_MAX = 300;

function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Only a path inside the portal may be opened from a notification; anything else opens the list. */
export function safePortalPath(link: string | null): string {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return '/notifications';
  return link;
}

/**
 * The Web Push payload of an event: {title, body, url}. Short (push services limit a
 * message to 4 kB) and discreet: the lock-screen text when the event gives one.
 */
export function pushPayloadOf(event: Pick<NotifyEvent, 'title' | 'body' | 'link' | 'push'>): PushPayload {
  const shown = event.push ?? { title: event.title, body: event.body };
  return {
    title: clip(shown.title, PUSH_TITLE_MAX),
    body: clip(shown.body, PUSH_BODY_MAX),
    url: safePortalPath(event.link),
  };
}
