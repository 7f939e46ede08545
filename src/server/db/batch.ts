// Batching of small hot reads (session lookups, the rush's slot peeks, schedule version
// checks): requests that arrive while a query of the same kind is in flight wait and go
// together in the next one. Each request is answered by a query sent after it arrived, so a
// batched read sees every write committed before the request came in, exactly as its own
// query would; the database only sees one statement per batch instead of one per request.

interface Waiting<K, R> {
  key: K;
  resolve(value: R): void;
  reject(err: unknown): void;
}

export class QueryBatcher<K, R> {
  private pending: Waiting<K, R>[] = [];
  private inFlight = 0;

  /**
   * `run` answers a batch of keys in order (one result per key); at most `maxInFlight`
   * batches run at once, each of at most `maxBatch` keys.
   */
  constructor(
    private readonly run: (keys: K[]) => Promise<R[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  load(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((w) => w.key)).then(
        (results) => {
          this.inFlight -= 1;
          for (const [i, w] of batch.entries()) w.resolve(results[i]);
          this.pump();
        },
        (err: unknown) => {
          this.inFlight -= 1;
          for (const w of batch) w.reject(err);
          this.pump();
        },
      );
    }
  }
}

/** One batcher per database handle (a handle is one database: tests open several). */
export function batcherPerDb<D extends object, K, R>(
  make: (db: D) => QueryBatcher<K, R>,
): (db: D) => QueryBatcher<K, R> {
  const batchers = new WeakMap<D, QueryBatcher<K, R>>();
  return (db) => {
    let b = batchers.get(db);
    if (!b) {
      b = make(db);
      batchers.set(db, b);
    }
    return b;
  };
}
