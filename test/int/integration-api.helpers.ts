// Helpers of the integration API tests: keys issued by an operator through HTTP, calls with a
// key, and quick counts of what is written.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/server/db/index.js';
import type { ApiKeyIssued } from '../../src/shared/api/index.js';
import type { TestClient } from '../support/client.js';
import type { TestContext } from '../support/context.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A call as a clinic system: the key in `Authorization: Bearer` (or in X-Api-Key with `via`). */
export async function apiCall<T = Record<string, unknown>>(
  t: TestContext,
  method: 'GET' | 'POST',
  url: string,
  key: string | null,
  body?: unknown,
  opts: { via?: 'bearer' | 'x-api-key'; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (key !== null) {
    if (opts.via === 'x-api-key') headers['x-api-key'] = key;
    else headers.authorization = `Bearer ${key}`;
  }
  const res = await t.app.inject({
    method,
    url,
    headers,
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  const text = res.body;
  return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** Issues a key through the operator API and returns the full key and its id. */
export async function issueKey(
  operator: TestClient,
  input: {
    organisationId: number;
    channel: 'electronic_queue' | 'registry' | 'doctor' | 'infomat' | 'mis';
    label?: string;
  },
): Promise<{ key: string; id: string }> {
  const res = await operator.post<ApiKeyIssued>('/api/operator/api-keys', { label: 'Тестовый ключ', ...input });
  if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { key: res.body.key, id: res.body.apiKey.id };
}

/** Row counts of the tables a push or a status change writes. */
export async function writtenCounts(
  t: TestContext,
): Promise<{ appointments: number; persons: number; bookedSlots: number; audit: number }> {
  const rows = await queryRows<{ a: string; p: string; s: string; l: string }>(
    t.ctx.db,
    sql`select (select count(*) from appointments) as a, (select count(*) from persons) as p,
               (select count(*) from slots where status <> 'free') as s, (select count(*) from audit_log) as l`,
  );
  return {
    appointments: Number(rows[0].a),
    persons: Number(rows[0].p),
    bookedSlots: Number(rows[0].s),
    audit: Number(rows[0].l),
  };
}

/**
 * GET of the change feed, again until `done` holds (or 15 s pass). On PostgreSQL a change is
 * readable once every older writing transaction of the server has finished — another test
 * file's, say — so a test waits that moment instead of expecting it at once.
 */
export async function feedUntil<T extends { appointments: unknown[] }>(
  t: TestContext,
  url: string,
  key: string,
  done: (body: T) => boolean,
  ms = 15_000,
): Promise<ApiResponse<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const res = await apiCall<T>(t, 'GET', url, key);
    if (res.status !== 200 || done(res.body) || Date.now() > until) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
