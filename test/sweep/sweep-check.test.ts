/**
 * sweep.json read back as input: a file loopsim wrote passes the check
 * unchanged; a crafted one (a path in the scenario name, counts out of
 * range, runs outside the grid, twice or outside their shard, summaries that
 * do not match the runs) is refused with the file and the field named.
 */
import { describe, expect, it } from 'vitest';
import { checkSweepFile } from '../../sim/sweep/sweep-check.js';
import {
  buildSweepFile,
  formatSweepJson,
  jobPosition,
  type SweepDefinition,
  type SweepFile,
  type SweepRun,
} from '../../sim/sweep/sweep-file.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

const DEF: SweepDefinition = {
  scenario: { name: 'demo', description: 'd', file: 'demo.yaml', digest: 'a'.repeat(64) },
  sets: [],
  axes: [{ source: '--vary x=1,2,3', field: 'x', unit: '', labels: ['1', '2', '3'], numbers: [1, 2, 3] }],
  hysteresis: false,
  seeds: { from: 5, count: 2 },
  cells: 3,
  jobs: 6,
};

const run = (j: number): SweepRun => ({
  ...jobPosition(DEF, j),
  verdict: j % 2 === 0 ? 'recovered' : 'metastable',
  recoverySeconds: j % 2 === 0 ? j : null,
  goodputBefore: 10,
  goodputAfter: 9,
  peakQueue: j,
  wastedPerSecond: 0,
  retriesPerOperation: 0.5,
  loop: null,
  loopGain: null,
  ...QUIET_FIGURES,
});

/** sweep.json as JSON would give it back, edited by `edit`. */
function crafted(edit: (f: Record<string, any>) => void, shard: SweepFile['shard'] = null): unknown {
  const runs = shard === null ? [0, 1, 2, 3, 4, 5] : [0, 2, 4];
  const f = JSON.parse(formatSweepJson(buildSweepFile('0.2.0', DEF, runs.map(run), shard, runs.length))) as Record<string, any>;
  edit(f);
  return f;
}

const issues = (v: unknown): string[] => {
  const r = checkSweepFile(v, 'shard/sweep.json');
  return r.ok ? [] : r.issues;
};

describe('checkSweepFile', () => {
  it('accepts what loopsim writes, whole or a shard, and gives back the same bytes', () => {
    for (const shard of [null, { index: 1, count: 2 }]) {
      const text = formatSweepJson(
        buildSweepFile('0.2.0', DEF, (shard === null ? [0, 1, 2, 3, 4, 5] : [0, 2, 4]).map(run), shard, shard === null ? 6 : 3),
      );
      const r = checkSweepFile(JSON.parse(text), 'x');
      expect(r.ok && formatSweepJson(r.value)).toBe(text);
    }
  });

  it('refuses a scenario name that would lead the output folder elsewhere', () => {
    expect(issues(crafted((f) => (f.definition.scenario.name = '../../../../somewhere-else')))).toEqual([
      'shard/sweep.json: definition.scenario.name: lowercase letters, digits and "-".',
    ]);
    expect(issues(crafted((f) => (f.definition.scenario.file = '../etc/passwd')))[0]).toMatch(
      /definition\.scenario\.file: a file name without a folder/,
    );
  });

  it('refuses counts out of range and counts that contradict each other', () => {
    expect(issues(crafted((f) => (f.definition.jobs = 1e12)))[0]).toMatch(/^shard\/sweep\.json: definition\.jobs: Too big/);
    expect(issues(crafted((f) => (f.definition.cells = 4)))).toEqual([
      'shard/sweep.json: definition.cells: the axes make 3 cells, the file says 4.',
    ]);
    expect(issues(crafted((f) => (f.definition.jobs = 5)))).toEqual([
      'shard/sweep.json: definition.jobs: 3 cells x 2 seeds make 6 runs, the file says 5.',
    ]);
    expect(issues(crafted((f) => (f.definition.seeds.count = 10_001)))[0]).toMatch(/definition\.seeds\.count/);
    expect(issues(crafted((f) => (f.definition.axes[0].numbers = [1, 2])))[0]).toMatch(
      /definition\.axes\[0\]\.numbers: 2 numbers for 3 labels/,
    );
  });

  it('refuses runs outside the grid, the seeds or the shard, and runs given twice', () => {
    expect(issues(crafted((f) => (f.runs[5].cell = 3)))[0]).toMatch(/runs\[5\]\.cell: cell 3 is outside the grid's 3 cells/);
    expect(issues(crafted((f) => (f.runs[0].seed = 4)))[0]).toMatch(/runs\[0\]\.seed: seed 4 is outside the sweep's seeds 5 to 6/);
    expect(issues(crafted((f) => (f.runs[1] = { ...f.runs[0] })))[0]).toMatch(/runs\[1\]: cell 0, seed 5 appears twice/);
    expect(issues(crafted((f) => (f.runs[1] = { ...f.runs[1], seed: 6, cell: 0 }), { index: 1, count: 2 }))[0]).toMatch(
      /not in shard 1\/2/,
    );
    expect(issues(crafted((f) => (f.runs[0].cell = -1)))[0]).toMatch(/runs\[0\]\.cell: Too small/);
  });

  it('refuses wrong types, unknown fields and summaries that do not match the runs', () => {
    expect(issues(crafted((f) => (f.runs[0].verdict = 'fine')))[0]).toMatch(/runs\[0\]\.verdict/);
    expect(issues(crafted((f) => (f.runs[0].peakQueue = '12')))[0]).toMatch(/runs\[0\]\.peakQueue: Invalid input: expected number/);
    expect(issues(crafted((f) => (f.extra = 1)))[0]).toMatch(/\(the whole file\): Unrecognized key: "extra"/);
    expect(issues(crafted((f) => (f.cells[0].seeds = 7)))).toEqual([
      'shard/sweep.json: cells: the cell summaries do not match the runs (an edited file?).',
    ]);
    expect(issues(crafted((f) => (f.complete = false)))[0]).toMatch(/complete: the file says false with 6 of 6 runs/);
    expect(issues(null)[0]).toMatch(/^shard\/sweep\.json: \(the whole file\): Invalid input: expected object/);
  });
});
