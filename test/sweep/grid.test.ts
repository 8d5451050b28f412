/**
 * The grid of a sweep (`--vary`), its cells, and the shards that split its jobs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../sim/scenario/parse.js';
import { expandGrid, parseRange, parseVary, type SweepAxis } from '../../sim/sweep/grid.js';
import { inShard, parseShard, shardJobs } from '../../sim/sweep/shard.js';

function axis(arg: string): SweepAxis {
  const r = parseVary(arg);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.value;
}

function refusal(arg: string): string {
  const r = parseVary(arg);
  if (r.ok) throw new Error('expected a refusal');
  return formatIssues(r.issues);
}

describe('parseVary', () => {
  it('reads a duration range, setting seconds and labelling in the unit written', () => {
    const a = axis('faults[0].for=5s:40s:5s');
    expect(a.field).toBe('faults[0].for');
    expect(a.path).toEqual(['faults', 0, 'for']);
    expect(a.values).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    expect(a.labels).toEqual(['5s', '10s', '15s', '20s', '25s', '30s', '35s', '40s']);
    expect(a.unit).toBe('s');
  });

  it('steps without float drift and keeps the end when it falls on a step', () => {
    expect(axis('x=0.1:0.5:0.1').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(axis('x=100ms:1s:300ms').labels).toEqual(['100ms', '400ms', '700ms', '1s']);
    expect(axis('x=1:10:4').values).toEqual([1, 5, 9]);
  });

  it('reads percentages as fractions, shown in percent', () => {
    const a = axis('services.api.errorRate=10%:30%:10%');
    expect(a.values).toEqual([0.1, 0.2, 0.3]);
    expect(a.numbers).toEqual([10, 20, 30]);
    expect(a.labels).toEqual(['10%', '20%', '30%']);
  });

  it('reads lists as YAML values', () => {
    const a = axis('clients.checkout.retry.jitter=none,full,equal');
    expect(a.values).toEqual(['none', 'full', 'equal']);
    expect(a.numbers).toEqual([null, null, null]);
    expect(axis('services.gateway.workers=16,24,32').numbers).toEqual([16, 24, 32]);
  });

  it('refuses ranges it cannot read, naming the argument', () => {
    expect(refusal('faults[0].for=40s:5s:5s')).toContain('the range ends (5s) below where it starts (40s)');
    expect(refusal('faults[0].for=5s:40s:0s')).toContain('the step (0s) must be above 0');
    expect(refusal('x=5s:50%:5s')).toContain('mix durations and percentages');
    expect(refusal('x=5 s:40s:5s')).toContain('"5 s" is not a number');
    expect(refusal('x=1:100000:1')).toContain('at most 1000');
    expect(refusal('faults[0].for')).toContain('→ at --vary faults[0].for');
  });

  it('reads lo:hi for a tipping search', () => {
    const r = parseRange('1s:60s', false);
    expect(r.ok && r.value).toEqual({ from: 1, to: 60, step: null, unit: 's' });
  });
});

describe('expandGrid', () => {
  const x = axis('a=1,2,3');
  const y = axis('b=10,20');

  it('orders cells with the first axis fastest', () => {
    expect(expandGrid([x, y], false).map((c) => c.at)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it('doubles a hysteresis grid, the untriggered branch first', () => {
    const cells = expandGrid([x], true);
    expect(cells.map((c) => [c.index, c.branch, c.at[0]])).toEqual([
      [0, 'untriggered', 0],
      [1, 'untriggered', 1],
      [2, 'untriggered', 2],
      [3, 'triggered', 0],
      [4, 'triggered', 1],
      [5, 'triggered', 2],
    ]);
  });
});

describe('shards', () => {
  it('reads k/n and refuses what is not a slice', () => {
    expect(parseShard('2/8')).toEqual({ ok: true, value: { index: 2, count: 8 }, warnings: [] });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(parseShard(bad).ok, bad).toBe(false);
  });

  it('puts every job in exactly one shard, interleaved', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20 }), (total, count) => {
        const seen = new Array<number>(total).fill(0);
        for (let k = 1; k <= count; k += 1) {
          const jobs = shardJobs(total, { index: k, count });
          for (const j of jobs) {
            seen[j] = (seen[j] ?? 0) + 1;
            expect(inShard(j, { index: k, count })).toBe(true);
          }
          expect(jobs).toEqual([...jobs].sort((a, b) => a - b));
        }
        expect(seen.every((n) => n === 1)).toBe(true);
      }),
      { seed: 7 },
    );
    expect(shardJobs(7, { index: 2, count: 3 })).toEqual([1, 4]);
    expect(shardJobs(3, null)).toEqual([0, 1, 2]);
  });
});
