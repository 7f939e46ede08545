// npm run test:deploy: the deployment of deploy/ run for real (issue 21). PgBouncer (transaction
// mode) and nginx from Debian's packages, the Redis on 127.0.0.1:6379 and three instances of
// the built server (dist/server/main.js) on a fresh PostgreSQL database. Through the balancer it
// runs the sign-in, booking and waitlist journeys, and meanwhile: SIGTERM to one instance in the
// middle of bookings (no failure a client would not retry, no acknowledged booking lost),
// SIGKILL to one (only its requests in flight fail), and the login limit across instances (the
// limit, not three times it).
// Before all that it upgrades: the three instances first run the previous release
// (deploy/releases.json, built from git by release.ts) on a database it migrated and filled —
// bulk rows with its own factories, patients through its own API (sign-up confirmed by e-mail,
// person confirmed by a moderator, booking, waitlist) — then, while the journeys run, this
// code's migrations are applied to that data and the instances are replaced one by one (the
// rolling update: the journeys pass throughout, no refusal, no failure a client would not
// retry), and the new code shows what the old one took; the roll-back then starts the previous
// release once more, on the new schema (ready, and serving a card file).
// Prints its figures and exits non-zero on a broken promise. Needs: git history with the
// previous release, postgres on 127.0.0.1:5432 (user postgres, trust), redis-server, nginx and
// pgbouncer installed (.ci/run installs them).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { openDatabase, runMigrations } from '../../src/server/db/index.js';
import { snilsWithChecksum } from '../../src/shared/validation.js';
import { buildRelease, previousRelease } from './release.js';
import type { SeededWorld } from './seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PG_BASE = process.env.PRIYOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.PRIYOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BALANCER_PORT = Number(process.env.PRIYOM_DEPLOY_PORT ?? 8081);
const PGBOUNCER_PORT = Number(process.env.PRIYOM_DEPLOY_PGBOUNCER_PORT ?? 6432);
const INSTANCE_PORTS = [3281, 3282, 3283];
/** An instance of the previous release started beside the others after the upgrade: the roll-back. */
const ROLLBACK_PORT = 3284;
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
  constructor(
    private readonly address: string,
    private readonly base = BASE,
  ) {}

  /** One HTTP exchange; `kind` says what a client makes of it. */
  async send(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown; kind: Kind }> {
    figures.requests += 1;
    const headers: Record<string, string> = { 'x-forwarded-for': this.address };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}${url}`, {
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
type World = SeededWorld;

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

/** The bulk rows, written by `tree`'s own migrations and factories (seed.ts). */
function seedWith(tree: string, dbUrl: string): World {
  const out = execFileSync(
    path.join(root, 'node_modules/.bin/tsx'),
    [path.join(root, 'test/deploy/seed.ts'), tree, dbUrl],
    { cwd: tree, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as World;
}

// ---- the patients' own data, through the old release's API --------------------------------

/** The e-mails the instances sent, by recipient, as raw MIME. */
const mails: Array<{ to: string[]; raw: string }> = [];

/** The token of an e-mailed link, whatever the transfer encoding (quoted-printable or base64). */
function linkToken(raw: string, link: string): string | null {
  const texts = [
    raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
  ];
  for (const block of raw.match(/(?:^[A-Za-z0-9+/=]{4,}\r?\n)+/gm) ?? [])
    texts.push(Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('utf8'));
  for (const text of texts) {
    const m = new RegExp(`${link}\\?token=([A-Za-z0-9_-]+)`).exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

async function mailedToken(email: string, link: string): Promise<string> {
  let token: string | null = null;
  await waitFor(`the ${link} e-mail to a new account`, async () => {
    for (const mail of mails) if (mail.to.includes(email)) token ??= linkToken(mail.raw, link);
    return token !== null;
  });
  return token as unknown as string;
}

interface ApiPatient extends Patient {
  appointmentId: string;
  waitlistEntryId: string;
}

/** One step's answer must be `status`, else the fill stops with what answered. */
function expectStatus(step: string, r: { status: number; body: unknown }, status: number): void {
  if (r.status !== status)
    throw new Error(`filling through the API: ${step} answered ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
}

/**
 * `n` patients the way a patient makes them: sign up, confirm the e-mail with the mailed link,
 * enter their data (a moderator confirms it), book a time, join a waitlist.
 */
