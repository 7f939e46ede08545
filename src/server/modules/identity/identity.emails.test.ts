import { describe, expect, it } from 'vitest';
import {
  MODERATION_RESULT_SUBJECT,
  moderationResultEmail,
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

  it('moderation result: confirmed says booking is available', () => {
    const m = moderationResultEmail(base, { status: 'confirmed' });
    expect(m.subject).toBe(MODERATION_RESULT_SUBJECT);
    expect(m.text).toContain('подтвердил');
    expect(m.text).toContain('запись на приём к врачу');
    expect(m.text).toContain('https://portal.example/cardfile');
  });

  it('moderation result: rejected gives the reason and the card-file link; HTML is escaped', () => {
    const m = moderationResultEmail(base, { status: 'rejected', reason: 'Полис <не> найден' });
    expect(m.subject).toBe(MODERATION_RESULT_SUBJECT);
    expect(m.text).toContain('Причина: Полис <не> найден');
    expect(m.html).toContain('Полис &lt;не&gt; найден');
    expect(m.html).not.toContain('<не>');
    expect(m.text).toContain('https://portal.example/cardfile');
  });
});
