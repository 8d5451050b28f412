/**
 * `loopsim compare a.yaml b.yaml [...]`: variants run on the same seeds
 * (common random numbers), one report with the variants overlaid.
 *
 * Variants are the files given, plus one per `--with "path=value[; path=value]"`
 * (the first file with those overrides; `file=x.yaml` takes another file as
 * the base, `label=...` names the variant). `--set` applies to every variant.
 * Outputs, in `--out` (default `out/compare-<a>-vs-<b>/`): compare.json,
 * compare.html, one SVG per chart, and a folder per variant holding the
 * summary.json and run.json of its first seed (byte-identical to
 * `loopsim run <file> --seed <seed>`); over several seeds also replications.json.
 */
import { join } from 'node:path';
import { COMPARE_FORMAT, replicationsFileOf } from '../sweep/replications.js';
import { parseOverrideArguments, type Override } from '../scenario/override.js';
import { warnPngWithoutCharts } from './commands.js';
import { EXIT_BAD_INPUT, EXIT_OK, processIo, type Io } from './io.js';
import { printIssues, loadScenarioWith } from './sweep-load.js';
import { runReplications, writeReplicationOutputs, type PreparedVariant } from './sweep-replicate.js';
import { MAX_SEEDS, checkCount, defaultWorkers, metricsFit, parseMetricFlags, type SessionOptions } from './sweep-session.js';
import { formatReplicationsTable } from './sweep-table.js';
import { createWorkerPool } from './worker-pool.js';

/** Options of `loopsim compare`. */
export interface CompareOptions extends SessionOptions {
  /** First seed; default the first variant's `seed`. */
  readonly seed?: number;
  /** Seeds per variant (replications); default 1. */
  readonly seeds?: number;
  /** Output folder; default `out/compare-<a>-vs-<b>/`. */
  readonly out?: string;
  /** `path=value` overrides for every variant. */
  readonly sets?: readonly string[];
  /** Extra variants: the first file with `path=value[; path=value]` overrides. */
  readonly withs?: readonly string[];
  /** Worker threads; default the machine's available parallelism. */
  readonly workers?: number;
  readonly maxEvents?: number;
  readonly maxInflight?: number;
  readonly noReport?: boolean;
  /** Also write a PNG beside each SVG chart. */
  readonly png?: boolean;
  /** `--metric component.metric:stat[:from:to]` values, each measured in every run. */
  readonly metrics?: readonly string[];
}

/** A name fit for a folder: lowercase letters, digits and dashes, at most 60 characters. */
export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s === '' ? 'variant' : s;
}

/** `slug`, or `slug-2`, `slug-3`… when already taken; records the one returned. */
function unique(slug: string, taken: Set<string>): string {
  let s = slug;
  for (let n = 2; taken.has(s); n += 1) s = `${slug}-${n}`;
  taken.add(s);
  return s;
}

interface VariantSpec {
  readonly file: string;
  readonly overrides: readonly Override[];
  /** The `--with` overrides as written, without `label=` and `file=`; null for a file variant. */
  readonly withText: string | null;
  /** The name given with `label=`, or null. */
  readonly label: string | null;
}

/** The parts of one `--with` argument: its `label=` and `file=` parts apart from the overrides. */
function splitWith(text: string): { label: string | null; file: string | null; overrides: string[] } {
  let label: string | null = null;
  let file: string | null = null;
  const overrides: string[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(label|file)\s*=\s*(.*)$/.exec(part);
    if (m?.[1] === 'label') label = m[2] ?? '';
    else if (m?.[1] === 'file') file = m[2] ?? '';
    else overrides.push(part);
  }
  return { label, file, overrides };
}

