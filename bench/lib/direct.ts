// The floor: what PostgreSQL does with the app's own SQL and nothing else - no HTTP, no
// Fastify, no drizzle, no app code. The booking floor runs the app's statements themselves
// (booking/fast/statements.ts bookingStatements, named prepared statements as in the app), twice:
// as the app books in groups (booking/fast/group.ts: as many transactions at once as its groups in
// flight, each the group's locking read and its one writing statement, GROUP_MAX bookings a
// group - the app's own transaction at its best), and one booking per transaction (the
// locking read and the writing CTE, as the app books alone when a group place is free) from
// as many clients as the HTTP scenarios have connections; both open their transactions as
// the app's booking transactions do (db/pipelined.ts transactionStart: the plan mode, and the
// group's lock timeout). The schedule floor is what the app runs on a cache
// miss: the doctor card and the doctor's window of slots (copied from
// catalogue/catalogue.repository.ts and schedule/schedule.repository.ts, keep them in step),
// also named prepared statements; a cache hit costs the app only its batched version check.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import {
  GROUP_LOCK_TIMEOUT_MS,
  GROUP_MAX,
  groupsInFlight,
  versionOrder,
} from '../../src/server/modules/booking/fast/group.js';
import {
  bookingStatements,
  lockManyValues,
  lockValues,
  toBookingLock,
  toBookingLocks,
  wasWritten,
  writeManyValues,
  writeValues,
  writtenIds,
  type BookingLock,
  type BookingWrite,
  NOT_BY_A_CLINIC,
} from '../../src/server/modules/booking/fast/statements.js';
import { type BenchEnv, type PoolCursor, takeNext, usageProbe } from './env.js';
import { HORIZON_DAYS, accountUuid, personUuid } from './fill.js';
import { transactionStart } from '../../src/server/db/pipelined.js';
import type { PreparedSql } from '../../src/server/db/prepared.js';
import type { Usage } from './procstat.js';
import { Latencies, nowMs } from './stats.js';

export interface DirectResult {
  /** PostgreSQL connections used, one closed loop each. */
  clients: number;
  /** Bookings per transaction (the booking floors; null for reads). */
  perTransaction: number | null;
  durationS: number;
  /** Completed units per second: booking transactions committed, or schedule reads. */
  perSecond: number;
  /** Units attempted (committed or refused). */
  requests: number;
  /** Latency of a unit's transaction or read (a group's, for the grouped floor). */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Transactions that did not book (rolled back), by reason. */
  refusals: Record<string, number>;
  exhausted: boolean;
  usage: Usage | null;
}

/** The session lookup every signed-in request makes first (session.ts); not part of the floor. */
export const SESSION_LOOKUP_SQL = `select "sessions"."account_id", "sessions"."auth_method", "accounts"."email", "accounts"."role" from "sessions" inner join "accounts" on "accounts"."id" = "sessions"."account_id" where ("sessions"."id_hash" = $1 and "sessions"."expires_at" > $2) limit $3`;

const DOCTOR_CARD = `select "doctors"."id", "doctors"."last_name", "doctors"."first_name", "doctors"."middle_name", "doctors"."room", "doctors"."active", "specialties"."id", "specialties"."name", "specialties"."min_age", "specialties"."max_age", "specialties"."sex", "organisations"."id", "organisations"."name", "organisations"."short_name", "organisations"."address", "organisations"."phone", "organisations"."time_zone", "organisations"."waitlist_allowed", "organisations"."cutoff_override", "region_settings"."horizon_days", "region_settings"."cutoff_time" from "doctors" inner join "organisations" on "organisations"."id" = "doctors"."organisation_id" inner join "specialties" on "specialties"."id" = "doctors"."specialty_id" inner join "region_settings" on "region_settings"."id" = $1 where "doctors"."id" = $2 limit $3`;
const WINDOW_SLOTS = `select "id", (extract(epoch from "start_at") * 1000)::float8, (extract(epoch from "end_at") * 1000)::float8, "status", (extract(epoch from "held_until") * 1000)::float8 from "slots" where ("slots"."doctor_id" = $1 and "slots"."start_at" > $2 and "slots"."start_at" < $3) order by "slots"."start_at" asc`;

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function reference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[Math.floor(Math.random() * REFERENCE_ALPHABET.length)];
  return `ПР-${code}`;
}

