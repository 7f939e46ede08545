// The database going away while patients book (SPEC section 9: "faults are answers, never
// crashes"), on real PostgreSQL, with the bundle `npm start` runs. The portal runs as its own
// process (esbuild bundle of src/server/main.ts, worker on, e-mail to an SMTP sink); 20
// signed-in clients book over HTTP while this test terminates every connection of the
// portal's database again and again for several seconds (pg_terminate_backend: what a
// failover, a restart or a PgBouncer reload does to the connections). Checked:
// - the process never exits, and nothing reached its unhandled-rejection net;
// - every answer is a success or 503 DATABASE_UNAVAILABLE with Retry-After;
// - afterwards every acknowledged booking is in the database, no slot holds two visits,
//   and every client books again without a restart;
// - once more with the worker busy delivering an outbox backlog: every message is sent.
// On PostgreSQL like every test in test/pg: it runs in npm test (CI's first pass), at PRIYOM_TEST_DATABASE_URL or the local server.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/server/context.js';
import { openDatabase, queryRows, type Database } from '../../src/server/db/index.js';
import { outbox } from '../../src/server/db/schema.js';
import { addDays, localDateOf, zonedToInstant } from '../../src/shared/time.js';
import {
  createDoctor,
  createOrganisation,
  createSlots,
  createSpecialty,
  type SlotRow,
} from '../factories/catalogue.js';
import { createAccount, createPerson } from '../factories/identity.js';
import { createPgDatabase, pgTestUrl, testConfig } from '../support/context.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENTS = 20;
const SLOTS_PER_CLIENT = 150;
const SESSION_SECRET = 'chaos-test-session-secret-0123456789abcdef';
// Invented, and searched for in the server's output: personal data never reaches the logs.
const LAST_NAME = 'Обрывова';

interface Answer {
  at: number;
  status: number;
  code: string | null;
  retryAfter: string | null;
  appointmentId: string | null;
  slotId: number;
}

/** A signed-in HTTP client with its cookie jar and CSRF token, as a browser would hold them. */
class Browser {
  private readonly cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, url: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.remember(res);
    return res;
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.refreshCsrf();
    const res = await this.request('POST', '/api/auth/login', { email, password });
    expect(res.status, 'sign-in').toBe(200);
    // The token may be renewed at sign-in: take the session's own.
    await this.refreshCsrf();
  }

  private async refreshCsrf(): Promise<void> {
    const res = await this.request('GET', '/api/session');
    expect(res.status).toBe(200);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }
}

interface Patient {
  browser: Browser;
  personId: string;
  slots: SlotRow[];
}

let base: string;
let database: Database;
let ctx: AppContext;
let dropDatabase: () => Promise<void>;
let server: ChildProcess;
let serverOutput = '';
let exited: { code: number | null; signal: string | null } | null = null;
let bundleDir: string;
let smtp: SMTPServer;
const received: string[] = [];
let smtpDelayMs = 0;
let adminUrl: string;
let databaseName: string;

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Terminates every connection of the portal's database, every `everyMs`, for `forMs`. */
async function cutConnections(forMs: number, everyMs: number): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => {});
  await admin.connect();
  let cut = 0;
  const until = Date.now() + forMs;
  try {
    while (Date.now() < until) {
      const r = await admin.query<{ ok: boolean }>(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [databaseName],
      );
      cut += r.rows.filter((row) => row.ok).length;
      await new Promise((res) => setTimeout(res, everyMs));
    }
  } finally {
    await admin.end();
  }
  return cut;
}

/** Free 15-minute slots of a new doctor of the chaos organisation, three local days ahead onwards. */
async function doctorWithSlots(organisationId: number, specialtyId: number, count: number): Promise<SlotRow[]> {
  const doctor = await createDoctor(ctx, { organisationId, specialtyId });
  const today = localDateOf(new Date(), 'Europe/Samara');
  const starts: Date[] = [];
  for (let i = 0; i < count; i++) {
    const day = addDays(today, 1 + Math.floor(i / 40));
    const minutes = 8 * 60 + (i % 40) * 15;
    const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    starts.push(zonedToInstant(day, hhmm, 'Europe/Samara'));
  }
  return createSlots(ctx, doctor.id, starts, 15);
}

async function patients(): Promise<Patient[]> {
  const organisation = await createOrganisation(ctx);
  const specialty = await createSpecialty(ctx);
  const out: Patient[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const account = await createAccount(ctx);
    const person = await createPerson(ctx, account.id, { isMain: true, lastName: LAST_NAME });
    const browser = new Browser(base);
    await browser.signIn(account.email, account.password);
    out.push({
      browser,
      personId: person.id,
      slots: await doctorWithSlots(organisation.id, specialty.id, SLOTS_PER_CLIENT),
    });
  }
  return out;
}

