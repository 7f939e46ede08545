// The keep-alive client of the hand-written loops (the rush, steady booking, the waitlist):
// one socket per simulated browser, so N workers hold exactly N connections; requests and
// answers go through the lean client of loadgen.ts (bodies are small JSON, decoded).
import { csrfTokenOf } from '../../src/server/modules/session/session.js';
import { HttpConnection, type RequestHeaders } from './loadgen.js';

export const SESSION_COOKIE = 'priyom_session';
export const CSRF_COOKIE = 'priyom_csrf';
export const CSRF_HEADER = 'x-csrf-token';

// The CSRF token is bound to the session (an HMAC of its cookie with the servers' session
// secret, identity/session.ts): the run sets the secret once, and each session's headers are
// made once.
let sessionSecret: string | null = null;
const headersBySession = new Map<string, RequestHeaders>();

/** The session secret the benchmark's servers run with (bench/run.ts, before any request). */
export function setSessionSecret(secret: string): void {
  sessionSecret = secret;
  headersBySession.clear();
}

export interface Reply {
  status: number;
  body: string;
}

export class Connection {
  private readonly conn: HttpConnection;

  constructor(
    readonly port: number,
    /** Which server instance (0-based) this connection talks to. */
    readonly instance: number,
  ) {
    this.conn = new HttpConnection(port, 60_000);
  }

  /** Rejects on a connection error, a close before the answer, or after 60 s (then reconnects on the next request). */
  request(method: string, path: string, headers: RequestHeaders, body?: string): Promise<Reply> {
    return this.conn.request(method, path, headers, body);
  }

  close(): void {
    this.conn.close();
  }
}

/** Headers of a signed-in browser: the session cookie plus the CSRF double-submit. */
export function sessionHeaders(sessionToken: string): RequestHeaders {
  let headers = headersBySession.get(sessionToken);
  if (!headers) {
    if (!sessionSecret) throw new Error('bench http: setSessionSecret() first');
    const csrf = csrfTokenOf(sessionSecret, { session: sessionToken });
    headers = { cookie: `${SESSION_COOKIE}=${sessionToken}; ${CSRF_COOKIE}=${csrf}`, [CSRF_HEADER]: csrf };
    headersBySession.set(sessionToken, headers);
  }
  return headers;
}

export function jsonPost(sessionToken: string, body: unknown): { headers: RequestHeaders; body: string } {
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

/** How an answer other than the one hoped for is counted: "409 SLOT_TAKEN" (or the body's start). */
export function answerKind(reply: Reply): string {
  return `${reply.status} ${errorCode(reply.body) ?? reply.body.slice(0, 80)}`;
}

/** Counts one more of `kind`. */
export function tally(counts: Record<string, number>, kind: string): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}
