/**
 * Runs the built `loopsim` command as a whole process, the way a user does,
 * and reads back what it wrote (summary.json, timeseries.csv).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, type ProcessRun } from './measure.js';

/** One `loopsim run` and its outputs. */
export interface CliRun extends ProcessRun {
  readonly summary: { events: number; metrics: Record<string, Record<string, number>> };
  /** timeseries.csv as columns: name → values per bucket. */
  readonly columns: Map<string, number[]>;
}

/** `loopsim run <scenario> [--no-report]` into a fresh temporary folder, removed afterwards. */
export function runLoopsim(root: string, scenario: string, opts: { report?: boolean } = {}): CliRun {
  const out = mkdtempSync(join(tmpdir(), 'loopsim-bench-'));
  try {
    const args = [join(root, 'bin', 'loopsim.js'), 'run', join(root, scenario), '--out', out];
    if (opts.report !== true) args.push('--no-report');
    const run = runProcess(process.execPath, args, root);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as CliRun['summary'];
    return { ...run, summary, columns: parseCsv(readFileSync(join(out, 'timeseries.csv'), 'utf8')) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** `loopsim validate <scenario>`: wall time only. */
export function validateLoopsim(root: string, scenario: string): ProcessRun {
  return runProcess(process.execPath, [join(root, 'bin', 'loopsim.js'), 'validate', join(root, scenario)], root);
}

function parseCsv(text: string): Map<string, number[]> {
  const [head, ...lines] = text.trim().split('\n');
  const names = (head ?? '').split(',');
  const cols = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const line of lines) line.split(',').forEach((v, i) => cols.get(names[i] as string)?.push(Number(v)));
  return cols;
}

/** Events counted by a rate column over buckets [from, to) of width `sample` (rates are per second). */
export function countIn(run: CliRun, column: string, sample: number, from = 0, to = Infinity): number {
  const v = run.columns.get(column) ?? [];
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(v.length, to); i++) n += (v[i] as number) * sample;
  return Math.round(n);
}

/** The largest value of a column. */
export function maxOf(run: CliRun, column: string): number {
  return Math.max(...(run.columns.get(column) ?? [NaN]));
}
