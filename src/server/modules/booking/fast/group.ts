// Portal bookings on PostgreSQL, in pipelined transactions (db/pipelined.ts), and, when many
// arrive at once, several in one transaction.
//
// A booking alone is two round trips: BEGIN with the locking read, then the write with
// COMMIT. Under load every booking's transaction costs the server two writes to PostgreSQL
// and PostgreSQL a commit (a WAL flush) and the wake-ups of its backend; on a machine whose
// cores the server and PostgreSQL share, those system calls, not the statements, were the
// larger part of a booking's cost. So while every pipelined connection is busy, the
// bookings that arrive wait together and go as one group: one locking read for all of them
// (booking_lock_many: every person, then every slot, each in key order), the rules of each
// checked on its own, then one statement that writes them all (booking_write_many) and
// COMMIT, sent in one write. A group holds at most one booking per person and per slot (the
// others wait for the next group), so each booking is decided exactly as it would be alone.
//
// A refusal by the rules answers that booking only. When the database refuses a group's
// statement (a constraint, a deadlock, a reference drawn twice, a lock awaited longer than
// GROUP_LOCK_TIMEOUT_MS), the whole transaction has
// rolled back, and every booking of the group that was to be written is tried again alone,
// where that refusal reaches only the booking it belongs to. A booking whose person's
// appointments changed while the lock was awaited is tried again alone, as a single
// pipelined booking would be.
import { availableParallelism } from 'node:os';
import pg from 'pg';
import type { AppointmentDetail } from '../../../../shared/api/index.js';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/index.js';
import { pipelinedPoolSize, pipelinedTransaction } from '../../../db/pipelined.js';
import { cachedRegionSettings } from '../../region/settings.service.js';
import { bookingPaths, lockedOrRefused, planBooking, type BookingPlan } from './plan.js';
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
} from './statements.js';
import type { Actor } from '../appointments.service.js';

export interface BookingRequest {
  actor: Actor;
  input: { slotId: number; personId: string };
}

/**
 * How many groups run at once: as many as the cores, within the pipelined pool. More groups at
 * once are smaller groups (more round trips and commits per booking) that only queue for the
 * same cores. On two cores, in interleaved runs of the benchmark, 2 against 3: the same
 * bookings per second at saturation (1,386–1,786/s against 1,390–1,577/s) with less PostgreSQL
 * CPU per booking, and at an even 1,000 bookings a second a p99 of 63–91 ms in each of four
 * runs, where 3 gave 73–170 ms (a third group competing for two cores makes the tail); 10,
 * the pool's size, was ~7 % slower than 3.
 * Several processes on one machine share its cores: BOOKING_GROUPS (`configured`) sets the
 * number per process instead, e.g. cores ÷ processes. Two processes on two cores with one
 * group each booked 1,354–1,446/s at saturation with a 1,000/s p99 of 94–97 ms, against
 * 1,115–1,263/s and 119–125 ms with two each (bench/RESULTS.md).
 */
export function groupsInFlight(poolSize: number, cores: number, configured: number | null = null): number {
  return Math.max(1, Math.min(poolSize, configured ?? cores));
}

/** At most this many bookings go in one group. */
export const GROUP_MAX = 32;

/**
 * A group waits at most this long for any one lock (a person or slot that another transaction
 * holds, a schedule version row); then it rolls back and its bookings are made alone, so one
 * long-held row delays only the booking that needs it, not the whole group.
 */
export const GROUP_LOCK_TIMEOUT_MS = 500;

/**
 * Books on `ctx.db`'s pipelined pool: alone while a connection is free, else in the next
 * group. Null, having written nothing, when the ordinary transaction must book it (see
 * bookPipelined and bookGroup).
 */
export function bookPipelinedOrGrouped(ctx: AppContext, request: BookingRequest): Promise<AppointmentDetail | null> {
  return groupsOf(ctx).add(request);
}

interface Member extends BookingRequest {
  resolve(detail: AppointmentDetail | null): void;
  reject(err: unknown): void;
}

/**
 * Collects members into groups whose members share no key: at most `maxInFlight` groups run
 * at once, each of at most `maxGroup` members; a member whose key is taken in the group being
 * formed waits for the next one. Members are taken in arrival order otherwise.
 */
export class KeyedGroups<M> {
  private pending: M[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (group: M[]) => Promise<void>,
    private readonly keysOf: (member: M) => string[],
    private readonly maxInFlight: number,
    private readonly maxGroup: number,
  ) {}

  push(member: M): void {
    this.pending.push(member);
    this.pump();
  }

  /** Members waiting for a group. */
  get waiting(): number {
    return this.pending.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const group = this.take();
      this.inFlight += 1;
      // `run` answers its members, failure included; its own outcome only frees the place.
      const done = () => {
        this.inFlight -= 1;
        this.pump();
      };
      this.run(group).then(done, done);
    }
  }

  private take(): M[] {
    const taken = new Set<string>();
    const group: M[] = [];
    const left: M[] = [];
    for (const m of this.pending) {
      const keys = this.keysOf(m);
      if (group.length < this.maxGroup && keys.every((k) => !taken.has(k))) {
        for (const k of keys) taken.add(k);
        group.push(m);
      } else left.push(m);
    }
    this.pending = left;
    return group;
  }
}

interface Groups {
  add(request: BookingRequest): Promise<AppointmentDetail | null>;
}

const groupsByDb = new WeakMap<Db, Groups>();

