/**
 * Timing whole processes for the benchmark: wall time from spawn to exit, and
 * peak resident memory (from GNU time when the machine has it), with medians
 * over several alternating runs. Wall-clock timing lives under test/bench/
 * only: tests never assert on time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One finished child process. */
export interface ProcessRun {
  /** Wall seconds from spawn to exit. */
  readonly wallS: number;
  /** Peak resident set size in MiB; NaN when GNU time is not installed. */
  readonly peakMiB: number;
  readonly stdout: string;
}

const GNU_TIME = '/usr/bin/time';
/** Whether peak memory can be measured (GNU time, Debian package `time`). */
export const canMeasureMemory = existsSync(GNU_TIME);
const RSS_MARK = 'loopsim-bench-peak-kib=';

/** Runs `cmd args` to completion (cwd `cwd`); throws with its stderr if it fails. */
export function runProcess(cmd: string, args: readonly string[], cwd: string): ProcessRun {
  const [file, argv] = canMeasureMemory ? [GNU_TIME, ['-f', `${RSS_MARK}%M`, cmd, ...args]] : [cmd, [...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  const m = new RegExp(`${RSS_MARK}(\\d+)`).exec(r.stderr);
  return { wallS, peakMiB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Runs each of `jobs` `times` times, alternating (A B A B ...), so that a
 * slow spell of the machine hits every job alike; returns the runs per job.
 */
export function alternate<T>(times: number, jobs: readonly (() => T)[]): T[][] {
  const out: T[][] = jobs.map(() => []);
  for (let i = 0; i < times; i++) jobs.forEach((job, j) => (out[j] as T[]).push(job()));
  return out;
}

/** `1234567` → `1,234,567`; `1.5e6` per second → `1.50 M/s`. */
export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
export const fmtRate = (perS: number): string => (perS >= 1e6 ? `${(perS / 1e6).toFixed(2)} M/s` : `${(perS / 1e3).toFixed(1)} k/s`);

/** Renders rows as an aligned plain-text table (first column left, the rest right). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
