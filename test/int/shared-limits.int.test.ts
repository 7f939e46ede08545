// The limits shared through Redis (src/server/shared-limits.ts): two app instances on one
// database and one Redis count the same attempts (login, the patient's families, the kiosk's
// identification), so a client behind a balancer gets the limit once, not once per instance.
// With Redis down (a closed port) the limits fail open for reads and bookings and closed for
// sign-in and the kiosk's identification, and the outage is logged once. Needs the Redis on
// 127.0.0.1:6379; every test has its own key prefix.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/server/app.js';
import { accounts, appointments, sessions } from '../../src/server/db/schema.js';
import { errorCatalogue } from '../../src/server/errors.js';
import { hmac, randomToken, SESSION_COOKIE } from '../../src/server/modules/session/session.js';
import { redisReady } from '../../src/server/shared-limits.js';
import { TestClient } from '../support/client.js';
import { createTestContext, testConfig, type TestContext } from '../support/context.js';
import { createBookableSetup } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';

const REDIS_URL = process.env.PRIYOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Nothing listens here: Redis is "down". */
const CLOSED_REDIS_URL = 'redis://127.0.0.1:1';

let t: TestContext;
const apps: FastifyInstance[] = [];
const prefixes: string[] = [];
let admin: Redis;

beforeAll(async () => {
  t = await createTestContext();
  admin = new Redis(REDIS_URL);
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
  }
  admin.disconnect();
  await t.close();
});

/** Log lines an instance wrote (pino JSON), for the "logged once" checks. */
class LogLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

/** Another instance on the test's database with its own config (the same session secret). */
async function instance(env: Record<string, string>, log?: LogLines): Promise<FastifyInstance> {
  const config = testConfig({ ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), ...env });
  const app = await build({ ...t.ctx, config }, { logger: log ? { level: 'info', stream: log } : false });
  await app.ready();
  apps.push(app);
  if (app.sharedLimits.redis && env.REDIS_URL === REDIS_URL) {
    expect(await redisReady(app.sharedLimits.redis, 2_000)).toBe(true);
  }
  return app;
}

/** Two instances sharing one Redis under a prefix of this test's own. */
async function twoInstances(env: Record<string, string>) {
  const prefix = `priyom-test-${randomBytes(4).toString('hex')}:`;
  prefixes.push(prefix);
  const shared = { REDIS_URL, REDIS_KEY_PREFIX: prefix, ...env };
  return { a: await instance(shared), b: await instance(shared), prefix };
}

async function signedIn(app: FastifyInstance, accountId: string): Promise<TestClient> {
  const token = randomToken();
  await t.ctx.db.insert(sessions).values({
    idHash: hmac(t.config.sessionSecret, token),
    accountId,
    authMethod: 'password',
    createdAt: t.ctx.now(),
    expiresAt: new Date(t.ctx.now().getTime() + 86_400_000),
  });
  const client = new TestClient(app);
  client.cookies.set(SESSION_COOKIE, token);
  await client.ensureCsrf();
  return client;
}

/** The same browser (cookies, CSRF token) talking to another instance. */
function sameBrowserOn(app: FastifyInstance, client: TestClient): TestClient {
  const other = new TestClient(app);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  other.csrfToken = client.csrfToken;
  return other;
}

