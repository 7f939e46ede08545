// Content-coding negotiation (RFC 9110 section 12.5.3) for bodies the server keeps
// compressed: whether an Accept-Encoding header allows gzip.

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
