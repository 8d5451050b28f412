/**
 * The tables of compare, `run --seeds` and sweep, on the terminal and on the
 * pages, carry the diagnosis figures: the peak backlog with the stock that
 * holds it in words, the damage, the time left to drain and the swings.
 */
import { describe, expect, it } from 'vitest';
import { formatReplicationsTable, formatSweepTable } from '../../sim/cli/sweep-table.js';
import type { RunFigures } from '../../sim/sweep/figures.js';
import { COMPARE_FORMAT, buildReplicationsFile } from '../../sim/sweep/replications.js';
import { buildSweepFile, type SweepDefinition } from '../../sim/sweep/sweep-file.js';
import { renderComparePage } from '../../reports/compare-page.js';
import { renderSweepPage } from '../../reports/sweep-page.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

const LIBRARIES = { vega: '', vegaLite: '', vegaEmbed: '' };

const calm: RunFigures = {
  verdict: 'recovered',
  recoverySeconds: 3,
  goodputBefore: 100,
  goodputAfter: 100,
  peakQueue: 2,
  wastedPerSecond: 0,
  retriesPerOperation: 0,
  loop: null,
  loopGain: null,
  ...QUIET_FIGURES,
  peakBacklog: 2,
  backlogStock: 'api.queue',
  lostOperations: 50,
  worstGoodputShare: 0.8,
  secondsBelowHalf: 0,
};
const stuck: RunFigures = {
  ...calm,
  verdict: 'draining',
  recoverySeconds: null,
  peakQueue: 0,
  peakBacklog: 12000,
  backlogStock: 'api->db.pool.waiting',
  lostOperations: 90000,
  worstGoodputShare: 0.03,
  secondsBelowHalf: 390,
  drainSeconds: 120,
  oscillation: 'api->db.breaker',
  periodSeconds: 3,
};
const header = (label: string) => ({ label, dir: label, scenario: label, file: `${label}.yaml`, overrides: [] });
const file = buildReplicationsFile(COMPARE_FORMAT, '0', { from: 1, count: 1 }, [header('calm'), header('stuck')], [[calm], [stuck]]);

describe('the replications table', () => {
  const text = formatReplicationsTable(file);
  const row = (start: string): string => text.split('\n').find((l) => l.startsWith(start)) ?? '';

  it('gives the peak backlog beside the peak queue, with the stock that holds it in words', () => {
    expect(row('peak queue')).toMatch(/2\.0\s+0\.0$/);
    expect(row('peak backlog')).toMatch(/2\.0\s+12,000$/);
    expect(row('  in')).toMatch(/api\.queue \(waiting for a worker\)\s+api->db\.pool\.waiting \(waiting for a pool connection\)$/);
  });

  it('gives the damage, the time left to drain and what swings', () => {
    expect(row('operations lost')).toMatch(/50\.0\s+90,000$/);
    expect(row('worst goodput, share of normal')).toMatch(/0\.8\s+0\.03$/);
    expect(row('time below half of normal goodput')).toMatch(/0\.0\s+390$/);
    expect(row('time left to drain')).toMatch(/-\s+120$/);
    expect(row('period of the swing')).toMatch(/-\s+3\.0$/);
    expect(row('swinging')).toMatch(/none\s+api->db\.breaker$/);
  });

  it('puts the same rows on the compare page', () => {
    const html = renderComparePage({ file, scenarios: [], charts: [], libraries: LIBRARIES });
    expect(html).toContain(
      '<tr><th>the stock that grew most</th><td class="unit"></td><td class="num names">api.queue (waiting for a worker)</td><td class="num names">api-&gt;db.pool.waiting (waiting for a pool connection)</td></tr>',
    );
    for (const label of ['peak backlog', 'operations lost', 'time left to drain', 'period of the swing', 'what swings'])
      expect(html).toContain(`<th>${label}</th>`);
  });
});

describe('the sweep table', () => {
  const def: SweepDefinition = {
    scenario: { name: 't', description: '', file: 't.yaml' },
    sets: [],
    hysteresis: false,
    seeds: { from: 1, count: 2 },
    cells: 1,
    jobs: 2,
    axes: [{ source: '--vary a=1', field: 'a', unit: '', labels: ['1'], numbers: [1] }],
  };
  const f = buildSweepFile(
    '0',
    def,
    [
      { cell: 0, seed: 1, ...calm },
      { cell: 0, seed: 2, ...stuck },
    ],
    null,
    2,
  );

  it('has a column for the peak backlog, the operations lost, the drain and the share that swings', () => {
    const [head, line] = formatSweepTable(f).split('\n');
    expect(head).toMatch(/recovery \(s\)\s+peak backlog\s+operations lost\s+drain \(s\)\s+swinging$/);
    expect(line).toMatch(/\s50%$/);
  });

  it('puts them on the sweep page too', () => {
    const html = renderSweepPage({ file: f, charts: [], libraries: LIBRARIES });
    expect(html).toContain('<th>the stock that grew most</th>');
    expect(html).toContain('<td>api.queue (waiting for a worker) 1/2, api-&gt;db.pool.waiting (waiting for a pool connection) 1/2</td>');
    expect(html).toContain('<td class="num">50%</td>');
  });
});
