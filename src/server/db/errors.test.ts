import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, OutageLog } from './errors.js';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'terminated by the administrator (pg_terminate_backend)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['crash shutdown', withCode('57P02')],
    ['the server is starting up', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300')],
    ['connection exception class 08', withCode('08006')],
    ['a read-only standby after a failover', withCode('25006')],
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['the socket ended', new Error('Connection terminated unexpectedly')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['no connection in time', new Error('timeout exceeded when trying to connect')],
    ['the pool closed at shutdown', new Error('Cannot use a pool after calling end on the pool')],
    ['PGlite closed', new Error('PGlite is closed')],
    ['PGlite aborted', new WebAssembly.RuntimeError('unreachable')],
    [
      'wrapped by drizzle',
      Object.assign(new Error('Failed query: select 1'), { cause: new Error('Connection terminated unexpectedly') }),
    ],
    [
      'localhost on two addresses',
      Object.assign(new Error(''), { errors: [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')] }),
    ],
  ])('%s: unavailable', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['an exclusion violation', withCode('23P01')],
    ['a lock timeout', withCode('55P03')],
    ['a serialization failure', withCode('40001')],
    ['a syntax error', new pg.DatabaseError('syntax error', 10, 'error')],
    ['an application error', new Error('Connection terminated unexpectedly, said the user')],
    ['not an error', 'Connection terminated'],
    ['nothing', null],
  ])('%s: not unavailable', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('OutageLog', () => {
  it('logs the first refusal at once and counts the rest of the next 10 s into the next line', () => {
    let now = 0;
    const lines: object[] = [];
    const log = new OutageLog(10_000, () => now);
    const logger = { warn: (obj: object) => lines.push(obj) };
    log.note(logger);
    now = 5_000;
    log.note(logger);
    log.note(logger);
    expect(lines).toEqual([{ code: 'DATABASE_UNAVAILABLE', alsoSince: 0 }]);
    now = 10_000;
    log.note(logger);
    expect(lines).toEqual([
      { code: 'DATABASE_UNAVAILABLE', alsoSince: 0 },
      { code: 'DATABASE_UNAVAILABLE', alsoSince: 2 },
    ]);
  });
});
