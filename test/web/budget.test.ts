// Budgets of the built web app (issue 20), on a fresh production build of the current sources
// (vite build into a temporary folder, with the .br files the build writes): the compressed
// JavaScript a first load fetches — the entry with its static imports plus the route's page
// chunk with its own — is at most 120 kB for the pages a patient opens first (/, /login, a
// doctor's schedule) and at most 200 kB for any page; a patient's first load never carries
// the staff, kiosk, operator, clinic or ЕСИА pages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_PAGES } from '../../src/server/web-assets.js';
import { firstLoadFiles, type Manifest, readManifest, staticClosure, totalBrotliBytes } from './bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIRST_PAGE_BUDGET = 120_000;
const ANY_PAGE_BUDGET = 200_000;

/** The pages a patient opens first: the route and the module of its lazy page (null: the entry's own). */
const patientFirstPages: [route: string, page: string | null][] = [
  ['/', null],
  ['/login', 'pages/patient/LoginPage.tsx'],
  ['/doctors/:id', 'pages/patient/DoctorSchedulePage.tsx'],
];

/** Page folders that are not a patient's: they load only on their own routes. */
const NOT_A_PATIENTS = /^pages\/(desk|doctor|kiosk|staff|catalogue|clinic|esia|absence)\//;

let webRoot: string;
let manifest: Manifest;

beforeAll(() => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'priyom-budget-'));
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      webRoot,
      '--emptyOutDir',
      '--logLevel',
      'error',
    ],
    // vitest sets NODE_ENV=test, which vite would build React's development code for.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  manifest = readManifest(webRoot);
}, 180_000);

afterAll(() => {
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

describe('the built web app', () => {
  it('writes a brotli file beside every JavaScript chunk brotli makes smaller', () => {
    const chunks = Object.values(manifest).filter((c) => c.file.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(20);
    // The entry's few-byte facade (an import of the app's chunk) is served as it is.
    const sized = chunks.filter((c) => statSync(path.join(webRoot, c.file)).size > 100);
    expect(sized.length).toBeGreaterThan(chunks.length - 3);
    for (const c of sized) expect(existsSync(path.join(webRoot, `${c.file}.br`)), c.file).toBe(true);
  });

  it.each(patientFirstPages)('loads at most 120 kB of compressed JavaScript first on %s', (_route, page) => {
    if (page) expect(manifest[page]?.isDynamicEntry, `${page} is a lazy route`).toBe(true);
    const bytes = totalBrotliBytes(webRoot, firstLoadFiles(manifest, page));
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes, kB(bytes)).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
  });

  it('has every page the server preloads for a first visit as a lazy route', () => {
    for (const { module } of FIRST_PAGES) expect(manifest[module]?.isDynamicEntry, module).toBe(true);
  });

  it('loads at most 200 kB of compressed JavaScript on any page', () => {
    const pages = Object.entries(manifest).filter(([, c]) => c.isDynamicEntry);
    expect(pages.length).toBeGreaterThan(40);
    const over = pages
      .map(([key]) => [key, totalBrotliBytes(webRoot, firstLoadFiles(manifest, key))] as const)
      .filter(([, bytes]) => bytes > ANY_PAGE_BUDGET)
      .map(([key, bytes]) => `${key}: ${kB(bytes)}`);
    expect(over).toEqual([]);
  });

  it("keeps staff, kiosk, operator, clinic and ЕСИА pages out of a patient's first load", () => {
    const others = Object.keys(manifest).filter((k) => NOT_A_PATIENTS.test(k));
    expect(others.length).toBeGreaterThan(15);
    for (const [route, page] of patientFirstPages) {
      const loaded = staticClosure(manifest, page ? ['index.html', page] : ['index.html']);
      expect(
        others.filter((k) => loaded.has(k)),
        route,
      ).toEqual([]);
    }
    // Each of them is a page of its own, loaded on its route only.
    for (const k of others) expect(manifest[k].isDynamicEntry, k).toBe(true);
  });
});
