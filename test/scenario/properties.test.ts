/** Properties that must hold for any input, checked with fast-check (seed pinned). */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseScenario } from '../../sim/scenario/parse.js';
import { toRunJson } from '../../sim/scenario/normalize.js';

const seed = 42;
const example = readFileSync(new URL('../fixtures/scenarios/retry-storm.yaml', import.meta.url), 'utf8');

describe(`scenario parsing properties (seed: ${seed})`, () => {
  test('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = parseScenario(text, 'fuzz.yaml');
        expect(typeof result.ok).toBe('boolean');
      }),
      { seed, numRuns: 300 },
    );
  });

  test('never throws on any JSON value, and every error has a message and a file', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = parseScenario(JSON.stringify(value), 'fuzz.yaml');
        if (result.ok) return;
        for (const issue of result.issues) {
          expect(issue.message.length).toBeGreaterThan(0);
          expect(issue.file).toBe('fuzz.yaml');
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  test('reordering the keys of any map changes nothing', () => {
    const data = parse(example) as Record<string, unknown>;
    const reference = parseScenario(example, 'retry-storm.yaml');
    // Clients and services keep file order by design, so their maps are reordered only inside each entry.
    const shuffle = (value: unknown, order: number[], depth: number, keepOrder: boolean): unknown => {
      if (Array.isArray(value)) return value.map((v) => shuffle(v, order, depth + 1, false));
      if (typeof value !== 'object' || value === null) return value;
      const entries = Object.entries(value).map(([k, v]): [string, unknown] => [
        k,
        shuffle(v, order, depth + 1, k === 'clients' || k === 'services'),
      ]);
      if (!keepOrder)
        entries.sort((a, b) => ((order[depth % order.length] ?? 0) % 2 === 0 ? a[0].localeCompare(b[0]) : b[0].localeCompare(a[0])));
      return Object.fromEntries(entries);
    };
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (order) => {
        const result = parseScenario(stringify(shuffle(data, order, 0, false)), 'retry-storm.yaml');
        // Warnings (the example's design lint) move with the text: compare them without their position.
        const unplaced = (r: typeof result): unknown =>
          r.ok ? { ...r, warnings: r.warnings.map(({ line: _l, column: _c, ...rest }) => rest) } : r;
        expect(unplaced(result)).toEqual(unplaced(reference));
      }),
      { seed, numRuns: 50 },
    );
  });

  test('run.json is plain JSON: no Infinity, the same after a round trip', () => {
    const result = parseScenario(example, 'retry-storm.yaml');
    if (!result.ok) throw new Error('the example must parse');
    const json = toRunJson(result.value);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(JSON.stringify(json)).toContain('"capacity":"unlimited"');
  });
});
