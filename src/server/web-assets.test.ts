// The web app's Cache-Control rule: only names vite hashed are kept for a year.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  inlineScriptHashes,
  firstPageModule,
  IMMUTABLE,
  type Manifest,
  REVALIDATE,
  webCacheControl,
  withPagePreloads,
} from './web-assets.js';

describe('webCacheControl', () => {
  it.each([
    ['assets/index-Cvc19rMB.js', IMMUTABLE],
    ['assets/index-Cvc19rMB.js.br', IMMUTABLE],
    ['assets/index-Cvc19rMB.js.gz', IMMUTABLE],
    ['assets/index-De2TvHBK.css', IMMUTABLE],
    ['assets/rolldown-runtime-WkwZ5CU-.js', IMMUTABLE],
    ['assets/react-aria-BkIIY-ym.js', IMMUTABLE],
    // No hash of eight characters or more: its content may change under the same name.
    ['assets/logo.js', REVALIDATE],
    ['assets/app-1.js', REVALIDATE],
    // Hash-like names outside assets/ come from public/, copied as they are.
    ['icon-192.png', REVALIDATE],
    ['index.html', REVALIDATE],
    ['index.html.br', REVALIDATE],
    ['sw.js', REVALIDATE],
    ['sw.js.gz', REVALIDATE],
    ['manifest.webmanifest', REVALIDATE],
    ['assets/nested/chunk-Cvc19rMB.js', REVALIDATE],
  ])('%s -> %s', (file, expected) => {
    expect(webCacheControl(file)).toBe(expected);
  });
});

describe('firstPageModule', () => {
  it.each([
    ['/login', 'pages/patient/LoginPage.tsx'],
    ['/login/', 'pages/patient/LoginPage.tsx'],
    ['/doctors', 'pages/patient/DoctorsPage.tsx'],
    ['/doctors/12', 'pages/patient/DoctorSchedulePage.tsx'],
    ['/cardfile', 'pages/patient/CardFilePage.tsx'],
    ['/book/4f1c/check/77', 'pages/patient/BookCheckPage.tsx'],
    ['/book/4f1c/doctor/12', 'pages/patient/BookTimePage.tsx'],
    ['/offers/0a9e', 'pages/waitlist/OfferPage.tsx'],
    // The home page is in the entry; staff pages and unknown paths get no preloads.
    ['/', null],
    ['/desk', null],
    ['/doctors/12/extra', null],
    ['/cardfile/add', null],
  ])('%s -> %s', (pathname, expected) => {
    expect(firstPageModule(pathname)).toBe(expected);
  });
});

describe('withPagePreloads', () => {
  const manifest: Manifest = {
    'index.html': { file: 'assets/index-AAAAAAAA.js', isEntry: true, imports: ['_react-BBBBBBBB.js'] },
    '_react-BBBBBBBB.js': { file: 'assets/react-BBBBBBBB.js' },
    '_Button-CCCCCCCC.js': { file: 'assets/Button-CCCCCCCC.js', imports: ['_react-BBBBBBBB.js'] },
    'pages/patient/LoginPage.tsx': {
      file: 'assets/LoginPage-DDDDDDDD.js',
      isDynamicEntry: true,
      imports: ['_react-BBBBBBBB.js', 'index.html', '_Button-CCCCCCCC.js'],
      dynamicImports: ['pages/patient/SignupPage.tsx'],
    },
    'pages/patient/SignupPage.tsx': { file: 'assets/SignupPage-EEEEEEEE.js', isDynamicEntry: true },
  };
  const html = '<html><head><title>Приём</title></head><body></body></html>';

  it("names the page's own chunks, not the entry's nor its lazy imports", () => {
    const page = withPagePreloads(html, manifest, 'pages/patient/LoginPage.tsx');
    const links = [...page.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((m) => m[1]);
    expect(links.sort()).toEqual(['/assets/Button-CCCCCCCC.js', '/assets/LoginPage-DDDDDDDD.js']);
    expect(page.indexOf('modulepreload')).toBeLessThan(page.indexOf('</head>'));
  });

  it('leaves the page as it is for a module the build does not have', () => {
    expect(withPagePreloads(html, manifest, 'pages/patient/GonePage.tsx')).toBe(html);
  });
});

describe('inlineScriptHashes', () => {
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  it('hashes each inline script exactly as written, and skips scripts with a src and empty ones', () => {
    const a = "(() => { document.documentElement.setAttribute('data-lv', ''); })();";
    const b = '\n  window.x = «ё»;\n';
    const html = `<head><script>${a}</script><script type="module" crossorigin src="/assets/index-AbCdEfGh.js"></script><script></script></head><body><script type="text/javascript">${b}</script></body>`;
    expect(inlineScriptHashes(html)).toEqual([sha(a), sha(b)]);
  });
  it('finds none in a page without inline scripts', () => {
    expect(inlineScriptHashes('<script src="/low-vision.js"></script>')).toEqual([]);
  });
});
