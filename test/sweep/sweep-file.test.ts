/**
 * sweep.json and sweep.csv as pure functions of the definition and the runs,
 * and the merge of shards: any split of the runs merges back to the same
 * bytes as the whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSweepFiles, missingJobs } from '../../sim/sweep/merge.js';
import { shardJobs } from '../../sim/sweep/shard.js';
import {
  buildSweepFile,
  formatSweepCsv,
  formatSweepJson,
  jobPosition,
  type SweepDefinition,
  type SweepRun,
} from '../../sim/sweep/sweep-file.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

const DEF: SweepDefinition = {
  scenario: { name: 'demo', description: '', file: 'demo.yaml' },
  sets: ['duration=60s'],
  axes: [
    { source: '--vary faults[0].for=1s:3s:1s', field: 'faults[0].for', unit: 's', labels: ['1s', '2s', '3s'], numbers: [1, 2, 3] },
    {
      source: '--vary clients.c.retry.jitter=none,full',
      field: 'clients.c.retry.jitter',
      unit: '',
      labels: ['none', 'full'],
      numbers: [null, null],
    },
  ],
  hysteresis: false,
  seeds: { from: 7, count: 2 },
  cells: 6,
  jobs: 12,
};

/** A deterministic fake run for job j. */
function run(j: number): SweepRun {
  const { cell, seed } = jobPosition(DEF, j);
  const recovered = (cell + seed) % 2 !== 0;
  return {
    cell,
    seed,
    verdict: recovered ? 'recovered' : 'metastable',
    recoverySeconds: recovered ? 10 + j : null,
    goodputBefore: 100,
    goodputAfter: recovered ? 99 : 0,
    peakQueue: 10 * j,
    wastedPerSecond: j / 3,
    retriesPerOperation: 0.125,
    loop: recovered ? null : 'retry',
    loopGain: recovered ? null : 2.5,
    ...QUIET_FIGURES,
    // A stuck run: a pool's waiters grew, goodput was lost, and the breaker flapped.
    ...(recovered
      ? {}
      : {
          peakBacklog: 40 + j,
          backlogStock: 'api->db.pool.waiting',
          lostOperations: 1200,
          worstGoodputShare: 0.05,
          secondsBelowHalf: 30,
          oscillation: 'api->db.breaker',
          periodSeconds: 6,
        }),
  };
}

const ALL = Array.from({ length: DEF.jobs }, (_, j) => run(j));

describe('sweep files', () => {
  it('writes one CSV row per run with axis values in their unit', () => {
    const csv = formatSweepCsv(buildSweepFile('t', DEF, ALL, null, DEF.jobs)).split('\n');
    expect(csv[0]).toBe(
      'faults[0].for [s],clients.c.retry.jitter,seed,verdict,recoverySeconds,goodputAfter,peakQueue,goodputBefore,wastedPerSecond,retriesPerOperation,loop,loopGain,' +
        'peakBacklog,backlogStock,lostOperations,worstGoodputShare,secondsBelowHalf,drainSeconds,oscillation,periodSeconds',
    );
    expect(csv[1]).toBe('1,none,7,recovered,10,99,0,100,0,0.125,,,0,,,,,,,');
    expect(csv[2]).toBe(
      '1,none,8,metastable,,0,10,100,0.3333333333333333,0.125,retry,2.5,41,api->db.pool.waiting,1200,0.05,30,,api->db.breaker,6',
    );
    expect(csv).toHaveLength(DEF.jobs + 2);
  });

  it('summarizes each cell: verdict counts, share metastable, recovery over the recovered seeds', () => {
    const f = buildSweepFile('t', DEF, ALL, null, DEF.jobs);
    expect(f.complete).toBe(true);
    const c = f.cells[0];
    expect(c).toMatchObject({
      index: 0,
      labels: ['1s', 'none'],
      seeds: 2,
      shareMetastable: 0.5,
      verdicts: { recovered: 1, metastable: 1 },
    });
    expect(c?.recoverySeconds).toMatchObject({ n: 1, mean: 10, ci95: null });
    // The loop each verdict named, and its gain over the runs that name one.
    expect(c?.loops).toEqual({ none: 1, retry: 1 });
    expect(c?.loopGain).toMatchObject({ n: 1, mean: 2.5 });
  });

  it('carries the backlog, the damage, the drain and the swings of each cell', () => {
    const c = buildSweepFile('t', DEF, ALL, null, DEF.jobs).cells[0];
    // Peak backlog over every run (0 where no stock held work); the damage over the runs that measured one.
    expect(c?.peakBacklog).toMatchObject({ n: 2, mean: 20.5 });
    expect(c?.backlogStocks).toEqual({ none: 1, 'api->db.pool.waiting': 1 });
    expect(c?.lostOperations).toMatchObject({ n: 1, mean: 1200 });
    expect(c?.worstGoodputShare).toMatchObject({ n: 1, mean: 0.05 });
    expect(c?.secondsBelowHalf).toMatchObject({ n: 1, mean: 30 });
    expect(c?.drainSeconds).toBeNull();
    expect(c?.shareOscillating).toBe(0.5);
    expect(c?.periodSeconds).toMatchObject({ n: 1, mean: 6 });
  });

  it('does not depend on the order runs arrive in', () => {
    const reversed = [...ALL].reverse();
    expect(formatSweepJson(buildSweepFile('t', DEF, reversed, null, DEF.jobs))).toBe(
      formatSweepJson(buildSweepFile('t', DEF, ALL, null, DEF.jobs)),
    );
  });

  it('merges any split into shards back to the one-process bytes', () => {
    const whole = buildSweepFile('t', DEF, ALL, null, DEF.jobs);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), (n) => {
        const shards = Array.from({ length: n }, (_, k) => {
          const mine = shardJobs(DEF.jobs, { index: k + 1, count: n });
          return buildSweepFile('t', DEF, mine.map(run), { index: k + 1, count: n }, mine.length);
        });
        const merged = mergeSweepFiles(
          shards,
          shards.map((_, k) => `shard-${k + 1}`),
        );
        expect(merged.ok).toBe(true);
        if (!merged.ok) return;
        expect(formatSweepJson(merged.value)).toBe(formatSweepJson(whole));
        expect(formatSweepCsv(merged.value)).toBe(formatSweepCsv(whole));
      }),
      { seed: 3 },
    );
  });

  it('refuses different sweeps and conflicting runs, and lists missing ones', () => {
    const a = buildSweepFile('t', DEF, ALL.slice(0, 6), { index: 1, count: 2 }, 6);
    const other = buildSweepFile('t', { ...DEF, sets: [] }, ALL.slice(6), { index: 2, count: 2 }, 6);
    const r = mergeSweepFiles([a, other], ['a', 'b']);
    expect(!r.ok && r.issues).toEqual([
      "b is a different sweep from a (the scenario or its file's text, --set, --vary, --seed or --seeds differ).",
    ]);
    const clash = buildSweepFile('t', DEF, [{ ...run(0), peakQueue: 1 }], null, 1);
    const c = mergeSweepFiles([a, clash], ['a', 'c']);
    expect(!c.ok && c.issues).toEqual(['Cell 0, seed 7 differs between a and c.']);
    const partial = mergeSweepFiles([a], ['a']);
    expect(partial.ok && partial.value.complete).toBe(false);
    expect(partial.ok && missingJobs(partial.value, 2)).toEqual({
      count: 6,
      first: [
        { cell: 3, seed: 7 },
        { cell: 3, seed: 8 },
      ],
    });
  });
});
