/**
 * The shape of sim/engine's imports: no module reaches itself through its
 * imports (type-only imports included: a loop of types is a loop of
 * meaning), and the mechanism models (sim/engine/model/) know nothing of the
 * engine that runs them: they import each other, the random streams, the
 * scenario's types and the trace contract, nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENGINE = join(ROOT, 'sim/engine');

/** Every .ts file under `dir`, as absolute paths. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** The files `file` imports (relative specifiers only, resolved to .ts paths), type-only imports and re-exports included. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.[^'"]+)['"]/g)) {
    out.push(resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
  }
  return out;
}

/** A loop in `graph` as the list of its nodes (first = last), or null when there is none. */
function findLoop(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    const st = state.get(n);
    if (st === 'done') return null;
    if (st === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const loop = visit(m);
      if (loop !== null) return loop;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const loop = visit(n);
    if (loop !== null) return loop;
  }
  return null;
}

describe('findLoop', () => {
  it('finds a loop and names its modules in order', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findLoop(g)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds none in a graph with shared descendants (a diamond)', () => {
    const g = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findLoop(g)).toBeNull();
  });

  it('reads static, type-only and dynamic imports and re-exports', () => {
    const text =
      "import { a } from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport 'node:fs';";
    const rel = importsOf(join(ENGINE, 'x.ts'), text).map((f) => relative(ENGINE, f));
    expect(rel).toEqual(['a.ts', join('..', 'b.ts'), 'c.ts', 'd.ts']);
  });
});

describe('sim/engine imports', () => {
  const files = sources(ENGINE);
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((g) => g.startsWith(ENGINE))]));

  it('form no loop', () => {
    const loop = findLoop(graph);
    expect(loop?.map((f) => relative(ROOT, f)).join(' -> ') ?? 'none').toBe('none');
  });

  it('leave the mechanism models knowing nothing of the engine', () => {
    const allowed = [join(ENGINE, 'model'), join(ENGINE, 'rng.ts'), join(ROOT, 'sim/scenario'), join(ROOT, 'sim/metrics/trace.ts')];
    const bad: string[] = [];
    for (const f of sources(join(ENGINE, 'model'))) {
      for (const g of importsOf(f))
        if (!allowed.some((a) => g === a || g.startsWith(a + '/'))) bad.push(`${relative(ROOT, f)} imports ${relative(ROOT, g)}`);
    }
    expect(bad).toEqual([]);
  });
});
