// npm run test:deploy: the deployment of deploy/ run for real (issue 21). PgBouncer (transaction
// mode) and nginx from Debian's packages, the Redis on 127.0.0.1:6379 and three instances of
// the built server (dist/server/main.js) on a fresh PostgreSQL database. Through the balancer it
// runs the sign-in, booking and waitlist journeys, and meanwhile: SIGTERM to one instance in the
// middle of bookings (no failure a client would not retry, no acknowledged booking lost),
// SIGKILL to one (only its requests in flight fail), a rolling restart (the journeys pass
// throughout), and the login limit across instances (the limit, not three times it). Prints its
// figures and exits non-zero on a broken promise. Needs: postgres on 127.0.0.1:5432 (user
// postgres, trust), redis-server, nginx and pgbouncer installed (.ci/run installs them).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../../src/server/context.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase, runMigrations } from '../../src/server/db/index.js';
import { createBookableSetup, createDoctor, createSlots } from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PG_BASE = process.env.PRIYOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.PRIYOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BALANCER_PORT = Number(process.env.PRIYOM_DEPLOY_PORT ?? 8081);
const PGBOUNCER_PORT = Number(process.env.PRIYOM_DEPLOY_PGBOUNCER_PORT ?? 6432);
const INSTANCE_PORTS = [3281, 3282, 3283];
const LOGIN_LIMIT = 12;
const BASE = `http://127.0.0.1:${BALANCER_PORT}`;

const work = path.join(tmpdir(), `priyom-deploy-${randomBytes(4).toString('hex')}`);
const children = new Set<ChildProcess>();
const problems: string[] = [];
let finished = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function check(ok: boolean, what: string): void {
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
  if (!ok) problems.push(what);
}

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_m, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`no value for {{${k}}}`);
    return v;
  });
}

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = path.join(work, `${name}.log`);
  // Output after the run's folder is gone (a child still stopping) is dropped.
  const write = (d: Buffer) => {
    if (!finished) writeFileSync(log, d, { flag: 'a' });
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ready = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;

// ---- the infrastructure -------------------------------------------------------------------

async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `priyom_deploy_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_BASE });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_BASE });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

function startPgBouncer(db: string): ChildProcess {
  const dir = path.join(work, 'pgbouncer');
  mkdirSync(dir, { recursive: true });
  const base = new URL(PG_BASE);
  writeFileSync(path.join(dir, 'userlist.txt'), `"${base.username || 'postgres'}" ""\n`);
  const ini = render(readFileSync(path.join(root, 'deploy/pgbouncer.ini'), 'utf8'), {
    PG_HOST: base.hostname,
    PG_PORT: base.port || '5432',
    PG_DB: db,
    PORT: String(PGBOUNCER_PORT),
    AUTH_TYPE: 'trust',
    PREFIX: dir,
  });
  writeFileSync(path.join(dir, 'pgbouncer.ini'), ini);
  // PgBouncer refuses to run as root: as root it runs as the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(work, 0o755);
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  return asRoot
    ? start('pgbouncer', 'runuser', ['-u', 'postgres', '--', 'pgbouncer', path.join(dir, 'pgbouncer.ini')])
    : start('pgbouncer', 'pgbouncer', [path.join(dir, 'pgbouncer.ini')]);
}

function startNginx(): ChildProcess {
  const dir = path.join(work, 'nginx');
  mkdirSync(dir, { recursive: true });
  const upstreams = INSTANCE_PORTS.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=3s;`).join('\n');
  const conf = render(readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8'), {
    PREFIX: dir,
    PORT: String(BALANCER_PORT),
    UPSTREAMS: upstreams,
  });
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  return start('nginx', 'nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-e', path.join(dir, 'error.log')]);
}

function instanceEnv(port: number, db: { url: string }, smtpPort: number, prefix: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: BASE,
    SESSION_SECRET: 'deploy-test-session-secret-0123456789abcdef',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    DATABASE_URL: `postgres://${new URL(PG_BASE).username || 'postgres'}@127.0.0.1:${PGBOUNCER_PORT}/priyom`,
    DATABASE_MIGRATION_URL: db.url,
    DATABASE_PREPARED_STATEMENTS: '0',
    DATABASE_POOL_SIZE: '5',
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    TRUST_PROXY: '127.0.0.1',
    SHUTDOWN_DELAY_MS: '1000',
    METRICS_TOKEN: 'deploy-test-metrics-token-0123456789abcdef',
    LOGIN_RATE_PER_MINUTE: String(LOGIN_LIMIT),
    LOG_LEVEL: 'warn',
  };
}

