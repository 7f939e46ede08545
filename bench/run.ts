// `npm run bench`: the morning-rush benchmark (issue 5). Creates its own PostgreSQL
// database, fills a region at realistic scale, starts the real server in production mode
// (one or more processes), runs the scenarios, compares the app with the same SQL run
// directly, prints a table and writes bench/results/latest.json. Exits non-zero only when
// correctness fails (the rush did not book exactly its slots, or a slot was double-booked).
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseArgs } from './lib/args.js';
import { checkCrossInstance, type CrossInstanceResult } from './lib/cross.js';
import { runDirectBooking, runDirectGroupedBooking, runDirectReads, type DirectResult } from './lib/direct.js';
import { type BenchEnv, countDoubleBooked, type Pools } from './lib/env.js';
import {
  DATABASE_SETTINGS,
  SCALES,
  createDatabase,
  dropDatabase,
  fill,
  insertSessions,
  migrate,
  serverSettings,
} from './lib/fill.js';
import { runScheduleReads, type ReadsResult } from './lib/reads.js';
import { printReport, TARGETS } from './lib/report.js';
import { runRush, type RushResult } from './lib/rush.js';
import { cpuMsPerRequest } from './lib/procstat.js';
import { bookingGroupsPerInstance, startServer, stopServer, type ServerProcess } from './lib/servers.js';
import { runPacedBooking, type PacedResult } from './lib/paced.js';
import { runSteadyBooking, type SteadyResult } from './lib/steady.js';
import { runWaitlist, type WaitlistResult } from './lib/waitlist.js';
import { setSessionSecret } from './lib/http.js';
import { prng, shuffled } from './lib/stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');

function log(line: string): void {
  console.log(line);
}

/** The same HMAC as hmac() in src/server/modules/identity/session.ts. */
function sessionHmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

