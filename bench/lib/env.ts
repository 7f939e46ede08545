// What every scenario receives: the database, the running servers, the people with
// sessions, and a way to measure the servers' memory and CPU.
import type pg from 'pg';
import type { BenchOptions } from './args.js';
import type { FillResult } from './fill.js';
import { UsageProbe } from './procstat.js';
import type { ServerProcess } from './servers.js';

export interface Pools {
  /** Person numbers (main persons, each of its own account) per scenario; disjoint. */
  rush: number[];
  cross: number[];
  steady: number[];
  direct: number[];
  /** The waitlist scenario: one canceller and one waiter per doctor (same index). */
  waitlistCancellers: number[];
  waitlistWaiters: number[];
  /** One per doctor: the person whose registry bookings fill the doctor's free time (no session). */
  waitlistFillers: number[];
  /** Free slot ids of unrestricted specialties, disjoint between steady and direct. */
  steadySlots: number[];
  directSlots: number[];
}

export interface BenchEnv {
  opts: BenchOptions;
  databaseName: string;
  databaseUrl: string;
  /** Two connections for set-up and checks. */
  admin: pg.Pool;
  servers: ServerProcess[];
  fill: FillResult;
  pools: Pools;
  /** Session token per person number (for the people who use HTTP). */
  tokens: Map<number, string>;
  /** The next unused person and slot of pools.steady / steadySlots (the warm-up, steady booking and booking at a fixed rate share them: steady.ts nextSteadyBooking). */
  steadyCursor: PoolCursor;
  random: () => number;
  log: (line: string) => void;
}

/** A place in a pair of pools (people and slots, taken together, each once). */
export interface PoolCursor {
  next: number;
}

/** The cursor's next person number and slot id, moving it on; null when either pool ran out. */
export function takeNext(
  cursor: PoolCursor,
  people: readonly number[],
  slotIds: readonly number[],
): { person: number; slotId: number } | null {
  const k = cursor.next;
  if (k >= Math.min(people.length, slotIds.length)) return null;
  cursor.next += 1;
  return { person: people[k], slotId: slotIds[k] };
}

export function usageProbe(env: BenchEnv): UsageProbe {
  return new UsageProbe(
    env.servers.map((s) => s.pid),
    async () => {
      const res = await env.admin.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [env.databaseName],
      );
      return res.rows.map((r) => r.pid);
    },
    async () => {
      const res = await env.admin.query<{ wal: number; checkpoints: number }>(
        `select (pg_current_wal_lsn() - '0/0'::pg_lsn)::float8 as wal,
                (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter)::int as checkpoints`,
      );
      return { walBytes: res.rows[0].wal, checkpoints: res.rows[0].checkpoints };
    },
  );
}

/** Slots holding more than one active appointment in the whole database (must be 0). */
export async function countDoubleBooked(admin: pg.Pool): Promise<number> {
  const res = await admin.query<{ n: number }>(
    `select count(*)::int as n from (
       select slot_id from appointments where status = 'booked' group by slot_id having count(*) > 1
     ) d`,
  );
  return res.rows[0].n;
}

/** Splits `total` over the servers: connection i talks to server i mod N. */
export function serverFor(env: BenchEnv, i: number): ServerProcess {
  return env.servers[i % env.servers.length];
}
