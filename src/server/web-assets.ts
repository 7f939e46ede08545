// Serving the built web app (dist/web) fast on a slow connection: the brotli and gzip files
// written at build time (vite.config.ts, precompress) are chosen by content negotiation, and
// each file carries the Cache-Control its name allows — hashed assets are kept for a year,
// everything else (the HTML, the service worker, the manifest and icons) is revalidated.
// Pages load lazily (src/web/lazy.tsx); for the pages a patient opens from a link, a bookmark
// or an e-mail, the HTML names the page's chunks (modulepreload), so the browser fetches them
// with the entry instead of after it has run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** A name vite gave a content hash: `assets/<name>-<hash>.<ext>` (its default assetFileNames and chunkFileNames). */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const COMPRESSED_SUFFIX = /\.(br|gz)$/;

/**
 * Cache-Control of a file of the web app, by its path relative to the web root (a compressed
 * sibling counts as its original). Only a hashed name may be kept without asking: a new build
 * gives changed content a new name. The rest is asked again each time (a 304 when unchanged),
 * so a deployment reaches every browser at its next page load — the service worker included.
 */
export function webCacheControl(relativePath: string): string {
  const original = relativePath.split(path.sep).join('/').replace(COMPRESSED_SUFFIX, '');
  return HASHED_ASSET.test(original) ? IMMUTABLE : REVALIDATE;
}

/**
 * The files of `root` under `/`, and `index.html` for `/`. Requests are looked up per request
 * (wildcard), so a rebuilt web app is served without a restart; a missing file falls through
 * to the app's not-found handler (which gives SPA routes index.html with sendFile).
 */
export async function registerWebAssets(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    index: false,
    preCompressed: true,
    // send's own max-age=0 is replaced by the rule above (setHeaders runs after it).
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', webCacheControl(path.relative(root, file)));
    },
  });
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendPage(reply, root, '/'));
}

/**
 * CSP source expressions ('sha256-…') of the inline scripts of `html`: the web app's HTML
 * carries one, the «Версия для слабовидящих» settings applied before the first paint
 * (vite.config.ts inlines public/low-vision.js, saving a render-blocking request).
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)) {
    if (/\ssrc\s*=/.test(m[1] ?? '') || m[2] === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The hashes of the web app's inline scripts in `root`'s index.html (none without a web app); read at start. */
export function webInlineScriptHashes(root: string): string[] {
  const file = path.join(root, 'index.html');
  return existsSync(file) ? inlineScriptHashes(readFileSync(file, 'utf8')) : [];
}

/** A chunk of vite's manifest (.vite/manifest.json, `build.manifest`), keyed by its source. */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** Manifest keys of `keys` and everything they import statically (not their dynamic imports). */
export function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`not in the manifest: ${key}`);
    seen.add(key);
    for (const i of chunk.imports ?? []) visit(i);
  };
  for (const k of keys) visit(k);
  return seen;
}

/**
 * Pages a patient opens first — from the home page's links, a bookmark, an e-mail or a
 * notification — and the module of each one's lazy route (src/web/routes.*.tsx). The budget
 * test checks each module is a lazy route of the build.
 */
export const FIRST_PAGES: { path: RegExp; module: string }[] = [
  { path: /^\/login$/, module: 'pages/patient/LoginPage.tsx' },
  { path: /^\/signup$/, module: 'pages/patient/SignupPage.tsx' },
  { path: /^\/doctors$/, module: 'pages/patient/DoctorsPage.tsx' },
  { path: /^\/doctors\/[^/]+$/, module: 'pages/patient/DoctorSchedulePage.tsx' },
  { path: /^\/cardfile$/, module: 'pages/patient/CardFilePage.tsx' },
  { path: /^\/book$/, module: 'pages/patient/BookPersonPage.tsx' },
  { path: /^\/book\/[^/]+\/specialty$/, module: 'pages/patient/BookSpecialtyPage.tsx' },
  { path: /^\/book\/[^/]+\/specialty\/[^/]+$/, module: 'pages/patient/BookDoctorPage.tsx' },
  { path: /^\/book\/[^/]+\/doctor\/[^/]+$/, module: 'pages/patient/BookTimePage.tsx' },
  { path: /^\/book\/[^/]+\/check\/[^/]+$/, module: 'pages/patient/BookCheckPage.tsx' },
  { path: /^\/appointments\/[^/]+$/, module: 'pages/patient/AppointmentPage.tsx' },
  { path: /^\/offers\/[^/]+$/, module: 'pages/waitlist/OfferPage.tsx' },
  { path: /^\/notifications$/, module: 'pages/notify/NotificationsPage.tsx' },
];

/** The lazy page module shown at `pathname` when it is one of FIRST_PAGES, else null. */
export function firstPageModule(pathname: string): string | null {
  const p = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return FIRST_PAGES.find((f) => f.path.test(p))?.module ?? null;
}

/**
 * `html` (the built index.html) with a modulepreload link for each JavaScript file `module`
 * imports statically that the entry does not already bring, before `</head>`.
 */
export function withPagePreloads(html: string, manifest: Manifest, module: string): string {
  if (!manifest[module]) return html;
  const entry = staticClosure(manifest, ['index.html']);
  const links = [...staticClosure(manifest, [module])]
    .filter((k) => !entry.has(k))
    .map((k) => manifest[k].file)
    .filter((file) => file.endsWith('.js'))
    .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`);
  if (links.length === 0 || !html.includes('</head>')) return html;
  return html.replace('</head>', `${links.join('\n    ')}\n  </head>`);
}

/** Built pages with their preloads, per module, for the index.html they were made from. */
const pages = new Map<string, { root: string; mtimeMs: number; html: string }>();

/**
 * The web app's page for `pathname` (index.html, which routes it in the browser): with the
 * preloads of its page when it is one of FIRST_PAGES, else the file as built. Revalidated
 * (no-cache) like the file; a rebuilt web app is seen by index.html's modification time.
 */
export async function sendPage(reply: FastifyReply, root: string, pathname: string): Promise<FastifyReply> {
  const module = firstPageModule(pathname);
  if (module) {
    try {
      const { mtimeMs } = await stat(path.join(root, 'index.html'));
      let page = pages.get(module);
      if (!page || page.root !== root || page.mtimeMs !== mtimeMs) {
        const [html, manifest] = await Promise.all([
          readFile(path.join(root, 'index.html'), 'utf8'),
          readFile(path.join(root, '.vite/manifest.json'), 'utf8').then((m) => JSON.parse(m) as Manifest),
        ]);
        page = { root, mtimeMs, html: withPagePreloads(html, manifest, module) };
        pages.set(module, page);
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', REVALIDATE).send(page.html);
    } catch {
      // No manifest (a build without it) or a build being replaced: the file as it is.
    }
  }
  return reply.type('text/html').sendFile('index.html');
}
