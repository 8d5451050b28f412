/**
 * Comparisons and sweeps run in-process (sim/sweep/in-process.ts, the
 * core's): the same compare.json and sweep.json, byte for byte, as the CLI's
 * `compare` and `sweep` write on worker threads; bad input comes back as
 * issues, a failed run as JobFailed.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../sim/cli/compare.js';
import { sweepCommand } from '../../sim/cli/sweep.js';
import { parseOverrideArguments } from '../../sim/scenario/override.js';
import { parseScenarioWith } from '../../sim/scenario/parse-with.js';
import { parseVary } from '../../sim/sweep/grid.js';
import { runComparison, runSweep } from '../../sim/sweep/in-process.js';
import { JobFailed } from '../../sim/sweep/job.js';
import { parseMetricSpecs } from '../../sim/sweep/metric-spec.js';
import { formatReplicationsJson } from '../../sim/sweep/replications.js';
import { formatSweepJson } from '../../sim/sweep/sweep-file.js';
import { captureIo, tempDir } from './helpers.js';

const A = fileURLToPath(new URL('fixtures/retry-threshold.yaml', import.meta.url));
const B = fileURLToPath(new URL('fixtures/retry-threshold-backoff.yaml', import.meta.url));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

function axis(arg: string) {
  const a = parseVary(arg);
  if (!a.ok) throw new Error(`bad axis ${arg}`);
  return a.value;
}

/** Every run here is 15 s long (the fixtures' 45 s give the same answers, slower). */
const SHORT = parseOverrideArguments(['duration=15s']);
if (!SHORT.ok) throw new Error('bad override');
const SETS = SHORT.value;

function variant(path: string) {
  const r = parseScenarioWith(read(path), basename(path), SETS);
  if (!r.ok) throw new Error(`bad fixture ${path}`);
  const name = r.value.name;
  return { header: { label: name, dir: name, scenario: name, file: basename(path), overrides: ['--set duration=15s'] }, scenario: r.value };
}

describe('in-process comparisons and sweeps', () => {
  it('measure --metric values as the CLI does, compare.json and sweep.json byte for byte', async () => {
    const parsed = parseMetricSpecs(['users.goodput:mean', 'api.queue:max:2s:end']);
    if (!parsed.ok) throw new Error('bad metrics');
    const metrics = parsed.value;
    const texts = metrics.map((m) => m.name);
    const cmp = tempDir();
    expect(
      await compareCommand(
        [A, B],
        { seeds: 1, sets: ['duration=15s'], metrics: texts, workers: 2, quiet: true, noReport: true, out: cmp },
        captureIo().io,
      ),
    ).toBe(0);
    const c = runComparison([variant(A), variant(B)], { from: 1, count: 1 }, { metrics });
    expect(formatReplicationsJson(c.file)).toBe(read(cmp, 'compare.json'));
    expect(c.file.variants[0]?.stats.metrics?.['users.goodput:mean']?.mean).toBeGreaterThan(0);
    const swp = tempDir();
    expect(
      await sweepCommand(
        A,
        {
          vary: ['faults[0].for=1s,3s'],
          sets: ['duration=15s'],
          seeds: 1,
          metrics: texts,
          workers: 2,
          quiet: true,
          noReport: true,
          out: swp,
        },
        captureIo().io,
      ),
    ).toBe(0);
    const r = runSweep({ text: read(A), file: basename(A), sets: SETS, axes: [axis('faults[0].for=1s,3s')], seeds: { count: 1 }, metrics });
    if (!r.ok) throw new Error('the sweep did not run');
    expect(formatSweepJson(r.value)).toBe(read(swp, 'sweep.json'));
  });

  it('give the compare.json that loopsim compare writes on two workers', async () => {
    const out = tempDir();
    expect(
      await compareCommand(
        [A, B],
        { seed: 5, seeds: 2, sets: ['duration=15s'], workers: 2, quiet: true, noReport: true, out },
        captureIo().io,
      ),
    ).toBe(0);
    const progress: number[] = [];
    const c = runComparison([variant(A), variant(B)], { from: 5, count: 2 }, { onProgress: (done, total) => progress.push(done / total) });
    expect(formatReplicationsJson(c.file)).toBe(read(out, 'compare.json'));
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    expect(c.results.map((rs) => rs.map((r) => r.summary?.seed))).toEqual([
      [5, 6],
      [5, 6],
    ]);
  });

  it('give the sweep.json that loopsim sweep writes on two workers (hysteresis and --set included)', async () => {
    const out = tempDir();
    const args = {
      vary: ['faults[0].for=1s:3s:2s'],
      hysteresis: true,
      sets: ['duration=15s'],
      seeds: 2,
      workers: 2,
      quiet: true,
      noReport: true,
      out,
    };
    expect(await sweepCommand(A, args, captureIo().io)).toBe(0);
    const r = runSweep({
      text: read(A),
      file: basename(A),
      sets: SETS,
      axes: [axis('faults[0].for=1s:3s:2s')],
      hysteresis: true,
      seeds: { count: 2 },
    });
    if (!r.ok) throw new Error('the sweep did not run');
    expect(formatSweepJson(r.value)).toBe(read(out, 'sweep.json'));
  });

  it('return the issues of a cell that does not validate, naming the axis', () => {
    const r = runSweep({ text: read(A), file: basename(A), sets: SETS, axes: [axis('services.api.workers=2,-1')], seeds: { count: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.file).join()).toContain('--vary services.api.workers=2,-1');
  });

  it('throw JobFailed naming the run when a guard trips', () => {
    expect(() => runComparison([variant(A), variant(B)], { from: 1, count: 1 }, { maxEvents: 1000 })).toThrow(JobFailed);
    try {
      runComparison([variant(A), variant(B)], { from: 1, count: 1 }, { maxEvents: 1000 });
    } catch (e) {
      expect((e as JobFailed).job).toBe(0);
      expect((e as JobFailed).failure.kind).toBe('aborted');
    }
  });
});
