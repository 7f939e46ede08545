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
  const fromDatabase = pg !== null || (e !== null && /drizzle|postgres|pglite/i.test(`${e.name} ${e.constructor?.name ?? ''}`));
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