function groupsOf(ctx: AppContext): Groups {
  let groups = groupsByDb.get(ctx.db);
  if (!groups) {
    const keyed = new KeyedGroups<Member>(
      async (members) => {
        try {
          await (members.length === 1 ? bookAlone(ctx, members[0]) : bookGroup(ctx, members));
        } catch (err) {
          // Not expected (both answer every member); a member answered already keeps its answer.
          for (const m of members) m.reject(err);
        }
      },
      (m) => [`p:${m.input.personId}`, `s:${m.input.slotId}`],
      groupsInFlight(pipelinedPoolSize(ctx.db), availableParallelism(), ctx.config.bookingGroups),
      GROUP_MAX,
    );
    groups = {
      add: (request) => new Promise((resolve, reject) => keyed.push({ ...request, resolve, reject })),
    };
    groupsByDb.set(ctx.db, groups);
  }
  return groups;
}

async function bookAlone(ctx: AppContext, m: Member): Promise<void> {
  try {
    m.resolve(await bookPipelined(ctx, m));
  } catch (err) {
    m.reject(err);
  }
}

/**
 * One booking in a pipelined transaction: BEGIN sent together with the locking read and
 * COMMIT with the write, two round trips instead of four. Null, having written nothing, when
 * the ordinary transaction must do it: the process's settings cache does not hold the version
 * read under the lock, or the person's appointments changed while the lock was awaited (the
 * ordinary path re-reads them under the lock and tries again).
 */
async function bookPipelined(ctx: AppContext, { actor, input }: BookingRequest): Promise<AppointmentDetail | null> {
  const now = ctx.now();
  const booked = await pipelinedTransaction(ctx.db, async (tx) => {
    const rows = await tx.begin(
      bookingStatements.lock,
      lockValues({ accountId: actor.accountId, personId: input.personId, slotId: input.slotId, now }),
    );
    const locked = lockedOrRefused(toBookingLock(rows));
    const settings = cachedRegionSettings(ctx.db, locked.settingsVersion);
    if (!settings) return null;
    const plan = planBooking(ctx, actor, input, locked, settings, now);
    // A booking with a referral reads and locks the referrals: the ordinary transaction's work.
    if (plan.needsReferrals) return null;
    plan.check(plan.active);
    const written = wasWritten(await tx.commitWith(bookingStatements.write, writeValues(plan.write(plan.active))));
    return written ? plan.detail() : null;
  });
  if (booked) bookingPaths.pipelined += 1;
  return booked;
}

/**
 * A group of bookings in one pipelined transaction (see the head of this file). Every member
 * is answered: its booking, its refusal, or null (book it alone).
 */
async function bookGroup(ctx: AppContext, members: Member[]): Promise<void> {
  const now = ctx.now();
  const refused = new Map<Member, unknown>();
  let planned: { member: Member; plan: BookingPlan }[] = [];
  let written: boolean[] = [];
  try {
    await pipelinedTransaction(ctx.db, async (tx) => {
      const rows = await tx.begin(
        bookingStatements.lockMany,
        lockManyValues(
          members.map((m) => ({ accountId: m.actor.accountId, personId: m.input.personId, slotId: m.input.slotId })),
          now,
        ),
        { lockTimeoutMs: GROUP_LOCK_TIMEOUT_MS },
      );
      const locks = toBookingLocks(rows, members.length);
      const version = locks.find((l) => l !== null)?.settingsVersion;
      const settings = version === undefined ? null : cachedRegionSettings(ctx.db, version);
      members.forEach((member, i) => {
        try {
          const locked = lockedOrRefused(locks[i]);
          // Without the settings of the version read under the lock, each books alone.
          if (!settings) return;
          const plan = planBooking(ctx, member.actor, member.input, locked, settings, now);
          // Neither planned nor refused: it books alone, in the ordinary transaction.
          if (plan.needsReferrals) return;
          plan.check(plan.active);
          planned.push({ member, plan });
        } catch (err) {
          refused.set(member, err);
        }
      });
      if (!settings || planned.length === 0) return; // rolled back: nothing was written
      // Each write bumps its doctor's schedule version row (shard: slot id % 16, migration 0004)
      // and holds it to the commit: taken in key order, as bulk slot writes take them, so two
      // groups never wait for each other's version rows in a circle.
      planned.sort((a, b) => versionOrder(a.plan, b.plan));
      const writes = planned.map(({ plan }) => plan.write(plan.active));
      const ids = writtenIds(await tx.commitWith(bookingStatements.writeMany, writeManyValues(writes)));
      written = writes.map((w) => ids.has(w.appointmentId));
    });
  } catch (err) {
    // PostgreSQL refused a statement (and rolled the group back): each books alone.
    // Anything else (a lost connection) is every member's answer, as it would be alone.
    if (!(err instanceof pg.DatabaseError)) {
      for (const m of members) if (!refused.has(m)) m.reject(err);
      for (const [m, e] of refused) m.reject(e);
      return;
    }
    planned = [];
    written = [];
  }
  bookingPaths.groups += 1;
  for (const m of members) {
    const refusal = refused.get(m);
    if (refusal !== undefined) m.reject(refusal);
  }
  const done = new Set<Member>();
  planned.forEach(({ member, plan }, i) => {
    done.add(member);
    if (written[i]) {
      bookingPaths.grouped += 1;
      member.resolve(plan.detail());
    } else member.resolve(null);
  });
  for (const m of members) if (!refused.has(m) && !done.has(m)) m.resolve(null);
}

/** The order of the schedule version rows (doctor, shard) two bookings' writes bump. */
export function versionOrder(
  a: Pick<BookingPlan, 'doctorId' | 'slotId'>,
  b: Pick<BookingPlan, 'doctorId' | 'slotId'>,
): number {
  return a.doctorId - b.doctorId || (a.slotId % 16) - (b.slotId % 16) || a.slotId - b.slotId;
}
