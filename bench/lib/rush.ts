// The morning rush: a doctor's schedule opens with new slots and many patients race for
// them at once. Every patient is a browser with its own keep-alive connection (opened,
// and its session checked, before the slots appear). Each tries a slot of its own random
// order; told «taken», it tries one of the free times the answer names (at random: people
// want different times) and stops when the answer names none — nothing is left, and the
// portal offers the waitlist. With --rush-blind it ignores the names and goes on through its
// own order, taken slots included, until it books or every slot is taken.
import { type BenchEnv, countDoubleBooked, serverFor, usageProbe } from './env.js';
import { TIME_ZONE, personUuid } from './fill.js';
import { Connection, errorCode, jsonPost, sessionHeaders } from './http.js';
import type { Usage } from './procstat.js';
import { Latencies, nowMs, round1, shuffled } from './stats.js';

export interface RushResult {
  patients: number;
  slots: number;
  doctorId: number;
  /** 201 answers the patients received. */
  booked: number;
  /** Active appointments on the new slots, counted in the database afterwards. */
  bookedInDatabase: number;
  /** Slots with more than one active appointment (whole database). */
  doubleBooked: number;
  /** Answers other than 201 and 409 SLOT_TAKEN, by status/code. */
  otherErrors: number;
  otherErrorKinds: Record<string, number>;
  slotTaken: number;
  /** Patients whose «taken» named no free time left (they stopped there). */
  toldNoneLeft: number;
  /** How the losers chose their next try: the free times the answer named, or blindly. */
  client: 'named free times' | 'blind';
  requests: number;
  /** From the start signal to the answer that booked the last slot (or to the end, if not all were booked). */
  durationMs: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Whether every slot was booked before the time limit. */
  completed: boolean;
  /** When (ms from the start) the first 50 %, 90 % and all of the slots were booked. */
  takenAtMs: { half: number | null; ninetyPercent: number | null; all: number | null };
  usage: Usage;
}

const TIME_LIMIT_MS = 60_000;
const CONNECT_BATCH = 100;

