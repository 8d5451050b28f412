/**
 * The largest sweeps: a million runs aggregate, tabulate and format without
 * passing per-run or per-cell arrays as call arguments (which overflows the
 * stack past about 10^5 values), and a heatmap with an axis of 1,000 values
 * renders (a sort given as a list of labels did not).
 */
import { describe, expect, it } from 'vitest';
import { formatSweepTable } from '../../sim/cli/sweep-table.js';
import { extentOf } from '../../sim/sweep/stats.js';
import { buildSweepFile, formatSweepCsv, type SweepDefinition, type SweepRun } from '../../sim/sweep/sweep-file.js';
import { buildSweepCharts } from '../../reports/sweep-charts.js';
import { renderSvg } from '../../reports/render.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

function grid(n1: number, n2: number, seeds: number): SweepDefinition {
  const axis = (name: string, n: number): SweepDefinition['axes'][number] => ({
    source: `--vary ${name}=1:${n}:1`,
    field: name,
    unit: '',
    labels: Array.from({ length: n }, (_, i) => String(i + 1)),
    numbers: Array.from({ length: n }, (_, i) => i + 1),
  });
  const cells = n1 * n2;
  return {
    scenario: { name: 'big', description: '', file: 'big.yaml' },
    sets: [],
    axes: [axis('a', n1), axis('b', n2)],
    hysteresis: false,
    seeds: { from: 1, count: seeds },
    cells,
    jobs: cells * seeds,
  };
}

function runsOf(def: SweepDefinition): SweepRun[] {
  const runs: SweepRun[] = [];
  for (let j = 0; j < def.jobs; j += 1) {
    const cell = Math.floor(j / def.seeds.count);
    runs.push({
      cell,
      seed: 1 + (j % def.seeds.count),
      verdict: cell % 3 === 0 ? 'metastable' : 'recovered',
      recoverySeconds: cell % 3 === 0 ? null : j % 7,
      goodputBefore: 100,
      goodputAfter: j % 100,
      peakQueue: j,
      wastedPerSecond: 0,
      retriesPerOperation: 0,
      loop: null,
      loopGain: null,
      ...QUIET_FIGURES,
    });
  }
  return runs;
}

describe('a sweep of a million runs', () => {
  it('aggregates, tabulates and writes its CSV without overflowing the stack', () => {
    const def = grid(1000, 100, 10);
    const runs = runsOf(def);
    expect(runs).toHaveLength(1_000_000);
    // Finished in any order: the file sorts them.
    runs.reverse();
    const f = buildSweepFile('0', def, runs, null, def.jobs);
    expect([f.complete, f.cells.length]).toEqual([true, 100_000]);
    expect(f.cells[99_999]?.peakQueue?.max).toBe(999_999);
    expect(f.cells[1]?.recoverySeconds?.n).toBe(10);
    expect(formatSweepTable(f).split('\n')).toHaveLength(100_002);
    expect(formatSweepCsv(f).split('\n')).toHaveLength(1_000_002);
  });

  it('takes the extent of a million values', () => {
    expect(extentOf(Array.from({ length: 1_000_000 }, (_, i) => i - 5))).toEqual([-5, 999_994]);
    expect(extentOf([])).toEqual([Infinity, -Infinity]);
  });

  it('draws a phase diagram whose axis has 1,000 values', async () => {
    const def = grid(1000, 2, 1);
    const f = buildSweepFile('0', def, runsOf(def), null, def.jobs);
    const svg = await renderSvg(buildSweepCharts(f)[0]?.spec ?? {});
    expect(svg).toContain('>1000<');
  });
});
