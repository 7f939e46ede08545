// The browser tests' split over servers (test/e2e/groups.ts): every spec file runs exactly once,
// the split depends on the files and weights only, and the groups come out even.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { specGroups, splitSpecs } from '../e2e/groups.js';

interface SplitCase {
  name: string;
  files: string[];
  weights: Record<string, number>;
  count: number;
  groups: string[][];
}

describe('splitSpecs', () => {
  it.each<SplitCase>([
    {
      name: 'heaviest first, each to the lightest group so far; a group lists its files in name order',
      files: ['a', 'b', 'c', 'd'],
      weights: { a: 10, b: 40, c: 30, d: 20 },
      count: 2,
      groups: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    },
    {
      name: 'equal weights go by name, the first group taking the tie',
      files: ['d', 'c', 'b', 'a'],
      weights: { a: 5, b: 5, c: 5, d: 5 },
      count: 2,
      groups: [
        ['a', 'c'],
        ['b', 'd'],
      ],
    },
    {
      name: 'a file without a weight counts as DEFAULT_WEIGHT (30)',
      files: ['new', 'x', 'y'],
      weights: { x: 20, y: 15 },
      count: 2,
      groups: [['new'], ['x', 'y']],
    },
    {
      name: 'one group: everything in name order',
      files: ['b', 'a'],
      weights: {},
      count: 1,
      groups: [['a', 'b']],
    },
    {
      name: 'more groups than files: the rest stay empty',
      files: ['a'],
      weights: {},
      count: 3,
      groups: [['a'], [], []],
    },
  ])('$name', ({ files, weights, count, groups }) => {
    expect(splitSpecs(files, count, weights)).toEqual(groups);
  });
});

describe('specGroups', () => {
  const dir = path.resolve(import.meta.dirname, '../e2e');
  const specs = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .sort();

  it.each([1, 2, 3])('puts every spec file of test/e2e in exactly one of %i groups', (count) => {
    const groups = specGroups(count);
    expect(groups).toHaveLength(count);
    const all = groups.flat().map((g) => g.replace('**/', ''));
    expect(all.sort()).toEqual(specs);
    expect(specGroups(count)).toEqual(groups);
  });
});
