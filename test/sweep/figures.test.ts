/**
 * The figures of whole runs: each test runs a scenario of
 * test/fixtures/diagnosis/ and checks that the figures compare, sweep and
 * `run --seeds` carry are the verdict's own evidence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { simulate, type SimulationResult } from '../../sim/simulate.js';
import { reduceRunFigures } from '../../sim/sweep/figures.js';

const DIR = new URL('../fixtures/diagnosis/', import.meta.url);

function run(file: string): SimulationResult {
  const parsed = parseScenario(readFileSync(new URL(file, DIR), 'utf8'), file);
  if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
  return simulate(parsed.value);
}

describe('run figures', () => {
  it('give the peak of the stock that grew, named, beside a peak queue that keeps its meaning', () => {
    const res = run('pool-waiters-overloaded.yaml');
    const f = reduceRunFigures(res);
    expect(f.backlogStock).toBe('api->db.pool.waiting');
    // The instantaneous peak of that stock: at least its largest bucket mean, which the verdict gives.
    expect(f.peakBacklog).toBeGreaterThanOrEqual(res.summary.verdict.growing!.peak);
    // peakQueue is still the services' queues alone, which stay far below the pool's waiters.
    expect(f.peakQueue).toBeLessThan(f.peakBacklog / 10);
  });

  it('give the damage and the time left to drain of a draining run', () => {
    const res = run('slow-drain.yaml');
    const v = res.summary.verdict;
    expect(v.kind).toBe('draining');
    const f = reduceRunFigures(res);
    expect(f.drainSeconds).toBe(v.drain!.clearsInSeconds);
    expect(f.drainSeconds).toBeGreaterThan(0);
    expect(f).toMatchObject({
      lostOperations: v.damage!.lostOperations,
      worstGoodputShare: v.damage!.worstGoodputShare,
      secondsBelowHalf: v.damage!.secondsBelowHalf,
    });
    expect(f.recoverySeconds).toBeNull();
  });

  it('name the series that swings and its period', () => {
    const res = run('breaker-flap.yaml');
    const o = res.summary.verdict.oscillation!;
    const f = reduceRunFigures(res);
    expect(f.oscillation).toBe(`${o.component}.${o.metric}`);
    expect(f.periodSeconds).toBe(o.periodSeconds);
    expect(f.drainSeconds).toBeNull();
  });
});
