// A lean HTTP/1.1 keep-alive client on raw sockets, for the load generator. The generator
// shares the 2-core machine with the servers and PostgreSQL, so every CPU millisecond it
// spends is taken from what it measures: autocannon used ~0.3 ms of CPU per 41 kB schedule
// answer and node:http not much less. Here a request is one hand-built string written in
// one go, and an answer is parsed in place from one read buffer shared by all sockets:
// the head is scanned once, the body is only counted (or, for the small JSON answers of
// the booking loops, decoded once). One socket per connection, one request in flight on it.
import net from 'node:net';
import { Latencies } from './stats.js';

export type HeaderValue = string | number | readonly string[] | undefined;
/** Request headers, written as given (an array value gives one line per item). */
export type RequestHeaders = Readonly<Record<string, HeaderValue>>;

/** Count the body's bytes only, or also decode it (UTF-8) into a string. */
export type BodyMode = 'count' | 'text';

export interface ParsedResponse {
  status: number;
  /** Body bytes as sent (after the chunked framing is removed; still content-coded). */
  bytes: number;
  /** The body, in 'text' mode; null in 'count' mode. */
  body: string | null;
  /** False when the server will close the connection after this answer. */
  keepAlive: boolean;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;
const CHUNK_SIZE = /^[0-9a-fA-F]{1,12}$/;

// Parser states.
const HEAD = 0;
const LENGTH = 1; // a content-length body
const CHUNK_LINE = 2; // a chunk-size line (with optional extensions)
const CHUNK_DATA = 3;
const CHUNK_END = 4; // the CRLF after a chunk's data
const TRAILERS = 5; // trailer lines after the last chunk, up to an empty line
const UNTIL_CLOSE = 6; // neither length nor chunked: the body ends when the server closes
const IDLE = 7; // no request waiting for an answer

/**
 * An incremental parser of HTTP/1.1 responses, one answer per expect(). push() never keeps
 * a reference to the buffer it is given (the caller may reuse it): what must outlive the
 * call (a head split across reads, body parts in 'text' mode) is copied.
 */
export class ResponseParser {
  private state = IDLE;
  private mode: BodyMode = 'count';
  private noBody = false;
  private head: Buffer | null = null;
  private line = '';
  private remaining = 0;
  private status = 0;
  private keepAlive = true;
  private bytes = 0;
  private parts: Buffer[] = [];
  private text: string | null = null;

  /** Prepares for the answer to a request just sent; `noBody` for HEAD requests. */
  expect(mode: BodyMode, noBody = false): void {
    this.state = HEAD;
    this.mode = mode;
    this.noBody = noBody;
    this.head = null;
  }

  /**
   * Feeds bytes read from the socket. Returns the answer once it is complete, else null;
   * throws on malformed input and on bytes no request asked for.
   */
  push(chunk: Buffer): ParsedResponse | null {
    let pos = 0;
    let buf = chunk;
    while (pos < buf.length) {
      switch (this.state) {
        case IDLE:
          throw new Error('the server sent bytes that no request asked for');
        case HEAD: {
          let from = pos;
          if (this.head !== null) {
            from = Math.max(0, this.head.length - 3);
            buf = Buffer.concat([this.head, buf.subarray(pos)]);
            pos = 0;
            this.head = null;
          }
          const end = buf.indexOf(CRLFCRLF, from);
          if (end < 0) {
            if (buf.length - pos > MAX_HEAD_BYTES) throw new Error('response head too long');
            this.head = Buffer.from(buf.subarray(pos));
            return null;
          }
          this.parseHead(buf.toString('latin1', pos, end));
          pos = end + 4;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, buf.length - pos);
          this.take(buf, pos, n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = this.state === LENGTH ? this.finishBody() : CHUNK_END;
          break;
        }
        case UNTIL_CLOSE: {
          this.take(buf, pos, buf.length - pos);
          pos = buf.length;
          break;
        }
        case CHUNK_LINE:
        case CHUNK_END:
        case TRAILERS: {
          const nl = buf.indexOf(10, pos);
          const stop = nl < 0 ? buf.length : nl;
          if (this.line.length + (stop - pos) > MAX_LINE_BYTES) throw new Error('chunk line too long');
          this.line += buf.toString('latin1', pos, stop);
          if (nl < 0) return null;
          pos = nl + 1;
          const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
          this.line = '';
          this.onLine(line);
          break;
        }
      }
      if (this.state === IDLE) {
        if (pos < buf.length) throw new Error('the server sent bytes after the answer');
        return this.result();
      }
    }
    return null;
  }

