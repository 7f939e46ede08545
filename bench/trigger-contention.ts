// `npx tsx bench/trigger-contention.ts`: what a version counter kept by a trigger on `slots`
// costs when many bookings of ONE doctor commit at once (the rush), measured before choosing
// the schedule cache's invalidation (migration 0004). A scratch database with a slots-like
// table; 64 clients each run "begin; update one slot; ~0.5 ms of other work; commit" for 400
// distinct slots of one doctor, with no trigger, with one version row per doctor, and with the
// version spread over 16 shards (slot id mod 16) as migration 0004 does. The one-row variant
// queues every booking on that row's lock until its commit.
import pg from 'pg';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `priyom_trigger_${Date.now()}`;
const url = new URL(base);
url.pathname = `/${name}`;

async function withAdmin(f: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await f(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  await withAdmin((c) => c.query(`create database ${name}`));
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const clients: pg.Client[] = [];
  try {
    await c.query(`create table slots (id bigint primary key, doctor_id int not null, status text not null default 'free');
      create table schedule_versions (doctor_id int, shard smallint, version bigint not null default 0, primary key (doctor_id, shard));
      insert into slots select g, 1, 'free' from generate_series(1, 10000) g`);
    for (let i = 0; i < 64; i++) {
      const x = new pg.Client({ connectionString: url.toString() });
      await x.connect();
      clients.push(x);
    }
    let next = 1;
    const round = async (label: string, shards: number) => {
      await c.query('drop trigger if exists t on slots; drop function if exists f()');
      if (shards > 0) {
        await c.query(`create function f() returns trigger language plpgsql as $$ begin
            insert into schedule_versions select doctor_id, (id % ${shards})::smallint, 1 from n group by 1, 2 order by 1, 2
            on conflict (doctor_id, shard) do update set version = schedule_versions.version + 1; return null; end $$;
          create trigger t after update on slots referencing new table as n for each statement execute function f()`);
      }
      const end = next + 400;
      const t0 = performance.now();
      await Promise.all(
        clients.map(async (cl) => {
          while (next < end) {
            const id = next++;
            await cl.query('begin');
            await cl.query(`update slots set status = 'booked' where id = $1`, [id]);
            await cl.query('select pg_sleep(0.0005)');
            await cl.query('commit');
          }
        }),
      );
      console.log(`${label.padEnd(28)} ${Math.round(performance.now() - t0)} ms for 400 bookings of one doctor`);
    };
    for (let rep = 0; rep < 2; rep++) {
      await round('no trigger', 0);
      await round('one version row per doctor', 1);
      await round('16 shards per doctor', 16);
    }
  } finally {
    await Promise.all(clients.map((x) => x.end()));
    await c.end();
    await withAdmin((a) => a.query(`drop database if exists ${name} with (force)`));
  }
}

void main();
