/**
 * A sweep.json read back (by `loopsim merge`) is input like a scenario file:
 * anyone may have written it. {@link checkSweepFile} validates it whole
 * before anything uses it: the shape and types of every field, the scenario
 * name by the scenario rules (it becomes a folder name), counts and indexes
 * within the sweep's limits and consistent with each other (cells = the
 * product of the axes, jobs = cells x seeds, every run inside the grid, its
 * seed range and its shard, no run twice), and the per-cell summaries equal
 * to what the runs give. Pure; the CLI reads the file and prints the issues.
 */
import { z } from 'zod';
import type { Result } from '../scenario/issue.js';
import { MAX_AXIS_VALUES, MAX_CELLS, MAX_JOBS, MAX_SEEDS } from './grid.js';
import { STATS } from '../scenario/schema.js';
import { parseMetricSpec } from './metric-spec.js';
import { MAX_SHARDS, inShard } from './shard.js';
import { SWEEP_FORMAT, buildSweepFile, type SweepDefinition, type SweepFile, type SweepRun } from './sweep-file.js';

/** Longest text field of sweep.json (a description, an argument, a label), in characters. */
const MAX_TEXT = 100_000;

const text = (max = MAX_TEXT): z.ZodString => z.string().max(max);
const whole = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max);
const figure = z.number().refine(Number.isFinite, 'a finite number');
const verdict = z.enum(['stable', 'overloaded', 'recovered', 'metastable']);

const Axis = z.strictObject({
  source: text(10_000),
  field: text(10_000),
  unit: z.enum(['s', '%', '']),
  labels: z.array(text(10_000)).min(1).max(MAX_AXIS_VALUES),
  numbers: z.array(figure.nullable()).min(1).max(MAX_AXIS_VALUES),
});

/** Most `--metric` values one sweep records. */
const MAX_METRICS = 100;

/** One `--metric` as the definition records it (see MetricSpec); its consistency is checked by re-parsing its name. */
const MetricRecord = z.strictObject({
  name: text(1000),
  series: text(1000),
  stat: z.enum(STATS),
  from: figure.nullable(),
  to: figure.nullable(),
  unit: text(100),
  meaning: text(1000),
});

/** The shape of a sweep's definition (sweep.json's `definition`, runs.jsonl's header). */
export const Definition = z.strictObject({
  scenario: z.strictObject({
    // The name becomes the default output folder (out/sweep-<name>): the scenario file's own rule.
    name: z
      .string()
      .max(100)
      .regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and "-"'),
    description: text(),
    // The file name as given, without a folder: no separator, no control character.
    file: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\u0000-\u001f\u007f]+$/, 'a file name without a folder'),
    digest: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')
      .optional(),
  }),
  sets: z.array(text(10_000)).max(1000),
  axes: z.array(Axis).min(1).max(2),
  hysteresis: z.boolean(),
  seeds: z.strictObject({ from: whole(0, Number.MAX_SAFE_INTEGER), count: whole(1, MAX_SEEDS) }),
  cells: whole(1, MAX_CELLS),
  jobs: whole(1, MAX_JOBS),
  metrics: z.array(MetricRecord).min(1).max(MAX_METRICS).optional(),
});

/** The shape of one run record (sweep.json's `runs[i]`, a line of runs.jsonl). */
export const Run = z.strictObject({
  cell: whole(0, MAX_CELLS - 1),
  seed: whole(0, Number.MAX_SAFE_INTEGER),
  verdict,
  recoverySeconds: figure.nullable(),
  goodputBefore: figure,
  goodputAfter: figure,
  peakQueue: figure,
  wastedPerSecond: figure,
  retriesPerOperation: figure,
  loop: text(200).nullable(),
  loopGain: figure.nullable(),
  peakBacklog: figure,
  backlogStock: text(300).nullable(),
  lostOperations: figure.nullable(),
  worstGoodputShare: figure.nullable(),
  secondsBelowHalf: figure.nullable(),
  drainSeconds: figure.nullable(),
  oscillation: text(300).nullable(),
  periodSeconds: figure.nullable(),
  metrics: z.record(text(1000), figure.nullable()).optional(),
});

/** The shape of a shard (null for a whole sweep). */
export const ShardRecord = z.strictObject({ index: whole(1, MAX_SHARDS), count: whole(1, MAX_SHARDS) }).nullable();

/** The shape of the version field. */
export const Version = text(100);

const Shape = z.strictObject({
  format: z.literal(SWEEP_FORMAT),
  version: Version,
  definition: Definition,
  shard: ShardRecord,
  complete: z.boolean(),
  // The summaries are compared whole with the ones the runs give, below.
  cells: z.array(z.unknown()).max(MAX_CELLS),
  runs: z.array(Run).max(MAX_JOBS),
});

/** A path as `definition.axes[0].labels`. */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') || '(the whole file)';
}

/** How many jobs shard `index` of `count` holds among `jobs`. */
export function shardSize(jobs: number, shard: { readonly index: number; readonly count: number } | null): number {
  if (shard === null) return jobs;
  return shard.index > jobs ? 0 : Math.floor((jobs - shard.index) / shard.count) + 1;
}