  /**
   * The server closed its side. Returns the answer when it ends there (a body delimited by
   * the close); null when none was in progress; throws when one was cut short.
   */
  end(): ParsedResponse | null {
    if (this.state === UNTIL_CLOSE) {
      this.state = this.finishBody();
      return this.result();
    }
    if (this.state === IDLE) return null;
    this.state = IDLE;
    throw new Error('the server closed the connection before the answer was complete');
  }

  private parseHead(head: string): void {
    const eol = head.indexOf('\r\n');
    const statusLine = eol < 0 ? head : head.slice(0, eol);
    const m = STATUS_LINE.exec(statusLine);
    if (m === null) throw new Error(`bad status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const status = Number(m[2]);
    let keepAlive = m[1] === '1';
    let length = -1;
    let chunked = false;
    let encoded = false;
    let at = eol < 0 ? head.length : eol + 2;
    while (at < head.length) {
      let next = head.indexOf('\r\n', at);
      if (next < 0) next = head.length;
      const colon = head.indexOf(':', at);
      // Only the three names that matter are compared (by length first, then lower-cased).
      if (colon > at && colon < next) {
        const nameLength = colon - at;
        if (nameLength === 14 || nameLength === 17 || nameLength === 10) {
          const name = head.slice(at, colon).toLowerCase();
          const value = head
            .slice(colon + 1, next)
            .trim()
            .toLowerCase();
          if (name === 'content-length') {
            if (!/^\d{1,15}$/.test(value)) throw new Error(`bad content-length: ${JSON.stringify(value)}`);
            const n = Number(value);
            if (length >= 0 && n !== length) throw new Error('conflicting content-length headers');
            length = n;
          } else if (name === 'transfer-encoding') {
            encoded = true;
            // Chunked must be the last coding for the framing to be chunked.
            const codings = value.split(',');
            chunked = codings[codings.length - 1].trim() === 'chunked';
          } else if (name === 'connection') {
            for (const token of value.split(',')) {
              const t = token.trim();
              if (t === 'close') keepAlive = false;
              else if (t === 'keep-alive' && m[1] === '0') keepAlive = true;
            }
          }
        }
      }
      at = next + 2;
    }

    if (status === 101) throw new Error('unexpected 101 Switching Protocols');
    if (status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      this.state = HEAD;
      return;
    }
    this.status = status;
    this.keepAlive = keepAlive;
    this.bytes = 0;
    this.parts = [];
    this.text = null;
    this.line = '';
    if (this.noBody || status === 204 || status === 304) this.state = this.finishBody();
    else if (encoded && chunked) this.state = CHUNK_LINE;
    else if (encoded) {
      // Not chunked: the close ends the body, and the connection cannot be reused.
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    } else if (length > 0) {
      this.remaining = length;
      this.state = LENGTH;
    } else if (length === 0) this.state = this.finishBody();
    else {
      this.keepAlive = false;
      this.state = UNTIL_CLOSE;
    }
  }

  private onLine(line: string): void {
    if (this.state === CHUNK_END) {
      if (line !== '') throw new Error('missing CRLF after chunk data');
      this.state = CHUNK_LINE;
    } else if (this.state === CHUNK_LINE) {
      const semi = line.indexOf(';');
      const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
      if (!CHUNK_SIZE.test(hex)) throw new Error(`bad chunk size: ${JSON.stringify(line.slice(0, 80))}`);
      const size = parseInt(hex, 16);
      if (size === 0) this.state = TRAILERS;
      else {
        this.remaining = size;
        this.state = CHUNK_DATA;
      }
    } else if (line === '') {
      this.state = this.finishBody(); // the empty line that ends the trailers
    }
  }

  /** Counts body bytes and, in 'text' mode, keeps a copy. */
  private take(buf: Buffer, pos: number, n: number): void {
    if (n === 0) return;
    this.bytes += n;
    if (this.mode === 'text') this.parts.push(Buffer.from(buf.subarray(pos, pos + n)));
  }

  private finishBody(): number {
    if (this.mode === 'text') {
      const parts = this.parts;
      this.text =
        parts.length === 0
          ? ''
          : parts.length === 1
            ? parts[0].toString('utf8')
            : Buffer.concat(parts).toString('utf8');
      this.parts = [];
    }
    return IDLE;
  }

  private result(): ParsedResponse {
    const r: ParsedResponse = { status: this.status, bytes: this.bytes, body: this.text, keepAlive: this.keepAlive };
    this.text = null;
    return r;
  }
}

const SAFE_PATH = /^\/[\x21-\x7e]*$/;
const SAFE_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UNSAFE_HEADER_VALUE = /[\r\n\0]/;

/**
 * The head of a request up to and including its empty line. `bodyBytes` (the body's length,
 * or null without one) adds content-length unless the headers have it; a POST, PUT or PATCH
 * without a body says content-length: 0, as node:http does.
 */
export function requestHead(
  method: string,
  path: string,
  host: string,
  headers: RequestHeaders,
  bodyBytes: number | null,
): string {
  if (!/^[A-Z]+$/.test(method)) throw new Error(`bad method ${JSON.stringify(method)}`);
  if (!SAFE_PATH.test(path)) throw new Error(`bad path ${JSON.stringify(path)}`);
  let lines = '';
  let hasHost = false;
  let hasLength = false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (!SAFE_HEADER_NAME.test(name)) throw new Error(`bad header name ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length') hasLength = true;
    for (const v of typeof value === 'object' ? value : [value]) {
      const text = String(v);
      if (UNSAFE_HEADER_VALUE.test(text)) throw new Error(`bad value of header ${name}`);
      lines += `${name}: ${text}\r\n`;
    }
  }
  if (!hasLength) {
    if (bodyBytes !== null) lines += `content-length: ${bodyBytes}\r\n`;
    else if (method === 'POST' || method === 'PUT' || method === 'PATCH') lines += 'content-length: 0\r\n';
  }
  return `${method} ${path} HTTP/1.1\r\n${hasHost ? '' : `host: ${host}\r\n`}${lines}\r\n`;
}

/**
 * Where every socket reads into. Safe to share: a read callback runs to completion (the
 * parser copies what it keeps) before the event loop reads the next socket.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

type Done = (err: Error | null, res: ParsedResponse | null) => void;

/**
 * One keep-alive connection to 127.0.0.1:port: connects on the first request and again
 * after the server closed it or an error; one request at a time.
 */
export class HttpConnection {
  private socket: net.Socket | null = null;
  private readonly parser = new ResponseParser();
  private done: Done | null = null;
  private timer: NodeJS.Timeout | null = null;
  readonly host: string;

