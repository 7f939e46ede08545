// API calls of a second actor in a browser test (another patient, the moderator, the operator),
// on Playwright's request context with its own cookies: the CSRF token read from the session.
import { expect, type APIRequestContext } from '@playwright/test';
import type { SessionResponse } from '../../src/shared/api/index.js';

export async function csrf(req: APIRequestContext): Promise<string> {
  return ((await (await req.get('/api/session')).json()) as SessionResponse).csrfToken;
}

export async function call(req: APIRequestContext, method: 'POST' | 'PUT', url: string, data: unknown = {}) {
  return req.fetch(url, { method, data, headers: { 'x-csrf-token': await csrf(req) } });
}

export async function callOk<T>(
  req: APIRequestContext,
  method: 'POST' | 'PUT',
  url: string,
  data: unknown = {},
): Promise<T> {
  const res = await call(req, method, url, data);
  expect(res.ok(), `${method} ${url} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

export async function getJson<T>(req: APIRequestContext, url: string): Promise<T> {
  const res = await req.get(url);
  expect(res.ok(), `GET ${url} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}
