/**
 * Property-based tests over random valid scenarios (arbitraries.ts): every
 * generated document goes through `parseScenario` as text, then a short
 * `simulate`, and the run must keep every invariant visible in its outputs.
 *
 * CI runs a pinned seed. `npm run fuzz` runs the same properties long, with a
 * random seed shown in the test names and printed first. To replay a failure,
 * take the seed and path from fast-check's message:
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH="<path>" npx vitest run test/robustness/fuzz.test.ts -t "<test name>"
 *
 * (the path belongs to one property, hence `-t`). The counterexample prints
 * the scenario as YAML; saved to a file, `loopsim run` replays it too.
 *
 * Environment: FUZZ=long (long mode), FUZZ_SEED, FUZZ_RUNS (runs per property), FUZZ_PATH.
 */
import fc from 'fast-check';
import { announce, long, params, runs as fuzzRuns, seed } from './settings.js';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RunAborted } from '../../sim/engine/run.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { simulate, type SimulationResult } from '../../sim/simulate.js';
import { assertConserves, assertDeterministic } from '../helpers/contracts.js';
import { scenarioDocArb, type Doc } from './arbitraries.js';
import { runViolations } from './invariants.js';

/** A small scenario that runs cleanly, for checking the checks. */
const CLEAN = `
duration: 20s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 50 }, timeout: 50ms }
services:
  api: { workers: 2, serviceTime: { dist: exponential, mean: 10ms } }
`;

/** Runs per property: sized so the whole file takes about 20 s on 2 cores in CI. */
const runs = (ci: number): number => fuzzRuns(ci, 50);
announce('fuzz');

/**
 * Shrinking re-runs the simulation for every candidate, so it is capped:
 * a failure is reported within a minute or so, with the seed and path to
 * replay it and a scenario already much smaller than the first one found.
 */
const SHRINKS = long ? 1000 : 150;

/**
 * The run property takes about 22 s on a quiet 2-core machine and three times that on a busy one: it gets
 * its own limit, above the suite's 60 s, so that a loaded CI machine does not fail it for being slow.
 */
const RUN_TIMEOUT_MS = 180_000;

/** Guards that keep one run to milliseconds; tripping one is a clean `RunAborted`, which passes. */
const LIMITS = { maxEvents: 200_000, maxInflight: 20_000 } as const;

/** A generated scenario as text, printed as YAML when fast-check reports it. */
interface Case {
  readonly doc: Doc;
  readonly text: string;
  readonly format: 'yaml-block' | 'yaml-flow' | 'json';
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(scenarioDocArb(), fc.constantFrom<Case['format']>('yaml-block', 'yaml-flow', 'json'))
  .map(([doc, format]) => {
    const text =
      format === 'json' ? JSON.stringify(doc, null, 1) : stringify(doc, { collectionStyle: format === 'yaml-flow' ? 'flow' : 'block' });
    return {
      doc,
      text,
      format,
      [fc.toStringMethod]: () => `\n--- scenario (${format}) ---\n${format === 'json' ? stringify(doc) : text}---`,
    };
  });

/** Fails with the issues and the scenario's text. */
function parseOrFail(c: Case): NormalizedScenario {
  const r = parseScenario(c.text, 'fuzz.yaml');
  if (!r.ok) throw new Error(`The parser refused a document the schema allows:\n${formatIssues(r.issues)}\n--- scenario ---\n${c.text}`);
  return r.value;
}

/** Runs a case: the result, or null when a guard stopped it cleanly. */
function runCase(sc: NormalizedScenario): SimulationResult | null {
  try {
    return assertDeterministic(() => simulate(sc, LIMITS));
  } catch (e) {
    if (e instanceof RunAborted) return null;
    throw e;
  }
}

describe(`fuzz: random valid scenarios (seed: ${seed})`, () => {
  it('the parser accepts every document the schema allows, in YAML block, YAML flow and JSON form', () => {
    fc.assert(
      fc.property(fc.limitShrink(caseArb, SHRINKS), (c) => {
        parseOrFail(c);
      }),
      params(runs(150)),
    );
  });

  it('YAML and JSON renderings of a document normalize to the same scenario', () => {
    fc.assert(
      fc.property(fc.limitShrink(scenarioDocArb(), SHRINKS), (doc) => {
        const a = parseScenario(stringify(doc), 'same.yaml');
        const b = parseScenario(JSON.stringify(doc), 'same.yaml');
        // Warnings carry lines and columns, which differ between the renderings; the scenarios must not.
        const show = (r: typeof a): string => (r.ok ? JSON.stringify(r.value) : formatIssues(r.issues));
        if (show(a) !== show(b)) throw new Error(`YAML and JSON differ:\n${show(a)}\n---\n${show(b)}\n--- scenario ---\n${stringify(doc)}`);
      }),
      params(runs(60)),
    );
  });

  it(
    'a run never throws (but RunAborted), conserves every request, is deterministic, and keeps every invariant',
    () => {
      let aborted = 0;
      let ran = 0;
      fc.assert(
        fc.property(fc.limitShrink(caseArb, SHRINKS), (c) => {
          const sc = parseOrFail(c);
          let res: SimulationResult | null;
          try {
            res = runCase(sc);
          } catch (e) {
            const err = e as Error;
            throw new Error(`The run threw ${err.constructor.name}: ${err.message}\n${err.stack ?? ''}\n--- scenario ---\n${c.text}`);
          }
          ran++;
          if (res === null) {
            aborted++;
            return;
          }
          const done = res;
          try {
            assertConserves(() => done);
          } catch (e) {
            throw new Error(`${(e as Error).message}\n--- scenario ---\n${c.text}`);
          }
          const violations = runViolations(done);
          if (violations.length > 0) throw new Error(`Invariants broke:\n  ${violations.join('\n  ')}\n--- scenario ---\n${c.text}`);
        }),
        params(runs(280)),
      );
      // Most runs must get through: a generator whose runs all abort would test nothing.
      expect(aborted, `${aborted} of ${ran} runs stopped at a guard`).toBeLessThan(Math.max(1, ran * 0.25));
    },
    RUN_TIMEOUT_MS,
  );

  it('the checks themselves catch a negative stock, a NaN in summary.json, a busy peak over capacity and a lost request', () => {
    const parsed = parseScenario(CLEAN, 'clean.yaml');
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const res = simulate(parsed.value);
    expect(runViolations(res)).toEqual([]);
    const series = (name: string) => res.series.series.find((s) => s.name === name);
    const queue = series('api.queue');
    const busy = series('api.busy');
    const arrivals = series('api.arrivals');
    if (queue?.kind !== 'stock' || busy?.kind !== 'stock' || arrivals?.kind !== 'rate') throw new Error('series missing');
    queue.mean[3] = -1;
    busy.max[4] = 3;
    (res.summary.metrics['api.latency'] as { mean: number }).mean = Number.NaN;
    const found = runViolations(res).join('\n');
    expect(found).toContain('api.queue[3]: mean -1');
    expect(found).toContain('api.busy peaked at 3, above workers 2 x instances 1');
    expect(found).toContain('summary.metrics.api.latency.mean = NaN');
    const lost = {
      ...res,
      series: { ...res.series, series: res.series.series.map((s) => (s === arrivals ? { ...arrivals, total: arrivals.total + 1 } : s)) },
    };
    expect(() => assertConserves(() => lost)).toThrow(/service api: arrivals \d+ != completed/);
    expect(() =>
      assertDeterministic(
        (() => {
          let n = 0;
          return () => ({ n: n++ });
        })(),
      ),
    ).toThrow(/Not deterministic/);
  });
});
