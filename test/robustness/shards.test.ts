/**
 * Hostile shard files: a set of shards of one generated sweep, one of them
 * damaged (truncated, a field retyped or pushed out of range, a cell outside
 * the grid, a run duplicated or moved to another shard, a shard of another
 * sweep or of an edited scenario), then read and merged as `loopsim merge`
 * does. Never a throw: either the merge is refused with issues that name the
 * damaged file, or (when the damage happened to leave a valid file) what is
 * merged passes the same check and stays inside the grid.
 *
 * CI pins the seed; FUZZ=long runs longer with a random one.
 * Replay: FUZZ_SEED=<seed> FUZZ_PATH="<path>" npx vitest run test/robustness/shards.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSweepFiles } from '../../sim/sweep/merge.js';
import { checkSweepFile } from '../../sim/sweep/sweep-check.js';
import { shardJobs } from '../../sim/sweep/shard.js';
import { buildSweepFile, formatSweepJson, jobPosition, type SweepDefinition, type SweepRun } from '../../sim/sweep/sweep-file.js';
import { announce, params, runs, seed } from './settings.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

announce('shards');

const VERDICTS = ['stable', 'overloaded', 'recovered', 'metastable'] as const;

/** A sweep definition: one or two axes of 1 to 4 values, 1 to 3 seeds, maybe hysteresis. */
const definitionArb: fc.Arbitrary<SweepDefinition> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
    seeds: fc.integer({ min: 1, max: 3 }),
    from: fc.nat(1000),
    hysteresis: fc.boolean(),
  })
  .map(({ sizes, seeds, from, hysteresis }) => {
    const axes = (hysteresis ? sizes.slice(0, 1) : sizes).map((n, k) => {
      const numbers = Array.from({ length: n }, (_, i) => i + 1);
      return { source: `--vary a${k}=1:${n}:1`, field: `a${k}`, unit: '' as const, labels: numbers.map(String), numbers };
    });
    const cells = axes.reduce((m, a) => m * a.labels.length, 1) * (hysteresis ? 2 : 1);
    return {
      scenario: { name: 'fuzz', description: '', file: 'fuzz.yaml', digest: '0'.repeat(64) },
      sets: [],
      axes,
      hysteresis,
      seeds: { from, count: seeds },
      cells,
      jobs: cells * seeds,
    };
  });

function runOf(def: SweepDefinition, j: number): SweepRun {
  const v = VERDICTS[j % 4] ?? 'stable';
  return {
    ...jobPosition(def, j),
    verdict: v,
    recoverySeconds: v === 'recovered' ? j / 4 : null,
    goodputBefore: 100,
    goodputAfter: j,
    peakQueue: j * 3,
    wastedPerSecond: 0.5,
    retriesPerOperation: j / 7,
    loop: j % 2 === 0 ? null : 'retry',
    loopGain: j % 2 === 0 ? null : 1 + j / 10,
    ...QUIET_FIGURES,
  };
}

/** The texts of `count` shards of `def`, as the sweep writes them. */
function shardTexts(def: SweepDefinition, count: number): string[] {
  return Array.from({ length: count }, (_, k) => {
    const shard = { index: k + 1, count };
    const jobs = shardJobs(def.jobs, shard);
    return formatSweepJson(
      buildSweepFile(
        '0.2.0',
        def,
        jobs.map((j) => runOf(def, j)),
        shard,
        jobs.length,
      ),
    );
  });
}

