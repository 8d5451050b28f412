/**
 * Text from a file never reaches the terminal, Markdown or a spreadsheet
 * raw: control characters are shown as escapes, HTML in `list --markdown`
 * as text, and a sweep.csv cell that a spreadsheet would run as a formula
 * starts with an apostrophe.
 */
import { describe, expect, it } from 'vitest';
import { neutralizeControls } from '../../sim/cli/io.js';
import { formatScenarioMarkdown } from '../../sim/cli/list.js';
import { buildSweepFile, formatSweepCsv, type SweepDefinition } from '../../sim/sweep/sweep-file.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

describe('escaping text from files', () => {
  it('shows control characters as escapes, keeping newlines and tabs', () => {
    expect(neutralizeControls('story \u001b[2J\u0007 ends\n\tnext \u009b')).toBe('story \\x1b[2J\\x07 ends\n\tnext \\x9b');
  });

  it('list --markdown shows HTML as text', () => {
    const md = formatScenarioMarkdown([
      { file: 'x.yaml', name: 'x', story: '<img src=x onerror=alert(1)> & more', faults: [], expects: '' },
    ]);
    expect(md).toContain('| &lt;img src=x onerror=alert(1)&gt; &amp; more |');
  });

  it('sweep.csv defuses formulas in text cells, not negative numbers', () => {
    const def: SweepDefinition = {
      scenario: { name: 'x', description: '', file: 'x.yaml' },
      sets: [],
      axes: [{ source: '--vary a=x', field: 'a', unit: '', labels: ['=HYPERLINK("http://evil")', '-1'], numbers: [null, -1] }],
      hysteresis: false,
      seeds: { from: 1, count: 1 },
      cells: 2,
      jobs: 2,
    };
    const run = (cell: number) => ({
      cell,
      seed: 1,
      verdict: 'stable' as const,
      recoverySeconds: null,
      goodputBefore: 1,
      goodputAfter: 1,
      peakQueue: 0,
      wastedPerSecond: 0,
      retriesPerOperation: 0,
      loop: null,
      loopGain: null,
      ...QUIET_FIGURES,
    });
    const rows = formatSweepCsv(buildSweepFile('t', def, [run(0), run(1)], null, 2)).split('\n');
    expect(rows[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\)",1,stable,/);
    expect(rows[2]).toMatch(/^-1,1,stable,/);
  });
});