describe('with Redis', () => {
  it('counts login attempts across instances: the limit holds once, not per instance', async () => {
    const { a, b, prefix } = await twoInstances({ LOGIN_RATE_PER_MINUTE: '4' });
    const account = await createAccount(t.ctx);
    const onA = new TestClient(a);
    const onB = sameBrowserOn(b, onA);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await onA.post('/api/auth/login', { email: account.email, password: 'Wrong-password-9' })).status);
      statuses.push((await onB.post('/api/auth/login', { email: account.email, password: 'Wrong-password-9' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const blocked = await onA.post('/api/auth/login', { email: account.email, password: account.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ code: 'RATE_LIMITED', message: errorCatalogue.RATE_LIMITED.message });
    expect(await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, account.id))).toHaveLength(0);
    // The counters are in Redis under this test's prefix, and no e-mail or personal data is in a key.
    const keys = await admin.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(account.email);
  });

  it("shares a family's counter per account across instances and keeps the families apart", async () => {
    const { a, b } = await twoInstances({ PATIENT_RATE_PER_MINUTE: '3', WAITLIST_RATE_PER_MINUTE: '3' });
    const account = await createAccount(t.ctx);
    const onA = await signedIn(a, account.id);
    const onB = sameBrowserOn(b, onA);
    const statuses: number[] = [];
    // Marking notifications read is in the patient-write family.
    for (const c of [onA, onB, onA, onB]) statuses.push((await c.post('/api/notifications/read-all')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The waitlist family has its own counter: a refused join (bad input) still counts, but is not 429.
    expect((await onB.post('/api/waitlist', { personId: '0', doctorId: 0, kind: 'doctor' })).status).toBe(400);
  });

  it("counts the kiosk's failed identifications per полис across instances", async () => {
    const { a, b } = await twoInstances({});
    const setup = await createBookableSetup(t.ctx);
    const [registrar] = await t.ctx.db
      .insert(accounts)
      .values({
        email: `registrar-${randomBytes(4).toString('hex')}@example.test`,
        role: 'registrar',
        organisationId: setup.organisation.id,
        emailConfirmedAt: t.ctx.now(),
      })
      .returning({ id: accounts.id });
    const patientAccount = await createAccount(t.ctx);
    const patient = await createPerson(t.ctx, patientAccount.id, {
      isMain: true,
      status: 'confirmed',
      birthDate: '1979-03-08',
    });
    const kiosks = [] as TestClient[];
    for (const app of [a, b]) {
      const staff = await signedIn(app, registrar!.id);
      const res = await staff.post('/api/kiosk/devices', { label: 'Холл' });
      expect(res.status).toBe(201);
      kiosks.push(staff);
    }
    const [kioskA, kioskB] = kiosks as [TestClient, TestClient];
    // Five wrong birth dates for one полис, spread over both instances, lock that полис on both.
    for (let i = 0; i < 5; i++) {
      const kiosk = i % 2 === 0 ? kioskA : kioskB;
      const res = await kiosk.post('/api/kiosk/identify', { policy: patient.policy, birthDate: `1980-01-1${i}` });
      expect(res.status).toBe(404);
    }
    const locked = await kioskA.post('/api/kiosk/identify', { policy: patient.policy, birthDate: '1979-03-08' });
    expect(locked.status).toBe(429);
    expect((locked.body as { code: string }).code).toBe('KIOSK_TOO_MANY_ATTEMPTS');
  });
});

describe('with Redis down', () => {
  it('lets reads and bookings through, refuses sign-in with 503 LIMITS_UNAVAILABLE, and logs the outage once', async () => {
    const log = new LogLines();
    const app = await instance({ REDIS_URL: CLOSED_REDIS_URL, REDIS_KEY_PREFIX: 'priyom-test-down:' }, log);
    const setup = await createBookableSetup(t.ctx);
    const account = await createAccount(t.ctx);
    const person = await createPerson(t.ctx, account.id, { isMain: true, status: 'confirmed' });
    const client = await signedIn(app, account.id);
    const slot = setup.slots[0]!;

    // Reads and the patient's writes carry on.
    expect((await client.get(`/api/doctors/${setup.doctor.id}/schedule`)).status).toBe(200);
    const booked = await client.post('/api/appointments', { slotId: slot.id, personId: person.id });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(await t.ctx.db.select().from(appointments).where(eq(appointments.slotId, slot.id))).toHaveLength(1);
    expect((await client.post('/api/notifications/read-all')).status).toBe(200);

    // Sign-in is refused, nothing is written, and the client is told to come back.
    const anonymous = new TestClient(app);
    for (let i = 0; i < 3; i++) {
      const login = await anonymous.post('/api/auth/login', { email: account.email, password: account.password });
      expect(login.status).toBe(503);
      expect(login.body).toEqual({
        code: 'LIMITS_UNAVAILABLE',
        message: errorCatalogue.LIMITS_UNAVAILABLE.message,
      });
      expect(Number(login.headers['retry-after'])).toBeGreaterThan(0);
    }
    const sessionsOfAccount = await t.ctx.db.select().from(sessions).where(eq(sessions.accountId, account.id));
    expect(sessionsOfAccount).toHaveLength(1); // the one signedIn() made, no new one

    const outage = log.lines.filter((l) => l.code === 'LIMITS_UNAVAILABLE');
    expect(outage).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain(account.email);
  });
});
