// Scenario 4, the waitlist offer: a doctor has no free time inside the horizon and a
// patient waits for him; another patient cancels a portal booking with that doctor, and the
// freed time must be offered to the waiting patient and the notification queued. The offer,
// the slot hold, the in-portal notification, the e-mail in the outbox and any pushes are
// written in the cancel's own transaction (cancel.service.ts → offerAfterCancellation), so
// the time from sending the cancel until the offer exists with its notification queued is
// the cancel's round trip; afterwards the database is checked for exactly one pending offer
// per freed slot, to the right entry, with its notification and e-mail.
//
// Set-up, per doctor (doctors of unrestricted specialties in organisations that keep a
// waitlist): one free slot at least 4 days ahead (before the cancel cut-off, and with more
// than an hour to answer) is booked through POST /api/appointments by a "canceller"; every
// other free slot of the doctor is then booked by SQL (registry appointments of a filler
// person of that doctor); a "waiter" joins the doctor's waitlist through POST /api/waitlist, which itself
// checks that the doctor has no free time left.
import { type BenchEnv, serverFor, usageProbe } from './env.js';
import { personUuid } from './fill.js';
import { Connection, errorCode, jsonPost, sessionHeaders } from './http.js';
import type { Usage } from './procstat.js';
import { Latencies, nowMs, round1, shuffled } from './stats.js';

export interface WaitlistResult {
  /** Doctors set up (one canceller, one waiter each). */
  doctors: number;
  /** Cancels sent concurrently by this many connections. */
  concurrency: number;
  cancels: number;
  /** Cancels answered 200. */
  cancelled: number;
  /** Round trip of each cancel (the offer and its notification are written in its transaction). */
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Freed slots holding exactly one pending offer, to the entry waiting for that doctor. */
  offers: number;
  /** Of those offers: the in-portal notification and the e-mail (outbox) both exist. */
  notificationsQueued: number;
  /** Rows counted separately (expected: one each per offer). */
  notifications: number;
  emails: number;
  /** Slots now held for an offer (expected: one per offer). */
  heldForOffer: number;
  /** Answers other than expected during set-up and cancels, by step/status/code. */
  errors: Record<string, number>;
  usage: Usage;
}

/** Cancels in flight at once: several patients cancelling at the same moment. */
const CONCURRENCY = 8;
/** Set-up requests in flight at once. */
const SETUP_CONCURRENCY = 8;

async function inParallel<T>(
  items: T[],
  workers: number,
  work: (item: T, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, items.length) }, async (_, w) => {
      while (next < items.length) {
        const item = items[next++];
        await work(item, w);
      }
    }),
  );
}

