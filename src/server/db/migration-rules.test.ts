import { describe, expect, it } from 'vitest';
import { nonAdditiveStatements, splitStatements, statementRule } from './migration-rules.js';

describe('statementRule: what the previous release could trip over', () => {
  it.each([
    // additive: allowed
    ['a nullable column', 'ALTER TABLE "appointments" ADD COLUMN "moved_from_id" uuid', null],
    ['a NOT NULL column with a default', `ALTER TABLE "a" ADD COLUMN "kind" text DEFAULT 'x' NOT NULL`, null],
    ['a generated column', 'ALTER TABLE "a" ADD COLUMN "n" int NOT NULL GENERATED ALWAYS AS (1) STORED', null],
    [
      'a new table with NOT NULL columns',
      'CREATE TABLE "t" ("id" serial PRIMARY KEY NOT NULL, "x" text NOT NULL)',
      null,
    ],
    ['an index', 'CREATE INDEX IF NOT EXISTS "i" ON "a" USING btree ("x")', null],
    [
      'a foreign key',
      'ALTER TABLE "a" ADD CONSTRAINT "fk" FOREIGN KEY ("b") REFERENCES "b"("id") ON DELETE no action',
      null,
    ],
    [
      'a NOT NULL check added as a constraint',
      'ALTER TABLE "a" ADD CONSTRAINT "c" CHECK ("x" IS NOT NULL) NOT VALID',
      null,
    ],
    ['an enum value', `ALTER TYPE "status" ADD VALUE 'moved'`, null],
    ['loosening NOT NULL', 'ALTER TABLE "a" ALTER COLUMN "x" DROP NOT NULL', null],
    ['DROP inside a string', `UPDATE "a" SET "note" = 'DROP TABLE b; RENAME'`, null],
    [
      'DROP inside a function body',
      'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN DROP TABLE x; END $$ LANGUAGE plpgsql',
      null,
    ],
    ['DROP in a comment', '-- we never DROP here\nCREATE TABLE "t" ("id" int)', null],
    ['a type in a new column', 'ALTER TABLE "a" ADD COLUMN "at" timestamp with time zone', null],
    // not additive: refused
    ['a dropped column', 'ALTER TABLE "a" DROP COLUMN "x"', 'drop'],
    ['a dropped table', 'DROP TABLE "a" CASCADE', 'drop'],
    ['a dropped index', 'DROP INDEX IF EXISTS "i"', 'drop'],
    ['a dropped constraint', 'ALTER TABLE "a" DROP CONSTRAINT "c"', 'drop'],
    ['a dropped default', 'ALTER TABLE "a" ALTER COLUMN "x" DROP DEFAULT', 'drop'],
    ['a renamed column', 'ALTER TABLE "a" RENAME COLUMN "x" TO "y"', 'rename'],
    ['a renamed table', 'alter table a rename to b', 'rename'],
    ['a renamed enum value', `ALTER TYPE "s" RENAME VALUE 'a' TO 'b'`, 'rename'],
    ['a changed column type', 'ALTER TABLE "a" ALTER COLUMN "x" SET DATA TYPE bigint', 'column type'],
    ['a changed column type (short form)', 'ALTER TABLE "a" ALTER COLUMN "x" TYPE text USING x::text', 'column type'],
    ['SET NOT NULL', 'ALTER TABLE "a" ALTER COLUMN "x" SET NOT NULL', 'set not null'],
    [
      'a NOT NULL column without default',
      'ALTER TABLE "a" ADD COLUMN "x" text NOT NULL',
      'not null column without default',
    ],
    [
      'the second of two added columns is NOT NULL without default',
      'ALTER TABLE "a" ADD COLUMN "y" numeric(10,2) DEFAULT 0 NOT NULL, ADD COLUMN "x" text NOT NULL',
      'not null column without default',
    ],
    ['lower case', 'alter table a add column x text not null', 'not null column without default'],
  ])('%s', (_what, statement, expected) => {
    expect(statementRule(statement)).toBe(expected);
  });
});

describe('nonAdditiveStatements', () => {
  it('splits at drizzle breakpoints and semicolons and names each refused statement', () => {
    const sql = [
      'ALTER TABLE "a" ADD COLUMN "x" text;',
      '--> statement-breakpoint',
      'ALTER TABLE "a" DROP COLUMN "old";',
      'CREATE INDEX "i" ON "a" ("x");',
      '--> statement-breakpoint',
      'ALTER TABLE "a" RENAME COLUMN "y" TO "z";',
    ].join('\n');
    expect(nonAdditiveStatements(sql)).toEqual([
      { statement: 2, rule: 'drop', text: 'ALTER TABLE "A" DROP COLUMN "OLD"' },
      { statement: 4, rule: 'rename', text: 'ALTER TABLE "A" RENAME COLUMN "Y" TO "Z"' },
    ]);
  });

  it('allows a removal whose comment says why the previous release does not need it', () => {
    const sql = [
      'ALTER TABLE "a" ADD COLUMN "x" text;',
      '--> statement-breakpoint',
      '-- not additive: v0.2.0 stopped reading "old"; v0.3.0 runs on the schema without it',
      'ALTER TABLE "a" DROP COLUMN "old";',
    ].join('\n');
    expect(nonAdditiveStatements(sql)).toEqual([]);
  });

  it('keeps a function body with semicolons as one statement', () => {
    const sql = 'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  x := 1;\n  RETURN NEW;\nEND\n$$;';
    expect(splitStatements(sql)).toHaveLength(1);
    expect(nonAdditiveStatements(sql)).toEqual([]);
  });
});
