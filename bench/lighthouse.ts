// `npm run lighthouse`: Lighthouse (mobile: simulated slow 4G, 4x slower CPU) over the pages a
// patient opens — /, /login, /doctors, a doctor's schedule, the card file and the booking
// check page (signed in as the demo patient, with a time held for her) — writing each page's
// scores, LCP, TBT and bytes to bench/results/lighthouse.json. Measured, never asserted.
//
// The portal runs from a private snapshot of the sources (the work tree is shared: dist/web
// may be rebuilt under a running server), with the web app built for production, in demo
// mode on a fresh embedded database, on LIGHTHOUSE_PORT (default 3209).
//
//   npm run lighthouse [-- --runs=3]     median of the runs per page, by performance score
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CardFileResponse, DoctorSummary, ScheduleResponse } from '../src/shared/api/index.js';
import { makeAppSnapshot } from '../test/e2e/app-snapshot.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.LIGHTHOUSE_PORT ?? 3209);
const base = `http://127.0.0.1:${port}`;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 1);
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
].join(' ');
/** A folder to keep each run's full report in (LIGHTHOUSE_REPORTS), for a closer look. */
const keepReports = process.env.LIGHTHOUSE_REPORTS ?? null;
const DEMO_PATIENT = { email: 'patient@example.org', password: 'Priyom-demo-1' };

interface PageResult {
  name: string;
  path: string;
  signedIn: boolean;
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  totalBytes: number;
  scriptBytes: number;
  requests: number;
}

