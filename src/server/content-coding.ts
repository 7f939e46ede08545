// Content-coding negotiation (RFC 9110 section 12.5.3) for bodies the server keeps
// compressed: whether an Accept-Encoding header allows gzip, and the compression itself.
import { gzipSync } from 'node:zlib';

/**
 * `body` gzip-compressed at `level`, in a buffer of exactly its own size. zlib hands back a
 * view of a 16 kB chunk: a kept 4 kB page would hold on to all of it (2,000 cached
 * schedules took ~32 MB instead of ~8 MB).
 */
export function gzipToKeep(body: Buffer, level: number): Buffer {
  const zipped = gzipSync(body, { level });
  if (zipped.byteLength === zipped.buffer.byteLength) return zipped;
  const exact = Buffer.allocUnsafeSlow(zipped.byteLength);
  zipped.copy(exact);
  return exact;
}

/** True when `header` accepts gzip: listed (or `*` without gzip listed) with a q-value above 0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  let gzip: number | null = null;
  let star: number | null = null;
  for (const part of value.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k.trim().toLowerCase() === 'q') {
        const n = Number((v ?? '').trim());
        q = Number.isFinite(n) ? n : 0;
      }
    }
    if (name === '*') star = Math.max(star ?? 0, q);
    else gzip = Math.max(gzip ?? 0, q);
  }
  if (gzip !== null) return gzip > 0;
  return star !== null && star > 0;
}
