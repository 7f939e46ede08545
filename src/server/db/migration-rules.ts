// Zero-downtime upgrades: during a rolling update the previous release's code runs on the new
// schema, and after a roll-back it runs there for good. So a migration after the previous
// release only ADDS (nullable columns or columns with a default, tables, indexes, enum values);
// removing, renaming or tightening waits for a later release, when no running code uses the old
// shape. This is the SQL text rule test/architecture/migrations.test.ts applies to every
// migration after deploy/releases.json's previous release.
//
// A statement that removes something the previous release no longer uses (the second step of
// "first add, then remove") is allowed when the comment line right before it says so:
//   -- not additive: <why the previous release does not need it>

export type MigrationRule = 'drop' | 'rename' | 'column type' | 'set not null' | 'not null column without default';

export interface MigrationProblem {
  /** 1-based position of the statement in the file. */
  statement: number;
  rule: MigrationRule;
  /** The statement, comments removed, on one line. */
  text: string;
}

const ALLOW = /^\s*--\s*not additive:\s*\S/im;

/** Splits a migration into statements: drizzle's breakpoints, then `;` outside quotes and dollar-quoted bodies. */
export function splitStatements(sqlText: string): string[] {
  const out: string[] = [];
  for (const chunk of sqlText.split('--> statement-breakpoint')) {
    let current = '';
    let i = 0;
    while (i < chunk.length) {
      const rest = chunk.slice(i);
      const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
      if (dollar) {
        const end = chunk.indexOf(dollar[0], i + dollar[0].length);
        const stop = end === -1 ? chunk.length : end + dollar[0].length;
        current += chunk.slice(i, stop);
        i = stop;
        continue;
      }
      const ch = chunk[i] as string;
      if (ch === "'" || ch === '"') {
        let j = i + 1;
        while (j < chunk.length && !(chunk[j] === ch && chunk[j + 1] !== ch)) j += chunk[j] === ch ? 2 : 1;
        current += chunk.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (ch === '-' && chunk[i + 1] === '-') {
        const end = chunk.indexOf('\n', i);
        const stop = end === -1 ? chunk.length : end + 1;
        current += chunk.slice(i, stop);
        i = stop;
        continue;
      }
      if (ch === ';') {
        out.push(current);
        current = '';
        i += 1;
        continue;
      }
      current += ch;
      i += 1;
    }
    out.push(current);
  }
  return out.filter((s) => stripped(s) !== '');
}

/** The statement without comments, string literals and dollar-quoted bodies, upper-cased on one line. */
function stripped(statement: string): string {
  return statement
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '$$$$')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

/** Splits at commas outside parentheses and quotes (the clauses of one ALTER TABLE). */
function clauses(statement: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of statement) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth += 1;
    if (!quoted && ch === ')') depth -= 1;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** What in one statement the previous release's code could trip over, or null. */
export function statementRule(statement: string): MigrationRule | null {
  const s = stripped(statement);
  if (/\bRENAME\b/.test(s)) return 'rename';
  // DROP NOT NULL only loosens: the previous code still writes a value.
  if (/\bDROP\b(?!\s+NOT\s+NULL\b)/.test(s)) return 'drop';
  if (/\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b/.test(s)) return 'column type';
  if (/\bSET\s+NOT\s+NULL\b/.test(s)) return 'set not null';
  if (/^ALTER\s+TABLE\b/.test(s)) {
    for (const clause of clauses(s)) {
      if (
        /\bADD\s+(COLUMN\s+)?(?!COLUMN\b|CONSTRAINT\b|PRIMARY\b|UNIQUE\b|CHECK\b|FOREIGN\b|EXCLUDE\b)/.test(clause) &&
        /\bNOT\s+NULL\b/.test(clause) &&
        !/\bDEFAULT\b|\bGENERATED\b/.test(clause)
      )
        return 'not null column without default';
    }
  }
  return null;
}

/** Every statement of a migration that is not additive (and not marked as a deliberate removal). */
export function nonAdditiveStatements(sqlText: string): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  splitStatements(sqlText).forEach((statement, i) => {
    const rule = statementRule(statement);
    if (rule && !ALLOW.test(statement)) problems.push({ statement: i + 1, rule, text: stripped(statement) });
  });
  return problems;
}
