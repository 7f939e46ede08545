// A light keep-alive HTTP client for the hand-written loops (the rush, steady booking):
// one agent with one socket per simulated browser, so N workers hold exactly N connections.
import http from 'node:http';

export const SESSION_COOKIE = 'priyom_session';
export const CSRF_COOKIE = 'priyom_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Any 24+ character token works for the double-submit check; one for every client. */
export const CSRF_TOKEN = 'benchCsrfToken_0123456789abcdef';

export interface Reply {
  status: number;
  body: string;
}

export class Connection {
  readonly agent: http.Agent;

  constructor(
    readonly port: number,
    /** Which server instance (0-based) this connection talks to. */
    readonly instance: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 30_000 });
  }

  request(method: string, path: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error('request timed out after 60 s')));
      req.on('error', reject);
      if (body !== undefined) req.end(body);
      else req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Headers of a signed-in browser: the session cookie plus the CSRF double-submit. */
export function sessionHeaders(sessionToken: string): http.OutgoingHttpHeaders {
  return {
    cookie: `${SESSION_COOKIE}=${sessionToken}; ${CSRF_COOKIE}=${CSRF_TOKEN}`,
    [CSRF_HEADER]: CSRF_TOKEN,
  };
}

export function jsonPost(sessionToken: string, body: unknown): { headers: http.OutgoingHttpHeaders; body: string } {
  const text = JSON.stringify(body);
  return {
    headers: {
      ...sessionHeaders(sessionToken),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    },
    body: text,
  };
}

/** The machine-readable error code of a JSON error body, or null. */
export function errorCode(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : null;
  } catch {
    return null;
  }
}
