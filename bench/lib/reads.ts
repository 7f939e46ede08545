// Schedule reads through HTTP with autocannon: anonymous GET /api/doctors/:id/schedule
// (the whole horizon, ~14 days of slots) of a random doctor, for a fixed time.
import autocannon, { type AutocannonRequest } from 'autocannon';
import { type BenchEnv, usageProbe } from './env.js';
import type { Usage } from './procstat.js';

export interface ReadsResult {
  connections: number;
  durationS: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Mean response size in bytes. */
  meanBytes: number;
  usage: Usage;
}

export function schedulePath(doctorId: number): string {
  return `/api/doctors/${doctorId}/schedule`;
}

export async function runScheduleReads(env: BenchEnv): Promise<ReadsResult> {
  const doctors = env.fill.doctorIds;
  const pickPath = () => schedulePath(doctors[Math.floor(env.random() * doctors.length)]);
  const request: AutocannonRequest = {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: pickPath() }),
  };
  const probe = usageProbe(env);
  await probe.start();
  const result = await autocannon({
    url: env.servers.map((s) => s.baseUrl),
    connections: env.opts.connections,
    duration: env.opts.durationS,
    timeout: 30,
    requests: [request],
  });
  const usage = await probe.stop();
  const ok = result['2xx'];
  return {
    connections: env.opts.connections,
    durationS: result.duration,
    requests: ok + result.non2xx,
    perSecond: Math.round(ok / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    meanBytes: ok + result.non2xx > 0 ? Math.round(result.throughput.total / (ok + result.non2xx)) : 0,
    usage,
  };
}