/** Each patient books its own doctor's slots one after another, every ~`paceMs`, until `stop()`. */
function bookContinuously(list: Patient[], paceMs: number): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let stopping = false;
  const runs = list.map(async (p) => {
    while (!stopping && p.slots.length > 0) {
      const slot = p.slots.shift()!;
      const res = await p.browser
        .request('POST', '/api/appointments', { slotId: slot.id, personId: p.personId })
        .catch(() => null);
      if (!res) {
        // No answer at all: the portal is down (the assertions below say so).
        answers.push({
          at: Date.now(),
          status: 0,
          code: 'NO_ANSWER',
          retryAfter: null,
          appointmentId: null,
          slotId: slot.id,
        });
        break;
      }
      const body = (await res.json().catch(() => ({}))) as { code?: string; id?: string };
      answers.push({
        at: Date.now(),
        status: res.status,
        code: body.code ?? null,
        retryAfter: res.headers.get('retry-after'),
        appointmentId: res.status === 201 ? (body.id ?? null) : null,
        slotId: slot.id,
      });
      await new Promise((r) => setTimeout(r, paceMs * (0.5 + Math.random())));
    }
  });
  return {
    answers,
    async stop() {
      stopping = true;
      await Promise.all(runs);
    },
  };
}

async function checkAfterwards(answers: Answer[]): Promise<void> {
  // Every answer: booked, or refused for want of the database with a Retry-After.
  const unexpected = answers.filter(
    (a) => a.status !== 201 && !(a.status === 503 && a.code === 'DATABASE_UNAVAILABLE' && a.retryAfter),
  );
  expect(unexpected, 'answers other than 201 or 503 DATABASE_UNAVAILABLE').toEqual([]);
  expect(
    answers.some((a) => a.status === 503),
    'the outage was felt',
  ).toBe(true);
  // Every acknowledged booking is there, active, on its slot.
  const acknowledged = answers.filter((a) => a.status === 201);
  expect(acknowledged.every((a) => a.appointmentId)).toBe(true);
  // On a slow machine the whole burst may fall inside the outage: nothing acknowledged, nothing to find.
  const rows =
    acknowledged.length === 0
      ? []
      : await queryRows<{ id: string; slot_id: string; status: string }>(
          ctx.db,
          sql`select id, slot_id, status from appointments where id in ${acknowledged.map((a) => a.appointmentId!)}`,
        );
  expect(rows.length).toBe(acknowledged.length);
  const bySlot = new Map(rows.map((r) => [r.id, r]));
  for (const a of acknowledged) {
    expect(bySlot.get(a.appointmentId!)).toMatchObject({ status: 'booked', slot_id: String(a.slotId) });
  }
  // No slot holds two active visits, and every booked slot is marked booked.
  const doubled = await queryRows<{ slot_id: string }>(
    ctx.db,
    sql`select slot_id from appointments where status = 'booked' group by slot_id having count(*) > 1`,
  );
  expect(doubled).toEqual([]);
  const mismatched = await queryRows<{ id: string }>(
    ctx.db,
    sql`select s.id from slots s join appointments a on a.slot_id = s.id and a.status = 'booked' where s.status <> 'booked'`,
  );
  expect(mismatched).toEqual([]);
}

/** Every patient books once more, with no restart: the pools have reconnected by themselves. */
async function everyoneBooksAgain(list: Patient[]): Promise<void> {
  for (const p of list) {
    await waitUntil(
      'a booking after the outage',
      async () => {
        const slot = p.slots.shift();
        if (!slot) throw new Error('no slot left');
        const res = await p.browser.request('POST', '/api/appointments', { slotId: slot.id, personId: p.personId });
        return res.status === 201;
      },
      15_000,
    );
  }
}

function expectServerAlive(): void {
  expect(exited, `the portal exited:\n${serverOutput.slice(-3000)}`).toBeNull();
  expect(serverOutput).not.toMatch(/unhandled rejection|Unhandled 'error' event|uncaught/i);
  expect(serverOutput).not.toContain(LAST_NAME);
}

