// Signing for ЕСИА: each request carries a `client_secret` that is the portal's signature
// over a parameter string, and ЕСИА's access tokens are signed JWTs. Real ЕСИА uses GOST
// certificates, which Node's crypto cannot do, so production talks to an external
// signing service over HTTP (README: "ЕСИА"); development and tests use an HMAC key that
// the bundled stand-in shares.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EsiaConfig } from '../../../config.js';

export interface Signature {
  /** base64url */
  signature: string;
  /** The hash of the certificate the signature was made with (`client_certificate_hash`). */
  certificateHash: string;
}

export interface EsiaSigner {
  /** Signs the UTF-8 string. */
  sign(text: string): Promise<Signature>;
  /** Whether the JWT's signature is ЕСИА's. */
  verifyToken(jwt: string): Promise<boolean>;
}

/** The signer failed (unreachable, timed out, answered nonsense): ЕСИА is unavailable for now. */
export class SignerError extends Error {
  constructor(
    message: string,
    readonly timeout = false,
  ) {
    super(message);
  }
}

// ---------- development: HMAC-SHA256 ----------

/** The development "certificate" hash: derived from the key, so another key is another certificate. */
export function devCertificateHash(key: string): string {
  return createHash('sha256').update(`priyom-dev-certificate:${key}`).digest('hex').toUpperCase();
}

export function devSign(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

/** The key the stand-in signs access tokens with (HS256), derived from the same development key. */
export function devTokenKey(key: string): string {
  return createHmac('sha256', key).update('priyom-dev-esia-token-key').digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function devVerify(key: string, text: string, signature: string): boolean {
  return safeEqual(devSign(key, text), signature);
}

/** Signs a JWT with HS256 under the stand-in's token key. */
export function devSignJwt(key: string, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const enc = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT', ...header })}.${enc(payload)}`;
  return `${body}.${createHmac('sha256', devTokenKey(key)).update(body).digest('base64url')}`;
}

export function devVerifyJwt(key: string, jwt: string): boolean {
  const parts = jwt.split('.');
  if (parts.length !== 3) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'HS256') return false;
  } catch {
    return false;
  }
  const expected = createHmac('sha256', devTokenKey(key)).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  return safeEqual(expected, parts[2]);
}

export function devSigner(key: string): EsiaSigner {
  const certificateHash = devCertificateHash(key);
  return {
    sign: async (text) => ({ signature: devSign(key, text), certificateHash }),
    verifyToken: async (jwt) => devVerifyJwt(key, jwt),
  };
}

// ---------- production: the signing service ----------

type FetchFn = typeof fetch;

/**
 * The signing service's contract (README):
 * - `POST {url}/sign`, body the string to sign (text/plain; charset=utf-8) ->
 *   200 `{"signature": "<base64url>", "certificateHash": "<hex>"}`;
 * - `POST {url}/verify`, body the JWT (text/plain) -> 200 `{"valid": true|false}`.
 * With a token configured every call carries `Authorization: Bearer <token>`.
 */
export function httpSigner(opts: {
  url: string;
  token: string | null;
  timeoutMs: number;
  fetch?: FetchFn;
}): EsiaSigner {
  const doFetch = opts.fetch ?? fetch;
  async function call(path: string, body: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${opts.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          accept: 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new SignerError(timeout ? 'signing service timed out' : 'signing service unreachable', timeout);
    }
    if (!res.ok) throw new SignerError(`signing service answered ${res.status}`);
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      throw new SignerError('signing service answered non-JSON');
    }
    if (typeof data !== 'object' || data === null) throw new SignerError('signing service answered non-object');
    return data as Record<string, unknown>;
  }
  return {
    async sign(text) {
      const data = await call('/sign', text);
      const { signature, certificateHash } = data;
      if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]+$/.test(signature))
        throw new SignerError('no base64url signature');
      if (typeof certificateHash !== 'string' || !/^[A-Za-z0-9]+$/.test(certificateHash))
        throw new SignerError('no certificate hash');
      return { signature, certificateHash };
    },
    async verifyToken(jwt) {
      const data = await call('/verify', jwt);
      if (typeof data.valid !== 'boolean') throw new SignerError('no verdict');
      return data.valid;
    },
  };
}

export function signerFor(config: EsiaConfig, fetchFn?: FetchFn): EsiaSigner {
  return config.signer.kind === 'dev'
    ? devSigner(config.signer.key)
    : httpSigner({ url: config.signer.url, token: config.signer.token, timeoutMs: config.timeoutMs, fetch: fetchFn });
}
