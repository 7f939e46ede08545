// What a page of the built web app loads, read from vite's manifest (.vite/manifest.json):
// the entry (index.html) with its static imports, plus the route's page module (a lazy
// route's dynamic entry) with its own. Sizes are those of the files the server sends to a
// browser that accepts brotli: the .br written at build (vite.config.ts precompress).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Manifest, staticClosure } from '../../src/server/web-assets.js';

export type { Manifest, ManifestChunk } from '../../src/server/web-assets.js';
export { staticClosure };

export function readManifest(webRoot: string): Manifest {
  return JSON.parse(readFileSync(path.join(webRoot, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** JavaScript files (relative to the web root) a first load of a page whose module is `pageKey` fetches. */
export function firstLoadFiles(manifest: Manifest, pageKey: string | null): string[] {
  const keys = staticClosure(manifest, pageKey ? ['index.html', pageKey] : ['index.html']);
  return [...keys].map((k) => manifest[k].file).sort();
}

/** Bytes sent for `file` to a browser accepting brotli: its .br, or the file itself when none was worth writing. */
export function brotliBytes(webRoot: string, file: string): number {
  const br = path.join(webRoot, `${file}.br`);
  return statSync(existsSync(br) ? br : path.join(webRoot, file)).size;
}

export function totalBrotliBytes(webRoot: string, files: string[]): number {
  return files.reduce((sum, f) => sum + brotliBytes(webRoot, f), 0);
}