// ---- a client through the balancer --------------------------------------------------------

type Kind = 'ok' | 'refused' | 'retryable' | 'network' | 'server_error';
const figures = { requests: 0, byKind: new Map<string, number>() };
function count(kind: string): void {
  figures.byKind.set(kind, (figures.byKind.get(kind) ?? 0) + 1);
}

class Browser {
  private cookies = new Map<string, string>();
  private csrf: string | null = null;
  /** One fake client address per browser: the login limit counts per address (TRUST_PROXY). */
  constructor(private readonly address: string) {}

  /** One HTTP exchange; `kind` says what a client makes of it. */
  async send(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown; kind: Kind }> {
    figures.requests += 1;
    const headers: Record<string, string> = { 'x-forwarded-for': this.address };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${BASE}${url}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      count('network');
      return { status: 0, body: null, kind: 'network' };
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
      if (name === 'priyom_csrf' && value) this.csrf = value;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON (nginx's own error pages) */
    }
    const code = (parsed as { code?: string } | null)?.code;
    // What a client retries: the balancer's 502/504 and a 503 (shutting down, Retry-After).
    const kind: Kind =
      res.status < 400
        ? 'ok'
        : res.status === 502 || res.status === 503 || res.status === 504
          ? 'retryable'
          : res.status >= 500
            ? 'server_error'
            : 'refused';
    count(
      kind === 'refused'
        ? `refused ${res.status} ${code ?? ''}`.trim()
        : kind === 'ok'
          ? 'ok'
          : `${kind} ${res.status} ${code ?? ''}`.trim(),
    );
    return { status: res.status, body: parsed, kind };
  }

  /** Retries what a client would retry (network errors, 502/503/504), a few times. */
  async call(method: string, url: string, body?: unknown) {
    for (let attempt = 0; ; attempt++) {
      const r = await this.send(method, url, body);
      if ((r.kind !== 'retryable' && r.kind !== 'network') || attempt >= 8) return r;
      await sleep(150 * (attempt + 1));
    }
  }

  async signIn(email: string, password: string): Promise<boolean> {
    if (!this.csrf) await this.call('GET', '/api/session');
    const r = await this.call('POST', '/api/auth/login', { email, password });
    return r.status === 200;
  }
}

// ---- the journeys -------------------------------------------------------------------------

interface Patient {
  email: string;
  password: string;
  personId: string;
}
interface World {
  patients: Patient[];
  slots: number[];
  doctorId: number;
  busyDoctorId: number;
}

let nextSlot = 0;
let nextAddress = 1;
const acknowledged: string[] = [];
let unretriableFailures = 0;

/** Sign in, read the schedule, book a time, see it among the visits. */
async function bookingJourney(world: World, patient: Patient): Promise<boolean> {
  const b = new Browser(`10.9.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`);
  if (!(await b.signIn(patient.email, patient.password))) return false;
  const schedule = await b.call('GET', `/api/doctors/${world.doctorId}/schedule`);
  if (schedule.status !== 200) return false;
  const slotId = world.slots[nextSlot++ % world.slots.length];
  let booked = await b.call('POST', '/api/appointments', { slotId, personId: patient.personId });
  // A retried booking may find its own first attempt done: the visit list says.
  if (booked.status === 201) acknowledged.push((booked.body as { id: string }).id);
  else if (booked.kind === 'server_error') unretriableFailures += 1;
  const visits = await b.call('GET', '/api/cardfile');
  if (visits.status !== 200) return false;
  if (booked.status === 409) booked = { ...booked, kind: 'refused' }; // taken by another journey: an answer, not a failure
  return booked.status === 201 || booked.status === 409 || booked.status === 422;
}

