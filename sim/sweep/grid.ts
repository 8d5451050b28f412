/**
 * The parameter grid of a sweep: `--vary path=from:to:step` (or a list,
 * `path=a,b,c`) read into values, and the cells of one or two such axes.
 *
 * Ranges may carry units, the same on all three numbers: durations
 * (`5s:40s:5s`, `250ms:1s:250ms`; a bare number is seconds) or percentages
 * (`10%:90%:10%`). Each value is set as plain seconds, a fraction or a
 * number, which every field of that kind accepts; the axis shows it in the
 * unit written (seconds, percent or plain).
 */
import type { Issue, PathSegment, Result } from '../scenario/issue.js';
import { formatPath } from '../scenario/issue.js';
import { parseFieldPath, parseOverrideValue } from '../scenario/override.js';
import { DURATION_PATTERN, PERCENT_PATTERN, formatSeconds, toFraction, toSeconds } from '../scenario/units.js';

/** Most values one axis may have. */
export const MAX_AXIS_VALUES = 1000;

/** Most cells a sweep may have. */
export const MAX_CELLS = 100_000;

/** Most seeds per cell (or per variant of a comparison). */
export const MAX_SEEDS = 10_000;

/**
 * Most runs (cells × seeds) one sweep may ask for. Measured on a 2-core
 * development machine (docs/sweeps.md): 10^5 runs of a small scenario take
 * about 2 minutes on two workers, 1.3 GB of memory and a 100 MB sweep.json;
 * 10^6 would take some 13 GB, and their sweep.json would not fit in one
 * JavaScript string.
 */
export const MAX_JOBS = 100_000;

/** Why {@link MAX_JOBS} is where it is, for the refusal's message. */
export const MAX_JOBS_REASON =
  'measured, 100000 runs of a small scenario take about 2 minutes on two workers, 1.3 GB of memory and a 100 MB sweep.json, and ten times as many do not fit';

/** The unit of an axis: seconds, percent, or none. */
export type AxisUnit = 's' | '%' | '';

/** One axis of a sweep: a field and the values it takes. */
export interface SweepAxis {
  /** The argument as written, for messages: `--vary faults[0].for=5s:40s:5s`. */
  readonly source: string;
  /** The field's path as written, normalized: `faults[0].for`. */
  readonly field: string;
  readonly path: readonly PathSegment[];
  readonly unit: AxisUnit;
  /** What is set in the scenario for each value (seconds, a fraction, a number, or any YAML value for a list). */
  readonly values: readonly unknown[];
  /** Each value for people: `5s`, `50%`, `32`. */
  readonly labels: readonly string[];
  /** Each value as a number in the axis unit (seconds, percent), or null when a list value is not a number. */
  readonly numbers: readonly (number | null)[];
}

/** A number as written: its kind and its value in seconds, as a fraction, or plain. */
export type Quantity = { readonly kind: 'duration' | 'percent' | 'number'; readonly value: number };

/** A number, duration or percentage token; undefined when it is none of them. */
export function readQuantity(token: string): Quantity | undefined {
  const t = token.trim();
  if (DURATION_PATTERN.test(t)) return { kind: 'duration', value: toSeconds(t) };
  if (PERCENT_PATTERN.test(t)) return { kind: 'percent', value: toFraction(t) };
  if (/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { kind: 'number', value: Number(t) };
  return undefined;
}

/** Rounds away binary noise from stepping (0.30000000000000004 → 0.3). */
export function tidyNumber(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(12));
}

/** A label for `value` (seconds, a fraction or a number) in `unit`. */
export function formatAxisValue(value: number, unit: AxisUnit): string {
  if (unit === 's') return formatSeconds(value);
  if (unit === '%') return `${tidyNumber(value * 100)}%`;
  return String(tidyNumber(value));
}

/** The number an axis shows for a value: seconds, percent or plain. */
function axisNumber(value: number, unit: AxisUnit): number {
  return unit === '%' ? tidyNumber(value * 100) : value;
}

/**
 * Reads `from:to:step` (`needStep`) or `lo:hi` with matching units; `step`
 * is null in the second form.
 */
