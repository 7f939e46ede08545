// The portal the browser tests run: a private copy of the sources with its own web build.
//
// The work tree is shared with engineers who edit sources and rebuild dist/web while tests
// run; a server that serves dist/web breaks as soon as someone rebuilds it (the page asks for
// assets that the running server does not know). So playwright.config.ts makes one snapshot
// before the servers start: it copies src/ (with package.json, tsconfig.json, vite.config.ts)
// to a temporary folder and builds the web app there; every server of the run (serve.ts)
// starts from it, and the runner removes it when it exits. `npm run lighthouse` audits a
// snapshot of its own for the same reason (bench/lighthouse.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The folder name every snapshot starts with (serve.ts refuses any other). */
export const SNAPSHOT_PREFIX = 'priyom-e2e-app-';

/**
 * Copies the sources and builds the web app in production mode: the runner and the servers
 * have NODE_ENV=test, and vite would build React's development code for it (several times
 * slower in the browser, and not what a patient gets). Returns the folder, named `prefix…`.
 */
export function makeAppSnapshot(prefix = SNAPSHOT_PREFIX): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', 'vite.config.ts']) {
    copyFileSync(path.join(root, file), path.join(dir, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return dir;
}