/** Sign in and join the waitlist of a doctor with no free time. */
async function waitlistJourney(world: World, patient: Patient): Promise<boolean> {
  const b = new Browser(`10.8.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`);
  if (!(await b.signIn(patient.email, patient.password))) return false;
  const joined = await b.call('POST', '/api/waitlist', {
    personId: patient.personId,
    doctorId: world.busyDoctorId,
    kind: 'doctor',
  });
  if (joined.kind === 'server_error') unretriableFailures += 1;
  // 201 joined; 409 already on the list (a retried join).
  return joined.status === 201 || joined.status === 409;
}

/** Journeys in `concurrency` loops until `stop()`; counts the journeys that passed and failed. */
async function journeysUntil(world: World, concurrency: number, stop: () => boolean) {
  let passed = 0;
  let failed = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop()) {
        const patient = world.patients[n++ % world.patients.length];
        if (!patient) break;
        const ok = n % 4 === 0 ? await waitlistJourney(world, patient) : await bookingJourney(world, patient);
        if (ok) passed += 1;
        else failed += 1;
      }
    }),
  );
  return { passed, failed };
}

// ---- the run ------------------------------------------------------------------------------

async function seed(dbUrl: string): Promise<World> {
  const database = await openDatabase({ databaseUrl: dbUrl, dataDir: null, poolSize: 4 });
  const ctx: AppContext = {
    config: loadConfig({ NODE_ENV: 'test', DEMO: '0', DATABASE_URL: dbUrl }),
    db: database.db,
    now: () => new Date(),
  };
  try {
    const setup = await createBookableSetup(ctx);
    // Many times over three days for the booking journeys (each patient books once a specialty).
    const starts: Date[] = [];
    const first = new Date(Date.now() + 2 * 86_400_000);
    first.setUTCHours(5, 0, 0, 0);
    for (let i = 0; i < 600; i++) starts.push(new Date(first.getTime() + i * 15 * 60_000));
    const doctor = await createDoctor(ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    const extra = await createSlots(ctx, doctor.id, starts, 15);
    const busy = await createDoctor(ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    const patients: Patient[] = [];
    for (let i = 0; i < 400; i++) {
      const account = await createAccount(ctx);
      const person = await createPerson(ctx, account.id, { isMain: true, status: 'confirmed' });
      patients.push({ email: account.email, password: account.password, personId: person.id });
    }
    return { patients, slots: extra.map((s) => s.id), doctorId: doctor.id, busyDoctorId: busy.id };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const began = Date.now();
  const db = await createDatabase();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (s, _x, cb) => s.resume().on('end', () => cb()),
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  const prefix = `priyom-deploy-${randomBytes(3).toString('hex')}:`;
  const instances = new Map<number, ChildProcess>();
  const startInstance = (port: number) => {
    const child = start(
      `instance-${port}`,
      process.execPath,
      [path.join(root, 'dist/server/main.js')],
      instanceEnv(port, db, smtpPort, prefix),
    );
    instances.set(port, child);
    return child;
  };
  const stopInstance = async (port: number, signal: NodeJS.Signals) => {
    const child = instances.get(port);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };

  try {
    // Migrations on PostgreSQL itself, as an instance would; then the seed.
    const direct = await openDatabase({ databaseUrl: db.url, dataDir: null, poolSize: 2 });
    await runMigrations(direct, db.url);
    await direct.close();
    const world = await seed(db.url);
    console.log(`seeded: ${world.patients.length} patients, ${world.slots.length} times (${Date.now() - began} ms)`);

    startPgBouncer(db.name);
    await waitFor('PgBouncer', async () => {
      const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${PGBOUNCER_PORT}/priyom` });
      await c.connect();
      await c.end();
      return true;
    });
    startNginx();
    for (const port of INSTANCE_PORTS) startInstance(port);
    for (const port of INSTANCE_PORTS) await waitFor(`instance ${port}`, ready(port));
    await waitFor('nginx', async () => (await fetch(`${BASE}/healthz`)).status === 200);
    console.log(`up: PgBouncer :${PGBOUNCER_PORT}, nginx :${BALANCER_PORT}, instances ${INSTANCE_PORTS.join(', ')}`);

    // 1. The journeys through the balancer.
    {
      const before = unretriableFailures;
      const t0 = Date.now();
      const r = await journeysUntil(world, 8, () => Date.now() - t0 > 4_000);
      check(
        r.failed === 0 && r.passed > 0 && unretriableFailures === before,
        `journeys: ${r.passed} passed, ${r.failed} failed`,
      );
      const metrics = await fetch(`${BASE}/metrics`);
      check(metrics.status === 404, 'the balancer does not expose /metrics');
    }

    // 2. SIGTERM in the middle of bookings.
    {
      const before = unretriableFailures;
      const t0 = Date.now();
      const run = journeysUntil(world, 8, () => Date.now() - t0 > 6_000);
      await sleep(1_500);
      const [port] = INSTANCE_PORTS as [number];
      await stopInstance(port, 'SIGTERM');
      const r = await run;
      check(
        r.failed === 0 && unretriableFailures === before,
        `SIGTERM mid-bookings: ${r.passed} journeys passed, ${r.failed} failed, ${unretriableFailures - before} unretriable answers`,
      );
      startInstance(port);
      await waitFor(`instance ${port} again`, ready(port));
    }

    // 3. SIGKILL: only its requests in flight fail.
    {
      const before = unretriableFailures;
      const t0 = Date.now();
      const concurrency = 8;
      const run = journeysUntil(world, concurrency, () => Date.now() - t0 > 6_000);
      await sleep(1_500);
      const port = INSTANCE_PORTS[1] as number;
      await stopInstance(port, 'SIGKILL');
      const r = await run;
      check(
        r.failed <= concurrency && unretriableFailures - before <= concurrency,
        `SIGKILL: ${r.passed} journeys passed, ${r.failed} failed (at most the ${concurrency} in flight may)`,
      );
      startInstance(port);
      await waitFor(`instance ${port} again`, ready(port));
    }

    // 4. A rolling restart while the journeys run.
    {
      const before = unretriableFailures;
      let rolling = true;
      const run = journeysUntil(world, 6, () => !rolling);
      const t0 = Date.now();
      for (const port of INSTANCE_PORTS) {
        await stopInstance(port, 'SIGTERM');
        startInstance(port);
        await waitFor(`instance ${port} after restart`, ready(port));
      }
      rolling = false;
      const r = await run;
      check(
        r.failed === 0 && unretriableFailures === before,
        `rolling restart (${Date.now() - t0} ms): ${r.passed} journeys passed, ${r.failed} failed`,
      );
    }

    // 5. The login limit holds across the instances.
    {
      const b = new Browser('10.7.0.1');
      await b.call('GET', '/api/session');
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_LIMIT * 3; i++) {
        statuses.push(
          (await b.send('POST', '/api/auth/login', { email: 'nobody@example.test', password: 'Wrong-password-9' }))
            .status,
        );
      }
      const allowed = statuses.filter((s) => s !== 429).length;
      check(
        allowed === LOGIN_LIMIT,
        `login limit across 3 instances: ${allowed} of ${statuses.length} attempts answered (limit ${LOGIN_LIMIT})`,
      );
    }

    // No acknowledged booking lost.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const found = await c.query<{ n: string }>(
      `select count(*) as n from appointments where id = any($1::uuid[]) and status = 'booked'`,
      [acknowledged],
    );
    await c.end();
    const foundCount = Number(found.rows[0]?.n ?? 0);
    check(
      foundCount === acknowledged.length,
      `bookings acknowledged: ${acknowledged.length}, found booked in the database: ${foundCount}`,
    );

    console.log(`\nrequests: ${figures.requests}; answers by kind:`);
    for (const [kind, n] of [...figures.byKind].sort((a, b) => b[1] - a[1]))
      console.log(`  ${String(n).padStart(6)}  ${kind}`);
    console.log(`took ${((Date.now() - began) / 1000).toFixed(1)} s; logs in ${work}`);
  } finally {
    for (const port of INSTANCE_PORTS) await stopInstance(port, 'SIGTERM').catch(() => undefined);
    const exits = [...children].map((child) => new Promise((r) => child.once('exit', r)));
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), sleep(5_000)]);
    finished = true;
    smtp.close();
    await dropDatabase(db.name).catch(() => undefined);
  }
  if (problems.length) {
    console.error(`\ntest:deploy FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  rmSync(work, { recursive: true, force: true });
  console.log('\ntest:deploy passed');
}

main().catch((err: unknown) => {
  console.error(err);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