export function parseRange(
  text: string,
  needStep: boolean,
): Result<{ readonly from: number; readonly to: number; readonly step: number | null; readonly unit: AxisUnit }, string> {
  const parts = text.split(':');
  if (parts.length !== (needStep ? 3 : 2)) {
    return { ok: false, issues: needStep ? 'expected from:to:step, e.g. 5s:40s:5s' : 'expected lo:hi, e.g. 1s:20s' };
  }
  const qs = parts.map(readQuantity);
  const bad = parts.find((_, i) => qs[i] === undefined);
  if (bad !== undefined) return { ok: false, issues: `"${bad}" is not a number, a duration (250ms, 5s) or a percentage (50%)` };
  const kinds = new Set(qs.map((q) => q?.kind).filter((k) => k !== 'number'));
  if (kinds.size > 1) return { ok: false, issues: 'the numbers mix durations and percentages; use one unit throughout' };
  const unit: AxisUnit = kinds.has('duration') ? 's' : kinds.has('percent') ? '%' : '';
  if (unit === '%' && qs.some((q) => q?.kind === 'number')) return { ok: false, issues: 'write every number of a percentage range with %' };
  const [from, to, step] = qs.map((q) => q?.value ?? NaN) as [number, number, number | undefined];
  if (!(to >= from)) return { ok: false, issues: `the range ends (${parts[1]}) below where it starts (${parts[0]})` };
  if (step !== undefined && !(step > 0)) return { ok: false, issues: `the step (${parts[2]}) must be above 0` };
  return { ok: true, value: { from, to, step: step ?? null, unit }, warnings: [] };
}

function fail(source: string, message: string, path: readonly PathSegment[] = []): Result<SweepAxis, Issue[]> {
  return { ok: false, issues: [{ severity: 'error', message, path, file: source }] };
}

/**
 * Reads one `--vary` argument: `path=from:to:step` (units allowed) or
 * `path=a,b,c` (each value read as YAML). `flag` names the option in messages.
 */
export function parseVary(arg: string, flag = '--vary'): Result<SweepAxis, Issue[]> {
  const source = `${flag} ${arg}`;
  const eq = arg.indexOf('=');
  if (eq < 0) return fail(source, `Expected path=from:to:step or path=a,b,c, e.g. ${flag} faults[0].for=5s:40s:5s.`);
  const path = parseFieldPath(arg.slice(0, eq).trim());
  if (path === undefined)
    return fail(source, `Cannot read the path "${arg.slice(0, eq).trim()}": expected a dotted path like faults[0].for.`);
  const field = formatPath(path);
  const text = arg.slice(eq + 1).trim();
  if (text.includes(':') && !/[{[]/.test(text)) {
    const r = parseRange(text, true);
    if (!r.ok) return fail(source, `Cannot read the range "${text}": ${r.issues}.`, path);
    const { from, to, unit } = r.value;
    const step = r.value.step as number;
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_AXIS_VALUES) return fail(source, `The range has ${count} values; at most ${MAX_AXIS_VALUES} are allowed.`, path);
    const values = Array.from({ length: count }, (_, i) => tidyNumber(from + i * step));
    return {
      ok: true,
      value: {
        source,
        field,
        path,
        unit,
        values,
        labels: values.map((v) => formatAxisValue(v, unit)),
        numbers: values.map((v) => axisNumber(v, unit)),
      },
      warnings: [],
    };
  }
  const tokens = text.split(',').map((t) => t.trim());
  if (tokens.some((t) => t === '')) return fail(source, `The list "${text}" has an empty value.`, path);
  if (tokens.length > MAX_AXIS_VALUES)
    return fail(source, `The list has ${tokens.length} values; at most ${MAX_AXIS_VALUES} are allowed.`, path);
  const values = tokens.map(parseOverrideValue);
  const numbers = values.map((v) => (typeof v === 'number' ? v : null));
  return { ok: true, value: { source, field, path, unit: '', values, labels: tokens, numbers }, warnings: [] };
}

/** Which branch of a hysteresis sweep a cell is on (see docs/sweeps.md). */
export type Branch = 'untriggered' | 'triggered';

/** One cell of the grid: an index and a position on each axis. */
export interface SweepCell {
  /** Position in the grid's order: the first axis varies fastest, then the second, then the branch. */
  readonly index: number;
  /** Index into each axis's values, in axis order. */
  readonly at: readonly number[];
  /** The hysteresis branch, or null for a plain sweep. */
  readonly branch: Branch | null;
}

/**
 * Every cell of a grid over `axes` (one or two), first axis fastest; with
 * `hysteresis`, the whole grid once per branch, `untriggered` first.
 */
export function expandGrid(axes: readonly SweepAxis[], hysteresis: boolean): SweepCell[] {
  const sizes = axes.map((a) => a.values.length);
  const perBranch = sizes.reduce((a, b) => a * b, 1);
  const branches: (Branch | null)[] = hysteresis ? ['untriggered', 'triggered'] : [null];
  const cells: SweepCell[] = [];
  for (const branch of branches) {
    for (let k = 0; k < perBranch; k += 1) {
      const at: number[] = [];
      let rest = k;
      for (const n of sizes) {
        at.push(rest % n);
        rest = Math.floor(rest / n);
      }
      cells.push({ index: cells.length, at, branch });
    }
  }
  return cells;
}
