// Command-line flags of `npm run bench`.
import { existsSync } from 'node:fs';

/** PostgreSQL's Unix socket on Debian and most Linux packages. */
export const LOCAL_SOCKET_DIR = '/var/run/postgresql';

/**
 * The default server: the local PostgreSQL through its Unix socket when there is one (what a
 * server on the same machine uses: a loopback TCP round trip cost about a third more CPU on
 * both ends here), else 127.0.0.1:5432; `--tcp` picks TCP.
 */
function defaultDatabaseUrl(tcp: boolean): string {
  if (!tcp && existsSync(`${LOCAL_SOCKET_DIR}/.s.PGSQL.5432`)) {
    return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(LOCAL_SOCKET_DIR)}`;
  }
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}

export const SCENARIOS = ['rush', 'steady', 'reads', 'floor', 'waitlist'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Server processes on the same database; the load is spread over all of them. */
  instances: number;
  scale: 'full' | 'small';
  /** Keep the benchmark database afterwards (its name is printed). */
  keep: boolean;
  /** Seconds per duration-bound scenario (steady booking, schedule reads, each direct floor). */
  durationS: number;
  /** Concurrent connections of the steady scenarios (and clients of the direct floor). */
  connections: number;
  /** Bookings a second of the open-loop booking scenario (0: not run). */
  rate: number;
  /** Patients in the rush and the slots they race for. */
  rushPatients: number;
  rushSlots: number;
  /**
   * Rush patients ignore the free times a refusal names and try the slots in their own random
   * order (every slot, taken or not) until one books: the rush client before those answers.
   */
  rushBlind: boolean;
  /** DATABASE_POOL_SIZE of every server (null: the server's default, 10 per pool). */
  poolSize: number | null;
  /** Leave the benchmark database with the server's settings (no fill.ts DATABASE_SETTINGS). */
  pgDefaults: boolean;
  /** Seconds of unmeasured ordinary bookings before the scenarios (0: start cold). */
  warmupS: number;
  /** Doctors of the waitlist scenario (one cancel each). */
  waitlistDoctors: number;
  /** Seed of the pseudo-random choices (slot orders, doctors, people). */
  seed: number;
  /** Scenarios to run (all by default); --only picks some, e.g. to profile one. */
  only: Set<Scenario>;
  /** Schedule reads ask for uncompressed bodies (no accept-encoding) instead of a browser's gzip. */
  identity: boolean;
  /** Write V8 CPU profiles of the servers into bench/results/<time>-server-<n>.cpuprofile.json. */
  profile: boolean;
  databaseUrl: string;
}

const USAGE = `usage: npm run bench -- [--instances N] [--scale small|full] [--keep] [--duration S]
                        [--connections N] [--rate N] [--rush-patients N] [--rush-slots N] [--rush-blind] [--warmup S] [--waitlist-doctors N]
                        [--seed N] [--profile] [--identity] [--tcp] [--pg-defaults] [--pool N] [--only rush,steady,reads,floor,waitlist]
  --instances N     server processes on the same database (default 1)
  --scale small     20,000 people, 100 doctors (quick check); default full: 500,000 people, 2,000 doctors
  --keep            keep the benchmark database priyom_bench_<timestamp> afterwards
  --duration S      seconds per steady scenario (default 10)
  --connections N   concurrent connections of the steady scenarios (default 64)
  --rate N          bookings a second of the booking scenario at a fixed rate (default 1000; 0: skip it)
  --rush-blind      rush patients retry blindly in their own random order, ignoring the free times
                    a «taken» answer names (the client before those answers)
  --warmup S        seconds of ordinary bookings before the scenarios, not measured (default 10;
                    0: the scenarios meet freshly started servers)
  --waitlist-doctors N  doctors of the waitlist scenario, one cancel each (default 200)
  --identity        schedule reads without accept-encoding (default: a browser's gzip, deflate, br)
  --profile         write V8 CPU profiles of the servers to bench/results/*.cpuprofile.json
  --only LIST       run only these scenarios (e.g. --only reads --profile to profile the reads)
  --pool N          DATABASE_POOL_SIZE of the servers (default: theirs, 10 connections per pool)
  --pg-defaults     give the benchmark database no settings of its own (default: wal_compression = lz4,
                    backend_flush_after = 256kB)
  --tcp             without DATABASE_URL: reach the local PostgreSQL over TCP, not its Unix socket
DATABASE_URL (default: the local PostgreSQL's Unix socket in ${LOCAL_SOCKET_DIR} if there is one, else
postgres://postgres@127.0.0.1:5432/postgres) is where the database is created.`;

function intFlag(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} needs a whole number from ${min} to ${max}\n${USAGE}`);
  }
  return n;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const opts: BenchOptions = {
    instances: 1,
    scale: 'full',
    keep: false,
    durationS: 10,
    connections: 64,
    rate: 1000,
    rushPatients: 2000,
    rushSlots: 200,
    rushBlind: false,
    warmupS: 10,
    pgDefaults: false,
    poolSize: null,
    waitlistDoctors: 200,
    seed: 20_260_501,
    profile: false,
    identity: false,
    only: new Set(SCENARIOS),
    databaseUrl: '',
  };
  let tcp = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--instances':
        opts.instances = intFlag(flag, value(), 1, 8);
        break;
      case '--scale': {
        const v = value();
        if (v !== 'small' && v !== 'full') throw new Error(`--scale is small or full\n${USAGE}`);
        opts.scale = v;
        break;
      }
      case '--keep':
        opts.keep = true;
        break;
      case '--duration':
        opts.durationS = intFlag(flag, value(), 1, 600);
        break;
      case '--connections':
        opts.connections = intFlag(flag, value(), 1, 1000);
        break;
      case '--rate':
        opts.rate = intFlag(flag, value(), 0, 20_000);
        break;
      case '--rush-patients':
        opts.rushPatients = intFlag(flag, value(), 1, 20_000);
        break;
      case '--rush-slots':
        opts.rushSlots = intFlag(flag, value(), 1, 1_000);
        break;
      case '--pool':
        opts.poolSize = intFlag(flag, value(), 1, 200);
        break;
      case '--pg-defaults':
        opts.pgDefaults = true;
        break;
      case '--warmup':
        opts.warmupS = intFlag(flag, value(), 0, 600);
        break;
      case '--rush-blind':
        opts.rushBlind = true;
        break;
      case '--waitlist-doctors':
        opts.waitlistDoctors = intFlag(flag, value(), 1, 2_000);
        break;
      case '--seed':
        opts.seed = intFlag(flag, value(), 0, 2 ** 31 - 1);
        break;
      case '--profile':
        opts.profile = true;
        break;
      case '--identity':
        opts.identity = true;
        break;
      case '--tcp':
        tcp = true;
        break;
      case '--only': {
        const list = (value() ?? '').split(',').map((v) => v.trim());
        const bad = list.filter((v) => !(SCENARIOS as readonly string[]).includes(v));
        if (list.length === 0 || bad.length) throw new Error(`--only takes ${SCENARIOS.join(',')}\n${USAGE}`);
        opts.only = new Set(list as Scenario[]);
        break;
      }
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${arg}\n${USAGE}`);
    }
  }
  opts.databaseUrl = env.DATABASE_URL ?? defaultDatabaseUrl(tcp);
  if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl)) throw new Error('DATABASE_URL must start with postgres://');
  return opts;
}
