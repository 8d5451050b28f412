/**
 * `compare.json` and `replications.json`: one or more variants, each run over
 * the same seeds (common random numbers: every component draws from its own
 * named stream, so two variants see the same arrivals and service times
 * wherever their designs agree). Each variant keeps its per-seed figures and
 * their means with 95% intervals.
 */
import { aggregateReplications, type ReplicationStats } from './aggregate.js';
import type { RunFigures } from './figures.js';

/** The `format` tag of compare.json. */
export const COMPARE_FORMAT = 'loopsim-compare/1';
/** The `format` tag of replications.json. */
export const REPLICATIONS_FORMAT = 'loopsim-replications/1';

/** One seed's figures. */
export type SeedFigures = { readonly seed: number } & RunFigures;

/** One variant over its seeds. */
export interface VariantRecord {
  /** How tables and charts name it: the scenario name, or the `--with` text. */
  readonly label: string;
  /** Folder (under the output folder) holding its summary.json and run.json for the first seed. */
  readonly dir: string;
  readonly scenario: string;
  /** The scenario file's base name. */
  readonly file: string;
  /** The overrides applied, as written (`--set …`, `--with …`). */
  readonly overrides: readonly string[];
  readonly stats: ReplicationStats;
  readonly runs: readonly SeedFigures[];
}

/** The whole compare.json or replications.json. */
export interface ReplicationsFile {
  readonly format: typeof COMPARE_FORMAT | typeof REPLICATIONS_FORMAT;
  readonly version: string;
  /** Seeds from, from + 1, …, from + count − 1, the same for every variant. */
  readonly seeds: { readonly from: number; readonly count: number };
  readonly variants: readonly VariantRecord[];
}

/** What a variant is, before its runs. */
export interface VariantHeader {
  readonly label: string;
  readonly dir: string;
  readonly scenario: string;
  readonly file: string;
  readonly overrides: readonly string[];
}

/**
 * Builds the file from each variant's figures, seed by seed (`figures[v][k]`
 * is variant v at seed from + k).
 */
export function buildReplicationsFile(
  format: ReplicationsFile['format'],
  version: string,
  seeds: { readonly from: number; readonly count: number },
  variants: readonly VariantHeader[],
  figures: readonly (readonly RunFigures[])[],
): ReplicationsFile {
  return {
    format,
    version,
    seeds,
    variants: variants.map((v, i) => {
      const runs = figures[i] ?? [];
      return { ...v, stats: aggregateReplications(runs), runs: runs.map((f, k) => ({ seed: seeds.from + k, ...f })) };
    }),
  };
}

/** The JSON text: two-space indent, final newline. */
export function formatReplicationsJson(f: ReplicationsFile): string {
  return JSON.stringify(f, null, 2) + '\n';
}
