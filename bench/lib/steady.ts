// Steady booking through HTTP: `connections` browsers, each booking one free slot after
// another for a different person (people without appointments, slots of specialties
// without restrictions, every slot used once), for a fixed time. The warm-up before the
// scenarios is the same traffic, unmeasured.
import { type BenchEnv, serverFor, takeNext, usageProbe } from './env.js';
import { personUuid } from './fill.js';
import { answerKind, Connection, jsonPost, tally } from './http.js';
import type { Usage } from './procstat.js';
import { Latencies, nowMs } from './stats.js';

export interface SteadyResult {
  connections: number;
  durationS: number;
  booked: number;
  /** Every request sent (booked or refused). */
  requests: number;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Answers other than 201, by status/code (a taken slot, a limit, an error). */
  refusals: Record<string, number>;
  /** The prepared people/slots ran out before the time was up. */
  exhausted: boolean;
  usage: Usage;
}

/**
 * The next prepared booking of the steady pools (a person of its own, a free slot of its own),
 * shared by the warm-up, steady booking and booking at a fixed rate; null when they ran out.
 */
export function nextSteadyBooking(env: BenchEnv): ReturnType<typeof jsonPost> | null {
  const next = takeNext(env.steadyCursor, env.pools.steady, env.pools.steadySlots);
  return next && jsonPost(env.tokens.get(next.person)!, { slotId: next.slotId, personId: personUuid(next.person) });
}

export async function runSteadyBooking(env: BenchEnv, durationS = env.opts.durationS): Promise<SteadyResult> {
  const connections = env.opts.connections;
  const conns = Array.from(
    { length: connections },
    (_, i) => new Connection(serverFor(env, i).port, i % env.servers.length),
  );
  // Open the connections first (a cheap request each), so the timed part measures booking.
  await Promise.all(conns.map((c) => c.request('GET', '/healthz', {})));

  const latencies = new Latencies();
  const refusals: Record<string, number> = {};
  let booked = 0;
  let exhausted = false;
  const probe = usageProbe(env);
  await probe.start();
  const t0 = nowMs();
  const deadline = t0 + durationS * 1000;
  await Promise.all(
    conns.map(async (conn) => {
      while (nowMs() < deadline) {
        const req = nextSteadyBooking(env);
        if (!req) {
          exhausted = true;
          return;
        }
        const started = nowMs();
        try {
          const reply = await conn.request('POST', '/api/appointments', req.headers, req.body);
          latencies.add(nowMs() - started);
          if (reply.status === 201) booked += 1;
          else tally(refusals, answerKind(reply));
        } catch (err) {
          tally(refusals, `network ${(err as Error).message}`);
        }
      }
    }),
  );
  const elapsedS = (nowMs() - t0) / 1000;
  const usage = await probe.stop();
  for (const c of conns) c.close();
  return {
    connections,
    durationS: Math.round(elapsedS * 10) / 10,
    booked,
    requests: latencies.count,
    perSecond: Math.round(booked / elapsedS),
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    refusals,
    exhausted,
    usage,
  };
}
