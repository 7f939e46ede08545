// The server's modules form layers: a module may use the ones below it, never one that uses
// it back (STYLE.md). Biome's noImportCycles (npm run lint) catches loops between files; this
// test catches loops between modules, which can run through files that do not loop, e.g.
// booking -> waitlist -> booking through different files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const modulesDir = path.resolve(import.meta.dirname, '../../src/server/modules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** module -> the modules its files import (tests left out: they may reach anywhere). */
function moduleGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(modulesDir)) {
    const from = path.relative(modulesDir, file).split(path.sep)[0];
    const uses = graph.get(from) ?? new Set<string>();
    graph.set(from, uses);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = path.relative(modulesDir, path.resolve(path.dirname(file), spec));
      if (target.startsWith('..')) continue;
      const to = target.split(path.sep)[0];
      if (to !== from) uses.add(to);
    }
  }
  return graph;
}

/** Every loop of the graph, as the path that closes it (e.g. ['booking', 'waitlist', 'booking']). */
function loopsOf(graph: Map<string, Set<string>>): string[][] {
  const loops: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') loops.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return loops;
}

describe('the server modules', () => {
  it('finds a loop when there is one (the check itself)', () => {
    const graph = new Map([
      ['booking', new Set(['catalogue', 'waitlist'])],
      ['waitlist', new Set(['booking'])],
      ['catalogue', new Set<string>()],
    ]);
    expect(loopsOf(graph)).toEqual([['booking', 'waitlist', 'booking']]);
  });

  it('import each other in no loop', () => {
    const graph = moduleGraph();
    expect(graph.size).toBeGreaterThan(5);
    expect(loopsOf(graph).map((loop) => loop.join(' -> '))).toEqual([]);
  });

  it('keep booking below the waitlist and the visits module above both', () => {
    const graph = moduleGraph();
    expect(graph.get('booking')?.has('waitlist')).toBe(false);
    expect(graph.get('visits')?.has('booking')).toBe(true);
    expect(graph.get('visits')?.has('waitlist')).toBe(true);
  });
});
