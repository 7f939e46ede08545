// Several instances on one database: a booking made through instance A must show at once
// in a schedule read from instance B (no per-process cache may hide it), and the session
// made for one instance must work on the other.
import type { BenchEnv } from './env.js';
import { personUuid } from './fill.js';
import { Connection, jsonPost, sessionHeaders } from './http.js';
import { schedulePath } from './reads.js';

export interface CrossInstanceResult {
  consistent: boolean;
  /** The slot's state on B before the booking, after it (anonymous), and for the booker on B. */
  before: string | null;
  afterAnonymous: string | null;
  afterForBooker: string | null;
  bookingStatus: number;
}

interface ScheduleBody {
  days?: { slots?: { id: number; state: string }[] }[];
}

function stateOf(body: string, slotId: number): string | null {
  try {
    const parsed = JSON.parse(body) as ScheduleBody;
    for (const day of parsed.days ?? []) {
      for (const s of day.slots ?? []) if (s.id === slotId) return s.state;
    }
  } catch {
    /* not JSON */
  }
  return null;
}

export async function checkCrossInstance(env: BenchEnv): Promise<CrossInstanceResult> {
  const [a, b] = env.servers;
  const n = env.pools.cross[0];
  const token = env.tokens.get(n)!;
  // A free slot tomorrow or the day after, of an unrestricted specialty.
  const pick = await env.admin.query<{ id: string; doctor_id: number }>(
    `select id, doctor_id from slots
     where status = 'free' and doctor_id = any($1::int[]) and start_at > now() + interval '2 hours'
       and start_at < now() + interval '3 days'
     order by start_at, id limit 1`,
    [env.fill.openDoctorIds],
  );
  const slotId = Number(pick.rows[0].id);
  const path = schedulePath(pick.rows[0].doctor_id);
  const onA = new Connection(a.port, 0);
  const onB = new Connection(b.port, 1);
  try {
    const before = stateOf((await onB.request('GET', path, {})).body, slotId);
    const req = jsonPost(token, { slotId, personId: personUuid(n) });
    const booking = await onA.request('POST', '/api/appointments', req.headers, req.body);
    const afterAnonymous = stateOf((await onB.request('GET', path, {})).body, slotId);
    const afterForBooker = stateOf((await onB.request('GET', path, sessionHeaders(token))).body, slotId);
    return {
      consistent: before === 'free' && booking.status === 201 && afterAnonymous === 'busy' && afterForBooker === 'mine',
      before,
      afterAnonymous,
      afterForBooker,
      bookingStatus: booking.status,
    };
  } finally {
    onA.close();
    onB.close();
  }
}
