// Browser tests (test/e2e) on Debian's Chromium against the real portal, in demo mode (demo
// accounts and the development mailbox). The spec files are split over SERVERS groups that run
// side by side, one worker each: a group has its own server (test/e2e/serve.ts) on its own
// port (PRIYOM_E2E_PORT, the next one, ...) and its own fresh database, embedded PGlite in a
// temporary folder or a new PostgreSQL database when PRIYOM_TEST_DATABASE_URL is set. Inside a
// group the files run one after another in name order, as they did on the single server; each
// spec also passes alone on a fresh server. All servers run one snapshot of the sources with
// a production web build (test/e2e/app-snapshot.ts), made here once. Run with
// `npm run test:e2e`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { makeAppSnapshot } from './test/e2e/app-snapshot.js';
import { specGroups } from './test/e2e/groups.js';

const firstPort = Number(process.env.PRIYOM_E2E_PORT ?? 3199);
const postgresBase = process.env.PRIYOM_TEST_DATABASE_URL ?? null;
/** Servers (and workers) side by side; PRIYOM_E2E_SERVERS=1 runs every spec on one server. */
const SERVERS = Math.max(1, Number(process.env.PRIYOM_E2E_SERVERS ?? 2));
const groups = specGroups(SERVERS);

// This file is loaded by the runner and again by each worker process; workers inherit
// the runner's environment, so the databases and the snapshot are made once.
// The runner exits after it has stopped the servers: what it made here goes with it (serve.ts
// also removes a server's data folder or database once that server has stopped).
const made: string[] = [];
for (let i = 0; i < SERVERS; i++) {
  if (postgresBase) {
    process.env[`PRIYOM_E2E_DATABASE_${i}`] ??= `priyom_e2e_${randomBytes(6).toString('hex')}`;
  } else if (!process.env[`PRIYOM_E2E_DATA_DIR_${i}`]) {
    const dir = mkdtempSync(path.join(tmpdir(), 'priyom-e2e-'));
    process.env[`PRIYOM_E2E_DATA_DIR_${i}`] = dir;
    made.push(dir);
  }
}
if (!process.env.PRIYOM_E2E_APP_DIR) {
  process.env.PRIYOM_E2E_APP_DIR = makeAppSnapshot();
  made.push(process.env.PRIYOM_E2E_APP_DIR);
}
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const servers = groups.map((files, i) => {
  const port = firstPort + i;
  const baseURL = `http://127.0.0.1:${port}`;
  return { files, port, baseURL, name: SERVERS === 1 ? 'chromium' : `chromium-${i + 1}` };
});

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: SERVERS,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/html' }]] : 'list',
  // One folder per port: runs side by side (PRIYOM_E2E_PORT) do not wipe each other's artifacts.
  outputDir: `test-results/e2e-${firstPort}`,
  use: {
    locale: 'ru-RU',
    // The demo region (Udmurtia) is UTC+4.
    timezoneId: 'Europe/Samara',
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  // A group's files run in one worker against its own server (its own base URL).
  projects: servers.map((s) => ({
    name: s.name,
    testMatch: s.files,
    workers: 1,
    use: { baseURL: s.baseURL },
  })),
  webServer: servers.map((s, i) => ({
    // The launcher creates the PostgreSQL database when needed, runs src/server/main.ts,
    // and removes the database or the data folder after the server stops.
    command: 'node --import tsx test/e2e/serve.ts',
    url: `${s.baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(s.port),
      PUBLIC_URL: s.baseURL,
      DEMO: '1',
      WORKER: '1',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_PER_MINUTE: '10000',
      BOOKING_RATE_PER_MINUTE: '10000',
      WAITLIST_RATE_PER_MINUTE: '10000',
      TOKEN_RATE_PER_MINUTE: '10000',
      PATIENT_RATE_PER_MINUTE: '10000',
      PRIYOM_E2E_APP_DIR: process.env.PRIYOM_E2E_APP_DIR ?? '',
      ...(postgresBase
        ? { PRIYOM_E2E_POSTGRES_BASE: postgresBase, PRIYOM_E2E_DATABASE: process.env[`PRIYOM_E2E_DATABASE_${i}`] ?? '' }
        : { PRIYOM_E2E_DATA_DIR: process.env[`PRIYOM_E2E_DATA_DIR_${i}`] ?? '' }),
    },
  })),
});
