/**
 * The worker pool on real threads (loaded through tsx, since tests run the
 * TypeScript sources): results by job index whatever the completion order,
 * identical to in-process runs, failures reported with their job.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { JobFailed, executeJob, type Job } from '../../sim/sweep/job.js';
import { createWorkerPool } from '../../sim/cli/worker-pool.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';

function scenario(): NormalizedScenario {
  const r = parseScenario(readFileSync(new URL('./fixtures/retry-threshold.yaml', import.meta.url), 'utf8'), 'retry-threshold.yaml');
  if (!r.ok) throw new Error('fixture does not parse');
  return { ...r.value, duration: 12, faults: [{ kind: 'pause', target: 'api', at: 4, for: 1 }] };
}

describe('worker pool', () => {
  const pool = createWorkerPool(2);
  afterAll(() => pool.close());

  it('runs on two threads and returns what an in-process run returns, in job order', async () => {
    const sc = scenario();
    // Uneven jobs (one long, several short), so the threads finish out of job order.
    const jobs: Job[] = [
      { scenario: { ...sc, duration: 120 }, seed: 1, detail: 'full' },
      ...[2, 3, 4, 5].map((seed): Job => ({ scenario: sc, seed, detail: 'full' })),
    ];
    const finished: number[] = [];
    const outcome = await pool.run(jobs, { onResult: (i) => finished.push(i) });
    expect(pool.threads).toBe(2);
    expect(outcome).toMatchObject({ done: 5, interrupted: false });
    // Completion order depends on timing (it usually differs from job order); the results never do.
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(JSON.stringify(outcome.results)).toBe(JSON.stringify(jobs.map(executeJob)));
  });

  it('rejects with the failing job and its kind', async () => {
    const jobs: Job[] = [
      { scenario: scenario(), seed: 1, detail: 'figures' },
      { scenario: scenario(), seed: 2, detail: 'figures', maxEvents: 100 },
    ];
    const failure = await pool.run(jobs).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JobFailed);
    expect(failure).toMatchObject({ job: 1, failure: { kind: 'aborted' } });
  });

  it('stops when aborted, keeping what finished', async () => {
    const stop = new AbortController();
    const jobs: Job[] = [1, 2, 3, 4, 5, 6].map((seed) => ({ scenario: scenario(), seed, detail: 'figures' }));
    const outcome = await createWorkerPool(1).run(jobs, { signal: stop.signal, onResult: (i) => i === 1 && stop.abort() });
    expect(outcome).toMatchObject({ done: 2, interrupted: true });
    expect(outcome.results.map((r) => r !== undefined)).toEqual([true, true, false, false, false, false]);
  });

  it('in-process (one worker), hears the abort during a long run, not only between runs', async () => {
    const stop = new AbortController();
    // 10^7 simulated seconds of this scenario would take many minutes: only an abort heard between
    // two slices of the first run lets the test end. The abort comes two turns of the event loop in:
    // the pool's yield before the first job takes one, the first slice's yield the next.
    const jobs: Job[] = [{ scenario: { ...scenario(), duration: 1e7 }, seed: 1, detail: 'figures' }];
    setImmediate(() => setImmediate(() => stop.abort()));
    const outcome = await createWorkerPool(1).run(jobs, { signal: stop.signal });
    expect(outcome).toMatchObject({ done: 0, interrupted: true, results: [undefined] });
  });

  it('in-process runs in slices give what executeJob gives', async () => {
    const jobs: Job[] = [1, 2].map((seed) => ({ scenario: scenario(), seed, detail: 'full' }));
    const outcome = await createWorkerPool(1).run(jobs);
    expect(JSON.stringify(outcome.results)).toBe(JSON.stringify(jobs.map(executeJob)));
  });
});
