// The printed table: what was measured, the target of issue 5, and whether it was met.
import type { PacedResult } from './paced.js';
import { cpuMsPerRequest, type Usage } from './procstat.js';

export const TARGETS = {
  rushDurationMs: 1000,
  steadyBookingPerSecond: 1000,
  steadyBookingP99Ms: 100,
  scheduleReadsPerSecond: 10_000,
  scheduleReadsP99Ms: 50,
  serverRssMb: 300,
  waitlistOfferP99Ms: 1000,
} as const;

interface DirectPart {
  perSecond: number;
  requests: number;
  clients: number;
  /** Bookings per transaction (booking floors). */
  perTransaction: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  usage: Usage | null;
}

export interface ReportInput {
  /** How the servers reach PostgreSQL (Unix socket or TCP). */
  postgresLink: string;
  instances: number;
  connections: number;
  durationS: number;
  scale: { name: string; people: number; doctors: number; slots: number };
  fillMs: number;
  rush: {
    patients: number;
    slots: number;
    booked: number;
    bookedInDatabase: number;
    doubleBooked: number;
    otherErrors: number;
    otherErrorKinds: Record<string, number>;
    requests: number;
    toldNoneLeft: number;
    client: 'named free times' | 'blind';
    durationMs: number;
    completed: boolean;
    p50Ms: number | null;
    p99Ms: number | null;
    usage: Usage;
  } | null;
  steadyBooking: {
    perSecond: number;
    requests: number;
    p50Ms: number | null;
    p99Ms: number | null;
    refusals: Record<string, number>;
    exhausted: boolean;
    usage: Usage;
  } | null;
  /** Booking at a fixed rate (bench/lib/paced.ts); null when not run. */
  steadyBookingAtRate: PacedResult | null;
  scheduleReads: {
    perSecond: number;
    requests: number;
    p50Ms: number;
    p99Ms: number;
    non2xx: number;
    errors: number;
    meanBytes: number;
    /** What the reads asked for (null: uncompressed). */
    acceptEncoding: string | null;
    usage: Usage;
  } | null;
  /** The same reads run first, on the caches as the servers started them. */
  scheduleReadsCold: {
    perSecond: number;
    requests: number;
    p50Ms: number;
    p99Ms: number;
    non2xx: number;
    errors: number;
    meanBytes: number;
    /** What the reads asked for (null: uncompressed). */
    acceptEncoding: string | null;
    usage: Usage;
  } | null;
  waitlistOffer: {
    p50Ms: number | null;
    p99Ms: number | null;
    offers: number;
    notificationsQueued: number;
    doctors: number;
    concurrency: number;
    cancels: number;
    cancelled: number;
    errors: Record<string, number>;
    usage: Usage;
  } | null;
  /** booking: the app's transaction (a group, direct.ts runDirectGroupedBooking); singleBooking: one per transaction. */
  direct: { booking: DirectPart | null; singleBooking: DirectPart | null; scheduleReads: DirectPart | null };
  ratios: { booking: number | null; singleBooking: number | null; scheduleReads: number | null };
  peakRssMb: number | null;
  crossInstanceConsistent: boolean | null;
  doubleBooked: number;
}

const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
const fmt = (n: number) => n.toLocaleString('en');
/** Counted kinds of answers, "409 SLOT_TAKEN x3, …"; "0" when none. */
const kindsText = (counts: Record<string, number>) =>
  Object.keys(counts).length === 0
    ? '0'
    : Object.entries(counts)
        .map(([k, v]) => `${k} x${v}`)
        .join(', ');
const skipped = (name: string): string[] => [name, 'not run (--only)', '', ''];

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

function walPerRequest(kb: number): string {
  return kb < 10 ? kb.toFixed(1) : Math.round(kb).toLocaleString('en');
}

