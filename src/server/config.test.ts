import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs in demo mode on the embedded database by default', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.demo).toBe(true);
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toBe('./data');
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('refuses to start in production without its settings and lists each one', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('SESSION_SECRET');
      expect(problems).toContain('SMTP_URL');
    }
  });

  it('never loads demo data in production', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@h/db',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://mail.example.org:587',
    };
    expect(loadConfig(base).demo).toBe(false);
    expect(loadConfig(base).secureCookies).toBe(true);
    expect(() => loadConfig({ ...base, DEMO: '1' })).toThrow(/DEMO/);
  });

  it('reads BOOKING_GROUPS (unset: the cores decide; a whole number from 1)', () => {
    expect(loadConfig({}).bookingGroups).toBeNull();
    expect(loadConfig({ BOOKING_GROUPS: '1' }).bookingGroups).toBe(1);
    expect(() => loadConfig({ BOOKING_GROUPS: '0' })).toThrow(/BOOKING_GROUPS/);
    expect(() => loadConfig({ BOOKING_GROUPS: '1.5' })).toThrow(/BOOKING_GROUPS/);
  });

  it('reads HEAP_GROWING_PERCENT (60 by default, 0: V8 decides)', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(60);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '150' }).heapGrowingPercent).toBe(150);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-1' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('sizes the PostgreSQL pools from DATABASE_POOL_SIZE (10 by default)', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '16' }).databasePoolSize).toBe(16);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('trusts no proxy unless TRUST_PROXY says so, in every environment', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).trustProxy).toBe(false);
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://p@db/priyom',
      SESSION_SECRET: 'x'.repeat(32),
      SMTP_URL: 'smtp://mail:25',
    };
    expect(loadConfig(production).trustProxy).toBe(false);
    expect(loadConfig({ ...production, TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
  });

  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.7', ['10.0.0.0/8', '192.168.1.7']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ] as const)('reads TRUST_PROXY=%j as %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    '0',
    '17',
    'yes',
    'nginx',
    '10.0.0.0/33',
    '::1/129',
    '127.0.0.1,',
    '10.0.0.1/8/8',
    '300.1.1.1',
    '10.0.0.0/abc',
  ])('refuses TRUST_PROXY=%j by name', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('lists a bad TRUST_PROXY with the other bad variables, naming each bad entry', () => {
    try {
      loadConfig({ TRUST_PROXY: '127.0.0.1,proxy.local,10.0.0.0/99', VAPID_SUBJECT: 'mailto:ops@example.org' });
      expect.unreachable();
    } catch (e) {
      const problems = (e as ConfigError).problems;
      expect(
        problems.some(
          (p) => p.startsWith('TRUST_PROXY:') && p.includes('"proxy.local"') && p.includes('"10.0.0.0/99"'),
        ),
      ).toBe(true);
      expect(problems.some((p) => p.startsWith('TRUST_PROXY:') && p.includes('"127.0.0.1"'))).toBe(false);
      expect(problems.some((p) => p.startsWith('VAPID_PUBLIC_KEY'))).toBe(true);
    }
  });

  it('reads the patient rate limits per minute (waitlist 10, token checks 10, other changes 60 by default)', () => {
    expect(loadConfig({}).rateLimit).toMatchObject({ waitlistPerMinute: 10, tokenPerMinute: 10, patientPerMinute: 60 });
    const c = loadConfig({ WAITLIST_RATE_PER_MINUTE: '3', TOKEN_RATE_PER_MINUTE: '5', PATIENT_RATE_PER_MINUTE: '120' });
    expect(c.rateLimit).toMatchObject({ waitlistPerMinute: 3, tokenPerMinute: 5, patientPerMinute: 120 });
    for (const [name, value] of [
      ['WAITLIST_RATE_PER_MINUTE', '0'],
      ['TOKEN_RATE_PER_MINUTE', 'many'],
      ['PATIENT_RATE_PER_MINUTE', '2.5'],
    ]) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(new RegExp(name));
    }
  });

  it('reports malformed values', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});