async function fillThroughApi(world: World, n: number): Promise<ApiPatient[]> {
  const moderator = new Browser('10.6.0.1');
  if (!(await moderator.signIn(world.moderator.email, world.moderator.password)))
    throw new Error('filling through the API: the moderator could not sign in');
  const tag = randomBytes(3).toString('hex');
  return Promise.all(
    Array.from({ length: n }, async (_x, i) => {
      const b = new Browser(`10.6.1.${i + 2}`);
      const email = `upgrade-${tag}-${i}@example.test`;
      const password = `Upgrade-password-${i}`;
      await b.call('GET', '/api/session');
      expectStatus('sign-up', await b.call('POST', '/api/auth/signup', { email, password }), 202);
      const token = await mailedToken(email, '/confirm-email');
      expectStatus('e-mail confirmation', await b.call('POST', '/api/auth/confirm-email', { token }), 200);
      const person = await b.call('POST', '/api/persons', {
        lastName: 'Соколова',
        firstName: 'Дарья',
        middleName: 'Игоревна',
        birthDate: '1991-05-17',
        sex: 'F',
        snils: snilsWithChecksum(String(randomInt(200_000_000, 900_000_000))),
        policy: `77${String(randomInt(0, 1e7)).padStart(7, '0')}${String(randomInt(0, 1e7)).padStart(7, '0')}`,
      });
      expectStatus('adding the person', person, 201);
      const personId = (person.body as { id: string }).id;
      expectStatus(
        "the moderator's confirmation",
        await moderator.call('POST', `/api/moderation/persons/${personId}/confirm`, {}),
        200,
      );
      const slotId = world.apiSlots[i];
      const booked = await b.call('POST', '/api/appointments', { slotId, personId });
      expectStatus('booking', booked, 201);
      const appointmentId = (booked.body as { id: string }).id;
      acknowledged.push(appointmentId);
      const joined = await b.call('POST', '/api/waitlist', { personId, doctorId: world.busyDoctorId, kind: 'doctor' });
      expectStatus('joining the waitlist', joined, 201);
      return { email, password, personId, appointmentId, waitlistEntryId: (joined.body as { id: string }).id };
    }),
  );
}

/** What the code at `base` shows a patient the old one served: their booking and waitlist entry. */
async function seenAfterUpgrade(p: ApiPatient, base = BASE): Promise<boolean> {
  const b = new Browser(`10.6.2.${(nextAddress++ % 250) + 1}`, base);
  if (!(await b.signIn(p.email, p.password))) return false;
  const card = await b.call('GET', '/api/cardfile');
  if (card.status !== 200) return false;
  const person = (
    card.body as {
      persons: Array<{
        id: string;
        futureVisits: Array<{ id: string; status: string }>;
        waitlist: Array<{ id: string }>;
      }>;
    }
  ).persons.find((x) => x.id === p.personId);
  return Boolean(
    person?.futureVisits.some((v) => v.id === p.appointmentId && v.status === 'booked') &&
      person.waitlist.some((w) => w.id === p.waitlistEntryId),
  );
}

