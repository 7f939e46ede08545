// Short transactions in two round trips instead of four, on PostgreSQL: BEGIN goes out in
// the same write as the first statement, COMMIT in the same write as the last. node-postgres
// waits for each answer before sending the next query unless a client is in pipeline mode,
// so these transactions use a pool of their own whose clients are (`pipeline: true`); the
// rest of the app keeps the ordinary pool. The socket is corked around each pair, so the
// pair leaves in one system call (on a loaded machine the calls, not PostgreSQL's work,
// were a third of a booking's server CPU).
//
// The statements and their order are exactly those of an ordinary transaction; only the
// waiting between them is gone. A statement that fails aborts the transaction: the COMMIT
// sent behind it then ends it as a rollback. Not available on PGlite (in process, no
// round trips): callers take their ordinary path there.
import type { Socket } from 'node:net';
import pg from 'pg';
import type { Db } from './index.js';
import type { PreparedSql } from './prepared.js';

const pools = new WeakMap<Db, pg.Pool>();

/** Makes `pool` (clients with `pipeline: true`) the pipelined pool of `db`. */
export function registerPipelinedPool(db: Db, pool: pg.Pool): void {
  pools.set(db, pool);
}

export interface PipelinedTx {
  /**
   * BEGIN and the statement, sent together; the statement's rows. With `lockTimeoutMs`, any
   * wait for a lock in this transaction longer than that fails it (SQLSTATE 55P03).
   */
  begin<Row>(
    statement: PreparedSql<Row>,
    values: Record<string, unknown>,
    opts?: { lockTimeoutMs?: number },
  ): Promise<Row[]>;
  /** The statement and COMMIT, sent together; the statement's rows, once committed. */
  commitWith<Row>(statement: PreparedSql<Row>, values: Record<string, unknown>): Promise<Row[]>;
}

/** Whether `db` has a pipelined pool (PostgreSQL). */
export function canPipeline(db: Db): boolean {
  return pools.has(db);
}

/**
 * The plan mode of every pipelined transaction (set with SET LOCAL after its BEGIN, in the same
 * write; a startup option would not pass PgBouncer in transaction mode). Pipelined transactions
 * run only the four booking statements (booking.repository.ts bookingStatements), each on a
 * handful of rows by key: their generic plans (index scans on every large table) are the plans
 * a booking needs, and planning them again for every execution, as PostgreSQL's default `auto`
 * mode may choose to, costs more than executing them. One client executing each statement in
 * turn on the benchmark's database: a group of 10 bookings took 10.3 ms with generic plans
 * against 15.8 ms in `auto` mode, a lone booking 3.8 against 7.3 ms. In two interleaved pairs of
 * `npm run bench -- --only steady`: 1,574 and 1,520 bookings/s at saturation against 1,418 and
 * 1,187/s, 0.61 ms of PostgreSQL CPU per booking against 0.66-0.79 ms.
 */
export const PIPELINED_PLAN_CACHE_MODE = 'force_generic_plan';

/**
 * The statements that open a pipelined transaction, sent in one write with its first
 * statement: BEGIN, the plan mode, and the lock timeout if there is one (a whole number of
 * milliseconds). The benchmark's floor (bench/lib/direct.ts) opens its transactions with them too.
 */
export function transactionStart(lockTimeoutMs?: number): string[] {
  if (lockTimeoutMs !== undefined && !(Number.isInteger(lockTimeoutMs) && lockTimeoutMs > 0)) {
    throw new Error('pipelinedTransaction: bad lock timeout');
  }
  const start = ['begin', `set local plan_cache_mode = ${PIPELINED_PLAN_CACHE_MODE}`];
  if (lockTimeoutMs !== undefined) start.push(`set local lock_timeout = ${lockTimeoutMs}`);
  return start;
}

/** How many connections `db`'s pipelined pool opens at most (0 without one). */
export function pipelinedPoolSize(db: Db): number {
  return pools.get(db)?.options.max ?? 0;
}

function queryOf<Row>(statement: PreparedSql<Row>, values: Record<string, unknown>): pg.QueryConfig {
  return { name: statement.name, text: statement.text, values: statement.placeholders.map((p) => values[p]) };
}

function socketOf(client: pg.PoolClient): Socket {
  return (client as unknown as { connection: { stream: Socket } }).connection.stream;
}

/** Sends the queries in one write and waits for every answer; the first failure is thrown. */
async function sendTogether(client: pg.PoolClient, queries: (string | pg.QueryConfig)[]): Promise<pg.QueryResult[]> {
  const socket = socketOf(client);
  socket.cork();
  let pending: Promise<pg.QueryResult>[];
  try {
    pending = queries.map((q) => client.query(q as pg.QueryConfig));
  } finally {
    socket.uncork();
  }
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
}

/**
 * Runs `fn` in a pipelined transaction on `db`'s pipelined pool. `fn` starts it with
 * `begin` and ends it with `commitWith`; if `fn` throws or returns before committing, the
 * transaction is rolled back. Throws when `db` has no pipelined pool (check canPipeline).
 */
export async function pipelinedTransaction<T>(db: Db, fn: (tx: PipelinedTx) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('pipelinedTransaction: no pipelined pool for this database');
  const client = await pool.connect();
  let open = false;
  let broken: Error | undefined;
  async function commitWith<Row>(statement: PreparedSql<Row>, values: Record<string, unknown>): Promise<Row[]> {
    if (!open) throw new Error('pipelinedTransaction: commit before begin');
    try {
      const [result] = await sendTogether(client, [queryOf(statement, values), 'commit']);
      return result.rows as Row[];
    } catch (err) {
      // A refused statement (an SQLSTATE) ended the transaction through the COMMIT behind it;
      // anything else (a lost connection) leaves the client unusable.
      if (!(err instanceof pg.DatabaseError)) broken = err as Error;
      throw err;
    } finally {
      open = false;
    }
  }
  const tx: PipelinedTx = {
    async begin(statement, values, opts = {}) {
      if (open) throw new Error('pipelinedTransaction: begin twice');
      const first = transactionStart(opts.lockTimeoutMs);
      open = true;
      const results = await sendTogether(client, [...first, queryOf(statement, values)]);
      return results[results.length - 1].rows;
    },
    commitWith,
  };
  try {
    return await fn(tx);
  } finally {
    if (open) {
      try {
        await client.query('rollback');
      } catch (err) {
        broken = err as Error;
      }
    }
    client.release(broken);
  }
}

/** `db`'s pipelined pool, if it has one (its use and waits are metrics). */
export function pipelinedPoolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}
