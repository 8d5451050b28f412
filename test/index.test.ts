import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../sim/index.js';

describe('public API', () => {
  it('loads a scenario file and simulates it, as the README shows', () => {
    const loaded = api.loadScenarioFile('scenarios/retry-storm-fixed.yaml');
    if (!loaded.ok) throw new Error(api.formatIssues([...loaded.issues]));
    const { summary } = api.simulate(loaded.scenario, { seed: 7 });
    expect(summary.seed).toBe(7);
    expect(summary.verdict.kind).toBe('recovered');
  });

  it('loads scenario text and reports issues with file and line', () => {
    const r = api.loadScenario('name: x\nduration: fast\n', 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(api.formatIssues(r.issues)).toMatch(/x\.yaml:2/);
  });

  it('steps a run in slices (yielding between them is up to the caller) to the same result as runScenario', () => {
    const loaded = api.loadScenarioFile('scenarios/retry-storm-fixed.yaml');
    if (!loaded.ok) throw new Error('bad scenario');
    const sc = { ...loaded.scenario, duration: 60 };
    const stepper = new api.RunStepper(sc, { seed: 7 });
    while (stepper.advance(50_000));
    expect(JSON.stringify(stepper.finish())).toBe(JSON.stringify(api.runScenario(sc, { seed: 7 })));
  });

  it("carries package.json's version", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(api.VERSION).toBe(pkg.version);
  });
});