function q(client: pg.Client, name: string, text: string, values: unknown[]): Promise<pg.QueryArrayResult> {
  return client.query({ name, text, values, rowMode: 'array' });
}

/** Runs one of the app's prepared statements by its placeholder names, rows as objects (as the app reads them). */
async function runNamed<Row>(client: pg.Client, st: PreparedSql<Row>, values: Record<string, unknown>): Promise<Row[]> {
  return (await client.query({ name: st.name, text: st.text, values: st.placeholders.map((p) => values[p]) }))
    .rows as Row[];
}

/** Text of the given length, Cyrillic like the real e-mails (sizes are measured from the outbox). */
function filler(length: number): string {
  const base = 'Вы записаны на приём к врачу. Дата и время приёма, кабинет, адрес медицинской организации. ';
  return base.repeat(Math.ceil(length / base.length) + 1).slice(0, length);
}

/** PostgreSQL connections this run may open: `wanted`, within max_connections. */
async function clientBudget(env: BenchEnv, wanted: number): Promise<number> {
  const res = await env.admin.query<{ max: number; used: number }>(
    `select (select setting::int from pg_settings where name = 'max_connections') as max,
            (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as used`,
  );
  const { max, used } = res.rows[0];
  return Math.max(1, Math.min(wanted, max - used - 10));
}

async function connectAll(env: BenchEnv, count: number): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const c = new pg.Client({ connectionString: env.databaseUrl });
      await c.connect();
      return c;
    }),
  );
}

/** What one step did: no work left, or its units counted (booked, read) and refused, by reason. */
type Step = 'done' | { counted: number; refused: string[] };

/** One unit's step: counted, or refused for this reason. */
const one = (outcome: 'counted' | string): Step =>
  outcome === 'counted' ? { counted: 1, refused: [] } : { counted: 0, refused: [outcome] };

/** Closed loops, one per client, until the time is up or `step` says there is no more work. */
async function loop(
  env: BenchEnv,
  clients: pg.Client[],
  step: (client: pg.Client) => Promise<Step>,
): Promise<{
  count: number;
  units: number;
  elapsedS: number;
  latencies: Latencies;
  refusals: Record<string, number>;
  exhausted: boolean;
  usage: Usage;
}> {
  const latencies = new Latencies();
  const refusals: Record<string, number> = {};
  let count = 0;
  let units = 0;
  let exhausted = false;
  const probe = usageProbe(env);
  await probe.start();
  const t0 = nowMs();
  const deadline = t0 + env.opts.durationS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (nowMs() < deadline) {
        const started = nowMs();
        const outcome = await step(client);
        if (outcome === 'done') {
          exhausted = true;
          return;
        }
        latencies.add(nowMs() - started);
        count += outcome.counted;
        units += outcome.counted + outcome.refused.length;
        for (const reason of outcome.refused) refusals[reason] = (refusals[reason] ?? 0) + 1;
      }
    }),
  );
  const elapsedS = (nowMs() - t0) / 1000;
  const usage = await probe.stop();
  return { count, units, elapsedS, latencies, refusals, exhausted, usage };
}

/** The e-mail's parts, as long as the app's (measured from the outbox; defaults before any e-mail exists). */
async function emailSizes(env: BenchEnv): Promise<{ subject: string; text: string; html: string }> {
  const sizes = await env.admin.query<{ s: number | null; t: number | null; h: number | null }>(
    `select avg(length(subject))::int as s, avg(length(text_body))::int as t, avg(length(html_body))::int as h
     from (select subject, text_body, html_body from outbox where kind = 'booking_made' limit 100) o`,
  );
  return {
    subject: filler(sizes.rows[0].s ?? 20),
    text: filler(sizes.rows[0].t ?? 930),
    html: filler(sizes.rows[0].h ?? 1470),
  };
}

