// The web app's Cache-Control rule: only names vite hashed are kept for a year.
import { describe, expect, it } from 'vitest';
import { IMMUTABLE, REVALIDATE, webCacheControl } from './web-assets.js';

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
