// Starts one portal for the browser tests (a webServer of playwright.config.ts).
//
// It runs src/server/main.ts from the snapshot the config made (app-snapshot.ts:
// PRIYOM_E2E_APP_DIR; without one it makes and later removes its own), on a fresh database of
// its own: it creates the PostgreSQL database when asked, forwards SIGTERM/SIGINT, and after
// the server has stopped removes the PGlite folder or drops the database.
//
// Playwright starts its webServers before globalSetup runs, so the database is created
// here rather than in a globalSetup; and it is dropped only after the server has closed
// its connections, which is why this launcher owns both ends.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { makeAppSnapshot, SNAPSHOT_PREFIX } from './app-snapshot.js';

const postgresBase = process.env.PRIYOM_E2E_POSTGRES_BASE || null;
const databaseName = process.env.PRIYOM_E2E_DATABASE || null;
const dataDir = process.env.PRIYOM_E2E_DATA_DIR || null;
const sharedApp = process.env.PRIYOM_E2E_APP_DIR || null;

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(base: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Mail must stay in the development mailbox; the database is chosen below only.
  delete env.SMTP_URL;
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (!dataDir && !(postgresBase && databaseName)) {
    throw new Error('PRIYOM_E2E_DATA_DIR or PRIYOM_E2E_DATABASE must be set (see playwright.config.ts)');
  }
  if (databaseName && !/^priyom_e2e_[a-f0-9]+$/.test(databaseName))
    throw new Error(`unexpected database name ${databaseName}`);

  if (sharedApp && !path.basename(sharedApp).startsWith(SNAPSHOT_PREFIX))
    throw new Error(`unexpected snapshot folder ${sharedApp}`);
  const app = sharedApp ?? makeAppSnapshot();
  let databaseCreated = false;
  const cleanUp = async () => {
    if (!sharedApp) rmSync(app, { recursive: true, force: true });
    if (postgresBase && databaseName) {
      if (databaseCreated) {
        await admin(postgresBase, (c) => c.query(`drop database if exists ${databaseName} with (force)`)).catch(
          (err: unknown) => console.error('could not drop the e2e database', err),
        );
      }
    } else if (dataDir && path.basename(dataDir).startsWith('priyom-e2e-')) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  try {
    if (postgresBase && databaseName) {
      await admin(postgresBase, (c) => c.query(`create database ${databaseName}`));
      databaseCreated = true;
      env.DATABASE_URL = databaseUrl(postgresBase, databaseName);
    } else {
      env.DATA_DIR = dataDir!;
    }
  } catch (err) {
    await cleanUp();
    throw err;
  }

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: app, env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGTERM', () => forward('SIGTERM'));
  process.on('SIGINT', () => forward('SIGINT'));
  child.on('exit', (code, signal) => {
    void cleanUp().finally(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