  constructor(
    readonly port: number,
    readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.host = `127.0.0.1:${port}`;
  }

  /**
   * Sends a request (its head from requestHead(), then the body) and calls `done` once
   * with the answer or an Error; never synchronously.
   */
  send(head: string, body: string | undefined, mode: BodyMode, done: Done, noBody = false): void {
    if (this.done !== null) throw new Error('a request is already in flight on this connection');
    const socket = this.socket ?? this.connect();
    this.done = done;
    this.parser.expect(mode, noBody);
    this.timer = setTimeout(
      () => this.fail(new Error(`request timed out after ${this.timeoutMs / 1000} s`)),
      this.timeoutMs,
    );
    socket.write(body === undefined ? head : head + body, 'utf8');
  }

  /** A request answered with its status and body text. */
  request(
    method: string,
    path: string,
    headers: RequestHeaders,
    body?: string,
  ): Promise<{ status: number; body: string }> {
    const head = requestHead(method, path, this.host, headers, body === undefined ? null : Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      this.send(
        head,
        body,
        'text',
        (err, res) =>
          err !== null || res === null
            ? reject(err ?? new Error('no answer'))
            : resolve({ status: res.status, body: res.body ?? '' }),
        method === 'HEAD',
      );
    });
  }

  /** Closes the socket; a request in flight is rejected. */
  close(): void {
    this.fail(new Error('connection closed by the client'));
  }

