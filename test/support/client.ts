// An HTTP client over app.inject with a cookie jar and the CSRF header, like a browser.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

const CSRF_COOKIE = 'priyom_csrf';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && new Date(c.expires).getTime() <= 0);
      if (c.value === '' || expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
      // Like the web app, which reads the token from this cookie: it changes at sign-in and sign-out.
      if (c.name === CSRF_COOKIE && c.value !== '' && !expired) this.csrfToken = c.value;
    }
  }

  /** Loads /api/session once to receive the CSRF cookie, as the web app does. */
  async ensureCsrf(): Promise<string> {
    if (!this.csrfToken) {
      const res = await this.request<{ csrfToken: string }>('GET', '/api/session');
      this.csrfToken = res.body.csrfToken;
    }
    return this.csrfToken;
  }

  async request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<T>> {
    if (method !== 'GET' && !this.csrfToken && !('x-csrf-token' in headers)) await this.ensureCsrf();
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...(method !== 'GET' && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
    this.remember(res);
    let parsed: unknown = res.body;
    if ((res.headers['content-type'] ?? '').toString().includes('application/json')) parsed = res.json();
    return { status: res.statusCode, body: parsed as T, headers: res.headers, raw: res };
  }

  get<T = unknown>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = unknown>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body ?? {});
  }
  put<T = unknown>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body ?? {});
  }
  delete<T = unknown>(url: string) {
    return this.request<T>('DELETE', url);
  }
}