/** A JSON value of any kind, for retyping. */
const junkArb = fc.oneof(
  fc.constantFrom<unknown>(null, true, '', '../../x', -1, 1e12, 1.5, Number.MAX_SAFE_INTEGER + 2, [], {}, 'NaN', '\u001b[2J'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

type Damage = (text: string, other: string) => string;

/** Each kind of damage, applied to one shard's text (`other` is a shard of another sweep). */
const damageArb: fc.Arbitrary<{ name: string; apply: Damage }> = fc.oneof(
  fc.nat().map((n) => ({ name: `truncated at ${n}`, apply: (t: string) => t.slice(0, n % t.length) })),
  fc.tuple(fc.nat(), junkArb).map(([n, v]) => ({
    name: `field #${n} set to ${JSON.stringify(v)}`,
    apply: (t: string) => {
      const fields: { parent: Record<string, unknown>; key: string }[] = [];
      const walk = (o: unknown): void => {
        if (typeof o !== 'object' || o === null) return;
        for (const [key, child] of Object.entries(o)) {
          fields.push({ parent: o as Record<string, unknown>, key });
          walk(child);
        }
      };
      const f = JSON.parse(t) as unknown;
      walk(f);
      const at = fields[n % fields.length];
      if (at !== undefined) at.parent[at.key] = v;
      return JSON.stringify(f);
    },
  })),
  fc.nat().map((n) => ({
    name: `run #${n} outside the grid`,
    apply: (t: string) =>
      edit(t, (f) => {
        const r = f.runs[n % Math.max(1, f.runs.length)];
        if (r !== undefined) r.cell = f.definition.cells + (n % 3);
      }),
  })),
  fc.nat().map((n) => ({
    name: `run #${n} twice`,
    apply: (t: string) => edit(t, (f) => f.runs.push({ ...f.runs[n % Math.max(1, f.runs.length)] })),
  })),
  fc.constant({ name: 'a shard of another sweep', apply: (_t: string, other: string) => other }),
  fc.constant({ name: 'an edited scenario', apply: (t: string) => edit(t, (f) => (f.definition.scenario.digest = '1'.repeat(64))) }),
  fc.constant({
    name: 'another shard count',
    apply: (t: string) => edit(t, (f) => (f.shard = { index: 1, count: (f.shard?.count ?? 1) + 1 })),
  }),
);

function edit(text: string, change: (f: any) => void): string {
  const f = JSON.parse(text) as unknown;
  change(f);
  return JSON.stringify(f);
}

/** `loopsim merge`'s pure steps on texts: parse, check, merge. */
function mergeTexts(texts: readonly string[], names: readonly string[]): { ok: true; text: string } | { ok: false; issues: string[] } {
  const files = [];
  for (const [i, t] of texts.entries()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return { ok: false, issues: [`${names[i]}: not JSON`] };
    }
    const c = checkSweepFile(parsed, names[i] ?? '');
    if (!c.ok) return c;
    files.push(c.value);
  }
  const m = mergeSweepFiles(files, names);
  return m.ok ? { ok: true, text: formatSweepJson(m.value) } : m;
}

describe(`hostile shard files (seed: ${seed})`, () => {
  it('undamaged shards merge into the whole sweep', () => {
    fc.assert(
      fc.property(definitionArb, fc.integer({ min: 1, max: 4 }), (def, n) => {
        const names = Array.from({ length: n }, (_, k) => `s${k + 1}`);
        const whole = formatSweepJson(
          buildSweepFile(
            '0.2.0',
            def,
            Array.from({ length: def.jobs }, (_, j) => runOf(def, j)),
            null,
            def.jobs,
          ),
        );
        expect(mergeTexts(shardTexts(def, n), names)).toEqual({ ok: true, text: whole });
      }),
      params(runs(100, 20)),
    );
  });

  it('a damaged shard is refused with its name, or merges into a file that passes the check; never a throw', () => {
    fc.assert(
      fc.property(definitionArb, definitionArb, fc.integer({ min: 1, max: 4 }), fc.nat(), damageArb, (def, otherDef, n, pick, damage) => {
        const texts = shardTexts(def, n);
        const names = texts.map((_, k) => `s${k + 1}/sweep.json`);
        const victim = pick % n;
        const other = shardTexts({ ...otherDef, sets: ['other'] }, 1)[0] ?? '';
        texts[victim] = damage.apply(texts[victim] ?? '', other);
        const r = mergeTexts(texts, names);
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          expect(r.issues.join('\n')).toContain(`s${victim + 1}`);
          return;
        }
        const again = checkSweepFile(JSON.parse(r.text), 'merged');
        expect(again.ok).toBe(true);
        if (again.ok) for (const run of again.value.runs) expect(run.cell).toBeLessThan(again.value.definition.cells);
      }),
      params(runs(400, 25)),
    );
  });
});
