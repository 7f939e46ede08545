import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u@h/db',
  SESSION_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://mail.example.org:587',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('Web Push configuration', () => {
  it('is optional: without keys push is off (null), also in production', () => {
    expect(loadConfig(production).vapid).toBeNull();
    expect(loadConfig({}).vapid).toBeNull();
  });

  it('takes the three keys together', () => {
    const keys = webpush.generateVAPIDKeys();
    const c = loadConfig({
      ...production,
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.ru',
    });
    expect(c.vapid).toEqual({
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      subject: 'mailto:ops@example.ru',
    });
    expect(c.pushAllowLocalEndpoints).toBe(false);
    expect(loadConfig({}).pushAllowLocalEndpoints).toBe(true);
  });

  it('lists what is missing when only some are set', () => {
    const keys = webpush.generateVAPIDKeys();
    const problems = problemsOf({ ...production, VAPID_PUBLIC_KEY: keys.publicKey });
    expect(problems.some((p) => p.startsWith('VAPID_PRIVATE_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('VAPID_SUBJECT'))).toBe(true);
  });

  it('refuses malformed values and a public key of another pair', () => {
    const a = webpush.generateVAPIDKeys();
    const b = webpush.generateVAPIDKeys();
    expect(
      problemsOf({
        VAPID_PUBLIC_KEY: a.publicKey,
        VAPID_PRIVATE_KEY: b.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.ru',
      }),
    ).toEqual(['VAPID_PUBLIC_KEY: does not belong to VAPID_PRIVATE_KEY']);
    expect(
      problemsOf({
        VAPID_PUBLIC_KEY: 'short',
        VAPID_PRIVATE_KEY: a.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.ru',
      })[0],
    ).toMatch(/^VAPID_PUBLIC_KEY/);
    expect(
      problemsOf({
        VAPID_PUBLIC_KEY: a.publicKey,
        VAPID_PRIVATE_KEY: a.privateKey,
        VAPID_SUBJECT: 'http://portal.example',
      })[0],
    ).toMatch(/^VAPID_SUBJECT/);
  });
});