function commitOf(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2), process.env);
  const scale = SCALES[opts.scale];
  const at = new Date();
  const databaseName = `priyom_bench_${stamp(at)}`;
  const random = prng(opts.seed);
  log(
    `Priyom benchmark: ${scale.name} scale (${scale.people.toLocaleString('en')} people, ${scale.doctors.toLocaleString('en')} doctors), ` +
      `${opts.instances} server instance(s), ${opts.connections} connections, ${opts.durationS} s per steady scenario.`,
  );
  log(
    `Note: the load generator, ${opts.instances} server process(es) and PostgreSQL share this ${os.cpus().length}-core machine ` +
      '(other engineers may be using it too): figures are noisy and lower than on separate hosts.',
  );

  const servers: ServerProcess[] = [];
  let admin: pg.Pool | null = null;
  let created = false;
  let cleaning: Promise<void> | null = null;
  const cleanup = () => {
    cleaning ??= (async () => {
      await Promise.all(servers.map((s) => stopServer(s).catch(() => undefined)));
      await admin?.end().catch(() => undefined);
      if (created && !opts.keep) await dropDatabase(opts.databaseUrl, databaseName).catch(() => undefined);
    })();
    return cleaning;
  };
  const onSignal = () => {
    log('\ninterrupted: stopping the servers and dropping the database');
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // ---------- database ----------
    log(
      `\nDatabase ${databaseName}${opts.keep ? ' (kept afterwards: --keep)' : ' (dropped afterwards)'}, reached ${postgresLink(opts.databaseUrl)}`,
    );
    const databaseUrl = await createDatabase(opts.databaseUrl, databaseName, !opts.pgDefaults);
    created = true;
    let t = performance.now();
    await migrate(databaseUrl);
    log(`  migrations: ${Math.round(performance.now() - t)} ms`);
    const filled = await fill(databaseUrl, scale, log);
    log(
      `  filled in ${(filled.ms / 1000).toFixed(1)} s: ${filled.slots.toLocaleString('en')} slots, ${filled.bookedSlots.toLocaleString('en')} already booked`,
    );
    admin = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // The fill wrote ~2 GB of WAL: checkpoint now, so that its checkpoint does not land in a
    // scenario (the scenarios' own WAL starts theirs).
    await admin.query('checkpoint').catch((err: Error) => log(`  (no checkpoint after the fill: ${err.message})`));
    const pgSettings = await serverSettings(admin);
    const databaseSettings = opts.pgDefaults ? {} : { ...DATABASE_SETTINGS };
    log(
      `  PostgreSQL ${pgSettings.server_version}: shared_buffers ${pgSettings.shared_buffers}, max_wal_size ${pgSettings.max_wal_size}, ` +
        `checkpoint_timeout ${pgSettings.checkpoint_timeout}; for this database: ` +
        (Object.entries(databaseSettings)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ') || 'the server’s settings (--pg-defaults)'),
    );

    // ---------- who and what each scenario uses ----------
    const waitlistDoctors = opts.only.has('waitlist') ? opts.waitlistDoctors : 0;
    const pools = await allocate(
      admin,
      opts.rushPatients,
      waitlistDoctors,
      filled.scenarioPeople,
      filled.openDoctorIds,
      2 * opts.durationS + opts.warmupS,
      random,
    );
    const sessionSecret = randomBytes(30).toString('base64url'); // 40 characters
    setSessionSecret(sessionSecret);
    t = performance.now();
    const httpPeople = [
      ...pools.rush,
      ...pools.cross,
      ...pools.steady,
      ...pools.waitlistCancellers,
      ...pools.waitlistWaiters,
    ];
    const tokens = await insertSessions(databaseUrl, sessionSecret, httpPeople, sessionHmac);
    log(`  ${tokens.size.toLocaleString('en')} sessions inserted in ${Math.round(performance.now() - t)} ms`);

    // ---------- servers ----------
    t = performance.now();
    const smtpPort = 9; // discard: nothing listens, and WORKER=0 never connects
    const profilePath = (i: number) => path.join(resultsDir, `${stamp(at)}-server-${i + 1}.cpuprofile.json`);
    const cores = os.availableParallelism();
    const bookingGroups = bookingGroupsPerInstance(opts.instances, cores);
    const started = await Promise.all(
      Array.from({ length: opts.instances }, (_, i) =>
        startServer(i, {
          repoRoot,
          databaseUrl,
          sessionSecret,
          smtpPort,
          cpuProfilePath: opts.profile ? profilePath(i) : null,
          poolSize: opts.poolSize,
          bookingGroups,
        }),
      ),
    );
    servers.push(...started);
    log(
      `  ${servers.length} server(s) up in ${Math.round(performance.now() - t)} ms: ` +
        servers.map((s) => `pid ${s.pid} on :${s.port}`).join(', ') +
        (bookingGroups ? `; BOOKING_GROUPS=${bookingGroups} each (${cores} cores shared)` : ''),
    );

    const env: BenchEnv = {
      opts,
      databaseName,
      databaseUrl,
      admin,
      servers,
      fill: filled,
      pools,
      tokens,
      steadyCursor: { next: 0 },
      random,
      log,
    };

    // ---------- scenarios ----------
    const run = opts.only;
    // A portal at 7:30 has been running since the night: its code is compiled by V8's JIT,
    // its connections have their statements prepared, PostgreSQL has the hot pages. Freshly
    // started servers interpret their first few thousand requests several times slower, so
    // first they get ordinary bookings for a few seconds, not measured (--warmup 0: none).
    let warmup: { seconds: number; bookings: number; perSecond: number } | null = null;
    if (opts.warmupS > 0 && (run.has('rush') || run.has('steady') || run.has('waitlist'))) {
      const w = await runSteadyBooking(env, opts.warmupS);
      warmup = { seconds: w.durationS, bookings: w.booked, perSecond: w.perSecond };
      log(
        `0. warm-up: ${w.booked} bookings in ${w.durationS} s on ${servers.length} server(s) (${w.perSecond}/s), not measured`,
      );
    }
    let rush: RushResult | null = null;
    if (run.has('rush')) {
      log(`\n1. rush: ${pools.rush.length} patients race for ${opts.rushSlots} new slots of one doctor`);
      rush = await runRush(env);
      log(
        `   ${rush.booked}/${rush.slots} booked in ${rush.durationMs} ms, ${rush.requests} requests, ${rush.otherErrors} other errors (losers retry: ${rush.client}; ${rush.toldNoneLeft} told none left)`,
      );
      log(
        `   half the slots taken at ${rush.takenAtMs.half ?? '-'} ms, 90 % at ${rush.takenAtMs.ninetyPercent ?? '-'} ms, all at ${rush.takenAtMs.all ?? '-'} ms`,
      );
    }

    let cross: CrossInstanceResult | null = null;
    if (servers.length >= 2) {
      cross = await checkCrossInstance(env);
      log(
        `   cross-instance: booked on A (${cross.bookingStatus}); B shows ${cross.before} -> ${cross.afterAnonymous} (booker sees ${cross.afterForBooker})`,
      );
    }

    let steady: SteadyResult | null = null;
    if (run.has('steady')) {
      log(`2. steady booking: ${opts.connections} connections, ${opts.durationS} s`);
      steady = await runSteadyBooking(env);
      log(`   ${steady.perSecond}/s, p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms`);
    }
    let paced: PacedResult | null = null;
    if (run.has('steady') && opts.rate > 0) {
      log(`2b. booking at a fixed rate: ${opts.rate} a second due, whatever the answers do, ${opts.durationS} s`);
      paced = await runPacedBooking(env, opts.rate);
      log(
        `   ${paced.perSecond}/s, p50 ${paced.p50Ms} ms, p99 ${paced.p99Ms} ms, max ${paced.maxMs} ms, at most ${paced.maxInFlight} in flight`,
      );
    }

    let directBooking: DirectResult | null = null;
    let directSingleBooking: DirectResult | null = null;
    if (run.has('floor')) {
      const cursor = { next: 0 };
      log(`5a. the floor: the app's booking transaction (a group) straight on PostgreSQL, ${opts.durationS} s`);
      directBooking = await runDirectGroupedBooking(env, cursor);
      log(
        `   ${directBooking.perSecond}/s in groups of ${directBooking.perTransaction} on ${directBooking.clients} connections, a group's p50 ${directBooking.p50Ms} ms, p99 ${directBooking.p99Ms} ms`,
      );
      log(`    the floor of a lone booking: one per transaction straight on PostgreSQL, ${opts.durationS} s`);
      directSingleBooking = await runDirectBooking(env, cursor);
      log(
        `   ${directSingleBooking.perSecond}/s with ${directSingleBooking.clients} clients, p50 ${directSingleBooking.p50Ms} ms, p99 ${directSingleBooking.p99Ms} ms`,
      );
    }

    let reads: ReadsResult | null = null;
    let readsCold: ReadsResult | null = null;
    if (run.has('reads')) {
      // As a browser asks (fetch always sends accept-encoding), unless --identity.
      const acceptEncoding = opts.identity ? undefined : 'gzip, deflate, br';
      // Twice: first with the schedule caches as the servers started them (every doctor's
      // page is rendered on its first read in each process), then warm, as a server that has
      // been running is; the target applies to the warm run.
      log(
        `3. schedule reads: ${opts.connections} connections, ${opts.durationS} s cold, then ${opts.durationS} s warm, accept-encoding: ${acceptEncoding ?? 'none'}`,
      );
      readsCold = await runScheduleReads(env, { acceptEncoding });
      log(
        `   cold: ${readsCold.perSecond}/s, p50 ${readsCold.p50Ms} ms, p99 ${readsCold.p99Ms} ms, ${readsCold.meanBytes} bytes each`,
      );
      reads = await runScheduleReads(env, { acceptEncoding });
      log(`   warm: ${reads.perSecond}/s, p50 ${reads.p50Ms} ms, p99 ${reads.p99Ms} ms, ${reads.meanBytes} bytes each`);
    }

    let directReads: DirectResult | null = null;
    if (run.has('floor')) {
      log(`5b. the floor: the same schedule queries straight on PostgreSQL, ${opts.durationS} s`);
      directReads = await runDirectReads(env);
      log(
        `   ${directReads.perSecond}/s with ${directReads.clients} clients, p50 ${directReads.p50Ms} ms, p99 ${directReads.p99Ms} ms`,
      );
    }

    // Last: its set-up takes every free slot of its doctors, which the others may have used.
    let waitlist: WaitlistResult | null = null;
    if (run.has('waitlist')) {
      log(
        `4. waitlist: ${pools.waitlistCancellers.length} doctors without free time, a waiting patient each; one portal booking per doctor cancelled`,
      );
      waitlist = await runWaitlist(env);
      log(
        `   ${waitlist.cancelled}/${waitlist.cancels} cancelled, p50 ${waitlist.p50Ms} ms, p99 ${waitlist.p99Ms} ms; ` +
          `${waitlist.offers} offers, ${waitlist.notificationsQueued} with notification and e-mail queued`,
      );
    }

    const doubleBooked = await countDoubleBooked(admin);
    const rssSeen = [rush?.usage, steady?.usage, paced?.usage, readsCold?.usage, reads?.usage].flatMap(
      (u) => u?.serverPeakRssMb ?? [],
    );
    const peakRssMb = rssSeen.length ? Math.max(...rssSeen) : null;

    const result = {
      at: at.toISOString(),
      commit: commitOf(),
      machine: { cpus: os.cpus().length, sharedWithGenerator: true, node: process.version },
      database: opts.keep ? databaseName : null,
      postgresLink: postgresLink(opts.databaseUrl),
      postgres: { settings: pgSettings, databaseSettings },
      scale: {
        name: scale.name,
        people: scale.people,
        accounts: scale.accounts,
        doctors: scale.doctors,
        organisations: scale.organisations,
        slots: filled.slots,
        bookedAtStart: filled.bookedSlots,
      },
      fillMs: filled.ms,
      warmup,
      instances: servers.length,
      bookingGroupsPerInstance: bookingGroups,
      connections: opts.connections,
      durationS: opts.durationS,
      seed: opts.seed,
      scenarios: [...run],
      rush: rush && {
        patients: rush.patients,
        slots: rush.slots,
        booked: rush.booked,
        bookedInDatabase: rush.bookedInDatabase,
        doubleBooked: rush.doubleBooked,
        otherErrors: rush.otherErrors,
        otherErrorKinds: rush.otherErrorKinds,
        slotTaken: rush.slotTaken,
        toldNoneLeft: rush.toldNoneLeft,
        client: rush.client,
        requests: rush.requests,
        durationMs: rush.durationMs,
        completed: rush.completed,
        takenAtMs: rush.takenAtMs,
        p50Ms: rush.p50Ms,
        p99Ms: rush.p99Ms,
        maxMs: rush.maxMs,
        usage: rush.usage,
        cpuMsPerRequest: cpuMsPerRequest(rush.usage, rush.requests),
      },
      steadyBooking: steady && {
        perSecond: steady.perSecond,
        p50Ms: steady.p50Ms,
        p99Ms: steady.p99Ms,
        booked: steady.booked,
        requests: steady.requests,
        durationS: steady.durationS,
        refusals: steady.refusals,
        exhausted: steady.exhausted,
        usage: steady.usage,
        cpuMsPerRequest: cpuMsPerRequest(steady.usage, steady.requests),
      },
      steadyBookingAtRate: paced && {
        ...paced,
        cpuMsPerRequest: cpuMsPerRequest(paced.usage, paced.due),
      },
      scheduleReads: reads && {
        perSecond: reads.perSecond,
        p50Ms: reads.p50Ms,
        p99Ms: reads.p99Ms,
        requests: reads.requests,
        non2xx: reads.non2xx,
        errors: reads.errors,
        meanBytes: reads.meanBytes,
        acceptEncoding: opts.identity ? null : 'gzip, deflate, br',
        usage: reads.usage,
        cpuMsPerRequest: cpuMsPerRequest(reads.usage, reads.requests),
      },
      scheduleReadsCold: readsCold && {
        perSecond: readsCold.perSecond,
        p50Ms: readsCold.p50Ms,
        p99Ms: readsCold.p99Ms,
        requests: readsCold.requests,
        non2xx: readsCold.non2xx,
        errors: readsCold.errors,
        meanBytes: readsCold.meanBytes,
        acceptEncoding: opts.identity ? null : 'gzip, deflate, br',
        usage: readsCold.usage,
        cpuMsPerRequest: cpuMsPerRequest(readsCold.usage, readsCold.requests),
      },
      waitlistOffer: waitlist && {
        p50Ms: waitlist.p50Ms,
        p99Ms: waitlist.p99Ms,
        maxMs: waitlist.maxMs,
        offers: waitlist.offers,
        notificationsQueued: waitlist.notificationsQueued,
        doctors: waitlist.doctors,
        concurrency: waitlist.concurrency,
        cancels: waitlist.cancels,
        cancelled: waitlist.cancelled,
        notifications: waitlist.notifications,
        emails: waitlist.emails,
        heldForOffer: waitlist.heldForOffer,
        errors: waitlist.errors,
        usage: waitlist.usage,
        cpuMsPerRequest: cpuMsPerRequest(waitlist.usage, waitlist.cancels),
      },
      direct: {
        bookingPerSecond: directBooking?.perSecond ?? null,
        scheduleReadsPerSecond: directReads?.perSecond ?? null,
        booking: directBooking && {
          ...directBooking,
          cpuMsPerRequest: directBooking.usage ? cpuMsPerRequest(directBooking.usage, directBooking.requests) : null,
        },
        singleBookingPerSecond: directSingleBooking?.perSecond ?? null,
        singleBooking: directSingleBooking && {
          ...directSingleBooking,
          cpuMsPerRequest: directSingleBooking.usage
            ? cpuMsPerRequest(directSingleBooking.usage, directSingleBooking.requests)
            : null,
        },
        scheduleReads: directReads && {
          ...directReads,
          cpuMsPerRequest: directReads.usage ? cpuMsPerRequest(directReads.usage, directReads.requests) : null,
        },
      },
      ratios: {
        booking: ratio(steady?.perSecond, directBooking?.perSecond),
        singleBooking: ratio(steady?.perSecond, directSingleBooking?.perSecond),
        scheduleReads: ratio(reads?.perSecond, directReads?.perSecond),
      },
      peakRssMb,
      crossInstanceConsistent: cross ? cross.consistent : null,
      crossInstance: cross,
      doubleBooked,
      targets: TARGETS,
    };

    mkdirSync(resultsDir, { recursive: true });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    writeFileSync(path.join(resultsDir, 'latest.json'), json);
    writeFileSync(path.join(resultsDir, `${stamp(at)}-${scale.name}-x${servers.length}.json`), json);

    await cleanup();
    if (opts.profile) {
      log(
        `\nCPU profiles of the servers (open in Chrome DevTools or speedscope): ${servers.map((s) => path.relative(repoRoot, profilePath(s.index))).join(', ')}`,
      );
    }
    printReport(result, log);
    log(`\nwritten: ${path.relative(repoRoot, path.join(resultsDir, 'latest.json'))}`);

    const problems: string[] = [];
    if (rush && rush.booked !== rush.slots) problems.push(`rush booked ${rush.booked} of ${rush.slots} slots`);
    if (rush && rush.bookedInDatabase !== rush.slots)
      problems.push(`the database holds ${rush.bookedInDatabase} appointments on the ${rush.slots} rush slots`);
    if (doubleBooked > 0) problems.push(`${doubleBooked} slot(s) double-booked`);
    if (cross && !cross.consistent) problems.push('instance B did not show the booking made on instance A');
    if (waitlist && waitlist.doctors === 0) problems.push('the waitlist scenario could not set up a single doctor');
    if (waitlist && waitlist.cancelled !== waitlist.cancels)
      problems.push(`${waitlist.cancels - waitlist.cancelled} waitlist cancel(s) failed`);
    if (waitlist && waitlist.offers !== waitlist.cancels)
      problems.push(`${waitlist.cancels} cancels made ${waitlist.offers} correct offers`);
    if (waitlist && waitlist.notificationsQueued !== waitlist.offers)
      problems.push(
        `${waitlist.offers} offers but ${waitlist.notificationsQueued} with notification and e-mail queued`,
      );
    if (problems.length) {
      log(`\nCORRECTNESS FAILED: ${problems.join('; ')}`);
      return 1;
    }
    return 0;
  } catch (err) {
    for (const s of servers) {
      if (s.output.length)
        console.error(`last output of server ${s.index + 1} (pid ${s.pid}):\n${s.output.slice(-10).join('\n')}`);
    }
    await cleanup();
    throw err;
  }
}

