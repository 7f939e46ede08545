import { describe, expect, it } from 'vitest';
import { type DrainSteps, drain, notReadyBecause, type ReadinessFacts, settlesWithin } from './readiness.js';
import { workerRetryDelayMs } from './worker.js';

describe('settlesWithin', () => {
  it('is true for a check that answers in time', async () => {
    expect(await settlesWithin(Promise.resolve(1), 50)).toBe(true);
  });
  it('is false for a check slower than the limit', async () => {
    expect(await settlesWithin(new Promise((r) => setTimeout(r, 200)), 20)).toBe(false);
  });
  it('rejects with the check', async () => {
    await expect(settlesWithin(Promise.reject(new Error('down')), 50)).rejects.toThrow('down');
  });
});

describe('workerRetryDelayMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 10_000],
    [50, 10_000],
  ])('after failure %i: %i ms', (failures, ms) => {
    expect(workerRetryDelayMs(failures)).toBe(ms);
  });
});

describe('notReadyBecause', () => {
  const ready: ReadinessFacts = {
    draining: false,
    databaseAnswered: true,
    appliedMigration: 2_000,
    expectedMigration: 2_000,
  };
  it.each<[string, Partial<ReadinessFacts>, string | null]>([
    ['ready', {}, null],
    ['a newer migration applied (the next release migrated first)', { appliedMigration: 3_000 }, null],
    ['draining', { draining: true }, 'SHUTTING_DOWN'],
    ['draining wins over a silent database', { draining: true, databaseAnswered: false }, 'SHUTTING_DOWN'],
    ['the database does not answer', { databaseAnswered: false, appliedMigration: null }, 'DATABASE_UNAVAILABLE'],
    ['an older migration applied', { appliedMigration: 1_999 }, 'MIGRATIONS_PENDING'],
    ['no migration applied', { appliedMigration: null }, 'MIGRATIONS_PENDING'],
  ])('%s', (_name, facts, expected) => {
    expect(notReadyBecause({ ...ready, ...facts })).toBe(expected);
  });
});

describe('drain', () => {
  /** Steps that record when each starts and ends; `gates` hold a step until released. */
  function recordedSteps() {
    const events: string[] = [];
    const gates = new Map<string, () => void>();
    const step = (name: string) => async () => {
      events.push(`${name}:start`);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      events.push(`${name}:end`);
    };
    const steps: DrainSteps = {
      markNotReady: () => void events.push('notReady'),
      stopWorker: step('worker'),
      delay: step('delay'),
      closeHttp: step('http'),
      closeDatabase: step('database'),
    };
    const release = async (name: string) => {
      for (let i = 0; i < 10 && !gates.has(name); i++) await Promise.resolve();
      gates.get(name)?.();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { events, steps, release };
  }

  it('turns not ready first, stops the worker at once, serves through the delay, then closes HTTP and the database last', async () => {
    const { events, steps, release } = recordedSteps();
    const done = drain(steps);
    await release('delay');
    expect(events).toEqual(['notReady', 'worker:start', 'delay:start', 'delay:end', 'http:start']);
    await release('http');
    // The worker still holds rows: the database stays open for it.
    expect(events).not.toContain('database:start');
    await release('worker');
    await release('database');
    await done;
    expect(events).toEqual([
      'notReady',
      'worker:start',
      'delay:start',
      'delay:end',
      'http:start',
      'http:end',
      'worker:end',
      'database:start',
      'database:end',
    ]);
  });

  it('still closes the database when a step fails, then reports the failure', async () => {
    const closed: string[] = [];
    const failing = drain({
      markNotReady: () => undefined,
      stopWorker: async () => {
        throw new Error('worker failed');
      },
      delay: async () => undefined,
      closeHttp: async () => void closed.push('http'),
      closeDatabase: async () => void closed.push('database'),
    });
    await expect(failing).rejects.toThrow('worker failed');
    expect(closed).toEqual(['http', 'database']);
  });
});
