// Booking at a fixed rate (open loop): requests are due at an even pace, `rate` a second,
// whatever the answers do, as patients arrive in a region — not as 64 browsers that each
// wait for their answer before the next click (the closed loop of steady.ts, whose latency
// is its connections divided by the throughput at saturation). A request's latency runs
// from the moment it was due, not from when a free connection sent it, so a server that
// falls behind shows it in full (no "coordinated omission"). Same people and slots as the
// steady scenario (env.steadyCursor): each books a free slot of its own.
import { type BenchEnv, serverFor, usageProbe } from './env.js';
import { answerKind, Connection, tally } from './http.js';
import type { Usage } from './procstat.js';
import { Latencies, nowMs } from './stats.js';
import { nextSteadyBooking } from './steady.js';

export interface PacedResult {
  /** The rate requests were due at. */
  targetPerSecond: number;
  durationS: number;
  /** Requests due in the run (all sent, sooner or later). */
  due: number;
  booked: number;
  /** Bookings completed per second of the run. */
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Most requests ever in flight at once (connections needed). */
  maxInFlight: number;
  /** Requests that found every connection busy and waited for one. */
  queued: number;
  refusals: Record<string, number>;
  /** The prepared people/slots ran out before the time was up. */
  exhausted: boolean;
  usage: Usage;
}

/** The due times of an even pace: request k is due at start + k / rate seconds. */
export function dueAtMs(startMs: number, ratePerSecond: number, k: number): number {
  return startMs + (k * 1000) / ratePerSecond;
}

/**
 * Books at `rate` a second for `durationS` seconds over at most `maxConnections` keep-alive
 * connections (opened before the clock starts); a request due while all are busy waits for
 * the first one free, its wait counted in its latency.
 */
export async function runPacedBooking(
  env: BenchEnv,
  rate: number,
  durationS = env.opts.durationS,
  maxConnections = 512,
): Promise<PacedResult> {
  const conns = Array.from(
    { length: maxConnections },
    (_, i) => new Connection(serverFor(env, i).port, i % env.servers.length),
  );
  await Promise.all(conns.map((c) => c.request('GET', '/healthz', {})));
  // Idle connections, used in turn across the instances.
  const idle: Connection[] = conns.slice();

  const latencies = new Latencies();
  const refusals: Record<string, number> = {};
  const waiting: number[] = []; // due times of requests waiting for a connection
  let booked = 0;
  let due = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let queued = 0;
  let exhausted = false;
  const pending = new Set<Promise<void>>();

  const send = (conn: Connection, dueMs: number): void => {
    const req = nextSteadyBooking(env);
    if (!req) {
      exhausted = true;
      idle.push(conn);
      return;
    }
    inFlight += 1;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    const p = conn
      .request('POST', '/api/appointments', req.headers, req.body)
      .then(
        (reply) => {
          latencies.add(nowMs() - dueMs);
          if (reply.status === 201) booked += 1;
          else tally(refusals, answerKind(reply));
        },
        (err: unknown) => {
          latencies.add(nowMs() - dueMs);
          tally(refusals, `network ${(err as Error).message}`);
        },
      )
      .then(() => {
        inFlight -= 1;
        pending.delete(p);
        const next = waiting.shift();
        if (next !== undefined) send(conn, next);
        else idle.push(conn);
      });
    pending.add(p);
  };

  const probe = usageProbe(env);
  await probe.start();
  const t0 = nowMs();
  const last = Math.floor(rate * durationS); // requests due in [0, durationS)
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowMs();
      while (due < last && dueAtMs(t0, rate, due) <= now && !exhausted) {
        const dueMs = dueAtMs(t0, rate, due);
        due += 1;
        const conn = idle.pop();
        if (conn) send(conn, dueMs);
        else {
          queued += 1;
          waiting.push(dueMs);
        }
      }
      if (due >= last || exhausted) {
        resolve();
        return;
      }
      // Sleep until the next request is due (timers fire a millisecond or so late: that
      // lateness is in the latencies, as a slow generator would be).
      setTimeout(tick, Math.max(0, dueAtMs(t0, rate, due) - nowMs()));
    };
    tick();
  });
  // Requests still waiting for a connection go out as connections free up.
  while (pending.size > 0) await Promise.race(pending);
  const elapsedS = (nowMs() - t0) / 1000;
  const usage = await probe.stop();
  for (const c of conns) c.close();
  return {
    targetPerSecond: rate,
    durationS: Math.round(elapsedS * 10) / 10,
    due,
    booked,
    perSecond: Math.round(booked / elapsedS),
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    maxMs: latencies.percentile(100),
    maxInFlight,
    queued,
    refusals,
    exhausted,
    usage,
  };
}
