/**
 * docs/scenario-format.md is the reference a user reads: every field of the
 * JSON Schema and every metric name the engine records must appear in it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { scenarioJsonSchema } from '../../sim/scenario/schema.js';
import { renderMetricTable } from '../../sim/scenario/metric-catalogue.js';
import { FORMAT_DOC, metricTableIn } from '../helpers/metric-table.js';

const doc = readFileSync(FORMAT_DOC, 'utf8');

/** Every property name anywhere in a JSON Schema, with one path where it occurs. */
function fieldNames(schema: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, path));
      return;
    }
    const o = node as Record<string, unknown>;
    const props = o['properties'];
    if (typeof props === 'object' && props !== null) {
      for (const [name, sub] of Object.entries(props)) {
        if (!names.has(name)) names.set(name, `${path}.${name}`);
        walk(sub, `${path}.${name}`);
      }
    }
    for (const [key, sub] of Object.entries(o)) if (key !== 'properties') walk(sub, path);
  };
  walk(schema, '');
  return names;
}

describe('docs/scenario-format.md', () => {
  test('names every field of the JSON Schema, in code quotes', () => {
    const names = fieldNames(scenarioJsonSchema());
    expect(names.size).toBeGreaterThan(80);
    const missing = [...names].filter(([name]) => !doc.includes(`\`${name}\``)).map(([, path]) => path);
    expect(missing).toEqual([]);
  });

  test('has the metric table of the catalogue (npm run docs:metrics writes it)', () => {
    expect(metricTableIn(doc)).toBe(renderMetricTable());
  });

  test('says that latencies are seconds in the files and milliseconds in the report', () => {
    expect(doc).toMatch(/Latencies are in seconds in `timeseries.csv`, `summary.json`/);
    expect(doc).toMatch(/report shows them in milliseconds/);
  });
});
