// Named prepared statements for hand-written SQL on the hot paths. drizzle's query builders
// have `.prepare(name)`; raw `sql` templates do not, so this goes through the same driver
// path `db.execute` takes (the session's prepareQuery), only with a name: on PostgreSQL each
// pooled connection parses and plans the statement once and then only binds and executes it;
// on PGlite (in process, one session) the name is ignored and the text is sent as it is.
// Values travel as `sql.placeholder(name)` and are filled per call; a name always stands
// for exactly one text.
import { Placeholder, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './index.js';

const dialect = new PgDialect();
const names = new Set<string>();

export interface PreparedSql<Row> {
  readonly name: string;
  /** The statement's text ($1, $2, ...) and the placeholder behind each $n (the benchmark's floor runs them). */
  readonly text: string;
  readonly placeholders: readonly string[];
  /** Runs the statement on the database or the open transaction `db`. */
  rows(db: Db, values: Record<string, unknown>): Promise<Row[]>;
}

/** Defines a named statement once (module level); `query` uses only `sql.placeholder` for values. */
export function preparedSql<Row>(name: string, query: SQL): PreparedSql<Row> {
  if (names.has(name)) throw new Error(`prepared statement ${name} is defined twice`);
  names.add(name);
  const compiled = dialect.sqlToQuery(query);
  const placeholders = compiled.params.map((p) => {
    if (p instanceof Placeholder) return p.name;
    throw new Error(`prepared statement ${name}: every value must be a sql.placeholder`);
  });
  return {
    name,
    text: compiled.sql,
    placeholders,
    async rows(db, values) {
      const prepared = db._.session.prepareQuery(compiled, undefined, name, false);
      const result = (await prepared.execute(values)) as unknown as { rows: Row[] };
      return result.rows;
    },
  };
}