function cpu(u: Usage | null | undefined, requests: number, withServer = true): string {
  if (!u) return 'not run';
  const server = u.serverCpuCores.reduce((a, b) => a + b, 0);
  const per = cpuMsPerRequest(u, requests);
  const perText = [
    withServer && per.server !== null ? `server ${per.server}` : null,
    per.postgres !== null ? `postgres ${per.postgres}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `${withServer ? `server ${server.toFixed(2)}, ` : ''}postgres ${u.postgresCpuCores?.toFixed(2) ?? '?'}, ` +
    `generator ${u.generatorCpuCores.toFixed(2)} cores; machine ${Math.round(u.machineBusy * 100)}% busy; ` +
    `CPU ms per request: ${perText || '-'}` +
    (u.walMb !== null && requests > 0
      ? `; WAL ${walPerRequest((u.walMb * 1e3) / requests)} kB per request, ${u.checkpoints} checkpoint(s) began`
      : '')
  );
}

function directRow(name: string, d: DirectPart | null, ratio: number | null): string[] {
  if (!d) return skipped(name);
  const per = d.perTransaction !== null && d.perTransaction > 1 ? ` in groups of ${d.perTransaction}` : '';
  return [
    name,
    `${fmt(d.perSecond)}/s${per}, ${d.clients} clients, p50 ${ms(d.p50Ms)}, p99 ${ms(d.p99Ms)}`,
    `app/direct = ${ratio ?? '-'}`,
    '',
  ];
}

export function printReport(r: ReportInput, log: (line: string) => void): void {
  const { rush, steadyBooking: steady, steadyBookingAtRate: paced, scheduleReads: reads } = r;
  log('');
  log(
    `Results: ${r.scale.name} scale (${fmt(r.scale.people)} people, ${fmt(r.scale.doctors)} doctors, ${fmt(r.scale.slots)} slots; ` +
      `filled in ${(r.fillMs / 1000).toFixed(1)} s), ${r.instances} instance(s), ${r.connections} connections, ${r.durationS} s per steady scenario.`,
  );
  log(
    `The load generator, the server(s) and PostgreSQL share one 2-core machine; PostgreSQL is reached ${r.postgresLink}.`,
  );
  log('');
  const rows: string[][] = [['scenario', 'measured', 'target (issue 5)', '']];
  if (rush) {
    rows.push(
      [
        '1. rush: all slots taken in',
        rush.completed ? `${fmt(rush.durationMs)} ms` : `not all taken after ${fmt(rush.durationMs)} ms`,
        `< ${fmt(TARGETS.rushDurationMs)} ms`,
        mark(rush.completed && rush.durationMs < TARGETS.rushDurationMs),
      ],
      [
        '   booked (answers / in the database)',
        `${rush.booked} / ${rush.bookedInDatabase} of ${rush.slots} (${fmt(rush.patients)} patients, ${fmt(rush.requests)} requests)`,
        `exactly ${rush.slots}`,
        mark(rush.booked === rush.slots && rush.bookedInDatabase === rush.slots),
      ],
      [
        '   other errors (not 201 / 409 SLOT_TAKEN)',
        rush.otherErrors === 0
          ? '0'
          : `${rush.otherErrors}: ${Object.entries(rush.otherErrorKinds)
              .map(([k, v]) => `${k} x${v}`)
              .join(', ')}`,
        '0',
        mark(rush.otherErrors === 0),
      ],
      ['   latency p50 / p99', `${ms(rush.p50Ms)} / ${ms(rush.p99Ms)}`, '', ''],
      [
        '   after «taken» the patient tries',
        rush.client === 'blind'
          ? 'the next slot of its own order (--rush-blind)'
          : `a named free time; ${fmt(rush.toldNoneLeft)} told none left`,
        '',
        '',
      ],
    );
  } else rows.push(skipped('1. rush'));
  rows.push(['   double-booked slots (whole database)', String(r.doubleBooked), '0', mark(r.doubleBooked === 0)]);
  if (steady) {
    rows.push(
      [
        `2. steady booking, as fast as answered (${r.connections} connections)`,
        `${fmt(steady.perSecond)}/s${steady.exhausted ? ' (ran out of prepared slots)' : ''}`,
        `>= ${fmt(TARGETS.steadyBookingPerSecond)}/s`,
        mark(steady.perSecond >= TARGETS.steadyBookingPerSecond),
      ],
      [
        '   latency p50 / p99 at saturation',
        `${ms(steady.p50Ms)} / ${ms(steady.p99Ms)}`,
        `(${r.connections} / rate: see 2b)`,
        '',
      ],
      ['   refused', kindsText(steady.refusals), '', ''],
    );
  } else rows.push(skipped('2. steady booking'));
  if (paced) {
    // Every booking due was made (the p99 below says how soon), at a rate of at least the target.
    const allBooked = paced.booked === paced.due && !paced.exhausted;
    rows.push(
      [
        `2b. booking at ${fmt(paced.targetPerSecond)}/s due (open loop)`,
        `${fmt(paced.booked)} of ${fmt(paced.due)} due booked (${fmt(paced.perSecond)}/s with the last answers)` +
          (paced.exhausted ? ' (ran out of prepared slots)' : ''),
        `all, at >= ${fmt(TARGETS.steadyBookingPerSecond)}/s`,
        mark(allBooked && paced.targetPerSecond >= TARGETS.steadyBookingPerSecond),
      ],
      [
        '   latency from due, p50 / p99 (max)',
        `${ms(paced.p50Ms)} / ${ms(paced.p99Ms)} (${ms(paced.maxMs)}; at most ${paced.maxInFlight} in flight)`,
        `p99 < ${TARGETS.steadyBookingP99Ms} ms`,
        mark(paced.p99Ms !== null && paced.p99Ms < TARGETS.steadyBookingP99Ms),
      ],
      ['   refused', kindsText(paced.refusals), '', ''],
    );
  }
  if (reads) {
    rows.push(
      [
        '3. schedule reads (14 days, warm caches)',
        `${fmt(reads.perSecond)}/s (${fmt(reads.meanBytes)} bytes each${reads.acceptEncoding ? ', gzip' : ''}${reads.non2xx + reads.errors > 0 ? `, ${reads.non2xx} non-2xx, ${reads.errors} errors` : ''})`,
        `>= ${fmt(TARGETS.scheduleReadsPerSecond)}/s`,
        mark(reads.perSecond >= TARGETS.scheduleReadsPerSecond),
      ],
      [
        '   latency p50 / p99',
        `${ms(reads.p50Ms)} / ${ms(reads.p99Ms)}`,
        `p99 < ${TARGETS.scheduleReadsP99Ms} ms`,
        mark(reads.p99Ms < TARGETS.scheduleReadsP99Ms),
      ],
    );
    const cold = r.scheduleReadsCold;
    if (cold) {
      rows.push([
        `   first ${r.durationS} s after start (cold caches)`,
        `${fmt(cold.perSecond)}/s, p50 ${ms(cold.p50Ms)} / p99 ${ms(cold.p99Ms)}`,
        '',
        '',
      ]);
    }
  } else rows.push(skipped('3. schedule reads'));
  const w = r.waitlistOffer;
  if (w) {
    rows.push(
      [
        '4. waitlist: cancel -> offer + notification queued',
        `p50 ${ms(w.p50Ms)}, p99 ${ms(w.p99Ms)} (${w.cancels} cancels, ${w.concurrency} at a time)`,
        `p99 < ${fmt(TARGETS.waitlistOfferP99Ms)} ms`,
        mark(w.p99Ms !== null && w.p99Ms < TARGETS.waitlistOfferP99Ms),
      ],
      [
        '   cancelled / offers / notification + e-mail queued',
        `${w.cancelled} / ${w.offers} / ${w.notificationsQueued}` +
          (Object.keys(w.errors).length
            ? ` (${Object.entries(w.errors)
                .map(([k, v]) => `${k} x${v}`)
                .join(', ')})`
            : ''),
        `${w.cancels} each`,
        mark(
          w.cancels > 0 && w.cancelled === w.cancels && w.offers === w.cancels && w.notificationsQueued === w.cancels,
        ),
      ],
    );
  } else rows.push(skipped('4. waitlist offer'));
  rows.push(directRow('5. floor: booking transaction on PostgreSQL', r.direct.booking, r.ratios.booking));
  rows.push(directRow('   floor: one booking per transaction', r.direct.singleBooking, r.ratios.singleBooking));
  rows.push(directRow('   floor: schedule queries on PostgreSQL', r.direct.scheduleReads, r.ratios.scheduleReads));
  rows.push(
    r.peakRssMb === null
      ? skipped('6. server peak RSS')
      : [
          '6. server peak RSS',
          `${fmt(r.peakRssMb)} MB`,
          `< ${TARGETS.serverRssMb} MB`,
          mark(r.peakRssMb < TARGETS.serverRssMb),
        ],
  );
  if (r.crossInstanceConsistent !== null) {
    rows.push([
      '   cross-instance read after write',
      r.crossInstanceConsistent ? 'B shows the booking made on A' : 'B did NOT show the booking made on A',
      'consistent',
      mark(r.crossInstanceConsistent),
    ]);
  }
  for (const line of table(rows)) log(line);
  log('');
  log('CPU during each scenario (1.00 = one core busy the whole time):');
  log(`  rush:            ${cpu(rush?.usage, rush?.requests ?? 0)}`);
  log(`  steady booking:  ${cpu(steady?.usage, steady?.requests ?? 0)}`);
  if (paced) log(`  booking at rate: ${cpu(paced.usage, paced.due)}`);
  log(`  reads, cold:     ${cpu(r.scheduleReadsCold?.usage, r.scheduleReadsCold?.requests ?? 0)}`);
  log(`  schedule reads:  ${cpu(reads?.usage, reads?.requests ?? 0)}`);
  log(`  waitlist:        ${cpu(w?.usage, w?.cancels ?? 0)}`);
  log(`  floor, booking:  ${cpu(r.direct.booking?.usage, r.direct.booking?.requests ?? 0, false)}`);
  log(`  floor, one each: ${cpu(r.direct.singleBooking?.usage, r.direct.singleBooking?.requests ?? 0, false)}`);
  log(`  floor, reads:    ${cpu(r.direct.scheduleReads?.usage, r.direct.scheduleReads?.requests ?? 0, false)}`);
  const peaks = [
    rush ? `rush ${rush.usage.serverPeakRssMb.join('/')}` : null,
    steady ? `steady ${steady.usage.serverPeakRssMb.join('/')}` : null,
    paced ? `at rate ${paced.usage.serverPeakRssMb.join('/')}` : null,
    r.scheduleReadsCold ? `reads cold ${r.scheduleReadsCold.usage.serverPeakRssMb.join('/')}` : null,
    reads ? `reads ${reads.usage.serverPeakRssMb.join('/')}` : null,
  ].filter(Boolean);
  if (peaks.length) log(`Peak RSS per server and scenario (MB): ${peaks.join(', ')}`);
}