interface FloorBooking {
  personId: string;
  accountId: string;
  slotId: number;
}

/** The floor's next person and slot (pools.direct / directSlots, shared by both booking floors), or null when they are used up. */
function directBooking(env: BenchEnv, cursor: PoolCursor): FloorBooking | null {
  const next = takeNext(cursor, env.pools.direct, env.pools.directSlots);
  return next && { personId: personUuid(next.person), accountId: accountUuid(next.person), slotId: next.slotId };
}

/** The e-mail parts every floor booking records (emailSizes). */
type FloorEmail = Awaited<ReturnType<typeof emailSizes>>;

/**
 * What the service's rules, reduced to what can refuse here, make of a booking's locking read:
 * its write (as the app builds it, for the repository's value builders), or the refusal's reason.
 */
function floorWrite(
  booking: FloorBooking,
  locked: BookingLock | null,
  now: Date,
  mail: FloorEmail,
): BookingWrite | string {
  if (locked?.person.status !== 'confirmed') return 'PERSON';
  if (locked.slot?.slot.status !== 'free') return 'SLOT_TAKEN';
  if (locked.active.length > 0) return 'LIMIT';
  const appointmentId = randomUUID();
  const dedupKey = `booking_made:${appointmentId}`;
  const link = `/appointments/${appointmentId}`;
  return {
    appointmentId,
    reference: reference(),
    slotId: booking.slotId,
    personId: booking.personId,
    doctorId: locked.slot.doctor.id,
    startAt: locked.slot.slot.startAt,
    endAt: locked.slot.slot.endAt,
    source: 'portal',
    bookedByAccountId: booking.accountId,
    ...NOT_BY_A_CLINIC,
    createdAt: now,
    seenActiveIds: [],
    event: {
      accountId: booking.accountId,
      kind: 'booking_made',
      dedupKey,
      title: mail.subject,
      body: mail.subject,
      link,
      email: { dedupKey: `email:${dedupKey}`, subject: mail.subject, text: mail.text, html: mail.html },
      push: { dedupPrefix: `push:${dedupKey}`, payload: { title: mail.subject, body: mail.subject, url: link } },
    },
  };
}