export async function runRush(env: BenchEnv): Promise<RushResult> {
  const patients = env.pools.rush;
  const slotCount = env.opts.rushSlots;

  // Every patient's browser: a connection of its own, warmed up with GET /api/session,
  // which also proves the inserted session is recognised.
  const conns = patients.map((_, i) => new Connection(serverFor(env, i).port, i % env.servers.length));
  for (let i = 0; i < patients.length; i += CONNECT_BATCH) {
    await Promise.all(
      patients.slice(i, i + CONNECT_BATCH).map(async (n, k) => {
        const reply = await conns[i + k].request('GET', '/api/session', sessionHeaders(env.tokens.get(n)!));
        if (reply.status !== 200 || !reply.body.includes('"account":{')) {
          throw new Error(`session of rush patient ${n} not recognised: ${reply.status} ${reply.body.slice(0, 200)}`);
        }
      }),
    );
  }

  // The doctor's schedule opens: a new doctor and the new slots, right before the race.
  const doctor = await env.admin.query<{ id: number }>(
    `insert into doctors (organisation_id, specialty_id, last_name, first_name, middle_name, room, active)
     select 1, id, 'Загребина', 'Ольга', 'Николаевна', '214', true from specialties where name = 'Хирург'
     returning id`,
  );
  const doctorId = doctor.rows[0].id;
  const perDay = Math.ceil(slotCount / 14);
  const step = Math.max(5, Math.min(15, Math.floor(600 / perDay)));
  const created = await env.admin.query<{ id: string }>(
    `insert into slots (doctor_id, start_at, end_at, status)
     select $1, t.start_at, t.start_at + make_interval(mins => $3), 'free'
     from generate_series(0, $2 - 1) i
     cross join lateral (
       select (((now() at time zone '${TIME_ZONE}')::date + 1 + i / ${perDay}) + time '08:00'
               + make_interval(mins => (i % ${perDay}) * $3)) at time zone '${TIME_ZONE}' as start_at
     ) t
     returning id`,
    [doctorId, slotCount, step],
  );
  const slotIds = created.rows.map((r) => Number(r.id));

  const orders = patients.map(() => shuffled(slotIds, env.random));
  const latencies = new Latencies();
  const otherErrorKinds: Record<string, number> = {};
  let booked = 0;
  let slotTaken = 0;
  let requests = 0;
  let allTakenAt: number | null = null;
  const bookedAt: number[] = [];

  const probe = usageProbe(env);
  await probe.start();
  const t0 = nowMs();
  const deadline = t0 + TIME_LIMIT_MS;

  const blind = env.opts.rushBlind;
  let toldNoneLeft = 0;
  await Promise.all(
    patients.map(async (n, i) => {
      const personId = personUuid(n);
      const token = env.tokens.get(n)!;
      const order = orders[i];
      let next = 0;
      let slotId: number | undefined = order[next++];
      while (slotId !== undefined) {
        if (booked >= slotCount || nowMs() > deadline) return;
        const req = jsonPost(token, { slotId, personId });
        const started = nowMs();
        let status = 0;
        let body = '';
        try {
          const reply = await conns[i].request('POST', '/api/appointments', req.headers, req.body);
          status = reply.status;
          body = reply.body;
        } catch (err) {
          body = JSON.stringify({ code: `NETWORK:${(err as Error).message}` });
        }
        latencies.add(nowMs() - started);
        requests += 1;
        if (status === 201) {
          booked += 1;
          bookedAt.push(nowMs() - t0);
          if (booked === slotCount) allTakenAt = nowMs();
          return;
        }
        const code = errorCode(body);
        if (status === 409 && code === 'SLOT_TAKEN') {
          slotTaken += 1;
          const named = blind ? null : namedFreeSlots(body);
          if (named) {
            if (named.length === 0) {
              toldNoneLeft += 1;
              return;
            }
            slotId = named[Math.floor(env.random() * named.length)];
            continue;
          }
        } else {
          const kind = `${status} ${code ?? body.slice(0, 80)}`;
          otherErrorKinds[kind] = (otherErrorKinds[kind] ?? 0) + 1;
        }
        slotId = order[next++];
      }
    }),
  );
  const endedAt = nowMs();
  const usage = await probe.stop();
  for (const c of conns) c.close();

  const inDb = await env.admin.query<{ n: number }>(
    `select count(*)::int as n from appointments where status = 'booked' and slot_id = any($1::bigint[])`,
    [slotIds],
  );
  const doubleBooked = await countDoubleBooked(env.admin);
  const otherErrors = Object.values(otherErrorKinds).reduce((a, b) => a + b, 0);
  return {
    patients: patients.length,
    slots: slotCount,
    doctorId,
    booked,
    bookedInDatabase: inDb.rows[0].n,
    doubleBooked,
    otherErrors,
    otherErrorKinds,
    slotTaken,
    toldNoneLeft,
    client: blind ? 'blind' : 'named free times',
    requests,
    durationMs: Math.round(((allTakenAt ?? endedAt) - t0) * 10) / 10,
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    maxMs: latencies.count ? round1(latencies.percentile(100) ?? 0) : null,
    completed: allTakenAt !== null,
    takenAtMs: {
      half: takenAt(bookedAt, Math.ceil(slotCount / 2)),
      ninetyPercent: takenAt(bookedAt, Math.ceil(slotCount * 0.9)),
      all: takenAt(bookedAt, slotCount),
    },
    usage,
  };
}

/** The time the n-th booking succeeded (bookedAt is in order), or null if fewer did. */
function takenAt(bookedAt: number[], n: number): number | null {
  return bookedAt.length >= n ? Math.round(bookedAt[n - 1]) : null;
}

/** The slot ids a SLOT_TAKEN answer names as free (details.freeSlots), or null if it names none. */
export function namedFreeSlots(body: string): number[] | null {
  try {
    const parsed = JSON.parse(body) as { details?: { freeSlots?: { id?: unknown }[] } };
    const list = parsed.details?.freeSlots;
    if (!Array.isArray(list)) return null;
    return list.map((f) => f.id).filter((id): id is number => typeof id === 'number');
  } catch {
    return null;
  }
}
