import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { PERMISSIONS_POLICY } from '../../src/server/security-headers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('the app shell', () => {
  it('gives an anonymous session with a CSRF token and security headers', async () => {
    const c = t.client();
    const res = await c.get<{ account: null; csrfToken: string }>('/api/session');
    expect(res.status).toBe(200);
    expect(res.body.account).toBeNull();
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends the Permissions-Policy on every answer: API, errors, FHIR, health', async () => {
    for (const url of ['/api/session', '/api/nope', '/fhir/R4/metadata', '/healthz']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['permissions-policy'], url).toBe(PERMISSIONS_POLICY);
      expect(String(res.headers['permissions-policy'])).toContain('camera=()');
    }
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CSRF_FAILED' });
  });

  it('answers unknown API paths with a coded 404', async () => {
    const res = await t.client().get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveProperty('openapi');
  });
});
