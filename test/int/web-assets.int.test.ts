// The web app's files and the API's answers, compressed on a slow connection (issue 20):
// /assets answers brotli to `Accept-Encoding: br`, gzip to `gzip`, the file itself otherwise,
// always with `Vary: Accept-Encoding`; hashed names are kept for a year, the HTML and the
// service worker are revalidated. API answers over 1 kB are compressed per request; the
// schedule keeps its own gzip page. The web app here is a folder the test writes, the same
// shape as vite's output with the .br and .gz the build writes beside each file.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/server/app.js';
import { createDoctor, createBookableSetup } from '../factories/catalogue.js';
import { createTestContext, type TestContext } from '../support/context.js';

const HASHED = 'assets/index-Cvc19rMB.js';
const SCRIPT = `export const greeting = ${JSON.stringify('Запись к врачу '.repeat(400))};\n`;
const INLINE = "(() => { document.documentElement.setAttribute('data-lv', ''); })();";
const HTML = `<!doctype html><html lang="ru"><head><title>Приём</title><script>${INLINE}</script><script type="module" src="/${HASHED}"></script></head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>\n`;
const PAGE_CHUNK = 'assets/LoginPage-DotmgTm0.js';
const SW = `self.addEventListener('push', () => {});\n${'// service worker\n'.repeat(100)}`;

let t: TestContext;
let app: FastifyInstance;
let webRoot: string;

/** Writes `file` with its .br and .gz siblings, as the build does. */
function writeWithCompressed(file: string, body: string): void {
  const full = path.join(webRoot, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, body);
  writeFileSync(`${full}.br`, brotliCompressSync(body));
  writeFileSync(`${full}.gz`, gzipSync(body));
}

beforeAll(async () => {
  t = await createTestContext();
  webRoot = mkdtempSync(path.join(tmpdir(), 'priyom-web-'));
  writeWithCompressed(HASHED, SCRIPT);
  writeWithCompressed('index.html', HTML);
  writeWithCompressed('sw.js', SW);
  writeWithCompressed(PAGE_CHUNK, 'export const LoginPage = () => null;\n');
  mkdirSync(path.join(webRoot, '.vite'));
  writeFileSync(
    path.join(webRoot, '.vite/manifest.json'),
    JSON.stringify({
      'index.html': { file: HASHED, isEntry: true, dynamicImports: ['pages/patient/LoginPage.tsx'] },
      'pages/patient/LoginPage.tsx': { file: PAGE_CHUNK, isDynamicEntry: true, imports: ['index.html'] },
    }),
  );
  app = await build(t.ctx, { logger: false, webRoot });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  app.inject({
    method: 'GET',
    url,
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
  });

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('/assets by content negotiation', () => {
  it('answers brotli to Accept-Encoding: br', async () => {
    const res = await get(`/${HASHED}`, 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(res.rawPayload).toString('utf8')).toBe(SCRIPT);
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 10);
  });

  it('answers gzip to Accept-Encoding: gzip', async () => {
    const res = await get(`/${HASHED}`, 'gzip');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(res.rawPayload).toString('utf8')).toBe(SCRIPT);
  });

  it("prefers brotli in a browser's usual list, and honours q=0", async () => {
    expect((await get(`/${HASHED}`, 'gzip, deflate, br, zstd')).headers['content-encoding']).toBe('br');
    expect((await get(`/${HASHED}`, 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
  });

  it.each([
    ['no Accept-Encoding', undefined],
    ['identity', 'identity'],
    ['an encoding it does not have', 'compress'],
  ])('answers the file itself to %s', async (_name, acceptEncoding) => {
    const res = await get(`/${HASHED}`, acceptEncoding);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.body).toBe(SCRIPT);
  });

  it('revalidates the HTML (/ and any page of the app) and the service worker', async () => {
    for (const url of ['/', '/cardfile', '/doctors/12']) {
      const res = await get(url, 'gzip, deflate, br');
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers.vary, url).toBe('accept-encoding');
      expect(brotliDecompressSync(res.rawPayload).toString('utf8'), url).toBe(HTML);
    }
    const plain = await get('/');
    expect(plain.body).toBe(HTML);
    expect(plain.headers['cache-control']).toBe('no-cache');
    const sw = await get('/sw.js', 'gzip');
    expect(sw.headers['content-encoding']).toBe('gzip');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(sw.rawPayload).toString('utf8')).toBe(SW);
  });

  it("names a first page's chunks in its HTML (modulepreload), compressed per request and revalidated", async () => {
    const preload = `<link rel="modulepreload" crossorigin href="/${PAGE_CHUNK}">`;
    const res = await get('/login', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toContain('accept-encoding');
    const html = brotliDecompressSync(res.rawPayload).toString('utf8');
    expect(html).toContain(preload);
    expect(html).toBe(HTML.replace('</head>', `${preload}\n  </head>`));
    // Signed-out visitors of a staff page, and the home page, get the file as built.
    for (const url of ['/desk', '/']) expect((await get(url)).body, url).toBe(HTML);
  });

  it('answers a missing asset with the coded 404, not the page', async () => {
    const res = await get('/assets/index-XXXXXXXX.js', 'br');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('API answers', () => {
  it('compresses an answer over 1 kB (brotli, else gzip) and leaves a small one alone', async () => {
    const setup = await createBookableSetup(t.ctx);
    for (let i = 0; i < 12; i++) {
      await createDoctor(t.ctx, { organisationId: setup.organisation.id, specialtyId: setup.specialty.id });
    }
    const plain = await get('/api/doctors');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);

    const br = await get('/api/doctors', 'gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);

    const gz = await get('/api/doctors', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);

    const small = await get('/api/session', 'gzip, deflate, br');
    expect(small.statusCode).toBe(200);
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it("sends the schedule's kept gzip page as it is, never compressed twice", async () => {
    const setup = await createBookableSetup(t.ctx);
    const url = `/api/doctors/${setup.doctor.id}/schedule`;
    const plain = await get(url);
    const res = await get(url, 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString('utf8')).toBe(plain.body);
  });
});

describe('the inline script of the HTML', () => {
  it('is allowed by its hash in the CSP of every answer, and no other inline script is', async () => {
    const hash = createHash('sha256').update(INLINE).digest('base64');
    for (const url of ['/', '/cardfile', '/api/session']) {
      const res = await get(url);
      const scriptSrc = String(res.headers['content-security-policy'])
        .split(';')
        .find((d) => d.trim().startsWith('script-src'));
      expect(scriptSrc?.trim(), url).toBe(`script-src 'self' 'sha256-${hash}'`);
    }
    expect((await get('/')).body).toContain(`<script>${INLINE}</script>`);
  });
});
