// The web app's client and the session-bound CSRF token: a refused token (the cookie held an
// older session's) is refreshed from /api/session and the request sent once more — once.
// The browser is reduced to what the client touches: fetch and a one-cookie document.cookie.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from './api.js';

interface Sent {
  method: string;
  url: string;
  token: string | null;
}

/** A stand-in server: the current token is `current`; /api/session puts it in the cookie. */
function server(current: () => string) {
  const sent: Sent[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const token = (init.headers as Record<string, string> | undefined)?.['x-csrf-token'] ?? null;
      sent.push({ method, url, token });
      if (url === '/api/session') {
        document.cookie = `priyom_csrf=${current()}`;
        return json(200, { account: null, csrfToken: current() });
      }
      if (token !== current()) return json(403, { code: 'CSRF_FAILED', message: 'Обновите страницу.' });
      return json(200, { ok: true });
    }),
  );
  return sent;
}

beforeEach(() => {
  vi.stubGlobal('document', { cookie: '' });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api', () => {
  it('sends the token from the cookie', async () => {
    document.cookie = 'priyom_csrf=token-a';
    const sent = server(() => 'token-a');
    expect(await api.post('/api/notifications/read-all')).toEqual({ ok: true });
    expect(sent).toEqual([{ method: 'POST', url: '/api/notifications/read-all', token: 'token-a' }]);
  });

  it('refreshes a refused token from /api/session and sends the request once more', async () => {
    document.cookie = 'priyom_csrf=before-sign-in';
    const sent = server(() => 'after-sign-in');
    expect(await api.post('/api/notifications/read-all')).toEqual({ ok: true });
    expect(sent).toEqual([
      { method: 'POST', url: '/api/notifications/read-all', token: 'before-sign-in' },
      { method: 'GET', url: '/api/session', token: null },
      { method: 'POST', url: '/api/notifications/read-all', token: 'after-sign-in' },
    ]);
  });

  it('gives up after one refresh: a token refused again is the error', async () => {
    document.cookie = 'priyom_csrf=stale';
    let n = 0;
    const sent = server(() => `rotating-${n++}`);
    const error = await api.post('/api/notifications/read-all').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('CSRF_FAILED');
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(2);
  });
});
