// test:deploy's previous release: found by its tag, else by deploy/releases.json's commit, else a
// clear failure (a shallow clone says so); and when our node_modules can serve its code.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockMismatches, previousRelease } from './release.js';

describe('lockMismatches', () => {
  const lock = (packages: Record<string, { version?: string; link?: boolean }>) => ({ packages });
  it.each([
    ['the same lock', { 'node_modules/a': { version: '1.0.0' } }, { 'node_modules/a': { version: '1.0.0' } }, []],
    [
      'a package only the new lock has',
      { 'node_modules/a': { version: '1.0.0' } },
      { 'node_modules/a': { version: '1.0.0' }, 'node_modules/b': { version: '2.0.0' } },
      [],
    ],
    ['the root entry differs', { '': { version: '0.1.0' } }, { '': { version: '0.2.0' } }, []],
    [
      'another version',
      { 'node_modules/a': { version: '1.0.0' } },
      { 'node_modules/a': { version: '1.0.1' } },
      ['node_modules/a@1.0.0'],
    ],
    ['a package the new lock dropped', { 'node_modules/a': { version: '1.0.0' } }, {}, ['node_modules/a@1.0.0']],
    [
      'a nested copy only the old lock has',
      { 'node_modules/x/node_modules/a': { version: '0.9.0' } },
      { 'node_modules/a': { version: '0.9.0' } },
      ['node_modules/x/node_modules/a@0.9.0'],
    ],
  ])('%s', (_what, before, after, expected) => {
    expect(lockMismatches(lock(before), lock(after))).toEqual(expected);
  });
});

describe('previousRelease', () => {
  let dir: string;
  let first: string;
  let second: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      [
        '-C',
        cwd,
        '-c',
        'user.email=t@example.test',
        '-c',
        'user.name=t',
        '-c',
        'core.hooksPath=/dev/null',
        '-c',
        'tag.gpgSign=false',
        '-c',
        'commit.gpgSign=false',
        ...args,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).trim();
  const releases = (repo: string, commit: string) => {
    mkdirSync(path.join(repo, 'deploy'), { recursive: true });
    writeFileSync(
      path.join(repo, 'deploy/releases.json'),
      JSON.stringify({ previous: 'v9.0.0', releases: { 'v9.0.0': { commit, lastMigration: '0001_x' } } }),
    );
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'priyom-release-test-'));
    git(dir, 'init', '-q');
    writeFileSync(path.join(dir, 'a.txt'), '1');
    git(dir, 'add', 'a.txt');
    git(dir, 'commit', '-q', '-m', 'one');
    first = git(dir, 'rev-parse', 'HEAD');
    writeFileSync(path.join(dir, 'a.txt'), '2');
    git(dir, 'commit', '-q', '-am', 'two');
    second = git(dir, 'rev-parse', 'HEAD');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the tag when the clone has it', () => {
    releases(dir, first);
    git(dir, 'tag', '-a', 'v9.0.0', '-m', 'v9.0.0', first);
    expect(previousRelease(dir)).toEqual({ tag: 'v9.0.0', commit: first, lastMigration: '0001_x', via: 'tag' });
  });

  it('refuses a tag that points elsewhere than the file says', () => {
    releases(dir, second);
    expect(() => previousRelease(dir)).toThrow(/the tag v9\.0\.0 is .* deploy\/releases\.json says/);
  });

  it("without the tag, uses the file's commit", () => {
    releases(dir, first);
    git(dir, 'tag', '-d', 'v9.0.0');
    expect(previousRelease(dir).via).toBe('deploy/releases.json');
  });

  it('a shallow clone without the commit fails saying so and what to fetch', () => {
    const shallow = path.join(dir, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${dir}`, shallow], { stdio: 'ignore' });
    releases(shallow, first);
    expect(() => previousRelease(shallow)).toThrow(/not in this clone.*shallow.*git fetch --unshallow --tags/);
  });
});
