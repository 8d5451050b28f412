/**
 * Variants × seeds: what `compare` and `run --seeds` share. Every variant
 * runs on the same seeds (common random numbers), jobs ordered variant-major,
 * results stored by job index; then compare.json or replications.json, the
 * per-variant summary.json and run.json, the overlaid charts and the page.
 */
import { join } from 'node:path';
import { toRunJson } from '../scenario/normalize.js';
import type { Override } from '../scenario/override.js';
import type { NormalizedScenario } from '../scenario/types.js';
import {
  COMPARE_FORMAT,
  REPLICATIONS_FORMAT,
  formatReplicationsJson,
  placeReplications,
  planReplications,
  replicationsFileOf,
  type ReplicationResults,
  type SeedRange,
  type VariantHeader,
} from '../sweep/replications.js';
import { VERSION } from '../version.js';
import { EXIT_BAD_INPUT, EXIT_INTERRUPTED, type Io } from './io.js';
import { withOutputFolder, writeFileAtomic } from './output-folder.js';
import { overrideArgument, runReplayCommand } from './replay.js';
import { reportFailure, runBatch, type JobName, type SessionOptions } from './sweep-session.js';
import type { JobResult } from '../sweep/job.js';
import type { MetricSpec } from '../sweep/metric-spec.js';
import type { WorkerPool } from './worker-pool.js';

/** A variant ready to run. */
export interface PreparedVariant {
  /** The scenario file as given on the command line, and the overrides applied to it (for replay commands). */
  readonly path: string;
  readonly overrides: readonly Override[];
  readonly header: VariantHeader;
  readonly scenario: NormalizedScenario;
}

/** Options of {@link runReplications}. */
export interface ReplicationOptions extends SessionOptions {
  readonly maxEvents?: number;
  readonly maxInflight?: number;
  /** Results already computed (e.g. the first seed, run in-process for its full outputs). */
  readonly known?: (variant: number, seedIndex: number) => JobResult | undefined;
  /** What stays written after Ctrl-C, for its message; default "nothing written". */
  readonly kept?: string;
  /** The `--metric` list, measured in every run. */
  readonly metrics?: readonly MetricSpec[];
}

/**
 * Runs every variant on every seed. Resolves to the results, or to the exit
 * code after a failure (message printed) or Ctrl-C (130, message printed).
 */
export async function runReplications(
  variants: readonly PreparedVariant[],
  seeds: SeedRange,
  pool: WorkerPool,
  io: Io,
  opts: ReplicationOptions,
): Promise<ReplicationResults | number> {
  const plan = planReplications(
    variants.map((v) => v.scenario),
    seeds,
    opts,
    opts.known,
  );
  const { jobs, where } = plan;
  const describe = (j: number): JobName => {
    const [i, k] = where[j] ?? [0, 0];
    const v = variants[i];
    const seed = seeds.from + k;
    if (v === undefined) throw new Error(`replications: job ${j} has no variant ${i}`);
    return { label: `${v.header.label} with seed ${seed}`, replay: runReplayCommand(v.path, seed, v.overrides.map(overrideArgument)) };
  };
  let outcome;
  try {
    outcome = await runBatch(pool, jobs, 'runs', opts, io.progress);
  } catch (e) {
    const code = reportFailure(e, io, describe);
    // A guard: the figures over every variant and seed cannot be complete, so none are written.
    if (code === EXIT_BAD_INPUT)
      io.err(
        `  a guard stopped that run: ${opts.kept ?? 'nothing written'}; give it more room (--max-events, --max-inflight) or change the scenario.\n`,
      );
    return code;
  }
  if (outcome.interrupted) {
    io.err(`✖ interrupted: ${outcome.done} of ${jobs.length} runs finished; ${opts.kept ?? 'nothing written'}.\n`);
    return EXIT_INTERRUPTED;
  }
  return placeReplications(plan, outcome.results);
}

/** Options of {@link writeReplicationOutputs}. */
export interface ReplicationOutputOptions {
  /** `compare` writes compare.json (+ replications.json over several seeds) and per-variant folders; `replications` writes replications.json only. */
  readonly kind: 'compare' | 'replications';
  readonly noReport?: boolean;
  /** Also write a PNG beside each SVG chart. */
  readonly png?: boolean;
  /** The `--metric` list (the files' top-level `metrics`); none by default. */
  readonly metrics?: readonly MetricSpec[];
}

/** Writes the outputs into `dir`; returns the file names written, in order. */
export async function writeReplicationOutputs(
  dir: string,
  variants: readonly PreparedVariant[],
  seeds: SeedRange,
  results: ReplicationResults,
  opts: ReplicationOutputOptions,
): Promise<string[]> {
  return withOutputFolder(dir, opts.kind === 'compare' ? 'compare.json' : 'replications.json', () =>
    writeReplicationFiles(dir, variants, seeds, results, opts),
  );
}

async function writeReplicationFiles(
  dir: string,
  variants: readonly PreparedVariant[],
  seeds: SeedRange,
  results: ReplicationResults,
  opts: ReplicationOutputOptions,
): Promise<string[]> {
  const written: string[] = [];
  const put = (name: string, data: string | Uint8Array): void => {
    writeFileAtomic(join(dir, name), data);
    written.push(name);
  };
  if (opts.kind === 'compare') {
    variants.forEach((v, i) => {
      const first = results[i]?.[0];
      const scenario = { ...v.scenario, seed: seeds.from };
      put(
        join(v.header.dir, 'run.json'),
        JSON.stringify({ version: VERSION, seed: seeds.from, scenario: toRunJson(scenario) }, null, 2) + '\n',
      );
      if (first?.summary !== undefined) put(join(v.header.dir, 'summary.json'), JSON.stringify(first.summary, null, 2) + '\n');
    });
  }
  const file = replicationsFileOf(
    opts.kind === 'compare' ? COMPARE_FORMAT : REPLICATIONS_FORMAT,
    variants.map((v) => v.header),
    seeds,
    results,
    opts.metrics,
  );
  if (!opts.noReport) {
    const { buildReplicationCharts } = await import('../../reports/compare-charts.js');
    const { renderComparePage } = await import('../../reports/compare-page.js');
    const { renderSvg } = await import('../../reports/render.js');
    const { loadChartLibraries } = await import('../../reports/libraries.js');
    const charts = buildReplicationCharts(
      variants.map((v) => ({ label: v.header.label, scenario: v.scenario })),
      results,
    );
    const svgs: [string, string][] = [];
    for (const c of charts) svgs.push([`${opts.kind === 'compare' ? '' : 'replications-'}${c.id}.svg`, await renderSvg(c.spec)]);
    for (const [name, svg] of svgs) put(name, svg);
    if (opts.png === true) {
      const { pngsBeside } = await import('./png.js');
      for (const [name, data] of await pngsBeside(svgs)) put(name, data);
    }
    const page = renderComparePage({ file, scenarios: variants.map((v) => v.scenario), charts, libraries: await loadChartLibraries() });
    put(opts.kind === 'compare' ? 'compare.html' : 'replications.html', page);
  }
  // The JSON last: its presence says the outputs are complete.
  if (opts.kind === 'compare' && seeds.count > 1)
    put('replications.json', formatReplicationsJson({ ...file, format: REPLICATIONS_FORMAT }));
  put(opts.kind === 'compare' ? 'compare.json' : 'replications.json', formatReplicationsJson(file));
  return written;
}
