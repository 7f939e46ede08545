// Browser tests (test/e2e) on Debian's Chromium against the real portal: a fresh server on
// its own port, in demo mode (demo accounts and the development mailbox), on a fresh
// database — embedded PGlite in a temporary folder, or a new PostgreSQL database when
// PRIYOM_TEST_DATABASE_URL is set. Run with `npm run test:e2e` (builds the web app first).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PRIYOM_E2E_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${port}`;
const postgresBase = process.env.PRIYOM_TEST_DATABASE_URL ?? null;

// This file is loaded by the runner and again by each worker process; workers inherit
// the runner's environment, so the database is chosen once.
if (postgresBase) {
  process.env.PRIYOM_E2E_DATABASE ??= `priyom_e2e_${randomBytes(6).toString('hex')}`;
} else {
  process.env.PRIYOM_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'priyom-e2e-'));
}

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/html' }]] : 'list',
  // One folder per port: runs side by side (PRIYOM_E2E_PORT) do not wipe each other's artifacts.
  outputDir: `test-results/e2e-${port}`,
  use: {
    baseURL,
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
  projects: [{ name: 'chromium' }],
  webServer: {
    // The launcher creates the PostgreSQL database when needed, runs src/server/main.ts,
    // and removes the database or the data folder after the server stops.
    command: 'node --import tsx test/e2e/serve.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseURL,
      DEMO: '1',
      WORKER: '1',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_PER_MINUTE: '10000',
      BOOKING_RATE_PER_MINUTE: '10000',
      WAITLIST_RATE_PER_MINUTE: '10000',
      TOKEN_RATE_PER_MINUTE: '10000',
      PATIENT_RATE_PER_MINUTE: '10000',
      ...(postgresBase
        ? { PRIYOM_E2E_POSTGRES_BASE: postgresBase, PRIYOM_E2E_DATABASE: process.env.PRIYOM_E2E_DATABASE ?? '' }
        : { PRIYOM_E2E_DATA_DIR: process.env.PRIYOM_E2E_DATA_DIR ?? '' }),
    },
  },
});