function ratio(app: number | undefined, direct: number | undefined): number | null {
  return app !== undefined && direct !== undefined && direct > 0 ? Math.round((app / direct) * 100) / 100 : null;
}

/**
 * Disjoint groups of people (numbers of main persons without appointments) and free slots
 * of unrestricted specialties (every one used once, so the per-specialty limit and the
 * overlap rule never refuse a steady booking).
 */
async function allocate(
  admin: pg.Pool,
  rushPatients: number,
  waitlistDoctors: number,
  scenarioPeople: number,
  openDoctorIds: number[],
  durationS: number,
  random: () => number,
): Promise<Pools> {
  const crossCount = 5;
  if (scenarioPeople < rushPatients + crossCount + 2) {
    throw new Error(`only ${scenarioPeople} people are free for the scenarios; the rush needs ${rushPatients}`);
  }
  const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  const rush = numbers(1, rushPatients);
  const cross = numbers(rushPatients + 1, crossCount);
  const waitlistFrom = rushPatients + crossCount + 1;
  const waitlistCount = Math.min(waitlistDoctors, Math.floor((scenarioPeople - rushPatients - crossCount) / 6));
  const rest = scenarioPeople - rushPatients - crossCount - 3 * waitlistCount;
  const free = await admin.query<{ id: string }>(
    `select id from slots where status = 'free' and doctor_id = any($1::int[]) and start_at > now() + interval '3 days'`,
    [openDoctorIds],
  );
  const slotIds = shuffled(
    free.rows.map((r) => Number(r.id)),
    random,
  );
  // Through HTTP a few thousand bookings a second at most; the direct floor a few more.
  const steadyCount = Math.min(durationS * 5_000, Math.floor(rest / 2), Math.floor(slotIds.length / 2));
  const directCount = Math.min(durationS * 12_000, rest - steadyCount, slotIds.length - steadyCount);
  const steadyFrom = waitlistFrom + 3 * waitlistCount;
  return {
    rush,
    cross,
    steady: numbers(steadyFrom, steadyCount),
    direct: numbers(steadyFrom + steadyCount, directCount),
    waitlistCancellers: numbers(waitlistFrom, waitlistCount),
    waitlistWaiters: numbers(waitlistFrom + waitlistCount, waitlistCount),
    waitlistFillers: numbers(waitlistFrom + 2 * waitlistCount, waitlistCount),
    steadySlots: slotIds.slice(0, steadyCount),
    directSlots: slotIds.slice(steadyCount, steadyCount + directCount),
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

/** How the servers reach PostgreSQL, for the output: a Unix socket or TCP (never the password). */
function postgresLink(url: string): string {
  const u = new URL(url);
  const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname);
  return host.startsWith('/') ? `through the Unix socket in ${host}` : `over TCP at ${host}:${u.port || 5432}`;
}
