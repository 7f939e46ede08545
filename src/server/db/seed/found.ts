// The demo seed looks up rows it has just written; a miss is a bug in the seed itself.

/** The value at `key`, or an error naming what was looked for. */
export function found<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo seed: no ${what} ${String(key)}`);
  return value;
}

/** The first item that matches, or an error naming what was looked for. */
export function foundIn<T>(items: readonly T[], match: (item: T) => boolean, what: string): T {
  const item = items.find(match);
  if (item === undefined) throw new Error(`demo seed: no ${what}`);
  return item;
}