  private connect(): net.Socket {
    const socket: net.Socket = net.connect({
      host: '127.0.0.1',
      port: this.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number): boolean => this.onRead(socket, READ_BUFFER.subarray(0, n)),
      },
    });
    socket.setNoDelay(true);
    socket.on('end', () => {
      if (this.socket !== socket) return;
      let res: ParsedResponse | null = null;
      try {
        res = this.parser.end();
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      this.drop();
      if (res !== null) this.complete(res);
      else this.fail(new Error('the server closed the connection'));
    });
    socket.on('error', (err) => {
      if (this.socket === socket) this.fail(err);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.fail(new Error('the connection closed'));
    });
    this.socket = socket;
    return socket;
  }

  private onRead(socket: net.Socket, chunk: Buffer): boolean {
    if (this.socket !== socket) return false;
    let res: ParsedResponse | null;
    try {
      res = this.parser.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return false;
    }
    if (res !== null) {
      if (!res.keepAlive) this.drop();
      this.complete(res);
    }
    return true;
  }

  private complete(res: ParsedResponse): void {
    const done = this.done;
    this.clearTimer();
    this.done = null;
    done?.(null, res);
  }

  /** Rejects the request in flight, if any, and drops the socket. */
  private fail(err: Error): void {
    const done = this.done;
    this.clearTimer();
    this.done = null;
    this.drop();
    done?.(err, null);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export interface FixedDurationOptions {
  /** The servers' ports; connection i talks to ports[i % ports.length]. */
  ports: readonly number[];
  connections: number;
  durationS: number;
  /** The path of each GET. */
  nextPath: () => string;
  headers?: RequestHeaders;
  timeoutMs?: number;
}

export interface FixedDurationResult {
  /** Answers received (2xx and others); errors are not counted here. */
  requests: number;
  ok2xx: number;
  non2xx: number;
  /** Requests that got no answer (connection errors, timeouts, malformed answers). */
  errors: number;
  /** Body bytes of all answers. */
  bytes: number;
  /** Latency of every answer, in milliseconds. */
  latencies: Latencies;
  /** From the start to the last answer (requests in flight at the deadline are awaited). */
  elapsedS: number;
}

/**
 * GETs on `connections` keep-alive connections, each sending its next request as soon as
 * the previous answer arrived, until `durationS` is up; bodies are counted, not kept.
 */
export function runFixedDuration(opts: FixedDurationOptions): Promise<FixedDurationResult> {
  if (opts.ports.length === 0) throw new Error('no ports to load');
  const headers = opts.headers ?? {};
  // Everything of the head but the path, built once.
  const heads = opts.ports.map((port) =>
    requestHead('GET', '/', `127.0.0.1:${port}`, headers, null).slice('GET /'.length),
  );
  const latencies = new Latencies();
  let ok2xx = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const deadline = t0 + opts.durationS * 1000;
    let running = opts.connections;
    let fatal: Error | null = null;
    const finish = () => {
      if (--running > 0) return;
      if (fatal !== null) reject(fatal);
      else
        resolve({
          requests: ok2xx + non2xx,
          ok2xx,
          non2xx,
          errors,
          bytes,
          latencies,
          elapsedS: (performance.now() - t0) / 1000,
        });
    };
    for (let i = 0; i < opts.connections; i++) {
      const conn = new HttpConnection(opts.ports[i % opts.ports.length], opts.timeoutMs);
      const rest = heads[i % heads.length];
      let started = 0;
      const onAnswer: Done = (err, res) => {
        const now = performance.now();
        if (err !== null || res === null) errors += 1;
        else {
          latencies.add(now - started);
          bytes += res.bytes;
          if (res.status >= 200 && res.status < 300) ok2xx += 1;
          else non2xx += 1;
        }
        next(now);
      };
      const next = (now: number) => {
        const path = now < deadline && fatal === null ? opts.nextPath() : null;
        if (path !== null && !SAFE_PATH.test(path)) fatal = new Error(`bad path ${JSON.stringify(path)}`);
        if (path === null || fatal !== null) {
          conn.close();
          finish();
          return;
        }
        started = performance.now();
        conn.send(`GET ${path}${rest}`, undefined, 'count', onAnswer);
      };
      next(performance.now());
    }
    if (opts.connections <= 0) resolve({ requests: 0, ok2xx, non2xx, errors, bytes, latencies, elapsedS: 0 });
  });
}
