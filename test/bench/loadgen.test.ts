// The load generator's HTTP/1.1 client (bench/lib/loadgen.ts) against scripted local
// servers: answers split at awkward places, chunked bodies, reuse of the socket, and a
// server that hangs up in the middle.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HttpConnection,
  requestHead,
  ResponseParser,
  runFixedDuration,
  type ParsedResponse,
} from '../../bench/lib/loadgen.js';

interface SeenRequest {
  head: string;
  body: string;
  /** 1-based number of the TCP connection it came on. */
  connection: number;
}

interface Scripted {
  port: number;
  requests: SeenRequest[];
  connections: () => number;
  close: () => Promise<void>;
}

type Respond = (socket: net.Socket, req: SeenRequest, index: number) => Promise<void> | void;

const servers: Scripted[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that reads whole requests (head and content-length body) and answers each with `respond`. */
async function scriptedServer(respond: Respond): Promise<Scripted> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = ++connections;
    let pending = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const req = { head, body: pending.toString('utf8', end + 4, end + 4 + length), connection };
        pending = pending.subarray(end + 4 + length);
        requests.push(req);
        const index = requests.length - 1;
        queue = queue.then(() => respond(socket, req, index));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: Scripted = {
    port: (server.address() as net.AddressInfo).port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

/** Writes the pieces one by one with a pause between, so each arrives in a read of its own. */
async function writePieces(socket: net.Socket, pieces: (string | Buffer)[]): Promise<void> {
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(15);
    socket.write(piece);
  }
}

function answer(body: string, extra = ''): string {
  return `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Sends one request on `conn` in the given mode and resolves with the parsed answer. */
function sendRaw(conn: HttpConnection, head: string, mode: 'count' | 'text'): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    conn.send(head, undefined, mode, (err, res) => (err !== null || res === null ? reject(err) : resolve(res)));
  });
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5;name=value\r\nhello\r\n' +
  '1 ; quoted="a;b"\r\n,\r\n' +
  'D\r\n привет\r\n' + // 13 bytes: a space and 6 two-byte letters
  '0\r\nx-trailer: yes\r\n\r\n';

describe('the response parser', () => {
  it('reads a content-length answer and a chunked one fed in every possible two-piece split', () => {
    for (const [raw, body] of [
      [answer('hello, world'), 'hello, world'],
      [CHUNKED, 'hello, привет'],
    ] as const) {
      const bytes = Buffer.from(raw, 'utf8');
      for (let cut = 0; cut <= bytes.length; cut++) {
        const p = new ResponseParser();
        p.expect('text');
        const first = p.push(bytes.subarray(0, cut));
        if (cut < bytes.length) expect(first).toBeNull();
        const res = cut < bytes.length ? p.push(bytes.subarray(cut)) : first;
        expect(res, `cut at ${cut}`).toEqual({ status: 200, bytes: Buffer.byteLength(body), body, keepAlive: true });
      }
    }
  });

  it('copies what it keeps, so the caller may overwrite the buffer it pushed', () => {
    const p = new ResponseParser();
    p.expect('text');
    const buf = Buffer.from(answer('abcdef'));
    const cut = buf.length - 3;
    const scratch = Buffer.from(buf.subarray(0, cut));
    expect(p.push(scratch)).toBeNull();
    scratch.fill(0x58); // 'X'
    expect(p.push(buf.subarray(cut))?.body).toBe('abcdef');
  });

  it('skips an interim 100 Continue, and knows 204 and HEAD answers have no body', () => {
    const p = new ResponseParser();
    p.expect('text');
    expect(p.push(Buffer.from(`HTTP/1.1 100 Continue\r\n\r\n${answer('ok')}`))?.body).toBe('ok');
    p.expect('count');
    expect(p.push(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))).toEqual({
      status: 204,
      bytes: 0,
      body: null,
      keepAlive: true,
    });
    p.expect('count', true);
    expect(p.push(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 41000\r\n\r\n'))?.bytes).toBe(0);
  });

  it('refuses malformed answers and bytes nobody asked for', () => {
    const bad = (raw: string) => {
      const p = new ResponseParser();
      p.expect('count');
      return () => p.push(Buffer.from(raw));
    };
    expect(bad('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/bad status line/);
    expect(bad('HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n')).toThrow(/content-length/);
    expect(bad('HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 3\r\n\r\n')).toThrow(/conflicting/);
    expect(bad('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow(/chunk size/);
    expect(bad('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n')).toThrow(/CRLF after chunk/);
    expect(bad(`${answer('ok')}HTTP/1.1`)).toThrow(/after the answer/);
    const idle = new ResponseParser();
    expect(() => idle.push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toThrow(/no request asked/);
  });
});

describe('requestHead', () => {
  it('writes the headers as given and adds host and content-length', () => {
    expect(
      requestHead(
        'POST',
        '/api/x?a=1',
        '127.0.0.1:8080',
        { cookie: 'a=b', 'X-Many': ['1', '2'], skipped: undefined },
        7,
      ),
    ).toBe(
      'POST /api/x?a=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncookie: a=b\r\nX-Many: 1\r\nX-Many: 2\r\ncontent-length: 7\r\n\r\n',
    );
    expect(requestHead('GET', '/', 'h', { 'Content-Length': 0, Host: 'other' }, null)).toBe(
      'GET / HTTP/1.1\r\nContent-Length: 0\r\nHost: other\r\n\r\n',
    );
    expect(requestHead('POST', '/cancel', 'h', {}, null)).toBe(
      'POST /cancel HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\n\r\n',
    );
  });

  it('refuses header injection and paths with spaces', () => {
    expect(() => requestHead('GET', '/', 'h', { a: 'x\r\nevil: 1' }, null)).toThrow(/header a/);
    expect(() => requestHead('GET', '/', 'h', { 'a b': 'x' }, null)).toThrow(/header name/);
    expect(() => requestHead('GET', '/a b', 'h', {}, null)).toThrow(/bad path/);
  });
});

describe('HttpConnection', () => {
  it('reads a content-length body that arrives in several pieces', async () => {
    const body = `{"text":"${'ж'.repeat(3000)}"}`;
    const raw = Buffer.from(answer(body));
    const srv = await scriptedServer((socket) =>
      writePieces(socket, [raw.subarray(0, 80), raw.subarray(80, 2001), raw.subarray(2001)]),
    );
    const conn = new HttpConnection(srv.port);
    const reply = await conn.request('POST', '/api/appointments', { 'content-type': 'application/json' }, '{"a":"б"}');
    expect(reply).toEqual({ status: 200, body });
    expect(srv.requests[0].head).toBe(
      `POST /api/appointments HTTP/1.1\r\nhost: 127.0.0.1:${srv.port}\r\ncontent-type: application/json\r\ncontent-length: 10`,
    );
    expect(srv.requests[0].body).toBe('{"a":"б"}');
    conn.close();
  });

  it('reads a head split across pieces', async () => {
    const srv = await scriptedServer((socket) =>
      writePieces(socket, [
        'HTTP/1.1 404 Not Found\r\nconte',
        'nt-length: 16\r\ncontent-type: application/json\r',
        '\n\r',
        '\n{"code":"NOPE"}\n',
      ]),
    );
    const conn = new HttpConnection(srv.port);
    expect(await conn.request('GET', '/x', {})).toEqual({ status: 404, body: '{"code":"NOPE"}\n' });
    conn.close();
  });

  it('reads a chunked body of several chunks with extensions, in text and in count mode', async () => {
    const raw = Buffer.from(CHUNKED);
    // Split inside a size line, inside chunk data, between data and its CRLF, and in the trailers.
    const cuts = [CHUNKED.indexOf(';name'), CHUNKED.indexOf('llo'), CHUNKED.indexOf('\r\n1 '), raw.length - 5];
    const ends = [...cuts, raw.length];
    const pieces = ends.map((end, i) => raw.subarray(i === 0 ? 0 : ends[i - 1], end));
    expect(Buffer.concat(pieces).equals(raw)).toBe(true);
    const srv = await scriptedServer((socket) => writePieces(socket, pieces));
    const conn = new HttpConnection(srv.port);
    expect(await conn.request('GET', '/chunked', {})).toEqual({ status: 200, body: 'hello, привет' });
    const counted = await sendRaw(conn, requestHead('GET', '/chunked', 'h', {}, null), 'count');
    expect(counted).toEqual({ status: 200, bytes: Buffer.byteLength('hello, привет'), body: null, keepAlive: true });
    expect(srv.connections()).toBe(1);
    conn.close();
  });

  it('sends sequential requests on one socket', async () => {
    const srv = await scriptedServer((socket, _req, i) => {
      socket.write(answer(`answer ${i}`));
    });
    const conn = new HttpConnection(srv.port);
    expect((await conn.request('GET', '/a', {})).body).toBe('answer 0');
    expect((await conn.request('GET', '/b', {})).body).toBe('answer 1');
    expect(srv.requests.map((r) => [r.head.split('\r\n')[0], r.connection])).toEqual([
      ['GET /a HTTP/1.1', 1],
      ['GET /b HTTP/1.1', 1],
    ]);
    expect(() => conn.send('GET / HTTP/1.1\r\n\r\n', undefined, 'count', () => undefined)).not.toThrow();
    expect(() => conn.send('GET / HTTP/1.1\r\n\r\n', undefined, 'count', () => undefined)).toThrow(/already in flight/);
    conn.close();
  });

  it('rejects when the server hangs up in the middle of an answer, and reconnects for the next request', async () => {
    const srv = await scriptedServer(async (socket, _req, i) => {
      if (i === 0) {
        await writePieces(socket, ['HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n', 'only part of it']);
        socket.end();
      } else socket.write(answer('again'));
    });
    const conn = new HttpConnection(srv.port);
    await expect(conn.request('GET', '/a', {})).rejects.toThrow(/closed the connection before the answer was complete/);
    expect(await conn.request('GET', '/b', {})).toEqual({ status: 200, body: 'again' });
    expect(srv.requests.map((r) => r.connection)).toEqual([1, 2]);
    conn.close();
  });

  it('delivers an answer that says connection: close, then uses a new socket', async () => {
    const srv = await scriptedServer((socket, _req, i) => {
      if (i === 0) socket.end(answer('bye', 'connection: close\r\n'));
      else socket.write(answer('hello'));
    });
    const conn = new HttpConnection(srv.port);
    expect(await conn.request('GET', '/a', {})).toEqual({ status: 200, body: 'bye' });
    expect(await conn.request('GET', '/b', {})).toEqual({ status: 200, body: 'hello' });
    expect(srv.connections()).toBe(2);
    conn.close();
  });

  it('reads a body delimited by the close when there is neither length nor chunking', async () => {
    const srv = await scriptedServer(async (socket) => {
      await writePieces(socket, ['HTTP/1.1 200 OK\r\n\r\nuntil ', 'the end']);
      socket.end();
    });
    const conn = new HttpConnection(srv.port);
    expect(await conn.request('GET', '/', {})).toEqual({ status: 200, body: 'until the end' });
  });

  it('rejects after the timeout and when nothing listens', async () => {
    const srv = await scriptedServer(() => undefined); // never answers
    const conn = new HttpConnection(srv.port, 100);
    await expect(conn.request('GET', '/', {})).rejects.toThrow(/timed out after 0.1 s/);
    const port = srv.port;
    await srv.close();
    await expect(new HttpConnection(port).request('GET', '/', {})).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('runFixedDuration', () => {
  it('spreads the connections over the ports and counts answers, bytes and statuses', async () => {
    const a = await scriptedServer((socket, req) => {
      socket.write(
        req.head.startsWith('GET /missing')
          ? 'HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\nno'
          : answer('x'.repeat(1000)),
      );
    });
    const b = await scriptedServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3e8\r\n' + 'y'.repeat(1000) + '\r\n0\r\n\r\n');
    });
    let n = 0;
    const result = await runFixedDuration({
      ports: [a.port, b.port],
      connections: 4,
      durationS: 0.3,
      nextPath: () => (n++ % 10 === 0 ? '/missing' : `/api/doctors/${n}/schedule`),
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(result.ok2xx + result.non2xx);
    expect(result.requests).toBe(a.requests.length + b.requests.length);
    expect(result.requests).toBeGreaterThan(20);
    expect(result.latencies.count).toBe(result.requests);
    expect(result.non2xx).toBe(a.requests.filter((r) => r.head.startsWith('GET /missing')).length);
    expect(result.bytes).toBe(result.ok2xx * 1000 + result.non2xx * 2);
    expect(result.elapsedS).toBeGreaterThanOrEqual(0.3);
    // Two connections per server, each kept open the whole time.
    expect(a.connections()).toBe(2);
    expect(b.connections()).toBe(2);
    expect(a.requests[0].head).toMatch(
      new RegExp(`^GET /\\S+ HTTP/1.1\r\nhost: 127.0.0.1:${a.port}\r\naccept-encoding: gzip$`),
    );
  });
});
