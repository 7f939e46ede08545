// The benchmark database: created empty, migrated with the real migrations, then filled
// with a region at realistic scale through set-based SQL (insert … select … from
// generate_series). Ids of people and accounts are derived from their number (an md5
// shaped as a version-4 UUID), so the load generator knows them without reading them back.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, runMigrations } from '../../src/server/db/index.js';

export interface Scale {
  name: 'full' | 'small';
  /** People in card files (persons). */
  people: number;
  /** Accounts; each has a main person, the first (people - accounts) accounts also have a second person. */
  accounts: number;
  organisations: number;
  doctors: number;
  /** Days of slots, starting tomorrow (local time of Europe/Samara). */
  days: number;
  /** 30-minute slots a day per doctor, from 08:00 local. */
  slotsPerDay: number;
}

export const SCALES: Record<'full' | 'small', Scale> = {
  full: {
    name: 'full',
    people: 500_000,
    accounts: 400_000,
    organisations: 40,
    doctors: 2_000,
    days: 14,
    slotsPerDay: 18,
  },
  small: {
    name: 'small',
    people: 20_000,
    accounts: 16_000,
    organisations: 10,
    doctors: 100,
    days: 14,
    slotsPerDay: 18,
  },
};

export const TIME_ZONE = 'Europe/Samara';
/** Region booking horizon in days: today + 14 days of slots. */
export const HORIZON_DAYS = 15;

export function personUuid(n: number): string {
  return md5Uuid(`p${n}`);
}

export function accountUuid(n: number): string {
  return md5Uuid(`a${n}`);
}

/**
 * md5 of the text with the version nibble set to 4 and the variant to 8, so the id passes
 * the API's strict UUID check (z.uuid()) like gen_random_uuid() ids do. Same as uuidSql().
 */
function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  const v4 = `${h.slice(0, 12)}4${h.slice(13, 16)}8${h.slice(17)}`;
  return `${v4.slice(0, 8)}-${v4.slice(8, 12)}-${v4.slice(12, 16)}-${v4.slice(16, 20)}-${v4.slice(20)}`;
}

/** SQL for md5Uuid(prefix || n): `prefix` is 'a' (accounts) or 'p' (persons). */
function uuidSql(prefix: 'a' | 'p', n: string): string {
  return `overlay(overlay(md5('${prefix}' || (${n})) placing '4' from 13) placing '8' from 17)::uuid`;
}

export function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Settings the benchmark gives its own database (README, "PostgreSQL"), both settable per
 * database:
 * - WAL compression. With the defaults (max_wal_size 1 GB) 1,000 bookings a second start a
 *   checkpoint every ~20 s, and after each one the first change of every page writes the
 *   whole page to the WAL (full_page_writes): ~30 kB of WAL per booking, most of it page
 *   images, which lz4 shrinks.
 * - backend_flush_after. With the default 128 MB of shared buffers the booking connections
 *   themselves write out most dirty pages to make room, into the kernel's page cache, which
 *   wrote them 30 s later (vm.dirty_expire_centisecs) in bursts of 50-185 MB; each burst made
 *   the WAL flushes at commit wait, stopping every booking for 100-200 ms. Asking the kernel
 *   to write each 256 kB at once keeps the disk's queue short (0.14-0.21 ms per write
 *   instead of 0.6-1.4 ms).
 */
export const DATABASE_SETTINGS = { wal_compression: 'lz4', backend_flush_after: '256kB' } as const;

export async function createDatabase(baseUrl: string, name: string, withSettings: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    if (withSettings) {
      for (const [key, value] of Object.entries(DATABASE_SETTINGS))
        await admin.query(`alter database ${name} set ${key} = '${value}'`);
    }
  } finally {
    await admin.end();
  }
  return databaseUrlFor(baseUrl, name);
}

