// The signers: the development HMAC signer, and the HTTP signer against a real local
// HTTP server that plays the signing service (README: "ЕСИА", the signer's contract).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  devCertificateHash,
  devSign,
  devSigner,
  devSignJwt,
  devVerify,
  devVerifyJwt,
  httpSigner,
  SignerError,
} from './esia.signer.js';

const KEY = 'a-development-key-of-at-least-32-characters';

describe('development signer', () => {
  it('signs with HMAC-SHA256 in base64url, and the certificate hash follows the key', async () => {
    const s = await devSigner(KEY).sign('PRIYOMopenid');
    expect(s.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(devVerify(KEY, 'PRIYOMopenid', s.signature)).toBe(true);
    expect(devVerify(KEY, 'PRIYOMopenid ', s.signature)).toBe(false);
    expect(devVerify(`${KEY}x`, 'PRIYOMopenid', s.signature)).toBe(false);
    expect(s.certificateHash).toBe(devCertificateHash(KEY));
    expect(devCertificateHash(`${KEY}x`)).not.toBe(s.certificateHash);
    expect(devSign(KEY, 'Ёлкина')).toBe(devSign(KEY, 'Ёлкина'));
  });

  it('verifies only HS256 tokens signed with the key', async () => {
    const jwt = devSignJwt(KEY, {}, { 'urn:esia:sbj_id': 1 });
    expect(await devSigner(KEY).verifyToken(jwt)).toBe(true);
    expect(devVerifyJwt(`${KEY}x`, jwt)).toBe(false);
    const [h, p] = jwt.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ 'urn:esia:sbj_id': 2 })).toString('base64url');
    expect(devVerifyJwt(KEY, `${h}.${otherPayload}.${jwt.split('.')[2]}`)).toBe(false);
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(devVerifyJwt(KEY, `${none}.${p}.`)).toBe(false);
    expect(devVerifyJwt(KEY, 'garbage')).toBe(false);
  });
});

describe('HTTP signer against a local signing service', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ path: string; body: string; auth: string | undefined; type: string | undefined }> = [];
  let mode: 'ok' | 'error' | 'hang' | 'nonsense' = 'ok';

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void read(req).then((body) => {
        seen.push({ path: req.url ?? '', body, auth: req.headers.authorization, type: req.headers['content-type'] });
        if (mode === 'hang') return; // never answers
        if (mode === 'error') {
          res.writeHead(500).end('{"error":"hsm offline"}');
          return;
        }
        res.setHeader('content-type', 'application/json');
        if (mode === 'nonsense') {
          res.end('{"signature": "not base64url!"}');
          return;
        }
        if (req.url === '/sign')
          res.end(JSON.stringify({ signature: devSign(KEY, body), certificateHash: 'AB12CD34' }));
        else if (req.url === '/verify') res.end(JSON.stringify({ valid: devVerifyJwt(KEY, body) }));
        else res.writeHead(404).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('POSTs the string as text and returns the service’s signature and certificate hash', async () => {
    mode = 'ok';
    seen.length = 0;
    const signer = httpSigner({ url: base, token: 'signer-token-0123456789', timeoutMs: 2_000 });
    const text = 'PRIYOMopenid fullname2026.11.25 12:00:00 +0000Семёнова';
    expect(await signer.sign(text)).toEqual({ signature: devSign(KEY, text), certificateHash: 'AB12CD34' });
    expect(seen).toEqual([
      { path: '/sign', body: text, auth: 'Bearer signer-token-0123456789', type: 'text/plain; charset=utf-8' },
    ]);
  });

  it('asks the service to verify a token', async () => {
    mode = 'ok';
    const signer = httpSigner({ url: base, token: null, timeoutMs: 2_000 });
    const jwt = devSignJwt(KEY, {}, { 'urn:esia:sbj_id': 1 });
    expect(await signer.verifyToken(jwt)).toBe(true);
    expect(await signer.verifyToken(`${jwt.slice(0, -2)}xx`)).toBe(false);
    expect(seen.at(-1)).toMatchObject({ path: '/verify', auth: undefined });
  });

  it('a failing, silent or confused service is a SignerError (timeout marked)', async () => {
    const signer = httpSigner({ url: base, token: null, timeoutMs: 300 });
    mode = 'error';
    await expect(signer.sign('x')).rejects.toMatchObject({ name: 'Error', timeout: false });
    mode = 'nonsense';
    await expect(signer.sign('x')).rejects.toBeInstanceOf(SignerError);
    mode = 'hang';
    const started = Date.now();
    await expect(signer.sign('x')).rejects.toMatchObject({ timeout: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an unreachable service is a SignerError', async () => {
    const signer = httpSigner({ url: 'http://127.0.0.1:9', token: null, timeoutMs: 1_000 });
    await expect(signer.sign('x')).rejects.toBeInstanceOf(SignerError);
  });
});