// Like every test in test/pg, on PostgreSQL whatever the pass (PRIYOM_TEST_DATABASE_URL or the local server).
const pgBase = pgTestUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the database going away (PostgreSQL, the production bundle)', () => {
  beforeAll(async () => {
    const created = await createPgDatabase(pgBase);
    dropDatabase = created.drop;
    databaseName = new URL(created.url).pathname.slice(1);
    adminUrl = pgBase;

    // The bundle `npm start` runs, built inside the project so that node_modules resolve.
    bundleDir = path.join(root, 'test-results', `outage-bundle-${process.pid}`);
    mkdirSync(bundleDir, { recursive: true });
    await esbuild({
      entryPoints: [path.join(root, 'src/server/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      outfile: path.join(bundleDir, 'main.js'),
      logLevel: 'warning',
    });
    cpSync(path.join(root, 'src/server/db/migrations'), path.join(bundleDir, 'migrations'), { recursive: true });

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // No DNS here: a reverse lookup per connection would make the sink, not the portal, slow.
      disableReverseLookup: true,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          setTimeout(() => {
            received.push(raw);
            callback();
          }, smtpDelayMs);
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(bundleDir, 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: base,
        DATABASE_URL: created.url,
        DATABASE_POOL_SIZE: '10',
        SESSION_SECRET,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        DEMO: '0',
        WORKER: '1',
        LOG_LEVEL: 'info',
        LOGIN_RATE_PER_MINUTE: '100000',
        BOOKING_RATE_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d: Buffer) => (serverOutput += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverOutput += d.toString()));
    server.on('exit', (code, signal) => (exited = { code, signal }));
    await waitUntil('the portal to start', async () => (await fetch(`${base}/readyz`)).ok, 60_000);

    database = await openDatabase({ databaseUrl: created.url, dataDir: null, poolSize: 4 });
    ctx = { config: testConfig({ SESSION_SECRET }), db: database.db, now: () => new Date() };
    // Many visits per person: the per-specialty limit is not what this test is about.
    await ctx.db.execute(sql`update region_settings set max_per_specialty = 1000 where id = 1`);
  }, 120_000);

  afterAll(async () => {
    if (server && exited === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await database?.close();
    smtp?.close();
    await dropDatabase?.();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('answers 503 while connections are cut, loses no acknowledged booking, and books again without a restart', async () => {
    const list = await patients();
    const run = bookContinuously(list, 100);
    await new Promise((r) => setTimeout(r, 1_000));
    const cut = await cutConnections(5_000, 150);
    await new Promise((r) => setTimeout(r, 1_000));
    await run.stop();

    expectServerAlive();
    expect(cut).toBeGreaterThan(10);
    await checkAfterwards(run.answers);
    await everyoneBooksAgain(list);
    await waitUntil('ready again', async () => (await fetch(`${base}/readyz`)).ok, 10_000);
    expectServerAlive();
    const by = (s: number) => run.answers.filter((a) => a.status === s).length;
    console.log(
      `outage while booking: ${run.answers.length} answers (${by(201)} booked, ${by(503)} × 503), ${cut} connections cut`,
    );
  }, 120_000);

  it('delivers the whole outbox when connections are cut while the worker is busy', async () => {
    // A backlog of e-mails, delivered slowly, so that the worker is mid-delivery when the
    // connections go; bookings add their own notices meanwhile.
    smtpDelayMs = 5;
    const backlog = 600;
    await ctx.db.insert(outbox).values(
      Array.from({ length: backlog }, (_, i) => ({
        kind: 'chaos_test',
        dedupKey: `chaos-${i}`,
        toAddress: `backlog-${i}@example.test`,
        subject: `Проверка ${i}`,
        textBody: `Письмо ${i}`,
        htmlBody: `<p>Письмо ${i}</p>`,
      })),
    );
    const list = await patients();
    const run = bookContinuously(list, 150);
    await new Promise((r) => setTimeout(r, 500));
    const cut = await cutConnections(5_000, 200);
    await run.stop();

    expectServerAlive();
    await checkAfterwards(run.answers);
    // The worker resumes by itself: every message, backlog and notices, ends sent.
    await waitUntil(
      'the outbox to drain',
      async () => {
        const [row] = await queryRows<{ pending: string }>(
          ctx.db,
          sql`select count(*) as pending from outbox where status <> 'sent'`,
        );
        return Number(row.pending) === 0;
      },
      90_000,
    ).catch(async (err: unknown) => {
      const states = await queryRows(
        ctx.db,
        sql`select status, attempts, locked_until > now() as leased, count(*) from outbox group by 1, 2, 3`,
      );
      const activity = await queryRows(
        ctx.db,
        sql`select state, wait_event, left(query, 80) as q, now() - state_change as for from pg_stat_activity where datname = current_database()`,
      );
      const notable = serverOutput.split('\n').filter((l) => !/"level":30/.test(l) || /worker|database/.test(l));
      console.log(JSON.stringify(states), JSON.stringify(activity, null, 1), notable.slice(-60).join('\n'));
      throw err;
    });
    const sentBacklog = new Set(
      received.map((raw) => /backlog-(\d+)@example\.test/.exec(raw)?.[1]).filter((x) => x !== undefined),
    );
    expect(sentBacklog.size).toBe(backlog);
    await everyoneBooksAgain(list);
    expectServerAlive();
    console.log(
      `outage while delivering: ${received.length} e-mails received for ${backlog} in the backlog plus notices, ${cut} connections cut`,
    );
  }, 180_000);
});
