// The previous release, for test:deploy's upgrade: which commit it is and a built copy of it.
//
// Which commit: deploy/releases.json names the previous release (its tag) and the commit the
// tag points to. The tag is used when the clone has it (and must agree with the file); a clone
// without tags (they do not always travel) uses the commit from the file; a shallow clone that
// has neither fails here with what to do (.ci/run fetches the history first when it can).
//
// How it is built: `git archive <commit> | tar -x` into a folder, then its own `npm run
// build:server`. Its node_modules is a symlink to ours when every package its lockfile pins is
// at the same version in ours (a package only we add changes nothing for the old code);
// otherwise `npm ci` there, kept in the temporary folder per commit so a machine pays it once.
import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Release {
  tag: string;
  commit: string;
  /** The newest migration the release ships (its journal's tag). */
  lastMigration: string;
  /** How the commit was found. */
  via: 'tag' | 'deploy/releases.json';
}

interface ReleasesFile {
  previous: string;
  releases: Record<string, { commit: string; lastMigration: string }>;
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The previous release from deploy/releases.json, found in this clone; throws saying what to do when it is not. */
export function previousRelease(root: string): Release {
  const file = JSON.parse(readFileSync(path.join(root, 'deploy/releases.json'), 'utf8')) as ReleasesFile;
  const tag = file.previous;
  const entry = file.releases[tag];
  if (!entry) throw new Error(`deploy/releases.json: "previous" is ${tag}, which "releases" does not describe`);
  const tagged = git(root, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
  if (tagged) {
    if (tagged !== entry.commit)
      throw new Error(
        `the tag ${tag} is ${tagged}, deploy/releases.json says ${entry.commit}: one of them is wrong (a release tag never moves)`,
      );
    return { tag, commit: tagged, lastMigration: entry.lastMigration, via: 'tag' };
  }
  if (git(root, ['cat-file', '-e', `${entry.commit}^{commit}`]) !== null)
    return { tag, commit: entry.commit, lastMigration: entry.lastMigration, via: 'deploy/releases.json' };
  const shallow = git(root, ['rev-parse', '--is-shallow-repository']) === 'true';
  throw new Error(
    `the previous release ${tag} (commit ${entry.commit}) is not in this clone: neither the tag nor the commit` +
      (shallow
        ? '. The clone is shallow: fetch its history first (git fetch --unshallow --tags <remote>; .ci/run does when the clone has a remote), or clone without --depth.'
        : '. Fetch the tags (git fetch --tags <remote>) or the commit.'),
  );
}

type Lock = { packages?: Record<string, { version?: string; link?: boolean }> };

/**
 * The packages the old lockfile pins that the new one does not have at the same version (empty:
 * the new node_modules serves the old code as its own `npm ci` would). The root entry ("") is
 * the project itself.
 */
export function lockMismatches(oldLock: Lock, newLock: Lock): string[] {
  const out: string[] = [];
  for (const [name, pinned] of Object.entries(oldLock.packages ?? {})) {
    if (name === '') continue;
    const ours = newLock.packages?.[name];
    if (!ours || ours.version !== pinned.version || Boolean(ours.link) !== Boolean(pinned.link))
      out.push(`${name}@${pinned.version ?? '?'}`);
  }
  return out;
}

export interface BuiltRelease {
  dir: string;
  /** The release's server bundle. */
  entry: string;
  modules: 'symlink' | 'npm ci' | 'npm ci (kept)';
}

/** Extracts and builds the release; `workDir` is removed by the caller. */
export function buildRelease(root: string, release: Release, workDir: string): BuiltRelease {
  const oldLockText = execFileSync('git', ['-C', root, 'show', `${release.commit}:package-lock.json`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const mismatches = lockMismatches(
    JSON.parse(oldLockText) as Lock,
    JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock,
  );
  const shared = mismatches.length === 0;
  const lockHash = createHash('sha256').update(oldLockText).digest('hex').slice(0, 12);
  const dir = shared
    ? path.join(workDir, `release-${release.tag}`)
    : path.join(tmpdir(), `priyom-release-${release.commit.slice(0, 12)}-${lockHash}`);
  const entry = path.join(dir, 'dist/server/main.js');
  if (!shared && existsSync(entry)) return { dir, entry, modules: 'npm ci (kept)' };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git -C '${root}' archive --format=tar ${release.commit} | tar -x -C '${dir}'`, { stdio: 'inherit' });
  if (shared) symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  else {
    console.log(
      `${release.tag}'s lockfile pins ${mismatches.length} package(s) we do not have at that version (${mismatches.slice(0, 3).join(', ')}…): npm ci there`,
    );
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'inherit' });
  }
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: dir, stdio: 'inherit' });
  return { dir, entry, modules: shared ? 'symlink' : 'npm ci' };
}
