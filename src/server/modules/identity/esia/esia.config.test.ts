// ЕСИА's settings in config.ts: the stand-in by default in demo mode, off in tests and
// production unless asked for, and production refuses the development signer and stand-in.
import { describe, expect, it } from 'vitest';
import { ConfigError, ESIA_DEV_KEY, loadConfig } from '../../../config.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u@h/db',
  SESSION_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://mail.example.org:587',
  PUBLIC_URL: 'https://portal.example.ru',
};

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  throw new Error('the configuration was accepted');
}

describe('ЕСИА configuration', () => {
  it('demo mode: the bundled stand-in, the development signer, the callback on the public URL', () => {
    const c = loadConfig({ PORT: '3211', HOST: '0.0.0.0', PUBLIC_URL: 'http://demo.local:8080/' });
    expect(c.esia).toEqual({
      clientId: 'PRIYOM',
      baseUrl: 'http://demo.local:8080/esia-standin',
      // The server reaches its own stand-in on the listening port, not through the public address.
      apiBaseUrl: 'http://127.0.0.1:3211/esia-standin',
      redirectUri: 'http://demo.local:8080/api/esia/callback',
      signer: { kind: 'dev', key: ESIA_DEV_KEY },
      timeoutMs: 10_000,
      standin: true,
    });
  });

  it('off outside demo mode unless enabled; a real ЕСИА address turns the stand-in off', () => {
    expect(loadConfig({ NODE_ENV: 'test', DEMO: '0' }).esia).toBeNull();
    const c = loadConfig({
      NODE_ENV: 'test',
      DEMO: '0',
      ESIA_ENABLED: '1',
      ESIA_BASE_URL: 'https://esia-portal1.test.gosuslugi.ru/',
      ESIA_CLIENT_ID: 'PRIYOM-TEST',
    });
    expect(c.esia).toMatchObject({
      standin: false,
      baseUrl: 'https://esia-portal1.test.gosuslugi.ru',
      apiBaseUrl: 'https://esia-portal1.test.gosuslugi.ru',
      clientId: 'PRIYOM-TEST',
    });
    expect(loadConfig({ DEMO: '1', ESIA_ENABLED: '0' }).esia).toBeNull();
  });

  it('production with ЕСИА needs the client id, the address and the signing service', () => {
    expect(loadConfig(production).esia).toBeNull();
    const problems = problemsOf({ ...production, ESIA_ENABLED: '1' });
    expect(problems).toContain('ESIA_CLIENT_ID');
    expect(problems).toContain('ESIA_BASE_URL');
    expect(problems).toContain('ESIA_SIGNER_URL');
    expect(
      problemsOf({
        ...production,
        ESIA_CLIENT_ID: 'PRIYOM',
        ESIA_BASE_URL: 'https://esia.gosuslugi.ru',
        ESIA_SIGNER: 'dev',
      }),
    ).toContain('ESIA_SIGNER: production needs the signing service');
    expect(
      problemsOf({
        ...production,
        ESIA_CLIENT_ID: 'PRIYOM',
        ESIA_BASE_URL: 'https://esia.gosuslugi.ru',
        ESIA_SIGNER_URL: 'http://127.0.0.1:9010',
        ESIA_STANDIN: '1',
      }),
    ).toContain('ESIA_STANDIN');
    const ok = loadConfig({
      ...production,
      ESIA_CLIENT_ID: 'PRIYOM',
      ESIA_BASE_URL: 'https://esia.gosuslugi.ru',
      ESIA_SIGNER_URL: 'http://127.0.0.1:9010/',
      ESIA_SIGNER_TOKEN: 'a-token-for-the-signer-0001',
    });
    expect(ok.esia).toEqual({
      clientId: 'PRIYOM',
      baseUrl: 'https://esia.gosuslugi.ru',
      apiBaseUrl: 'https://esia.gosuslugi.ru',
      redirectUri: 'https://portal.example.ru/api/esia/callback',
      signer: { kind: 'http', url: 'http://127.0.0.1:9010', token: 'a-token-for-the-signer-0001' },
      timeoutMs: 10_000,
      standin: false,
    });
  });

  it('reports malformed values', () => {
    const problems = problemsOf({
      ESIA_CLIENT_ID: 'no spaces please',
      ESIA_DEV_KEY: 'short',
      ESIA_SIGNER: 'gost',
      ESIA_TIMEOUT_MS: '5',
    });
    for (const v of ['ESIA_CLIENT_ID', 'ESIA_DEV_KEY', 'ESIA_SIGNER', 'ESIA_TIMEOUT_MS']) expect(problems).toContain(v);
    expect(problemsOf({ ESIA_SIGNER: 'http' })).toContain('ESIA_SIGNER_URL: required with ESIA_SIGNER=http');
  });
});
