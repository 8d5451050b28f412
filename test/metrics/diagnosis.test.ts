/**
 * The verdict's diagnosis on whole runs: each test runs a scenario of
 * test/fixtures/diagnosis/ (each file's description says what it models) and
 * checks the kind and the evidence the verdict gives for it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDamage, describeOscillation, describeVerdict } from '../../reports/verdict-text.js';
import { requireSustainingLoop } from '../../sim/metrics/verdict.js';
import type { Summary } from '../../sim/metrics/summary.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { simulate } from '../../sim/simulate.js';

const DIR = new URL('../fixtures/diagnosis/', import.meta.url);

/** Runs a fixture, optionally with its `duration` line changed (the file stays the same system) or another edit. */
function run(
  file: string,
  duration?: string,
  edit: (yaml: string) => string = (y) => y,
): { verdict: Summary['verdict']; text: string; damage: string; swing: string } {
  let yaml = edit(readFileSync(new URL(file, DIR), 'utf8'));
  if (duration !== undefined) yaml = yaml.replace(/^duration: .*$/m, `duration: ${duration}`);
  const parsed = parseScenario(yaml, file);
  if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
  const { summary, scenario } = simulate(parsed.value);
  const v = summary.verdict;
  return { verdict: v, text: describeVerdict(v, scenario), damage: describeDamage(v, scenario), swing: describeOscillation(v) };
}

describe('every stock counts', () => {
  it('calls a fault-free run overloaded when the work piles up waiting for pool connections, not in a queue', () => {
    const { verdict: v, text } = run('pool-waiters-overloaded.yaml');
    expect(v.kind).toBe('overloaded');
    // The services' queues alone stay empty: the contract's queue test says stable.
    expect(v.queue?.overloadedBy).toBeNull();
    expect(v.backlog?.overloadedBy).not.toBeNull();
    expect(v.growing).toMatchObject({ series: 'api->db.pool.waiting', label: 'waiting for a pool connection' });
    expect(v.growing!.peak).toBeGreaterThan(5000);
    expect(text).toMatch(/^Overloaded: .* most of it waiting for a pool connection \(api->db\.pool\.waiting, up to /);
  });

  it('calls a fault-free run overloaded when the work piles up in flight in an unlimited service', () => {
    const { verdict: v } = run('unlimited-inflight-overloaded.yaml');
    expect(v.kind).toBe('overloaded');
    expect(v.queue?.overloadedBy).toBeNull();
    expect(v.growing).toMatchObject({ series: 'api.busy', label: 'in flight' });
  });
});

describe('damage, whatever the kind', () => {
  it('measures a long trigger with goodput near 0 inside it, although the run recovers at once', () => {
    const { verdict: v, damage, text } = run('goodput-collapse.yaml');
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0 });
    expect(v.damage).toMatchObject({ worstGoodputShare: 0, secondsBelowHalf: 180, worstAt: 60, reference: 'preFault' });
    // 200 operations a second for 180 s, within Poisson noise.
    expect(v.damage!.lostOperations).toBeGreaterThan(35000);
    expect(v.damage!.lostOperations).toBeLessThan(37000);
    expect(damage).toMatch(
      /^Goodput fell to 0% of normal and stayed below half of it for 180 s, during the error burst on api \(100% errors for 3m\); 3\d,\d{3} operations lost\.$/,
    );
    expect(text).toContain(damage);
  });
});

describe('a fault with no effect reads so', () => {
  it('calls a fault on a service that nothing calls unaffected', () => {
    const { verdict: v, text } = run('fault-on-idle-service.yaml');
    expect(v).toMatchObject({ kind: 'recovered', recoverySeconds: 0, unaffected: true });
    expect(text).toMatch(/^Unaffected: /);
  });

  it('calls a fault too small to matter unaffected, and the same fault made large affected', () => {
    expect(run('fault-too-small.yaml').verdict).toMatchObject({ kind: 'recovered', unaffected: true });
    // 40 ms more on a 10 ms service at 160/s: in-flight rises from about 1.6 to 8 and more, past its limit.
    const big = run('fault-too-small.yaml', undefined, (y) => y.replace('add: 1ms', 'add: 40ms')).verdict;
    expect(big.unaffected).toBe(false);
  });

  it('does not call a collapse inside the fault unaffected, although the run recovers at once', () => {
    expect(run('goodput-collapse.yaml').verdict).toMatchObject({ kind: 'recovered', recoverySeconds: 0, unaffected: false });
  });
});

