import { describe, expect, it } from 'vitest';
import { QueryBatcher } from './batch.js';

/** A batch runner whose batches are answered by hand, in any order. */
function manual<K, R>() {
  const calls: { keys: K[]; answer(results: R[]): void; fail(err: unknown): void }[] = [];
  const run = (keys: K[]) =>
    new Promise<R[]>((resolve, reject) => {
      calls.push({ keys, answer: resolve, fail: reject });
    });
  return { calls, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('QueryBatcher', () => {
  it('sends the first key at once and the keys that arrive while it is in flight together in the next batch', async () => {
    const { calls, run } = manual<number, string>();
    const batcher = new QueryBatcher(run, 1);
    const first = batcher.load(1);
    const later = [batcher.load(2), batcher.load(3), batcher.load(4)];
    expect(calls.map((c) => c.keys)).toEqual([[1]]);

    calls[0].answer(['one']);
    expect(await first).toBe('one');
    expect(calls.map((c) => c.keys)).toEqual([[1], [2, 3, 4]]);

    calls[1].answer(['two', 'three', 'four']);
    expect(await Promise.all(later)).toEqual(['two', 'three', 'four']);
  });

  it('answers every key by a batch sent after the key arrived', async () => {
    const { calls, run } = manual<string, number>();
    const batcher = new QueryBatcher(run, 1);
    const a = batcher.load('a');
    await settle();
    // Arrives while the batch with 'a' is in flight: that batch's answer is not for it.
    const b = batcher.load('b');
    calls[0].answer([1]);
    await a;
    expect(calls[1].keys).toEqual(['b']);
    calls[1].answer([2]);
    expect(await b).toBe(2);
  });

  it('keeps at most maxInFlight batches running, each of at most maxBatch keys', async () => {
    const { calls, run } = manual<number, number>();
    const batcher = new QueryBatcher(run, 2, 3);
    const loads = Array.from({ length: 9 }, (_, i) => batcher.load(i));
    // Two in flight: the first two keys went alone, each as it arrived; the rest wait.
    expect(calls.map((c) => c.keys)).toEqual([[0], [1]]);

    calls[0].answer([0]);
    await settle();
    expect(calls.map((c) => c.keys)).toEqual([[0], [1], [2, 3, 4]]);

    calls[1].answer([10]);
    await settle();
    expect(calls.map((c) => c.keys)).toEqual([[0], [1], [2, 3, 4], [5, 6, 7]]);

    calls[2].answer([2, 3, 4]);
    await settle();
    expect(calls[4].keys).toEqual([8]);
    calls[3].answer([5, 6, 7]);
    calls[4].answer([8]);
    expect(await Promise.all(loads)).toEqual([0, 10, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects only the keys of a failed batch and goes on with the next', async () => {
    const { calls, run } = manual<number, number>();
    const batcher = new QueryBatcher(run, 1);
    const first = batcher.load(1);
    const second = batcher.load(2);
    calls[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    expect(calls[1].keys).toEqual([2]);
    calls[1].answer([20]);
    expect(await second).toBe(20);
  });
});
