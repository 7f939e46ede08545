// Latency recording, percentiles and a seeded pseudo-random generator.

/** Collects latencies in milliseconds without per-sample allocation. */
export class Latencies {
  private values = new Float64Array(4096);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentile (p in 0..100), rounded to 0.1 ms; null without samples. */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const sorted = this.values.slice(0, this.n).sort();
    const rank = Math.min(this.n, Math.max(1, Math.ceil((p / 100) * this.n)));
    return round1(sorted[rank - 1]);
  }
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** mulberry32: small, fast, good enough to pick doctors and shuffle slots reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function nowMs(): number {
  return performance.now();
}