/** The variants' specs from the arguments; undefined after printing why they are unusable. */
function variantSpecs(files: readonly string[], opts: CompareOptions, io: Io): VariantSpec[] | undefined {
  const sets = parseOverrideArguments(opts.sets ?? [], '--set');
  if (!sets.ok) {
    printIssues(io, sets.issues);
    return undefined;
  }
  const specs: VariantSpec[] = files.map((file) => ({ file, overrides: sets.value, withText: null, label: null }));
  for (const w of opts.withs ?? []) {
    const parts = splitWith(w);
    const parsed = parseOverrideArguments(parts.overrides, '--with');
    if (!parsed.ok) {
      printIssues(io, parsed.issues);
      return undefined;
    }
    const file = parts.file ?? files[0];
    if (file === undefined) break;
    specs.push({ file, overrides: [...sets.value, ...parsed.value], withText: parts.overrides.join('; '), label: parts.label });
  }
  if (specs.length < 2) {
    io.err('✖ compare needs at least two variants: two scenario files, or one file and --with "path=value".\n');
    return undefined;
  }
  return specs;
}

/** `loopsim compare`: runs the variants on common seeds and writes one report. */
export async function compareCommand(files: readonly string[], opts: CompareOptions, io: Io = processIo): Promise<number> {
  // 1. Arguments: counts, overrides, variants.
  const seeds = checkCount(io, '--seeds', opts.seeds, 1, 1, MAX_SEEDS);
  const workers = checkCount(io, '--workers', opts.workers, defaultWorkers(), 1, 1024);
  if (seeds === undefined || workers === undefined) return EXIT_BAD_INPUT;
  const metrics = parseMetricFlags(io, opts.metrics);
  if (metrics === undefined) return EXIT_BAD_INPUT;
  const specs = variantSpecs(files, opts, io);
  if (specs === undefined) return EXIT_BAD_INPUT;
  warnPngWithoutCharts(opts, io);

  // 2. Scenarios, each validated with its overrides.
  const taken = new Set<string>();
  const variants: PreparedVariant[] = [];
  let bad = false;
  for (const spec of specs) {
    const scenario = loadScenarioWith(spec.file, spec.overrides, io)?.scenario;
    if (scenario === undefined) {
      bad = true;
      continue;
    }
    // A variant named in its --with (label=, or a new name=) goes by that name; else by its overrides.
    const renamed = spec.overrides.some((o) => o.path.length === 1 && o.path[0] === 'name');
    const label = spec.label ?? (spec.withText === null || spec.withText === '' || renamed ? scenario.name : spec.withText);
    variants.push({
      path: spec.file,
      overrides: spec.overrides,
      scenario,
      header: {
        label,
        dir: unique(slugify(label === scenario.name ? label : `${scenario.name}-${label}`), taken),
        scenario: scenario.name,
        file: spec.file.split(/[\\/]/).pop() ?? spec.file,
        overrides: spec.overrides.map((o) => o.source),
      },
    });
  }
  // Every metric must be measurable in every variant before anything runs.
  // The first variant that cannot measure them is reported (the others would mostly repeat it).
  if (!bad) bad = !variants.every((v) => metricsFit(io, metrics, v.scenario, `variant "${v.header.label}" (${v.header.file})`));
  if (bad) return EXIT_BAD_INPUT;
  const from = opts.seed ?? variants[0]?.scenario.seed ?? 1;
  const range = { from, count: seeds };

  // 3. Runs, spread over the workers.
  const pool = createWorkerPool(workers);
  let results;
  try {
    results = await runReplications(variants, range, pool, io, { ...opts, metrics });
  } finally {
    await pool.close();
  }
  if (typeof results === 'number') return results;

  // 4. Outputs and the table.
  const dir = opts.out ?? join('out', `compare-${variants.map((v) => v.header.dir).join('-vs-')}`.slice(0, 160));
  await writeReplicationOutputs(dir, variants, range, results, {
    kind: 'compare',
    noReport: opts.noReport === true,
    png: opts.png === true,
    metrics,
  });
  io.out(
    formatReplicationsTable(
      replicationsFileOf(
        COMPARE_FORMAT,
        variants.map((v) => v.header),
        range,
        results,
        metrics,
      ),
    ) + `outputs: ${dir}\n`,
  );
  return EXIT_OK;
}
