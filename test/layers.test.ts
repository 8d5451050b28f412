/**
 * The shape of the code, checked: imports point one way through the layers
 * (scenario <- metrics <- engine <- sweep <- reports <- cli), no module in
 * sim/ or reports/ imports itself back through others, and Node's built-ins
 * stay in the parts that are about files, threads and the terminal. Every
 * import counts, type-only ones and `import()` included, as TypeScript's own
 * scanner finds them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The layers, lowest first: a module may import its own layer and the ones before it, never one after. */
const LAYERS = ['scenario', 'metrics', 'engine', 'run', 'sweep', 'reports', 'entry', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/**
 * The layer of a source file. Beside the folders: sim/version.ts (a
 * constant) sits at the bottom; sim/simulate.ts (the engine's run and the
 * metrics' reductions together) between the engine and the sweep; the
 * public entries between the reports and the CLI (sim/index.ts, the Node
 * entry, reads scenario files through sim/cli/files.ts: the one import of
 * the CLI allowed outside it).
 */
function layerOf(file: string): Layer {
  if (file === 'sim/version.ts') return 'scenario';
  if (file === 'sim/simulate.ts') return 'run';
  if (file === 'sim/core.ts' || file === 'sim/index.ts') return 'entry';
  const folder = /^sim\/(scenario|metrics|engine|sweep|cli)\//.exec(file)?.[1] ?? (file.startsWith('reports/') ? 'reports' : undefined);
  if (folder === undefined) throw new Error(`layers.test: ${file} is in no layer; place it in layerOf`);
  return folder as Layer;
}

/** Imports the layers allow all the same: the Node entry's file loader. */
const ALLOWED_UPWARD = new Set(['sim/index.ts -> sim/cli/files.ts']);

/** The modules that may use Node's built-ins: the CLI, and the reports' loader of the chart libraries' files. */
function mayUseNode(file: string): boolean {
  return file.startsWith('sim/cli/') || file === 'reports/libraries.ts';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each file's imports: relative ones resolved to the .ts file, packages and built-ins as written. */
function importGraph(): Map<string, { readonly local: string[]; readonly packages: string[] }> {
  const graph = new Map<string, { local: string[]; packages: string[] }>();
  for (const file of [...sourceFiles('sim'), ...sourceFiles('reports')]) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const local: string[] = [];
    const packages: string[] = [];
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) local.push(posix.normalize(join(dirname(file), fileName)).replace(/\.js$/, '.ts'));
      else packages.push(fileName);
    }
    graph.set(file, { local: [...new Set(local)], packages: [...new Set(packages)] });
  }
  return graph;
}

/** Every import loop, as its files sorted (Tarjan's strongly connected components of more than one file, or a file importing itself). */
function importLoops(graph: ReadonlyMap<string, { readonly local: readonly string[] }>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const loop: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      loop.push(w);
    }
    if (loop.length > 1 || graph.get(v)?.local.includes(v)) loops.push(loop.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return loops;
}

/** Every break of the rules, one line each. */
function breaks(graph: ReturnType<typeof importGraph>): string[] {
  const out: string[] = [];
  const builtins = new Set(builtinModules);
  for (const [file, { local, packages }] of graph) {
    for (const to of local) {
      if (!graph.has(to)) out.push(`missing: ${file} -> ${to}`);
      else if (LAYERS.indexOf(layerOf(to)) > LAYERS.indexOf(layerOf(file)) && !ALLOWED_UPWARD.has(`${file} -> ${to}`))
        out.push(`upward: ${file} -> ${to}`);
    }
    for (const p of packages) {
      const builtin = p.startsWith('node:') || builtins.has(p) || builtins.has(p.split('/')[0] ?? '');
      if (builtin && !mayUseNode(file)) out.push(`node: ${file} -> ${p}`);
      if (layerOf(file) === 'engine' || layerOf(file) === 'metrics') out.push(`package in the pure core: ${file} -> ${p}`);
    }
  }
  for (const loop of importLoops(graph)) out.push(`loop: ${loop.join(' -> ')}`);
  return out.sort();
}

describe('layers', () => {
  const graph = importGraph();

  it('finds the imports of every kind (the scan itself works)', () => {
    expect(graph.get('sim/cli/worker-pool.ts')?.packages).toContain('node:worker_threads');
    expect(graph.get('reports/render.ts')?.packages).toContain('vega');
    expect(graph.get('sim/simulate.ts')?.local).toContain('sim/engine/run.ts');
    expect(graph.get('sim/index.ts')?.local).toContain('sim/core.ts');
  });

  it('finds an upward import, a loop and a built-in where they are not allowed (the rules themselves work)', () => {
    const planted = new Map(graph);
    planted.set('sim/scenario/planted.ts', { local: ['sim/sweep/grid.ts', 'sim/scenario/planted-too.ts'], packages: ['fs'] });
    planted.set('sim/scenario/planted-too.ts', { local: ['sim/scenario/planted.ts'], packages: [] });
    expect(breaks(planted)).toEqual(
      expect.arrayContaining([
        'upward: sim/scenario/planted.ts -> sim/sweep/grid.ts',
        'node: sim/scenario/planted.ts -> fs',
        'loop: sim/scenario/planted-too.ts -> sim/scenario/planted.ts',
      ]),
    );
  });

  it('imports point down the layers, form no loop, and use Node only in the CLI and the libraries loader', () => {
    expect(breaks(graph)).toEqual([]);
  });
});