describe('draining against metastable', () => {
  it('calls a backlog that shrinks after the fault draining, with a clear time that a longer run confirms within 20%', () => {
    const short = run('slow-drain.yaml');
    expect(short.verdict.kind).toBe('draining');
    const drain = short.verdict.drain!;
    expect(drain.series).toBe('api.inflight');
    // Spare capacity 1,000 − 950 = 50 requests a second.
    expect(drain.perSecond).toBeGreaterThan(40);
    expect(drain.perSecond).toBeLessThan(60);
    const long = run('slow-drain.yaml', '1500s');
    expect(long.verdict.kind).toBe('recovered');
    // Predicted: the watched time plus the clear time; seen: the recovery time of the longer run.
    const predicted = short.verdict.watchedSeconds! + drain.clearsInSeconds;
    const seen = long.verdict.recoverySeconds!;
    expect(Math.abs(predicted - seen) / seen).toBeLessThan(0.2);
    // The remaining time alone, too.
    const remaining = seen - short.verdict.watchedSeconds!;
    expect(Math.abs(drain.clearsInSeconds - remaining) / remaining).toBeLessThan(0.2);
    expect(short.text).toMatch(
      /^Draining: 210 s after .*, the backlog is not cleared yet but shrinking by \d+(\.\d+)?\/s \(api\.inflight\); at this pace it is cleared about \d+/,
    );
  });

  it('calls a state that sustains itself metastable at 300 s and at 1,500 s alike', () => {
    for (const duration of ['300s', '1500s']) {
      const { verdict: v } = run('degradation-metastable.yaml', duration);
      expect(v.kind, duration).toBe('metastable');
      expect(v.drain).toBeNull();
      expect(v.reason).toContain('the backlog is not shrinking (api.inflight');
    }
  });
});

describe('metastable only with a loop that sustains the state', () => {
  it('calls a backlog that holds after the faults with no loop feeding it overloaded, and says why', () => {
    const { verdict: v, text } = run('held-without-loop.yaml');
    expect(v.kind).toBe('overloaded');
    expect(v.faultsEnd).toBe(130);
    expect(v.drain).toBeNull();
    expect(v.reason).toMatch(
      /^Overloaded after the faults, not metastable: not recovered in the 270 s watched .* the backlog is not shrinking .* Nothing sustains it: no feedback loop is active/,
    );
    expect(text).toMatch(
      /^Overloaded after the faults: 270 s after the latency spike on api .* ended the system is not back, but nothing sustains the state \(no feedback loop is active\)/,
    );
  });

  it('asks the loop for a reinforcing gain of at least 1, and only of a run watched for a whole hold', () => {
    const { verdict: held } = run('degradation-metastable.yaml');
    const loop = (polarity: 'reinforcing' | 'balancing', gain: number) => ({ name: 'retry', polarity, path: ['users', 'api'], gain });
    expect(requireSustainingLoop(held, loop('reinforcing', 1))).toBe(held);
    expect(requireSustainingLoop(held, loop('reinforcing', 0.99)).kind).toBe('overloaded');
    expect(requireSustainingLoop(held, loop('reinforcing', 0.99)).reason).toContain(
      'retry through users → api, has a gain of 0.99, below 1',
    );
    expect(requireSustainingLoop(held, loop('balancing', 3)).reason).toContain('is a balancing one');
    expect(requireSustainingLoop(held, null).kind).toBe('overloaded');
    // Watched for less than a hold: metastable by the contract's rule, whatever the loop.
    const short = { ...held, watchedSeconds: held.holdSeconds! - 1 };
    expect(requireSustainingLoop(short, null)).toBe(short);
    const { verdict: draining } = run('slow-drain.yaml');
    expect(requireSustainingLoop(draining, null)).toBe(draining);
  });

  it('keeps metastable where a reinforcing loop with a gain of at least 1 dominates the last hold', () => {
    const { verdict: v } = run('degradation-metastable.yaml');
    expect(v.kind).toBe('metastable');
    expect(v.loop).toMatchObject({ polarity: 'reinforcing' });
    expect(v.loop!.gain).toBeGreaterThanOrEqual(1);
  });
});

describe('oscillation', () => {
  it('finds a flapping breaker in its openings, while the verdict is recovered', () => {
    const { verdict: v, swing } = run('breaker-flap.yaml');
    expect(v.kind).toBe('recovered');
    expect(v.oscillation).toMatchObject({ component: 'api->db', metric: 'breaker', amplitude: 1 });
    // Open 2 s, then a few seconds to trip again, for the three minutes of doubled traffic.
    expect(v.oscillation!.cycles).toBeGreaterThan(30);
    expect(v.oscillation!.periodSeconds).toBeGreaterThan(2);
    expect(v.oscillation!.periodSeconds).toBeLessThan(6);
    expect(swing).toMatch(/^Oscillating: the breaker on api->db opened \d+ times, about every \d+(\.\d+)? s\.$/);
  });

  it('finds nothing in a run that does not swing', () => {
    expect(run('slow-drain.yaml').verdict.oscillation).toBeNull();
    expect(run('goodput-collapse.yaml').verdict.oscillation).toBeNull();
  });
});
