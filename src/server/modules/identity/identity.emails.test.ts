import { describe, expect, it } from 'vitest';
import { pushPayloadOf, renderEventEmail } from '../notify/notify.rules.js';
import {
  MODERATION_RESULT_SUBJECT,
  moderationResultEvent,
  passwordResetEmail,
  signupConfirmEmail,
  signupExistingEmail,
} from './identity.emails.js';

const base = 'https://portal.example';

describe('identity e-mails', () => {
  it('sign-up confirmation carries the link with the token', () => {
    const m = signupConfirmEmail(base, 'tok_EN-123');
    expect(m.subject).toBe('Подтверждение адреса электронной почты');
    expect(m.text).toContain('https://portal.example/confirm-email?token=tok_EN-123');
    expect(m.html).toContain('https://portal.example/confirm-email?token=tok_EN-123');
    expect(m.text).toContain('24 часа');
  });

  it('repeated sign-up explains how to restore the password and carries no token', () => {
    const m = signupExistingEmail(base);
    expect(m.text).toContain('уже есть учётная запись');
    expect(m.text).toContain('https://portal.example/forgot-password');
    expect(m.text).not.toContain('token=');
  });

  it('password reset carries the link and says it lives one hour', () => {
    const m = passwordResetEmail(base, 'abcDEF_123');
    expect(m.subject).toBe('Восстановление пароля');
    expect(m.text).toContain('https://portal.example/reset-password?token=abcDEF_123');
    expect(m.text).toContain('1 час');
  });

  it('moderation result: confirmed names the person in the portal and the e-mail, never on the lock screen', () => {
    const event = moderationResultEvent(
      'acc-1',
      'moderation_result:p1:1',
      { status: 'confirmed' },
      { name: 'Иванова Анна Сергеевна', sex: 'F' },
    );
    expect(event.body).toBe(
      'Модератор подтвердил данные: Иванова Анна Сергеевна. Теперь для неё доступна запись на приём к врачу.',
    );
    expect(pushPayloadOf(event).body).not.toContain('Иванова');
    expect(event.title).not.toContain('Иванова');
    expect(event).toMatchObject({
      accountId: 'acc-1',
      kind: 'moderation_result',
      dedupKey: 'moderation_result:p1:1',
      link: '/cardfile',
    });
    expect(event.title).toBe(MODERATION_RESULT_SUBJECT);
    expect(event.body).toContain('подтвердил');
    const m = renderEventEmail(event, base);
    expect(m.subject).toBe(MODERATION_RESULT_SUBJECT);
    expect(m.text).toContain('подтвердил данные человека из вашей картотеки: Иванова Анна Сергеевна.');
    expect(m.text).toContain('Теперь для неё доступна запись на приём к врачу');
    expect(m.text).toContain('https://portal.example/cardfile');
  });

  it('moderation result: rejected gives the reason and the card-file link; HTML is escaped', () => {
    const event = moderationResultEvent(
      'acc-1',
      'moderation_result:p1:2',
      { status: 'rejected', reason: 'Полис <не> найден' },
      { name: 'Иванов Пётр Андреевич', sex: 'M' },
    );
    expect(event.body).toContain('Модератор отклонил данные: Иванов Пётр Андреевич.');
    // The in-portal entry gives the reason; the lock screen does not.
    expect(event.body).toContain('Причина: Полис <не> найден');
    expect(pushPayloadOf(event)).toEqual({
      title: MODERATION_RESULT_SUBJECT,
      body: 'Модератор отклонил данные человека из вашей картотеки. Причина и что исправить — в картотеке на портале.',
      url: '/cardfile',
    });
    const m = renderEventEmail(event, base);
    expect(m.subject).toBe(MODERATION_RESULT_SUBJECT);
    expect(m.text).toContain('Причина: Полис <не> найден');
    expect(m.text).toContain('отклонил их: Иванов Пётр Андреевич.');
    expect(m.text).toContain('запись на приём для него недоступна');
    expect(m.subject).not.toContain('Иванов');
    expect(m.html).toContain('Полис &lt;не&gt; найден');
    expect(m.html).not.toContain('<не>');
    expect(m.text).toContain('https://portal.example/cardfile');
  });
});
