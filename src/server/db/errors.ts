// Reading PostgreSQL errors through drizzle's wrapper, the same on pg and PGlite.

export interface PgErrorInfo {
  code: string;
  constraint: string | undefined;
}

export function pgError(err: unknown): PgErrorInfo | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
      };
    }
    e = candidate.cause;
  }
  return null;
}

export const UNIQUE_VIOLATION = '23505';
export const EXCLUSION_VIOLATION = '23P01';
export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';

/**
 * What may be logged of an error. Database errors carry the query's parameters and the
 * offending key values (names, СНИЛС …) in their messages: only their code, constraint
 * and the stack are kept.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const pg = pgError(err);
  const e = err instanceof Error ? err : null;
  const fromDatabase =
    pg !== null || (e !== null && /drizzle|postgres|pglite/i.test(`${e.name} ${e.constructor?.name ?? ''}`));
  if (fromDatabase) {
    return {
      type: e?.constructor?.name ?? 'DatabaseError',
      pgCode: pg?.code,
      constraint: pg?.constraint,
      // The stack's first lines repeat the message (query and parameters): keep the frames only.
      stack: e?.stack
        ?.split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n'),
    };
  }
  return { err };
}

// SQLSTATEs that mean the connection or the server is gone, not that the statement was wrong:
// class 08 (connection exception), the server shutting down or starting (57P01-57P03), too
// many connections (53300), and the transaction being read-only on a standby after a
// failover (25006).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
// What node-postgres, Node's sockets and PGlite throw when there is no connection to use.
const UNAVAILABLE_SYSCALL = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end on the pool|Query read timeout|PGlite is clos(ed|ing)|PGlite failed to initialize properly)$/;

/**
 * Whether `err` (or an error it wraps) says the database cannot be reached or dropped the
 * connection: the request gets 503 DATABASE_UNAVAILABLE, and nothing it began was committed
 * unless its COMMIT had already been sent (an answer then never claims it succeeded).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const c = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof c.code === 'string') {
      if (c.code.startsWith('08') || UNAVAILABLE_STATES.has(c.code) || UNAVAILABLE_SYSCALL.has(c.code)) return true;
    }
    if (typeof c.message === 'string' && UNAVAILABLE_MESSAGE.test(c.message)) return true;
    // PGlite's WebAssembly instance aborted: every later query fails the same way.
    if (e instanceof WebAssembly.RuntimeError) return true;
    // A failed connect to several addresses (localhost: ::1 and 127.0.0.1) is an AggregateError.
    if (Array.isArray(c.errors) && c.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    e = c.cause;
  }
  return false;
}

/** What a 503 DATABASE_UNAVAILABLE answer asks the client to wait before trying again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Logs an outage without flooding: the first request refused for want of the database is
 * logged at once, the others within the next 10 s are counted and reported with the next one
 * after that. Nothing of the request or the error's text (queries, parameters) is logged.
 */
export class OutageLog {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  constructor(
    private readonly everyMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  note(log: WarnLogger, what = 'request refused: database unavailable'): void {
    const now = this.clock();
    if (now - this.lastAt < this.everyMs) {
      this.suppressed += 1;
      return;
    }
    log.warn({ code: 'DATABASE_UNAVAILABLE', alsoSince: this.suppressed }, what);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
