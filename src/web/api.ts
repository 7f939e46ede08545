// The web app's HTTP client: JSON, the CSRF header on state-changing calls, and errors
// as ApiError carrying the server's code, Russian message and per-field messages.
import type { ErrorBody } from '../shared/api/index.js';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly fields: Record<string, string> = {},
    /** Extra facts of the refusal for the page (e.g. SLOT_TAKEN's free times). */
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function csrfFromCookie(): string | null {
  const m = document.cookie.match(/(?:^|;\s*)priyom_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}

let csrfPromise: Promise<string> | null = null;
async function csrfToken(): Promise<string> {
  const fromCookie = csrfFromCookie();
  if (fromCookie) return fromCookie;
  csrfPromise ??= fetch('/api/session', { credentials: 'same-origin' })
    .then((r) => r.json() as Promise<{ csrfToken: string }>)
    .then((b) => b.csrfToken)
    .finally(() => {
      csrfPromise = null;
    });
  return csrfPromise;
}

/** Asks the server for this browser's current CSRF token (it sets the cookie too). */
async function freshCsrfToken(): Promise<string> {
  const r = await fetch('/api/session', { credentials: 'same-origin' });
  return ((await r.json()) as { csrfToken: string }).csrfToken;
}

async function request<T>(method: string, url: string, body?: unknown, csrfRetry = true): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = await csrfToken();
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Нет связи с порталом. Проверьте подключение к интернету и попробуйте снова.');
  }
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  // The token is bound to the session: after a sign-in or sign-out in another tab (or an
  // answer that landed out of order) the cookie may hold an older one. Refresh it once.
  if (res.status === 403 && (data as Partial<ErrorBody> | null)?.code === 'CSRF_FAILED' && csrfRetry) {
    try {
      await freshCsrfToken();
    } catch {
      throw new ApiError(0, 'NETWORK', 'Нет связи с порталом. Проверьте подключение к интернету и попробуйте снова.');
    }
    return request<T>(method, url, body, false);
  }
  if (!res.ok) {
    const e = (data ?? {}) as Partial<ErrorBody>;
    throw new ApiError(
      res.status,
      e.code ?? 'INTERNAL',
      e.message ?? 'Что-то пошло не так. Попробуйте ещё раз немного позже.',
      e.fields ?? {},
      e.details ?? {},
    );
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body: unknown = {}) => request<T>('POST', url, body),
  put: <T>(url: string, body: unknown = {}) => request<T>('PUT', url, body),
  delete: <T>(url: string) => request<T>('DELETE', url),
};
