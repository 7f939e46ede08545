// The benchmark's flags (bench/lib/args.ts) and how the rush client reads a «taken» answer
// (bench/lib/rush.ts namedFreeSlots).
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/lib/args.js';
import { dueAtMs } from '../../bench/lib/paced.js';
import { namedFreeSlots } from '../../bench/lib/rush.js';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };

describe('parseArgs', () => {
  it('defaults: one instance, full scale, 10 s warm-up, the rush client that follows named times, the database settings', () => {
    const o = parseArgs([], env);
    expect(o).toMatchObject({
      instances: 1,
      scale: 'full',
      warmupS: 10,
      rushBlind: false,
      pgDefaults: false,
      poolSize: null,
      rate: 1000,
    });
    expect(o.databaseUrl).toBe(env.DATABASE_URL);
  });

  it('reads --warmup, --rush-blind, --pg-defaults and --pool', () => {
    const o = parseArgs(['--warmup', '0', '--rush-blind', '--pg-defaults', '--pool=16'], env);
    expect(o).toMatchObject({ warmupS: 0, rushBlind: true, pgDefaults: true, poolSize: 16 });
  });

  it('reads --rate; 0 skips the fixed-rate booking', () => {
    expect(parseArgs(['--rate', '1500'], env).rate).toBe(1500);
    expect(parseArgs(['--rate=0'], env).rate).toBe(0);
    expect(() => parseArgs(['--rate', 'fast'], env)).toThrow(/--rate needs a whole number from 0 to 20000/);
  });

  it('refuses out-of-range numbers and unknown flags', () => {
    expect(() => parseArgs(['--warmup', '-1'], env)).toThrow(/--warmup needs a whole number from 0 to 600/);
    expect(() => parseArgs(['--pool', '0'], env)).toThrow(/--pool needs a whole number from 1 to 200/);
    expect(() => parseArgs(['--rush-blindly'], env)).toThrow(/unknown flag --rush-blindly/);
  });
});

describe('dueAtMs', () => {
  it('spaces the requests evenly at the rate, from the start', () => {
    expect(dueAtMs(100, 1000, 0)).toBe(100);
    expect(dueAtMs(100, 1000, 1)).toBe(101);
    expect(dueAtMs(100, 400, 10)).toBe(125);
    expect(dueAtMs(0, 3, 3)).toBeCloseTo(1000);
  });
});

describe('namedFreeSlots', () => {
  it('reads the ids of details.freeSlots, an empty list included', () => {
    const body = JSON.stringify({
      code: 'SLOT_TAKEN',
      message: 'Это время только что заняли. Выберите другое время.',
      details: {
        freeSlots: [
          { id: 12, startAt: '2026-12-03T06:00:00.000Z' },
          { id: 15, startAt: '2026-12-03T06:30:00.000Z' },
        ],
      },
    });
    expect(namedFreeSlots(body)).toEqual([12, 15]);
    expect(namedFreeSlots(JSON.stringify({ code: 'SLOT_TAKEN', details: { freeSlots: [] } }))).toEqual([]);
  });

  it('is null when the answer names nothing (an older server, another error, not JSON)', () => {
    expect(namedFreeSlots(JSON.stringify({ code: 'SLOT_TAKEN', message: 'x' }))).toBeNull();
    expect(namedFreeSlots(JSON.stringify({ code: 'SLOT_BLOCKED', details: { other: 1 } }))).toBeNull();
    expect(namedFreeSlots('<html>502</html>')).toBeNull();
  });
});