/**
 * The consistency a definition's shape cannot express: as many numbers as
 * labels, one axis for hysteresis, cells = the product of the axes, jobs =
 * cells x seeds, a shard index within its count. The first problem, with its
 * field, or undefined.
 */
export function checkDefinition(
  def: SweepDefinition,
  shard: { readonly index: number; readonly count: number } | null,
): { readonly field: string; readonly why: string } | undefined {
  for (const [k, a] of def.axes.entries()) {
    if (a.numbers.length !== a.labels.length)
      return { field: `definition.axes[${k}].numbers`, why: `${a.numbers.length} numbers for ${a.labels.length} labels` };
  }
  if (def.hysteresis && def.axes.length !== 1) return { field: 'definition.hysteresis', why: 'a hysteresis sweep has one axis' };
  const cells = def.axes.reduce((n, a) => n * a.labels.length, 1) * (def.hysteresis ? 2 : 1);
  if (def.cells !== cells) return { field: 'definition.cells', why: `the axes make ${cells} cells, the file says ${def.cells}` };
  if (def.jobs !== cells * def.seeds.count)
    return {
      field: 'definition.jobs',
      why: `${cells} cells x ${def.seeds.count} seeds make ${cells * def.seeds.count} runs, the file says ${def.jobs}`,
    };
  if (shard !== null && shard.index > shard.count) return { field: 'shard.index', why: `shard ${shard.index} of ${shard.count}` };
  for (const [k, m] of (def.metrics ?? []).entries()) {
    const again = parseMetricSpec(m.name);
    if (!again.ok || JSON.stringify(again.value) !== JSON.stringify(m))
      return { field: `definition.metrics[${k}]`, why: `not what --metric "${m.name}" gives` };
  }
  return undefined;
}

/**
 * Where run `r` falls in the sweep: inside the grid, the seeds and the shard,
 * and not a job already in `seen` (to which it is added), with the sweep's
 * `--metric` values and no others. The problem, with
 * the field it concerns (`.cell`, `.seed` or `` for the whole run), or
 * undefined when it fits.
 */
export function placeRun(
  def: SweepDefinition,
  shard: { readonly index: number; readonly count: number } | null,
  r: { readonly cell: number; readonly seed: number; readonly metrics?: Readonly<Record<string, unknown>> | undefined },
  seen: Set<number>,
): { readonly field: string; readonly why: string } | undefined {
  const names = JSON.stringify(Object.keys(r.metrics ?? {}));
  if (names !== JSON.stringify((def.metrics ?? []).map((m) => m.name)))
    return { field: '.metrics', why: `it measured ${names}, not the sweep's --metric list` };
  if (r.cell >= def.cells) return { field: '.cell', why: `cell ${r.cell} is outside the grid's ${def.cells} cells` };
  const offset = r.seed - def.seeds.from;
  if (offset < 0 || offset >= def.seeds.count)
    return {
      field: '.seed',
      why: `seed ${r.seed} is outside the sweep's seeds ${def.seeds.from} to ${def.seeds.from + def.seeds.count - 1}`,
    };
  const job = r.cell * def.seeds.count + offset;
  if (seen.has(job)) return { field: '', why: `cell ${r.cell}, seed ${r.seed} appears twice` };
  seen.add(job);
  if (!inShard(job, shard)) return { field: '', why: `cell ${r.cell}, seed ${r.seed} is not in shard ${shard?.index}/${shard?.count}` };
  return undefined;
}

/**
 * Checks that `value` (parsed JSON) is a sweep.json loopsim could have
 * written. Each issue names `label` (the file) and the field. At most a few
 * issues are reported: one bad field is enough to refuse the file.
 */
export function checkSweepFile(value: unknown, label: string): Result<SweepFile, string[]> {
  const shape = Shape.safeParse(value);
  if (!shape.success) {
    const issues = shape.error.issues.slice(0, 5).map((i) => `${label}: ${dotted(i.path)}: ${i.message}.`);
    return { ok: false, issues };
  }
  const f = shape.data;
  // zod types an optional field as `string | undefined`; JSON has no undefined, so the digest is a string or absent.
  const def = f.definition as SweepDefinition;
  const bad = (field: string, why: string): Result<SweepFile, string[]> => ({ ok: false, issues: [`${label}: ${field}: ${why}.`] });
  const inconsistent = checkDefinition(def, f.shard);
  if (inconsistent !== undefined) return bad(inconsistent.field, inconsistent.why);
  const seen = new Set<number>();
  for (const [i, r] of f.runs.entries()) {
    const problem = placeRun(def, f.shard, r, seen);
    if (problem !== undefined) return bad(`runs[${i}]${problem.field}`, problem.why);
  }
  const rebuilt = buildSweepFile(f.version, def, f.runs as SweepRun[], f.shard, shardSize(def.jobs, f.shard));
  if (f.complete !== rebuilt.complete)
    return bad('complete', `the file says ${String(f.complete)} with ${f.runs.length} of ${shardSize(def.jobs, f.shard)} runs`);
  if (JSON.stringify(f.cells) !== JSON.stringify(rebuilt.cells))
    return bad('cells', 'the cell summaries do not match the runs (an edited file?)');
  return { ok: true, value: rebuilt, warnings: [] };
}
