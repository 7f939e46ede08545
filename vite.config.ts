// The web app's build (src/web -> dist/web). Pages load per journey (App.tsx's lazy routes);
// every text file is also written brotli- and gzip-compressed (precompress below), which the
// server picks by the browser's Accept-Encoding (src/server/web-assets.ts). The manifest
// (.vite/manifest.json) lists each chunk's imports: the budget test follows it.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Files worth compressing; images (png) are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;

/**
 * After the bundle is written: `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9)
 * beside each compressible file of the output, when that saves anything. Made once per build,
 * at the slowest and smallest settings, instead of per request. `.vite/` (the manifest) is not
 * served and is left alone.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'priyom-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
        .map((e) => path.join(e.parentPath, e.name))
        .filter((file) => !path.relative(outDir, file).startsWith('.vite'));
      await Promise.all(
        files.map(async (file) => {
          const body = await readFile(file);
          const [br, gz] = await Promise.all([
            brotli(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            }),
            gzipped(body, { level: 9 }),
          ]);
          if (br.length < body.length) await writeFile(`${file}.br`, br);
          if (gz.length < body.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/**
 * The built HTML carries public/low-vision.js inline instead of naming it: the script must run
 * before the first paint, so as a file it was a request the page waited for (a round trip on a
 * phone's slow connection). The server allows it by its hash (web-assets.ts inlineScriptHashes).
 */
function inlineLowVision(): Plugin {
  let publicDir = '';
  return {
    name: 'priyom-inline-low-vision',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async transformIndexHtml(html) {
      const tag = '<script src="/low-vision.js"></script>';
      if (!html.includes(tag)) throw new Error(`index.html no longer has ${tag}`);
      const script = await readFile(path.join(publicDir, 'low-vision.js'), 'utf8');
      return html.replace(tag, () => `<script>${script}</script>`);
    },
  };
}

export default defineConfig({
  root: 'src/web',
  publicDir: 'public',
  plugins: [react(), inlineLowVision(), precompress()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    rollupOptions: {
      // Chunks are split by the lazy routes; no page's exports are read from outside the bundle.
      preserveEntrySignatures: false,
      output: {
        codeSplitting: {
          groups: [
            // React, its DOM and the router change less often than pages and are on every page:
            // one chunk of their own caches across deployments.
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 1 },
          ],
          // Pages share many small modules of ours (a label table, a hook, a notice); as chunks
          // of their own a card file took 29 requests, and on a phone's slow connection each
          // request costs more than its bytes. A shared chunk under 20 kB (before minifying) is
          // copied into each page that uses it instead. Never copied: libraries (react-aria's
          // contexts must stay one instance) and our modules that hold a React context or
          // state a page shares (the session, the API client's CSRF token, the offline flag,
          // the kiosk's context), which must exist once.
          experimentalInlineCommonChunks: {
            maxSize: 20_000,
            exclude: [
              /node_modules/,
              /src[\\/]web[\\/](session|api|ui[\\/]offline|pages[\\/]kiosk[\\/]kiosk\.context)\./,
            ],
          },
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
