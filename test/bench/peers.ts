/**
 * The reference implementations the benchmark compares loopsim with
 * (`../shared/bench/peers/` beside the repository; see its README): a bare
 * JavaScript event loop and SimPy 3, each printing one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, type ProcessRun } from './measure.js';

/** What a peer printed, with the process's own timing beside it. */
export interface PeerRun extends ProcessRun {
  readonly out: Record<string, unknown>;
}

/** Where the peers are, relative to the repository root; null when absent. */
export function locatePeers(root: string): string | null {
  const dir = join(root, '..', 'shared', 'bench', 'peers');
  return existsSync(join(dir, 'js', 'mm1.js')) ? dir : null;
}

/** The Python that can run the SimPy peers (Debian's python3-simpy3 lives in /usr/bin/python3), or null. */
export function findSimpyPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import simpy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/** Runs `node js/<model>.js args` (or `python simpy/<model>.py args`) and parses its JSON line. */
export function runPeer(peers: string, impl: 'js' | 'simpy', model: 'mm1' | 'retry', args: readonly string[], python = 'python3'): PeerRun {
  const run =
    impl === 'js'
      ? runProcess(process.execPath, [join(peers, 'js', `${model}.js`), ...args], peers)
      : runProcess(python, [join(peers, 'simpy', `${model}.py`), ...args], peers);
  const line = run.stdout.trim().split('\n').pop() ?? '{}';
  return { ...run, out: JSON.parse(line) as Record<string, unknown> };
}

/** A numeric field of a peer's output (NaN when missing). */
export function num(run: PeerRun, key: string): number {
  const v = run.out[key];
  return typeof v === 'number' ? v : NaN;
}

/** SimPy 3's rates as the peers' README reports them for its own machine (per second). */
export interface ReadmeSimpyRates {
  /** M/M/1 customers per second. */
  readonly mm1: number;
  /** Retry model attempts per second. */
  readonly retry: number;
}

/**
 * The SimPy rows of the figures table in the peers' README (`| SimPy 3 mm1,
 * ... | wall | MiB | 0.107 M customers/s |`), or null when either is
 * missing. The issue accepts either these figures or SimPy measured here;
 * the bench shows both.
 */
export function parseReadmeSimpyRates(readme: string): ReadmeSimpyRates | null {
  const rate = (model: string, unit: string): number => {
    const row = readme.split('\n').find((line) => new RegExp(`^\\|\\s*SimPy 3 ${model}\\b`).test(line));
    const m = row?.match(new RegExp(`([\\d.]+)\\s*([kM]?)\\s*${unit}/s`));
    if (m === undefined || m === null) return NaN;
    return Number(m[1]) * (m[2] === 'M' ? 1e6 : m[2] === 'k' ? 1e3 : 1);
  };
  const mm1 = rate('mm1', 'customers');
  const retry = rate('retry', 'attempts');
  return Number.isFinite(mm1) && Number.isFinite(retry) ? { mm1, retry } : null;
}

/** {@link parseReadmeSimpyRates} of the README beside the peers; null when it is missing or says nothing parseable. */
export function readmeSimpyRates(peers: string): ReadmeSimpyRates | null {
  const file = join(peers, 'README.md');
  return existsSync(file) ? parseReadmeSimpyRates(readFileSync(file, 'utf8')) : null;
}
