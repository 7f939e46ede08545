import { describe, expect, it } from 'vitest';
import {
  composeEmail,
  pushPayloadOf,
  PUSH_BODY_MAX,
  renderEventEmail,
  safePortalPath,
  type NotifyEvent,
} from './notify.rules.js';

const event: NotifyEvent = {
  accountId: 'acc-1',
  kind: 'booking_made',
  dedupKey: 'booking_made:a1',
  title: 'Вы записаны на приём',
  body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время), кабинет 214.',
  link: '/appointments/a1',
  email: {
    subject: 'Вы записаны на приём',
    paragraphs: ['Здравствуйте!', 'Врач: <Петров>'],
    actionLabel: 'Открыть запись',
  },
};

describe('renderEventEmail', () => {
  it('builds the text and HTML parts with an absolute link to the event’s page', () => {
    const m = renderEventEmail(event, 'https://portal.example');
    expect(m.subject).toBe('Вы записаны на приём');
    expect(m.text).toContain('Открыть запись: https://portal.example/appointments/a1');
    expect(m.html).toContain('href="https://portal.example/appointments/a1"');
    expect(m.html).toContain('Врач: &lt;Петров&gt;');
    expect(m.html).not.toContain('<Петров>');
    expect(m.html.startsWith('<!doctype html><html lang="ru">')).toBe(true);
  });

  it('has no button without a link or a label', () => {
    expect(renderEventEmail({ ...event, link: null }, 'https://portal.example').text).not.toContain('https://');
    const noLabel = renderEventEmail(
      { ...event, email: { ...event.email, actionLabel: undefined } },
      'https://portal.example',
    );
    expect(noLabel.html).not.toContain('<a ');
  });

  it('matches composeEmail for the same paragraphs and action', () => {
    const m = renderEventEmail(event, 'https://p');
    const c = composeEmail({
      paragraphs: event.email.paragraphs,
      action: { label: 'Открыть запись', url: 'https://p/appointments/a1' },
    });
    expect({ text: m.text, html: m.html }).toEqual(c);
  });
});

describe('pushPayloadOf', () => {
  it('is {title, body, url} from the event', () => {
    expect(pushPayloadOf(event)).toEqual({
      title: 'Вы записаны на приём',
      body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время), кабинет 214.',
      url: '/appointments/a1',
    });
  });

  it('prefers the lock-screen text when the event gives one', () => {
    const p = pushPayloadOf({
      ...event,
      push: { title: 'Напоминание', body: 'Завтра приём. Подробности — на портале.' },
    });
    expect(p).toEqual({
      title: 'Напоминание',
      body: 'Завтра приём. Подробности — на портале.',
      url: '/appointments/a1',
    });
  });

  it('keeps the payload short: long text is cut with an ellipsis, whitespace folded', () => {
    const p = pushPayloadOf({ ...event, body: `Строка\n\n${'а'.repeat(1000)}` });
    expect(p.body.length).toBe(PUSH_BODY_MAX);
    expect(p.body.endsWith('…')).toBe(true);
    expect(p.body.startsWith('Строка а')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(3000);
  });

  it.each([
    [null, '/notifications'],
    ['/cardfile', '/cardfile'],
    ['/offers/5?x=1', '/offers/5?x=1'],
    ['https://evil.example/', '/notifications'],
    ['//evil.example/', '/notifications'],
    ['/\\evil.example', '/notifications'],
    ['javascript:alert(1)', '/notifications'],
  ])('opens only portal paths: %s -> %s', (link, url) => {
    expect(safePortalPath(link)).toBe(url);
    expect(pushPayloadOf({ ...event, link }).url).toBe(url);
  });
});
