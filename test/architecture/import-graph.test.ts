// The import graph between the layers of src, read from the source itself (every import, export-from,
// dynamic import() and import('...') type of every file): each edge must be one the layers table of
// eslint.config.js allows, and the graph has no cycle. This also covers what the lint rule cannot see
// (dynamic imports, import types).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../src/package-root.js';
import { isHelper, loadLintConfig, type LintConfig } from './lint-config.js';

const srcRoot = join(packageRoot, 'src');

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** 'src/collector/aws/x.ts' -> 'collector'; 'src/log.ts' -> 'log.ts'; outside src -> undefined. */
function layerOf(path: string): string | undefined {
  const parts = relative(srcRoot, path).split(sep);
  if (parts[0] === '..' || parts[0] === '') return undefined;
  return parts[0]!.replace(/\.js$/, '.ts');
}

function readEdges(): { edges: Edge[]; leaving: Edge[]; depths: Map<string, number> } {
  const edges: Edge[] = [];
  const leaving: Edge[] = [];
  const depths = new Map<string, number>();
  for (const path of sourceFiles(srcRoot)) {
    const file = relative(packageRoot, path).split(sep).join('/');
    const from = layerOf(path)!;
    depths.set(file, file.split('/').length - 2);
    const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(path), specifier));
      if (to === undefined) leaving.push({ from, to: '(outside src)', file, specifier });
      else if (to !== from) edges.push({ from, to, file, specifier });
    }
  }
  return { edges, leaving, depths };
}

/** A cycle as [a, b, ..., a], or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function graphOf(pairs: Array<[string, string]>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of pairs) {
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

let config: LintConfig;
let read: ReturnType<typeof readEdges>;

beforeAll(async () => {
  config = await loadLintConfig();
  read = readEdges();
});

const describeEdge = (e: Edge) => `${e.file} imports '${e.specifier}' (${e.from} -> ${e.to})`;

describe('import graph of src', () => {
  it('has a row in the layers table for every folder and helper file of src', () => {
    const present = readdirSync(srcRoot).filter((name) => !name.startsWith('.'));
    expect(present.filter((name) => !(name in config.layers))).toEqual([]);
  });

  it(`nests no file deeper than the lint rules reach`, () => {
    const tooDeep = [...read.depths].filter(([, depth]) => depth > config.MAX_DEPTH).map(([file]) => file);
    expect(tooDeep).toEqual([]);
  });

  it('has only the edges the layers table allows, and none leaving src', () => {
    const forbidden = read.edges.filter((edge) => {
      const extra = config.temporaryEdges[edge.file] ?? [];
      const allowed = config.allowedImports(edge.from, extra);
      return !(isHelper(edge.to) ? allowed.helpers : allowed.folders).includes(edge.to);
    });
    expect([...forbidden, ...read.leaving].map(describeEdge)).toEqual([]);
    expect(read.edges.length).toBeGreaterThan(50);
  });

  it('has no cycle between layers', () => {
    const temporary = (e: Edge) => (config.temporaryEdges[e.file] ?? []).includes(e.to);
    const actual = read.edges.filter((e) => !temporary(e)).map((e): [string, string] => [e.from, e.to]);
    expect(findCycle(graphOf(actual))).toBeUndefined();
  });

  it('is drawn from a table that itself has no cycle', () => {
    const allowedPairs = Object.keys(config.layers).flatMap((layer) => {
      const { folders, helpers } = config.allowedImports(layer);
      return [...folders, ...helpers].filter((to) => to !== layer).map((to): [string, string] => [layer, to]);
    });
    expect(findCycle(graphOf(allowedPairs))).toBeUndefined();
    // The detector itself: one inverted edge closes a cycle through run.
    const withInversion = findCycle(graphOf([...allowedPairs, ['config', 'run']]));
    expect(withInversion?.slice(0, 2)).toEqual(['config', 'run']);
    expect(withInversion?.at(-1)).toBe('config');
  });
});
