/**
 * --find-tipping against queueing theory: the retry model of
 * fixtures/retry-threshold.yaml, whose tipping point can be derived.
 *
 * Model: open-loop Poisson arrivals λ = 900/s; each attempt times out after
 * T = 1 s and is retried at once, a = 3 attempts in all; one service with
 * c = 10 workers and a constant service time s = 10 ms, so μ = c/s = 1000/s,
 * ρ = λ/μ = 0.9; an unbounded FIFO queue that serves abandoned work anyway.
 * λ < μ < aλ, so both the healthy state and the storm (every attempt times
 * out, load aλ = 2700/s > μ) sustain themselves.
 *
 * Trigger: a pause of length P at time 0 (relative). In the fluid model, an
 * operation arriving at u ∈ [0, P] waits for the pause to end and for the ρu
 * seconds of work that arrived before it, so its response time is
 * P − (1 − ρ)u + s, largest for u = 0: P + s. Arrivals after the pause see
 * less. Hence:
 * - P < T − s: no attempt ever times out, no retry is sent, the backlog
 *   drains at (1 − ρ): recovered. So the tipping point P* ≥ T − s = 0.99 s.
 * - P > (2 − ρ)T − s = 1.09 s: the backlog when the first retries arrive
 *   (time T) is x(T) = ρP − (1 − ρ)(T − P) = P − (1 − ρ)T > T − s, so every
 *   arrival up to T timed out; from T on the attempt rate is at least
 *   2λ > μ, the backlog only grows and every later arrival times out too:
 *   metastable. So P* ≤ (2 − ρ)T − s = 1.09 s.
 * (Between the two, waves of retries grow or die out; the crossover sits
 * close to the lower end, at about T − s + (1 − ρ)²T/ρ ≈ 1.0 s.)
 *
 * Stochastic effects move the edges by the wait at the pause's start (a few
 * ms in M/D/10 at ρ = 0.9) and by the Poisson spread of the backlog (√(λT)/μ
 * ≈ 0.03 s), so the test allows 0.05 s either side of [0.99 s, 1.09 s].
 *
 * This runs through the CLI command on two real worker threads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../sim/cli/sweep.js';
import type { TippingProbe } from '../../sim/sweep/tipping.js';
import { captureIo, tempDir } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/retry-threshold.yaml', import.meta.url));

const T = 1;
const S = 0.01;
const RHO = 900 / 1000;
const LOWER = T - S;
const UPPER = (2 - RHO) * T - S;
const TOLERANCE = 0.05;

describe(`retry model: tipping pause length in [T - s, (2 - rho)T - s] = [${LOWER}, ${UPPER.toFixed(2)}] s`, () => {
  it(`bisection over 5 seeds lands within ${TOLERANCE} s of the bracket`, async () => {
    const out = tempDir();
    const cap = captureIo();
    const code = await sweepCommand(
      FIXTURE,
      { findTipping: 'faults[0].for=0.6s:1.4s', precision: '0.02s', seeds: 5, workers: 2, quiet: true, out },
      cap.io,
    );
    expect(cap.err()).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'tipping.json'), 'utf8')) as {
      status: string;
      bracket: { below: number; above: number };
      probes: TippingProbe[];
    };
    expect(result.status).toBe('found');
    const { below, above } = result.bracket;
    expect(above - below).toBeLessThanOrEqual(0.02 + 1e-9);
    expect(below).toBeGreaterThanOrEqual(LOWER - TOLERANCE);
    expect(above).toBeLessThanOrEqual(UPPER + TOLERANCE);
    // The ends of the range sit well outside: no seed tips at 0.6 s, every seed at 1.4 s.
    expect(result.probes[0]).toMatchObject({ value: 0.6, share: 0 });
    expect(result.probes[1]).toMatchObject({ value: 1.4, share: 1 });
    expect(cap.out()).toMatch(/tipping point: between [\d.]+m?s \(not metastable\) and [\d.]+m?s \(metastable for most seeds\)/);
  });
});