export async function runWaitlist(env: BenchEnv): Promise<WaitlistResult> {
  const cancellers = env.pools.waitlistCancellers;
  const waiters = env.pools.waitlistWaiters;
  const errors: Record<string, number> = {};
  const fail = (step: string, status: number, body: string) => {
    const kind = `${step}: ${status} ${errorCode(body) ?? body.slice(0, 80)}`;
    errors[kind] = (errors[kind] ?? 0) + 1;
  };

  // Doctors of unrestricted specialties whose organisation keeps a waitlist, each with a
  // free slot at least 4 days ahead (the nearest such one).
  const candidates = await env.admin.query<{ doctor_id: number; slot_id: string }>(
    `select distinct on (s.doctor_id) s.doctor_id, s.id as slot_id
     from slots s
     join doctors d on d.id = s.doctor_id
     join organisations o on o.id = d.organisation_id
     where s.doctor_id = any($1::int[]) and d.active and o.waitlist_allowed
       and s.status = 'free' and s.start_at > now() + interval '4 days'
     order by s.doctor_id, s.start_at`,
    [env.fill.openDoctorIds],
  );
  const picked = shuffled(candidates.rows, env.random).slice(0, Math.min(cancellers.length, waiters.length));
  const setups = picked.map((r, i) => ({
    doctorId: r.doctor_id,
    slotId: Number(r.slot_id),
    canceller: cancellers[i],
    waiter: waiters[i],
    filler: env.pools.waitlistFillers[i],
    appointmentId: null as string | null,
    joined: false,
  }));
  env.log(`   set-up: ${setups.length} doctors`);

  const conns = Array.from(
    { length: Math.max(CONCURRENCY, SETUP_CONCURRENCY) },
    (_, i) => new Connection(serverFor(env, i).port, i % env.servers.length),
  );
  try {
    // 1. The cancellers' portal bookings, through the API.
    let t = nowMs();
    await inParallel(setups, SETUP_CONCURRENCY, async (s, w) => {
      const req = jsonPost(env.tokens.get(s.canceller)!, { slotId: s.slotId, personId: personUuid(s.canceller) });
      const reply = await conns[w].request('POST', '/api/appointments', req.headers, req.body);
      if (reply.status === 201) s.appointmentId = (JSON.parse(reply.body) as { id: string }).id;
      else fail('book', reply.status, reply.body);
    });
    const booked = setups.filter((s) => s.appointmentId !== null);
    env.log(`   ${booked.length} portal bookings in ${Math.round(nowMs() - t)} ms`);

    // 2. Every other free slot of these doctors is taken: registry bookings of one filler
    // person per doctor (a person without other appointments, so no two of theirs overlap).
    t = nowMs();
    const filled = await env.admin.query<{ n: number }>(
      `with taken as (
         update slots set status = 'booked'
         where doctor_id = any($1::int[]) and status = 'free'
         returning id, doctor_id, start_at, end_at
       ), ins as (
         insert into appointments (reference, slot_id, person_id, doctor_id, start_at, end_at, status, source, created_at)
         select 'PR-W' || lpad(upper(to_hex(t.id)), 7, '0'), t.id, f.person_id, t.doctor_id, t.start_at, t.end_at, 'booked', 'registry', now()
         from taken t
         join unnest($1::int[], $2::uuid[]) as f(doctor_id, person_id) on f.doctor_id = t.doctor_id
         returning 1
       )
       select count(*)::int as n from ins`,
      [booked.map((s) => s.doctorId), booked.map((s) => personUuid(s.filler))],
    );
    env.log(
      `   ${filled.rows[0].n.toLocaleString('en')} remaining free slots booked by SQL in ${Math.round(nowMs() - t)} ms`,
    );

    // 3. The waiters join each doctor's waitlist, through the API (which checks that the
    // doctor has no free time left).
    t = nowMs();
    await inParallel(booked, SETUP_CONCURRENCY, async (s, w) => {
      const req = jsonPost(env.tokens.get(s.waiter)!, {
        personId: personUuid(s.waiter),
        doctorId: s.doctorId,
        kind: 'doctor',
      });
      const reply = await conns[w].request('POST', '/api/waitlist', req.headers, req.body);
      if (reply.status === 201) s.joined = true;
      else fail('join', reply.status, reply.body);
    });
    const ready = booked.filter((s) => s.joined);
    env.log(`   ${ready.length} waitlist entries in ${Math.round(nowMs() - t)} ms`);

    // 4. The cancels, timed.
    const latencies = new Latencies();
    let cancelled = 0;
    const probe = usageProbe(env);
    await probe.start();
    await inParallel(ready, CONCURRENCY, async (s, w) => {
      const started = nowMs();
      const reply = await conns[w].request(
        'POST',
        `/api/appointments/${s.appointmentId}/cancel`,
        sessionHeaders(env.tokens.get(s.canceller)!),
      );
      latencies.add(nowMs() - started);
      if (reply.status === 200) cancelled += 1;
      else fail('cancel', reply.status, reply.body);
    });
    const usage = await probe.stop();

    // 5. What the cancels left: per freed slot, its pending offers, to whom, and what was queued.
    const check = await env.admin.query<{
      offers: number;
      right_entry: number;
      notifications: number;
      emails: number;
      held: number;
    }>(
      `with freed as (
         select * from unnest($1::bigint[], $2::int[], $3::uuid[]) as f(slot_id, doctor_id, person_id)
       ), per_slot as (
         select f.slot_id,
                (select count(*) from waitlist_offers o where o.slot_id = f.slot_id and o.status = 'pending') as offers,
                (select count(*) from waitlist_offers o join waitlist_entries e on e.id = o.entry_id
                  where o.slot_id = f.slot_id and o.status = 'pending' and e.doctor_id = f.doctor_id
                    and e.person_id = f.person_id and e.status = 'offered') as right_entry,
                (select count(*) from waitlist_offers o join notifications n on n.dedup_key = 'waitlist_offer:' || o.id
                  where o.slot_id = f.slot_id and o.status = 'pending') as notifications,
                (select count(*) from waitlist_offers o join outbox x on x.dedup_key = 'email:waitlist_offer:' || o.id
                  where o.slot_id = f.slot_id and o.status = 'pending' and x.status = 'pending') as emails,
                (select count(*) from slots s join waitlist_offers o on o.id = s.hold_offer_id
                  where s.id = f.slot_id and s.status = 'held' and o.status = 'pending') as held
         from freed f
       )
       select count(*) filter (where offers = 1)::int as offers,
              count(*) filter (where offers = 1 and right_entry = 1)::int as right_entry,
              count(*) filter (where offers = 1 and right_entry = 1 and notifications = 1 and emails = 1)::int as notified,
              coalesce(sum(notifications), 0)::int as notifications,
              coalesce(sum(emails), 0)::int as emails,
              coalesce(sum(held), 0)::int as held
       from per_slot`,
      [ready.map((s) => s.slotId), ready.map((s) => s.doctorId), ready.map((s) => personUuid(s.waiter))],
    );
    const c = check.rows[0] as unknown as {
      offers: number;
      right_entry: number;
      notified: number;
      notifications: number;
      emails: number;
      held: number;
    };
    return {
      doctors: ready.length,
      concurrency: CONCURRENCY,
      cancels: ready.length,
      cancelled,
      p50Ms: latencies.percentile(50),
      p99Ms: latencies.percentile(99),
      maxMs: latencies.count ? round1(latencies.percentile(100) ?? 0) : null,
      offers: c.right_entry,
      notificationsQueued: c.notified,
      notifications: c.notifications,
      emails: c.emails,
      heldForOffer: c.held,
      errors,
      usage,
    };
  } finally {
    for (const conn of conns) conn.close();
  }
}
