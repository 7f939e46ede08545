// Starts the portal for the browser tests (playwright.config.ts's webServer).
//
// The work tree is shared with engineers who edit sources and rebuild dist/web while
// tests run; a server that serves dist/web breaks as soon as someone rebuilds it (the
// page asks for assets that the running server does not know). So this launcher runs
// the portal from a private snapshot: it copies src/ (with package.json, tsconfig.json,
// vite.config.ts) to a temporary folder, builds the web app there, creates the fresh
// PostgreSQL database when asked, starts src/server/main.ts from the snapshot, forwards
// SIGTERM/SIGINT, and after the server has stopped removes the snapshot and the PGlite
// folder or drops the database.
//
// Playwright starts its webServer before globalSetup runs, so the database is created
// here rather than in a globalSetup; and it is dropped only after the server has closed
// its connections, which is why this launcher owns both ends.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const postgresBase = process.env.PRIYOM_E2E_POSTGRES_BASE || null;
const databaseName = process.env.PRIYOM_E2E_DATABASE || null;
const dataDir = process.env.PRIYOM_E2E_DATA_DIR || null;

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

/** A private copy of the sources with its own web build; returns its folder. */
function snapshot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'priyom-e2e-app-'));
  cpSync(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', 'vite.config.ts']) {
    copyFileSync(path.join(root, file), path.join(dir, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return dir;
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

  const app = snapshot();
  let databaseCreated = false;
  const cleanUp = async () => {
    rmSync(app, { recursive: true, force: true });
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