async function waitForHealth(deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the portal did not answer on ${base}/healthz`);
}

/** Cookies of a response as one Cookie header value, merged into `jar`. */
function remember(jar: Map<string, string>, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** The demo patient's session: its Cookie header, and a JSON caller with it. */
async function signIn(): Promise<{
  cookie: string;
  call: <T>(method: string, url: string, body?: unknown) => Promise<T>;
}> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let csrf = '';
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: cookie(),
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    remember(jar, res);
    if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  csrf = (await call<{ csrfToken: string }>('GET', '/api/session')).csrfToken;
  await call('POST', '/api/auth/login', DEMO_PATIENT);
  // The token is bound to the session: the signed-in one.
  csrf = (await call<{ csrfToken: string }>('GET', '/api/session')).csrfToken;
  return { cookie: cookie(), call };
}

/** A doctor with free time, and the first free time the patient's main person can hold. */
async function freeTime(
  call: <T>(method: string, url: string, body?: unknown) => Promise<T>,
): Promise<{ doctorId: number; personId: string; slotId: number }> {
  const { persons } = await call<CardFileResponse>('GET', '/api/cardfile');
  const person = persons.find((p) => p.isMain) ?? persons[0];
  const { doctors } = await call<{ doctors: DoctorSummary[] }>('GET', '/api/doctors');
  for (const d of doctors.filter((x) => x.nearestFreeAt)) {
    const schedule = await call<ScheduleResponse>('GET', `/api/doctors/${d.id}/schedule`);
    for (const day of schedule.days) {
      const slot = day.slots.find((s) => s.state === 'free');
      if (!slot) continue;
      try {
        await call('POST', '/api/holds', { slotId: slot.id, personId: person.id });
        return { doctorId: d.id, personId: person.id, slotId: slot.id };
      } catch {
        // not for this person (age, sex, limits): the next doctor
        break;
      }
    }
  }
  throw new Error('no free time the demo patient can hold');
}

/** One Lighthouse run of `url` (its CLI, which starts Chromium), the report parsed. */
function lighthouse(url: string, cookie: string | null, out: string): LhReport {
  const bin = path.join(root, 'node_modules/lighthouse/cli/index.js');
  const args = [
    bin,
    url,
    '--quiet',
    '--only-categories=performance,accessibility',
    '--output=json',
    `--output-path=${out}`,
    `--chrome-flags=${CHROME_FLAGS}`,
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  // Chromium's trace is sometimes lost on this busy machine (NO_NAVSTART, NO_FCP): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(process.execPath, args, {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CHROME_PATH: chromePath },
      });
      const report = JSON.parse(readFileSync(out, 'utf8')) as LhReport;
      if (keepReports) copyFileSync(out, path.join(keepReports, path.basename(out)));
      return report;
    } catch (err) {
      if (attempt >= 3) throw err;
      console.error(`${url}: Lighthouse failed (attempt ${attempt}), again`);
    }
  }
}

interface LhReport {
  categories: Record<string, { score: number | null }>;
  audits: Record<
    string,
    {
      numericValue?: number;
      details?: { items?: { resourceType?: string; transferSize?: number; requestCount?: number }[] };
    }
  >;
}

function summarise(name: string, pagePath: string, signedIn: boolean, report: LhReport): PageResult {
  const resources = report.audits['resource-summary']?.details?.items ?? [];
  const ofType = (t: string) => resources.find((r) => r.resourceType === t);
  return {
    name,
    path: pagePath,
    signedIn,
    performance: Math.round((report.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((report.categories.accessibility?.score ?? 0) * 100),
    lcpMs: Math.round(report.audits['largest-contentful-paint']?.numericValue ?? Number.NaN),
    tbtMs: Math.round(report.audits['total-blocking-time']?.numericValue ?? Number.NaN),
    fcpMs: Math.round(report.audits['first-contentful-paint']?.numericValue ?? Number.NaN),
    totalBytes: Math.round(report.audits['total-byte-weight']?.numericValue ?? Number.NaN),
    scriptBytes: ofType('script')?.transferSize ?? 0,
    requests: ofType('total')?.requestCount ?? 0,
  };
}

async function main(): Promise<void> {
  const app = makeAppSnapshot('priyom-lighthouse-');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'priyom-lighthouse-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    DEMO: '1',
    WORKER: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: app,
    env,
    stdio: 'inherit',
  });
  const stopped = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  const work = path.join(app, 'lighthouse');
  mkdirSync(work);
  try {
    await waitForHealth(Date.now() + 120_000);
    const patient = await signIn();
    const { doctorId, personId, slotId } = await freeTime(patient.call);
    const pages: [name: string, pagePath: string, signedIn: boolean][] = [
      ['Главная', '/', false],
      ['Вход', '/login', false],
      ['Врачи', '/doctors', false],
      ['Расписание врача', `/doctors/${doctorId}`, false],
      ['Моя картотека', '/cardfile', true],
      ['Проверка записи', `/book/${personId}/check/${slotId}`, true],
    ];
    const results: PageResult[] = [];
    for (const [name, pagePath, signedIn] of pages) {
      const measured: PageResult[] = [];
      for (let i = 0; i < runs; i++) {
        const out = path.join(work, `${results.length}-${i}.json`);
        const report = lighthouse(`${base}${pagePath}`, signedIn ? patient.cookie : null, out);
        measured.push(summarise(name, pagePath, signedIn, report));
      }
      measured.sort((a, b) => a.performance - b.performance);
      const median = measured[Math.floor(measured.length / 2)];
      results.push(median);
      console.log(
        `${name.padEnd(18)} perf ${median.performance} a11y ${median.accessibility} LCP ${median.lcpMs} ms TBT ${median.tbtMs} ms ${Math.round(median.totalBytes / 1024)} KiB (JS ${Math.round(median.scriptBytes / 1024)} KiB)`,
      );
    }
    const file = path.join(root, 'bench/results/lighthouse.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          lighthouse: '12.2.3',
          settings: 'mobile (Moto G Power), simulated slow 4G, 4x CPU slowdown; Debian Chromium',
          runsPerPage: runs,
          pages: results,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`written: ${path.relative(root, file)}`);
  } finally {
    server.kill('SIGTERM');
    await stopped;
    rmSync(app, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
