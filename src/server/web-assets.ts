// Serving the built web app (dist/web) fast on a slow connection: the brotli and gzip files
// written at build time (vite.config.ts, precompress) are chosen by content negotiation, and
// each file carries the Cache-Control its name allows — hashed assets are kept for a year,
// everything else (the HTML, the service worker, the manifest and icons) is revalidated.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
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
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/html').sendFile('index.html'));
}
