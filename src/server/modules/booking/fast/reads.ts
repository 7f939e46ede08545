// Batched prepared reads of a rush (db/batch.ts: one statement for every attempt that arrives
// while one is in flight): the unlocked peek at a contested slot, and the doctor's free times
// named in a SLOT_TAKEN answer.
import { sql, type SQL } from 'drizzle-orm';
import { batcherPerDb, QueryBatcher } from '../../../db/batch.js';
import type { Db } from '../../../db/index.js';
import { preparedSql } from '../../../db/prepared.js';
import type { FreeTime } from '../booking.rules.js';

const ms = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const toDate = (v: number | string | null): Date | null => (v === null ? null : new Date(Number(v)));

/** The slot's booking state without a lock (a cheap first look; the transaction re-checks). */
export async function peekSlotState(db: Db, slotId: number): Promise<SlotPeek | null> {
  return peekBatcher(db).load(slotId);
}

export interface SlotPeek {
  status: string;
  heldUntil: Date | null;
  holdAccountId: string | null;
  holdPersonId: string | null;
}

// At a rush every attempt starts with a peek: they are batched (db/batch.ts), one prepared
// statement for all the attempts that arrive while one is in flight.
const peekStatement = preparedSql<{
  i: number;
  status: string;
  held_until_ms: number | null;
  hold_account_id: string | null;
  hold_person_id: string | null;
}>(
  'booking_peek_slots',
  sql`select k.i::int as i, s.status, ${ms(sql`s.held_until`)} as held_until_ms, s.hold_account_id, s.hold_person_id
        from unnest(${sql.placeholder('ids')}::bigint[]) with ordinality as k(id, i)
        join slots s on s.id = k.id`,
);
const peekBatcher = batcherPerDb(
  (db: Db) =>
    new QueryBatcher<number, SlotPeek | null>(async (ids) => {
      const out: (SlotPeek | null)[] = ids.map(() => null);
      for (const r of await peekStatement.rows(db, { ids })) {
        out[Number(r.i) - 1] = {
          status: r.status,
          heldUntil: toDate(r.held_until_ms),
          holdAccountId: r.hold_account_id,
          holdPersonId: r.hold_person_id,
        };
      }
      return out;
    }),
);

/** A refused slot and its doctor's free times up to a day past the region's horizon (the caller trims). */
export interface FreeTimesAround {
  /** The refused slot's start, its organisation's time zone and the region's horizon. */
  startAt: Date;
  timeZone: string;
  horizonDays: number;
  /** The doctor's free slots (and slots whose hold has run out) from `now` on, by start. */
  free: FreeTime[];
}

/**
 * The doctor's free times around a slot, for the answer to a refused attempt (booking.service
 * namingFreeTimes). Batched: at a rush every loser asks at once, and the doctors' free slots
 * are read once per batch, however many of the doctor's slots were asked about.
 */
export async function freeTimesAround(db: Db, slotId: number, now: Date): Promise<FreeTimesAround | null> {
  return freeTimesBatcher(db).load({ slotId, now });
}

const freeTimesStatement = preparedSql<{
  asked: boolean;
  id: string;
  doctor_id: number;
  start_ms: number;
  time_zone: string | null;
  horizon_days: number | null;
}>(
  'booking_free_times',
  sql`with asked as (
        select s.id, s.doctor_id, s.start_at, o.time_zone, rs.horizon_days, d.active
          from slots s
          join doctors d on d.id = s.doctor_id
          join organisations o on o.id = d.organisation_id
          join region_settings rs on rs.id = 1
         where s.id = any(${sql.placeholder('ids')}::bigint[])
      )
      select true as asked, a.id, a.doctor_id, ${ms(sql`a.start_at`)} as start_ms, a.time_zone, a.horizon_days
        from asked a
      union all
      select false, f.id, f.doctor_id, ${ms(sql`f.start_at`)}, null, null
        from slots f
       where f.doctor_id in (select doctor_id from asked where active)
         and f.start_at > ${sql.placeholder('now')}::timestamptz
         and f.start_at < ${sql.placeholder('now')}::timestamptz + make_interval(days => (select max(horizon_days) + 1 from asked))
         and f.channel = 'portal'
         and (f.status = 'free' or (f.status = 'held' and f.held_until <= ${sql.placeholder('now')}::timestamptz))`,
);

const freeTimesBatcher = batcherPerDb(
  (db: Db) =>
    new QueryBatcher<{ slotId: number; now: Date }, FreeTimesAround | null>(async (keys) => {
      // One clock for the batch: the latest, so no answer offers a time that has begun.
      const now = new Date(Math.max(...keys.map((k) => k.now.getTime())));
      const ids = [...new Set(keys.map((k) => k.slotId))];
      const rows = await freeTimesStatement.rows(db, { ids, now: now.toISOString() });
      const asked = new Map<number, { doctorId: number; startAt: Date; timeZone: string; horizonDays: number }>();
      const freeByDoctor = new Map<number, FreeTime[]>();
      for (const r of rows) {
        const startAt = new Date(Number(r.start_ms));
        if (r.asked) {
          // An asked slot's row always carries its zone and the horizon.
          if (r.time_zone === null || r.horizon_days === null) continue;
          asked.set(Number(r.id), {
            doctorId: r.doctor_id,
            startAt,
            timeZone: r.time_zone,
            horizonDays: r.horizon_days,
          });
        } else {
          const list = freeByDoctor.get(r.doctor_id);
          if (list) list.push({ id: Number(r.id), startAt });
          else freeByDoctor.set(r.doctor_id, [{ id: Number(r.id), startAt }]);
        }
      }
      for (const list of freeByDoctor.values()) list.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
      return keys.map(({ slotId }) => {
        const a = asked.get(slotId);
        if (!a) return null;
        return {
          startAt: a.startAt,
          timeZone: a.timeZone,
          horizonDays: a.horizonDays,
          free: freeByDoctor.get(a.doctorId) ?? [],
        };
      });
    }),
);
