/**
 * runs.jsonl read back: the header names the sweep, each line one run; a
 * last line cut by a kill is left out, a damaged line is named, and only a
 * log of the same sweep counts as the same sweep.
 */
import { describe, expect, it } from 'vitest';
import { formatRunLogHeader, formatRunLogLine, isSameSweep, parseRunLog } from '../../sim/sweep/run-log.js';
import type { SweepDefinition, SweepRun } from '../../sim/sweep/sweep-file.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

const DEF: SweepDefinition = {
  scenario: { name: 'x', description: '', file: 'x.yaml' },
  sets: [],
  axes: [{ source: '--vary a=1,2', field: 'a', unit: '', labels: ['1', '2'], numbers: [1, 2] }],
  hysteresis: false,
  seeds: { from: 7, count: 2 },
  cells: 2,
  jobs: 4,
};

const run = (cell: number, seed: number): SweepRun => ({
  cell,
  seed,
  verdict: 'recovered',
  recoverySeconds: 1.5,
  goodputBefore: 10,
  goodputAfter: 9.5,
  peakQueue: 3,
  wastedPerSecond: 0,
  retriesPerOperation: 0.1,
  loop: null,
  loopGain: null,
  ...QUIET_FIGURES,
});

describe('runs.jsonl', () => {
  const text = formatRunLogHeader('1.0.0', DEF, null) + formatRunLogLine(run(1, 8)) + formatRunLogLine(run(0, 7));

  it('reads back the header and every whole line, in file order', () => {
    const r = parseRunLog(text, 'runs.jsonl');
    expect(r.ok && r.value.runs).toEqual([run(1, 8), run(0, 7)]);
    expect(r.ok && r.value.wholeLength).toBe(text.length);
    expect(r.ok && isSameSweep(r.value.header, '1.0.0', DEF, null)).toBe(true);
    expect(r.ok && isSameSweep(r.value.header, '1.0.1', DEF, null)).toBe(false);
    expect(r.ok && isSameSweep(r.value.header, '1.0.0', { ...DEF, seeds: { from: 8, count: 2 } }, null)).toBe(false);
    expect(r.ok && isSameSweep(r.value.header, '1.0.0', DEF, { index: 1, count: 2 })).toBe(false);
  });

  it('leaves out a last line cut in the middle of its write', () => {
    const cut = text + formatRunLogLine(run(1, 7)).slice(0, 25);
    const r = parseRunLog(cut, 'runs.jsonl');
    expect(r.ok && r.value.runs).toHaveLength(2);
    expect(r.ok && r.value.wholeLength).toBe(text.length);
  });

  it('names the line of a damaged record, a run outside the grid, and a run twice', () => {
    const bad = (extra: string): unknown => {
      const r = parseRunLog(text + extra, 'out/runs.jsonl');
      return r.ok ? 'accepted' : r.issues;
    };
    expect(bad('{"cell": 0\n')).toEqual(['out/runs.jsonl:4: not a run record (not JSON).']);
    expect(bad(formatRunLogLine({ ...run(0, 8), verdict: 'fine' as never }))).toEqual([
      expect.stringMatching(/^out\/runs\.jsonl:4: not a run record \(verdict: /),
    ]);
    expect(bad(formatRunLogLine(run(2, 7)))).toEqual(["out/runs.jsonl:4: cell 2 is outside the grid's 2 cells."]);
    expect(bad(formatRunLogLine(run(0, 7)))).toEqual(['out/runs.jsonl:4: cell 0, seed 7 appears twice.']);
    const r = parseRunLog('{"format":"something else"}\n', 'runs.jsonl');
    expect(r.ok ? 'accepted' : r.issues[0]).toMatch(/^runs\.jsonl:1: not the header of a loopsim sweep's runs \(format: /);
  });
});