/** One booking per transaction: BEGIN, the locking read, the write, COMMIT, from `env.opts.connections` clients. */
export async function runDirectBooking(env: BenchEnv, cursor: PoolCursor): Promise<DirectResult> {
  const mail = await emailSizes(env);
  const clients = await connectAll(env, await clientBudget(env, env.opts.connections));
  const start = transactionStart().join('; ');
  try {
    const result = await loop(env, clients, async (client) => {
      const booking = directBooking(env, cursor);
      if (!booking) return 'done';
      const now = new Date();
      await client.query(start);
      try {
        const locked = toBookingLock(await runNamed(client, bookingStatements.lock, lockValues({ ...booking, now })));
        const write = floorWrite(booking, locked, now, mail);
        if (typeof write === 'string') throw new Refusal(write);
        if (!wasWritten(await runNamed(client, bookingStatements.write, writeValues(write))))
          throw new Refusal('CHANGED');
        await client.query('commit');
        return one('counted');
      } catch (err) {
        await client.query('rollback');
        return one(refusalOf(err));
      }
    });
    return summarise(clients.length, 1, result);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * The app's own transaction at its best: groups of GROUP_MAX bookings, as many transactions at
 * once as the app runs groups (booking/fast/group.ts groupsInFlight), each BEGIN, the group's
 * locking read (booking_lock_many), the write of every booking it allows (booking_write_many),
 * COMMIT. The values are built with the repository's own lockManyValues / writeManyValues.
 */
export async function runDirectGroupedBooking(env: BenchEnv, cursor: PoolCursor): Promise<DirectResult> {
  const mail = await emailSizes(env);
  const inFlight = groupsInFlight(Number.MAX_SAFE_INTEGER, availableParallelism());
  const clients = await connectAll(env, await clientBudget(env, inFlight));
  const start = transactionStart(GROUP_LOCK_TIMEOUT_MS).join('; ');
  try {
    const result = await loop(env, clients, async (client) => {
      const group: FloorBooking[] = [];
      for (let b = directBooking(env, cursor); b; b = group.length < GROUP_MAX ? directBooking(env, cursor) : null)
        group.push(b);
      if (group.length === 0) return 'done';
      const now = new Date();
      await client.query(start);
      try {
        const locks = toBookingLocks(
          await runNamed(client, bookingStatements.lockMany, lockManyValues(group, now)),
          group.length,
        );
        const refused: string[] = [];
        const writes: BookingWrite[] = [];
        group.forEach((booking, i) => {
          const write = floorWrite(booking, locks[i], now, mail);
          if (typeof write === 'string') refused.push(write);
          else writes.push(write);
        });
        // In the order of the schedule version rows the writes bump, as the app sorts them.
        writes.sort(versionOrder);
        const written =
          writes.length > 0
            ? writtenIds(await runNamed(client, bookingStatements.writeMany, writeManyValues(writes)))
            : new Set<string>();
        await client.query('commit');
        for (const w of writes) if (!written.has(w.appointmentId)) refused.push('CHANGED');
        return { counted: written.size, refused };
      } catch (err) {
        await client.query('rollback');
        return { counted: 0, refused: group.map(() => refusalOf(err)) };
      }
    });
    return summarise(clients.length, GROUP_MAX, result);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** A refusal's reason, or a lost race or constraint (23505 unique, 23P01 exclusion) or anything else: counted, not fatal. */
function refusalOf(err: unknown): string {
  if (err instanceof Refusal) return err.reason;
  const e = err as { code?: string; constraint?: string; message?: string };
  return `${e.code ?? 'error'} ${e.constraint ?? e.message ?? ''}`.trim();
}

class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export async function runDirectReads(env: BenchEnv): Promise<DirectResult> {
  const doctors = env.fill.doctorIds;
  const clients = await connectAll(env, await clientBudget(env, env.opts.connections));
  try {
    const result = await loop(env, clients, async (client) => {
      const doctorId = doctors[Math.floor(env.random() * doctors.length)];
      const now = new Date();
      const card = await q(client, 'floor_doctor_card', DOCTOR_CARD, [1, doctorId, 1]);
      if (card.rows.length === 0) return one('no doctor');
      await q(client, 'floor_window_slots', WINDOW_SLOTS, [doctorId, now, startsBefore(now)]);
      return one('counted');
    });
    return summarise(clients.length, null, result);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * The end of the booking window the service computes (bookingWindow in
 * schedule.rules.ts): local midnight after the last bookable day, in Europe/Samara
 * (UTC+4 all year, no daylight saving time).
 */
function startsBefore(now: Date): Date {
  const offsetMs = 4 * 3_600_000;
  const todayLocal = new Date(now.getTime() + offsetMs).toISOString().slice(0, 10);
  return new Date(Date.parse(`${todayLocal}T00:00:00Z`) - offsetMs + HORIZON_DAYS * 86_400_000);
}

function summarise(
  clients: number,
  perTransaction: number | null,
  r: {
    count: number;
    units: number;
    elapsedS: number;
    latencies: Latencies;
    refusals: Record<string, number>;
    exhausted: boolean;
    usage: Usage;
  },
): DirectResult {
  return {
    clients,
    perTransaction,
    durationS: Math.round(r.elapsedS * 10) / 10,
    perSecond: Math.round(r.count / r.elapsedS),
    requests: r.units,
    p50Ms: r.latencies.percentile(50),
    p99Ms: r.latencies.percentile(99),
    refusals: r.refusals,
    exhausted: r.exhausted,
    usage: r.usage,
  };
}
