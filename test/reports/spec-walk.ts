/**
 * Helpers to read the plain-JSON vega-lite specs in tests: layers by name,
 * their inline data, and every x encoding.
 */
import type { Spec } from '../../reports/charts.js';

/** The spec's layers as records. */
export function layersOf(spec: Spec): Record<string, unknown>[] {
  const layers = spec['layer'];
  return Array.isArray(layers) ? (layers as Record<string, unknown>[]) : [];
}

/** The layer called `name`, or undefined. */
export function layerNamed(spec: Spec, name: string): Record<string, unknown> | undefined {
  return layersOf(spec).find((l) => l['name'] === name);
}

/** The inline `data.values` of a spec or layer. */
export function valuesOf(specOrLayer: Record<string, unknown> | undefined): Record<string, unknown>[] {
  const data = specOrLayer?.['data'] as { values?: unknown } | undefined;
  return Array.isArray(data?.values) ? (data.values as Record<string, unknown>[]) : [];
}

/** The chart's series rows (top-level data). */
export function rowsOf(spec: Spec): { t: number; series: string; value: number; [k: string]: unknown }[] {
  return valuesOf(spec) as { t: number; series: string; value: number }[];
}

/** Distinct values of `field` among the rows, in order of first appearance. */
export function distinct(rows: readonly Record<string, unknown>[], field: string): unknown[] {
  return [...new Set(rows.map((r) => r[field]))];
}

/** Every `encoding.x` of every layer. */
export function xEncodings(spec: Spec): Record<string, unknown>[] {
  return layersOf(spec)
    .map((l) => (l['encoding'] as Record<string, unknown> | undefined)?.['x'])
    .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}