const API_PATIENTS = 10;

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const began = Date.now();
  const release = previousRelease(root);
  const built = buildRelease(root, release, work);
  console.log(
    `previous release ${release.tag}: ${release.commit.slice(0, 12)} (found by ${release.via}), built with its own build:server, node_modules ${built.modules} (${Date.now() - began} ms)`,
  );
  const db = await createDatabase();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, session, cb) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  const prefix = `priyom-deploy-${randomBytes(3).toString('hex')}:`;
  const instances = new Map<number, ChildProcess>();
  const current = path.join(root, 'dist/server/main.js');
  const startInstance = (port: number, entry = current) => {
    const child = start(
      `instance-${port}${entry === current ? '' : `-${release.tag}`}`,
      process.execPath,
      [entry],
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
    // The previous release's migrations and bulk rows, by its own code.
    const world = seedWith(built.dir, db.url);
    console.log(
      `seeded by ${release.tag}: ${world.patients.length} patients, ${world.slots.length} times (${Date.now() - began} ms)`,
    );

    startPgBouncer(db.name);
    await waitFor('PgBouncer', async () => {
      const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${PGBOUNCER_PORT}/priyom` });
      await c.connect();
      await c.end();
      return true;
    });
    startNginx();
    for (const port of INSTANCE_PORTS) startInstance(port, built.entry);
    for (const port of INSTANCE_PORTS) await waitFor(`instance ${port}`, ready(port));
    await waitFor('nginx', async () => (await fetch(`${BASE}/healthz`)).status === 200);
    console.log(
      `up: PgBouncer :${PGBOUNCER_PORT}, nginx :${BALANCER_PORT}, instances ${INSTANCE_PORTS.join(', ')} running ${release.tag}`,
    );

    // 0. The upgrade from the previous release, on data it made.
    let apiPatients: ApiPatient[] = [];
    {
      const t0 = Date.now();
      const filled = await fillThroughApi(world, API_PATIENTS);
      check(
        filled.length === API_PATIENTS,
        `through ${release.tag}'s API (${Date.now() - t0} ms): ${filled.length} patients signed up and confirmed by the mailed link, their persons confirmed by a moderator, ${filled.length} bookings, ${filled.length} waitlist entries`,
      );
      const before = unretriableFailures;
      const kindsBefore = new Map(figures.byKind);
      let rolling = true;
      const run = journeysUntil(world, 6, () => !rolling);
      await sleep(1_000);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const applied = async () =>
        Number((await c.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations')).rows[0]?.n);
      const appliedBefore = await applied();
      // Every migration since the previous release, on its data, while it serves (as the first
      // new instance would at its start, on DATABASE_MIGRATION_URL).
      const tm = Date.now();
      const direct = await openDatabase({ databaseUrl: db.url, dataDir: null, poolSize: 1 });
      try {
        await runMigrations(direct, db.url);
      } catch (err) {
        rolling = false;
        await run;
        const e = err as { message?: string; cause?: { message?: string; code?: string } };
        throw new Error(
          `a migration since ${release.tag} failed on the data ${release.tag} made, so it would fail in production (nothing was applied; ${release.tag} keeps serving): ${e.cause?.code ?? ''} ${e.cause?.message ?? e.message ?? String(err)}`,
        );
      } finally {
        await direct.close();
      }
      const migrated = (await applied()) - appliedBefore;
      await c.end();
      const migrateMs = Date.now() - tm;
      const tr = Date.now();
      for (const port of INSTANCE_PORTS) {
        await stopInstance(port, 'SIGTERM');
        startInstance(port);
        await waitFor(`instance ${port} on the new code`, ready(port));
      }
      const rollMs = Date.now() - tr;
      rolling = false;
      const r = await run;
      // A 409 is the journey's answer about the data (the time was taken, already on the list);
      // any other 4xx is a refusal, and a 5xx other than the drain's 502/503/504 a failure.
      const refusals = [...figures.byKind]
        .map(([kind, n]) => [kind, n - (kindsBefore.get(kind) ?? 0)] as const)
        .filter(([kind, n]) => n > 0 && kind.startsWith('refused') && !kind.startsWith('refused 409'));
      check(
        r.failed === 0 && r.passed > 0 && unretriableFailures === before && refusals.length === 0,
        `upgrade ${release.tag} -> this code, a rolling update while journeys ran: ${migrated} migrations in ${migrateMs} ms, instances rolled in ${rollMs} ms; ${r.passed} journeys passed, ${r.failed} failed, ${unretriableFailures - before} unretriable answers, refusals: ${refusals.map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
      );
      const seen = await Promise.all(filled.map((p) => seenAfterUpgrade(p)));
      check(
        seen.every(Boolean),
        `the new code shows ${seen.filter(Boolean).length} of ${filled.length} patients the booking and the waitlist entry made through ${release.tag}`,
      );
      apiPatients = filled;
    }

    // The roll-back, beside phase 1 (its own port, not behind the balancer): the previous
    // release starts on the new schema, is ready and serves a patient's card file.
    const rollback = (async () => {
      const t0 = Date.now();
      startInstance(ROLLBACK_PORT, built.entry);
      let ok = false;
      let why = '';
      try {
        await waitFor(`${release.tag} on the new schema`, ready(ROLLBACK_PORT), 60_000);
        const p = apiPatients[0];
        ok = p !== undefined && (await seenAfterUpgrade(p, `http://127.0.0.1:${ROLLBACK_PORT}`));
      } catch (err) {
        why = ` (${(err as Error).message})`;
      } finally {
        await stopInstance(ROLLBACK_PORT, 'SIGTERM').catch(() => undefined);
      }
      check(
        ok,
        `roll-back: ${release.tag} starts on the new schema, is ready in ${Date.now() - t0} ms and shows a patient their card file${why}`,
      );
    })();

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

    await rollback;

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

    // 4. The login limit holds across the instances.
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
