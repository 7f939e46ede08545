import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS_POLICY, securityHeaders, securityHeadersPlugin } from './security-headers.js';

const options = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
  },
  hsts: false,
};

describe('securityHeaders', () => {
  it('is the set helmet would write for the options', () => {
    const h = securityHeaders(options);
    // helmet adds its default directives to the given ones.
    expect(h['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'none';.*object-src 'none'/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ ...options, hsts: true })['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('denies every browser feature the portal does not use and keeps what it uses', () => {
    const policy = new Map(
      securityHeaders(options)
        ['permissions-policy'].split(', ')
        .map((d) => d.split('=') as [string, string]),
    );
    for (const feature of [
      'camera',
      'microphone',
      'geolocation',
      'payment',
      'usb',
      'interest-cohort',
      'browsing-topics',
      'fullscreen',
      'clipboard-read',
    ]) {
      expect(policy.get(feature), feature).toBe('()');
    }
    // Copying a new API key to the clipboard (staff/ApiKeys.tsx), from the portal only.
    expect(policy.get('clipboard-write')).toBe('(self)');
    // Every directive is well-formed: a feature and an allowlist of none or self.
    for (const [feature, allow] of policy) {
      expect(feature).toMatch(/^[a-z-]+$/);
      expect(['()', '(self)']).toContain(allow);
    }
  });

  it('refuses options helmet refuses', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ['self'] } } }),
    ).toThrow();
  });

  it('puts them on every reply, errors included, and lets a route override one', async () => {
    const app = Fastify();
    await app.register(securityHeadersPlugin, { options });
    app.get('/ok', async () => ({ ok: true }));
    app.get('/framed', async (_req, reply) => reply.header('x-frame-options', 'DENY').send('x'));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    for (const url of ['/ok', '/boom', '/missing']) {
      const res = await app.inject({ url });
      expect(res.headers['content-security-policy']).toBe(securityHeaders(options)['content-security-policy']);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    }
    expect((await app.inject({ url: '/framed' })).headers['x-frame-options']).toBe('DENY');
    await app.close();
  });
});