/** The server-wide settings that shape the figures, for the output. */
export async function serverSettings(admin: pg.Pool): Promise<Record<string, string>> {
  const res = await admin.query<{ name: string; setting: string; unit: string | null }>(
    `select name, setting, unit from pg_settings
      where name in ('server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression',
                     'backend_flush_after', 'synchronous_commit', 'full_page_writes', 'max_connections')
      order by name`,
  );
  return Object.fromEntries(res.rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** The real migrations, applied the way the server applies them. */
export async function migrate(url: string): Promise<void> {
  const database = await openDatabase({ databaseUrl: url, dataDir: null, poolSize: 1 });
  try {
    await runMigrations(database, url);
  } finally {
    await database.close();
  }
}

const MALE_SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Корепанов',
  'Широбоков',
  'Перевозчиков',
  'Бабушкин',
  'Поздеев',
  'Ложкин',
  'Шутов',
  'Урасинов',
  'Вахрушев',
  'Кудрявцев',
];
const MALE_NAMES = [
  'Александр',
  'Сергей',
  'Дмитрий',
  'Андрей',
  'Алексей',
  'Максим',
  'Евгений',
  'Иван',
  'Михаил',
  'Николай',
  'Владимир',
  'Павел',
];
const FEMALE_NAMES = [
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Ирина',
  'Светлана',
  'Анна',
  'Мария',
  'Екатерина',
  'Юлия',
  'Галина',
  'Людмила',
];
const MALE_PATRONYMICS = [
  'Александрович',
  'Сергеевич',
  'Дмитриевич',
  'Андреевич',
  'Алексеевич',
  'Иванович',
  'Михайлович',
  'Николаевич',
  'Владимирович',
  'Петрович',
];
const FEMALE_PATRONYMICS = [
  'Александровна',
  'Сергеевна',
  'Дмитриевна',
  'Андреевна',
  'Алексеевна',
  'Ивановна',
  'Михайловна',
  'Николаевна',
  'Владимировна',
  'Петровна',
];
const STREETS = [
  'Пушкинская',
  'Удмуртская',
  'Карла Маркса',
  'Ленина',
  'Кирова',
  'Холмогорова',
  '10 лет Октября',
  'Молодёжная',
  'Ворошилова',
  'Советская',
];

/** Specialties; the restricted ones (children only, women only) are left out of the scenarios. */
const SPECIALTIES: { name: string; minAge: number | null; maxAge: number | null; sex: 'M' | 'F' | null }[] = [
  { name: 'Терапевт', minAge: 18, maxAge: null, sex: null },
  { name: 'Педиатр', minAge: null, maxAge: 18, sex: null },
  { name: 'Хирург', minAge: null, maxAge: null, sex: null },
  { name: 'Офтальмолог', minAge: null, maxAge: null, sex: null },
  { name: 'Невролог', minAge: null, maxAge: null, sex: null },
  { name: 'Оториноларинголог', minAge: null, maxAge: null, sex: null },
  { name: 'Кардиолог', minAge: null, maxAge: null, sex: null },
  { name: 'Эндокринолог', minAge: null, maxAge: null, sex: null },
  { name: 'Дерматовенеролог', minAge: null, maxAge: null, sex: null },
  { name: 'Акушер-гинеколог', minAge: null, maxAge: null, sex: 'F' },
  { name: 'Уролог', minAge: null, maxAge: null, sex: null },
  { name: 'Травматолог-ортопед', minAge: null, maxAge: null, sex: null },
];

const arr = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
/** 1-based pick from a SQL array literal by an integer expression. */
const pick = (values: string[], expr: string) => `(${arr(values)})[1 + (${expr}) % ${values.length}]`;

/** A valid СНИЛС for 9 digits x (checksum per the Pension Fund rule), as SQL over a bigint x. */
function snilsSql(x: string): string {
  const terms = Array.from({ length: 9 }, (_, k) => `((${x} / ${10 ** (8 - k)}) % 10) * ${9 - k}`).join(' + ');
  return `(${x})::text || lpad((case when (${terms}) % 101 = 100 then 0 else (${terms}) % 101 end)::text, 2, '0')`;
}

export interface FillResult {
  ms: number;
  slots: number;
  bookedSlots: number;
  /** Person numbers 1..scenarioPeople are main persons without any appointment. */
  scenarioPeople: number;
  /** Every doctor of the fill (schedule reads pick from these). */
  doctorIds: number[];
  /** Doctors whose specialty has no age or sex restriction (bookings use only these). */
  openDoctorIds: number[];
  steps: { step: string; ms: number }[];
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // Bulk load: losing the last transactions on a crash would not matter here.
  await c.query('set synchronous_commit = off');
  await c.query("set maintenance_work_mem = '128MB'");
  return c;
}

export async function fill(url: string, scale: Scale, log: (line: string) => void): Promise<FillResult> {
  const started = performance.now();
  const steps: { step: string; ms: number }[] = [];
  const timed = async <T>(step: string, c: pg.Client, sql: string): Promise<T[]> => {
    const t = performance.now();
    // A multi-statement text yields one result per statement: the first one is the insert.
    const results = [await c.query(sql)].flat() as pg.QueryResult[];
    const first = results[0];
    const last = results[results.length - 1];
    const ms = Math.round(performance.now() - t);
    steps.push({ step, ms });
    const count = first.command === 'INSERT' || first.command === 'UPDATE' ? `${first.rowCount ?? 0} rows, ` : '';
    const counted =
      last.command === 'SELECT' && last.rows[0] && 'n' in last.rows[0] ? `${String(last.rows[0].n)} rows, ` : '';
    log(`  ${step}: ${count || counted}${ms} ms`);
    return last.rows as T[];
  };
  const a = await connect(url);
  const b = await connect(url);
  try {
    const N = scale.people;
    const A = scale.accounts;
    const today = `(now() at time zone '${TIME_ZONE}')::date`;

    const personsBetween = (from: number, to: number) => `
        insert into persons (id, account_id, is_main, last_name, first_name, middle_name, birth_date, sex,
                             snils, policy, phone, status, submitted_at, decided_at, created_at)
        select ${uuidSql('p', 'n')},
               ${uuidSql('a', `case when n <= ${A} then n else n - ${A} end`)},
               n <= ${A},
               ${pick(MALE_SURNAMES, 'n / 7')} || case when n % 2 = 0 then 'а' else '' end,
               case when n % 2 = 0 then ${pick(FEMALE_NAMES, 'n / 3')} else ${pick(MALE_NAMES, 'n / 3')} end,
               case when n % 2 = 0 then ${pick(FEMALE_PATRONYMICS, 'n / 11')} else ${pick(MALE_PATRONYMICS, 'n / 11')} end,
               date '1945-01-01' + ((n::bigint * 7919) % 21900)::int,
               case when n % 2 = 0 then 'F' else 'M' end,
               ${snilsSql('(100000000 + n * 7)::bigint')},
               '18' || lpad(n::text, 14, '0'),
               case when n % 3 = 0 then null else '+79' || lpad(((n::bigint * 7919) % 1000000000)::text, 9, '0') end,
               case when n > ${A} and n % 40 = 0 then 'pending' else 'confirmed' end,
               now() - interval '30 days',
               case when n > ${A} and n % 40 = 0 then null else now() - interval '29 days' end,
               now() - interval '30 days'
        from generate_series(${from}, ${to}) n`;
    const half = Math.floor(N / 2);

    // Two connections in parallel (2 cores). Connection a: accounts, then the first half
    // of the people. Connection b: the catalogue and the slots, then the second half.
    const accountsDone = timed(
      'accounts',
      a,
      `
        insert into accounts (id, email, password_hash, email_confirmed_at, role, created_at)
        select ${uuidSql('a', 'n')}, 'patient' || n || '@bench.example.test', null,
               now() - (n % 900) * interval '1 day', 'patient', now() - (n % 900) * interval '1 day' - interval '1 hour'
        from generate_series(1, ${A}) n`,
    );
    const people = (async () => {
      await accountsDone;
      await timed('persons (first half)', a, personsBetween(1, half));
    })();

    const catalogue = (async () => {
      await timed(
        'organisations',
        b,
        `
        insert into organisations (id, name, short_name, address, phone, time_zone, waitlist_allowed, cutoff_override)
        select i, 'БУЗ УР «Городская поликлиника № ' || i || ' МЗ УР»', 'Городская поликлиника № ' || i,
               'г. Ижевск, ул. ' || ${pick(STREETS, 'i')} || ', д. ' || (10 + i * 3),
               '+7 3412 ' || lpad((200000 + i * 137)::text, 6, '0'), '${TIME_ZONE}', i % 5 <> 0, null
        from generate_series(1, ${scale.organisations}) i;
        select setval(pg_get_serial_sequence('organisations', 'id'), ${scale.organisations})`,
      );
      await timed(
        'specialties',
        b,
        `
        insert into specialties (id, name, min_age, max_age, sex)
        values ${SPECIALTIES.map((s, i) => `(${i + 1}, '${s.name}', ${s.minAge ?? 'null'}, ${s.maxAge ?? 'null'}, ${s.sex ? `'${s.sex}'` : 'null'})`).join(', ')};
        select setval(pg_get_serial_sequence('specialties', 'id'), ${SPECIALTIES.length})`,
      );
      await timed(
        'doctors',
        b,
        `
        insert into doctors (id, organisation_id, specialty_id, last_name, first_name, middle_name, room, active)
        select i, 1 + (i - 1) % ${scale.organisations}, 1 + ((i - 1) / ${scale.organisations}) % ${SPECIALTIES.length},
               ${pick(MALE_SURNAMES, 'i * 13')} || case when i % 2 = 0 then 'а' else '' end,
               case when i % 2 = 0 then ${pick(FEMALE_NAMES, 'i')} else ${pick(MALE_NAMES, 'i')} end,
               case when i % 2 = 0 then ${pick(FEMALE_PATRONYMICS, 'i / 5')} else ${pick(MALE_PATRONYMICS, 'i / 5')} end,
               (100 + i % 300)::text, true
        from generate_series(1, ${scale.doctors}) i;
        select setval(pg_get_serial_sequence('doctors', 'id'), ${scale.doctors})`,
      );
      // 08:00-17:00 local, 30 minutes, days 1..14 from tomorrow. Near days are busier:
      // about 60% booked in the next 3 days, 30% in days 4-7, 10% later; 2% blocked.
      await timed(
        'slots',
        b,
        `
        insert into slots (doctor_id, start_at, end_at, status)
        select d.id, t.start_at, t.start_at + interval '30 minutes',
               case when h.x % 10 < (case when day <= 3 then 6 when day <= 7 then 3 else 1 end) then 'booked'
                    when h.x % 50 = 7 then 'blocked' else 'free' end
        from doctors d
        join organisations o on o.id = d.organisation_id
        cross join generate_series(1, ${scale.days}) day
        cross join generate_series(0, ${scale.slotsPerDay - 1}) k
        cross join lateral (select ((${today} + day) + time '08:00' + k * interval '30 minutes') at time zone o.time_zone as start_at) t
        cross join lateral (select abs(d.id * 7919 + day * 104729 + k * 1299709) as x) h`,
      );
      await accountsDone;
      await timed('persons (second half)', b, personsBetween(half + 1, N));
    })();

    await Promise.all([people, catalogue]);

    // Existing appointments on the booked slots, each for a different person taken from
    // the end of the numbering (so people 1..scenarioPeople have none); two halves in parallel.
    const appointmentsPart = (part: 0 | 1) => `
      with ins as (
        insert into appointments (reference, slot_id, person_id, doctor_id, start_at, end_at, status, source,
                                  booked_by_account_id, created_at)
        select 'PR-B' || lpad(upper(to_hex(s.id)), 7, '0'), s.id, ${uuidSql('p', 'p.n')}, s.doctor_id, s.start_at, s.end_at,
               'booked',
               case when s.id % 2 = 0 then 'portal' else (array['registry','electronic_queue','infomat','doctor'])[1 + (s.id / 2) % 4] end,
               case when s.id % 2 = 0 then ${uuidSql('a', `case when p.n <= ${A} then p.n else p.n - ${A} end`)} end,
               now() - interval '3 days'
        from (select s.*, row_number() over (order by s.id) as rn from slots s where s.status = 'booked') s
        cross join lateral (select ${N} + 1 - s.rn as n) p
        where s.rn % 2 = ${part}
        returning 1
      )
      select count(*)::int as n from ins`;
    const parts = await Promise.all([
      timed<{ n: number }>('appointments (even)', a, appointmentsPart(0)),
      timed<{ n: number }>('appointments (odd)', b, appointmentsPart(1)),
    ]);
    const bookedSlots = parts[0][0].n + parts[1][0].n;
    await timed('region settings', a, `update region_settings set horizon_days = ${HORIZON_DAYS} where id = 1`);
    await Promise.all([
      timed('vacuum analyze people', a, 'vacuum analyze accounts, persons'),
      timed('vacuum analyze schedule', b, 'vacuum analyze organisations, specialties, doctors, slots, appointments'),
    ]);
    const slotCount = Number((await a.query('select count(*)::int as n from slots')).rows[0].n);
    const open = await a.query<{ id: number }>(
      `select d.id from doctors d join specialties s on s.id = d.specialty_id
       where s.min_age is null and s.max_age is null and s.sex is null order by d.id`,
    );
    const probe = await a.query<{ id: string }>('select id from persons where snils = $1', [
      (await a.query<{ s: string }>(`select ${snilsSql('(100000000 + 7)::bigint')} as s`)).rows[0].s,
    ]);
    if (probe.rows[0]?.id !== personUuid(1)) throw new Error('person ids in SQL and in the generator differ');
    const scenarioPeople = Math.min(A, N - bookedSlots);
    if (scenarioPeople < 1) throw new Error('scale too small: every person already has an appointment');
    return {
      ms: Math.round(performance.now() - started),
      slots: slotCount,
      bookedSlots,
      scenarioPeople,
      doctorIds: Array.from({ length: scale.doctors }, (_, i) => i + 1),
      openDoctorIds: open.rows.map((r) => r.id),
      steps,
    };
  } finally {
    await a.end();
    await b.end();
  }
}

/**
 * Inserts signed-in sessions for people 1..n numbers given (their accounts are the same
 * numbers: main persons). The token goes into the cookie; the row keeps its HMAC, exactly
 * as `hmac()` in src/server/modules/identity/session.ts computes it.
 */
export async function insertSessions(
  url: string,
  secret: string,
  personNumbers: number[],
  hmac: (secret: string, value: string) => string,
): Promise<Map<number, string>> {
  const tokens = new Map<number, string>();
  const hashes: string[] = [];
  const numbers: number[] = [];
  for (const n of personNumbers) {
    const token = randomBytes(32).toString('base64url');
    tokens.set(n, token);
    hashes.push(hmac(secret, token));
    numbers.push(n);
  }
  const c = await connect(url);
  try {
    for (let i = 0; i < numbers.length; i += 50_000) {
      await c.query(
        `insert into sessions (id_hash, account_id, auth_method, created_at, expires_at)
         select h, ${uuidSql('a', 'n')}, 'password', now(), now() + interval '1 day'
         from unnest($1::text[], $2::int[]) as t(h, n)`,
        [hashes.slice(i, i + 50_000), numbers.slice(i, i + 50_000)],
      );
    }
  } finally {
    await c.end();
  }
  return tokens;
}
