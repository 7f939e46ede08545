// The real server, started as child processes in production mode on the benchmark
// database: `node dist/server/main.js`, the same esbuild bundle `npm start` runs (built by
// `npm run bench` first); one process per instance, so its pid is the server's pid for
// /proc sampling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';

export interface ServerProcess {
  index: number;
  port: number;
  pid: number;
  baseUrl: string;
  child: ChildProcess;
  /** The last lines the process wrote (warnings, errors), for diagnosis. */
  output: string[];
  /** Where node writes its profiles (one per thread), and where the main one goes. */
  profile: { dir: string; target: string } | null;
  exited: Promise<number | null>;
}

export interface StartOptions {
  repoRoot: string;
  databaseUrl: string;
  sessionSecret: string;
  /** An SMTP address nothing listens on: WORKER=0, so nothing is ever sent. */
  smtpPort: number;
  /**
   * Write a V8 CPU profile of the server's main thread to this path (a .json file Chrome
   * DevTools and speedscope open) when the process exits.
   */
  cpuProfilePath: string | null;
  /** DATABASE_POOL_SIZE of the server (null: the server's default). */
  poolSize: number | null;
  /** BOOKING_GROUPS of the server (null: the server's default, as many as the cores). */
  bookingGroups: number | null;
}

/**
 * BOOKING_GROUPS for each of `instances` server processes sharing `cores`: their share of
 * the cores (at least one), as README «Configuration» advises; null for a single process,
 * which keeps the server's own default.
 */
export function bookingGroupsPerInstance(instances: number, cores: number): number | null {
  return instances > 1 ? Math.max(1, Math.floor(cores / instances)) : null;
}

/** A TCP port that was free a moment ago (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of a benchmark server: production mode, worker off, rate limits out of the way. */
export function serverEnvironment(
  opts: Pick<StartOptions, 'databaseUrl' | 'sessionSecret' | 'smtpPort' | 'poolSize' | 'bookingGroups'>,
  port: number,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    DATABASE_URL: opts.databaseUrl,
    SESSION_SECRET: opts.sessionSecret,
    SMTP_URL: `smtp://127.0.0.1:${opts.smtpPort}`,
    WORKER: '0',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_PER_MINUTE: '1000000',
    BOOKING_RATE_PER_MINUTE: '1000000',
    WAITLIST_RATE_PER_MINUTE: '1000000',
    TOKEN_RATE_PER_MINUTE: '1000000',
    PATIENT_RATE_PER_MINUTE: '1000000',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...(opts.poolSize ? { DATABASE_POOL_SIZE: String(opts.poolSize) } : {}),
    ...(opts.bookingGroups ? { BOOKING_GROUPS: String(opts.bookingGroups) } : {}),
  };
}

export async function startServer(index: number, opts: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs: string[] = [];
  let profile: ServerProcess['profile'] = null;
  if (opts.cpuProfilePath) {
    profile = { dir: path.join(os.tmpdir(), `priyom-bench-prof-${process.pid}-${index}`), target: opts.cpuProfilePath };
    rmSync(profile.dir, { recursive: true, force: true });
    mkdirSync(profile.dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profile.dir}`);
  }
  const child = spawn(process.execPath, [...nodeArgs, path.join('dist', 'server', 'main.js')], {
    cwd: opts.repoRoot,
    env: serverEnvironment(opts, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      if (output.length > 50) output.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error('could not start the server process');
  const server: ServerProcess = {
    index,
    port,
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output,
    profile,
    exited,
  };
  await waitHealthy(server, 60_000);
  return server;
}

async function waitHealthy(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`server ${server.index + 1} exited with ${exitCode}:\n${server.output.join('\n')}`);
    }
    try {
      const res = await fetch(`${server.baseUrl}/healthz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `server ${server.index + 1} did not answer /healthz within ${timeoutMs / 1000} s:\n${server.output.join('\n')}`,
  );
}

/** SIGTERM (graceful: the server closes its pool and, with --cpu-prof, writes the profile), then SIGKILL. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const killed = await Promise.race([
    server.exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), 15_000)),
  ]);
  if (killed && server.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  if (server.profile) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
    const main = readdirSync(server.profile.dir).find((f) => f.split('.')[4] === '0');
    if (main) renameSync(path.join(server.profile.dir, main), server.profile.target);
    rmSync(server.profile.dir, { recursive: true, force: true });
  }
}
