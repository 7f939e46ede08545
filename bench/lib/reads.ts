// Schedule reads through HTTP: anonymous GET /api/doctors/:id/schedule (the whole horizon,
// ~14 days of slots) of a random doctor, for a fixed time, on the lean keep-alive client of
// loadgen.ts (bodies counted, not decoded: autocannon cost more CPU than the server).
import { type BenchEnv, usageProbe } from './env.js';
import { runFixedDuration, type RequestHeaders } from './loadgen.js';
import type { Usage } from './procstat.js';
import { round1 } from './stats.js';

export interface ReadsResult {
  connections: number;
  durationS: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Mean body size in bytes (as sent: compressed, if the server compressed it). */
  meanBytes: number;
  usage: Usage;
}

export interface ReadsOptions {
  /** Sent as accept-encoding on every read (e.g. 'gzip'); none when undefined. */
  acceptEncoding?: string;
}

export function schedulePath(doctorId: number): string {
  return `/api/doctors/${doctorId}/schedule`;
}

export async function runScheduleReads(env: BenchEnv, options: ReadsOptions = {}): Promise<ReadsResult> {
  const doctors = env.fill.doctorIds;
  const headers: RequestHeaders =
    options.acceptEncoding === undefined ? {} : { 'accept-encoding': options.acceptEncoding };
  const probe = usageProbe(env);
  await probe.start();
  const result = await runFixedDuration({
    ports: env.servers.map((s) => s.port),
    connections: env.opts.connections,
    durationS: env.opts.durationS,
    nextPath: () => schedulePath(doctors[Math.floor(env.random() * doctors.length)]),
    headers,
    timeoutMs: 30_000,
  });
  const usage = await probe.stop();
  return {
    connections: env.opts.connections,
    durationS: round1(result.elapsedS),
    requests: result.requests,
    perSecond: Math.round(result.ok2xx / result.elapsedS),
    p50Ms: result.latencies.percentile(50) ?? 0,
    p99Ms: result.latencies.percentile(99) ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    meanBytes: result.requests > 0 ? Math.round(result.bytes / result.requests) : 0,
    usage,
  };
}
