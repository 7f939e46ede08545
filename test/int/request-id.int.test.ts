// Request ids through HTTP: every answer carries X-Request-Id and every log line of the request
// the same id (pino's reqId); an incoming X-Request-Id is kept only from a trusted proxy
// (TRUST_PROXY) and only when it is plain and short; the log still holds no personal data.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/server/app.js';
import { createAccount } from '../factories/identity.js';
import { createTestContext, testConfig, type TestContext } from '../support/context.js';

class LogLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

let t: TestContext;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await t.close();
});

async function instance(env: Record<string, string>): Promise<{ app: FastifyInstance; log: LogLines }> {
  const log = new LogLines();
  const config = testConfig({ ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), ...env });
  const app = await build({ ...t.ctx, config }, { logger: { level: 'info', stream: log } });
  await app.ready();
  apps.push(app);
  return { app, log };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  it('names each answer and every log line of its request; no personal data in the lines', async () => {
    const { app, log } = await instance({});
    const account = await createAccount(t.ctx);
    const first = await app.inject({ method: 'GET', url: '/healthz' });
    const second = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(second.statusCode).toBe(404);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: account.email, password: 'Wrong-password-9' },
    });
    const loginId = login.headers['x-request-id'];
    expect(loginId).toMatch(UUID);
    const lines = log.lines.filter((l) => l.reqId === loginId);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    // Every line written while serving a request carries its id.
    for (const line of log.lines.filter((l) => l.req || l.res)) expect(ids.concat(loginId)).toContain(line.reqId);
    expect(JSON.stringify(log.lines)).not.toContain(account.email);
  });

  it("keeps a trusted proxy's id, and only a plain one", async () => {
    const { app } = await instance({ TRUST_PROXY: '127.0.0.1' });
    const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a1b2c3d4e5f6' } });
    expect(kept.headers['x-request-id']).toBe('a1b2c3d4e5f6');
    for (const bad of ['has space', 'x'.repeat(65), 'Иванов']) {
      const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('makes its own id when the id comes from a client that is not a trusted proxy', async () => {
    const { app } = await instance({});
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'chosen-by-client' } });
    expect(res.headers['x-request-id']).toMatch(UUID);
  });
});
