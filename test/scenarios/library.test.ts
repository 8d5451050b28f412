/**
 * The scenario library as a test: every file in scenarios/ parses cleanly
 * (no warning but the design lints its story is about),
 * runs with its own seed, meets every one of its expectations, and ends with
 * the verdict its role promises: a broken scenario shows its failure (a
 * metastable verdict, or for the few whose failure is not a collapse, the
 * verdict it declares, with the failure pinned by metric expectations); a
 * fixed one recovers (or is stable).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintCode } from '../../sim/scenario/issue.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { simulate } from '../../sim/simulate.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const SCHEMA_LINE = '# yaml-language-server: $schema=./schema.json';

/**
 * Broken scenarios whose failure is not a metastable collapse, with what
 * they show instead. Each must declare its verdict and pin the failure by the
 * verdict's oscillation (`oscillates: <series>`); their fixed twins pin
 * `oscillates: false`.
 */
const NOT_A_COLLAPSE: Readonly<Record<string, string>> = {
  'autoscaler-overshoot': 'the autoscaler overshoots and undershoots; users are served again by the end',
  'thundering-herd': 'a minute-long train of retry waves that dissolves as each wave lets a slice through',
};

/**
 * Broken scenarios with no loop at all: the damage lasts exactly as long as
 * the fault, and the verdict truthfully reads recovered. Each declares that
 * verdict and pins the damage inside the fault's window with at least two
 * metrics (`from` and `to` within it); the fixed twin, like every fixed one,
 * pins its own goodput and recovery.
 */
const OUTAGE_ONLY: Readonly<Record<string, string>> = {
  sinkhole: 'least-request sends a crashed pod nearly every request until it restarts; no loop keeps it going after',
};

/**
 * Library scenarios whose design trips a design lint, where the warning is
 * right; every other file must trip none.
 */
const DESIGN_LINTS: Readonly<Record<string, readonly LintCode[]>> = {
  // The client and the call to the gateway both retry at once, without a budget: the storm's amplifier.
  'retry-storm': ['layered-retries'],
  // Shoppers and the catalog's call to the database both retry: part of the stampede's load.
  'cache-stampede': ['layered-retries'],
  // The fix is coalescing and TTL jitter; the 2 x 2 retries stay, and the warning about them is still true.
  'cache-stampede-fixed': ['layered-retries'],
  // Readers and the profile service's call to the database both retry, as in cache-stampede; the fix leaves them.
  'cache-thrash': ['layered-retries'],
  'cache-thrash-fixed': ['layered-retries'],
  // The 10 s inventory timeout under the shoppers' 1 s one: the missing "short fuse" of the story.
  'connection-pool-exhaustion': ['timeout-inversion'],
  // The same 10 s query timeout under the shoppers' 1 s: the fixed twin brings it to 500 ms.
  'slow-creep': ['timeout-inversion'],
  // Three services each retry their callee three times without a budget: the failure the pair exists to show.
  'layered-retries': ['layered-retries'],
};

/** Most events a library run may take: keeps the whole library fast enough for CI. */
const MAX_EVENTS_PER_RUN = 3_000_000;

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const stem = (f: string): string => f.replace(/\.yaml$/, '');
const isFixed = (name: string): boolean => name.endsWith('-fixed');

function load(file: string): { text: string; scenario: NormalizedScenario; lints: LintCode[] } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const r = parseScenario(text, file);
  if (!r.ok) throw new Error(`${file} does not parse: ${r.issues.map((i) => i.message).join('; ')}`);
  expect(r.warnings.filter((w) => w.lint === undefined).map((w) => w.message)).toEqual([]);
  return { text, scenario: r.value, lints: r.warnings.flatMap((w) => (w.lint === undefined ? [] : [w.lint.code])) };
}

describe('the scenario library', () => {
  it('holds broken/fixed pairs and nothing else', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    const names = new Set(files.map(stem));
    for (const name of names) {
      const partner = isFixed(name) ? name.slice(0, -'-fixed'.length) : `${name}-fixed`;
      expect(names.has(partner), `${name} has no partner ${partner}.yaml`).toBe(true);
    }
  });

  describe.each(files)('%s', (file) => {
    const { text, scenario, lints } = load(file);
    const name = stem(file);

    it('trips exactly the design lints its story is about', () => {
      expect(lints).toEqual(DESIGN_LINTS[name] ?? []);
    });

    it('starts with the schema line, is named after its file and tells a story', () => {
      expect(text.split('\n')[0]).toBe(SCHEMA_LINE);
      expect(scenario.name).toBe(name);
      // Trigger, loop and damper take a few paragraphs; a one-liner is not a story.
      expect(scenario.description.split(/\n\s*\n/).length).toBeGreaterThanOrEqual(3);
      expect(scenario.faults.length).toBeGreaterThan(0);
    });

    it('declares the verdict its role promises, and pins the behaviour with metrics', () => {
      const verdicts = scenario.expect.flatMap((e) => (e.kind === 'verdict' ? [e.is] : []));
      expect(verdicts).toHaveLength(1);
      const declared = verdicts[0] ?? [];
      const metrics = scenario.expect.filter((e) => e.kind === 'metric').length;
      if (isFixed(name)) {
        expect(declared.every((k) => k === 'recovered' || k === 'stable')).toBe(true);
        expect(scenario.expect.some((e) => e.kind === 'recovers')).toBe(true);
        expect(metrics).toBeGreaterThanOrEqual(2);
        if (name.slice(0, -'-fixed'.length) in NOT_A_COLLAPSE) {
          expect(scenario.expect.some((e) => e.kind === 'oscillates' && e.what === false)).toBe(true);
        }
      } else if (name in OUTAGE_ONLY) {
        expect(declared).toEqual(['recovered']);
        const last = Math.max(...scenario.faults.map((f) => f.at + f.for));
        const inside = scenario.expect.filter((e) => e.kind === 'metric' && e.from >= scenario.faults[0]!.at && e.to <= last);
        expect(inside.length).toBeGreaterThanOrEqual(2);
      } else if (name in NOT_A_COLLAPSE) {
        expect(scenario.expect.some((e) => e.kind === 'oscillates' && typeof e.what === 'string')).toBe(true);
        expect(metrics).toBeGreaterThanOrEqual(1);
      } else {
        expect(declared).toEqual(['metastable']);
        expect(metrics).toBeGreaterThanOrEqual(2);
      }
    });

    it('runs with its own seed, meets every expectation and ends with that verdict', () => {
      const res = simulate(scenario);
      const failed = res.summary.expectations.filter((e) => !e.ok).map((e) => `${e.text} (actual ${String(e.actual)})`);
      expect(failed).toEqual([]);
      const kind = res.summary.verdict.kind;
      if (isFixed(name)) expect(['recovered', 'stable']).toContain(kind);
      else if (name in OUTAGE_ONLY) expect(kind).toBe('recovered');
      else if (!(name in NOT_A_COLLAPSE)) expect(kind).toBe('metastable');
      expect(res.summary.events).toBeLessThan(MAX_EVENTS_PER_RUN);
    });
  });
});
