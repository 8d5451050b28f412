/**
 * How the event loop's cost grows: O(events x log(pending events)). Per event,
 * the heap costs O(log pending) and everything else O(1), so the cost per
 * event should stay flat as a run gets longer (M/M/1 of 10^5, 10^6, 10^7
 * requests) and grow slowly with the number of events pending. For the latter
 * the runs are M/M/inf services (unlimited workers), where the pending events
 * are the requests in service, about rate x mean service time, so the pending
 * count can be set without changing the work per request. In-process, engine
 * only (start-up and output writing excluded).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../sim/engine/run.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';

/** Parses a scenario file (test/bench/scenarios/...) or YAML text. */
function load(text: string, file: string): NormalizedScenario {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) throw new Error(`bench scenario ${file} rejected: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/** Seconds of the fastest of `runs` runs of `sc`, and its event count. */
function best(sc: NormalizedScenario, runs: number): { wallS: number; events: number } {
  let wallS = Infinity;
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    events = runScenario(sc).events;
    wallS = Math.min(wallS, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { wallS, events };
}

/** One row of the size table. */
export interface SizeRow {
  readonly file: string;
  readonly events: number;
  readonly wallS: number;
  readonly nsPerEvent: number;
}

/** Times the engine on each scenario file (paths relative to `root`), best of `runs`, after one warm-up run. */
export function measureSizeScaling(root: string, files: readonly string[], runs: number): SizeRow[] {
  const scenarios = files.map((f) => load(readFileSync(join(root, f), 'utf8'), f));
  if (scenarios[0] !== undefined) runScenario(scenarios[0]); // warm the JIT
  return scenarios.map((sc, i) => {
    const { wallS, events } = best(sc, runs);
    return { file: files[i] as string, events, wallS, nsPerEvent: (wallS / events) * 1e9 };
  });
}

/** One row of the pending table. */
export interface ScalingRow {
  /** Mean events pending in the heap (rate x mean service time, plus the next arrival). */
  readonly pending: number;
  readonly events: number;
  readonly wallS: number;
  readonly nsPerEvent: number;
}

/** An M/M/inf scenario with about `requests` requests and `pending` requests in service at once. */
function mmInf(requests: number, pending: number): string {
  const rate = 10_000;
  const mean = pending / rate;
  // Long enough for the measured stretch to dwarf the fill-up of the first `mean` seconds.
  const duration = requests / rate + mean;
  return [
    'name: bench-pending',
    'seed: 1',
    `duration: ${duration}s`,
    `sample: ${Math.max(1, Math.ceil(duration / 1000))}s`,
    'clients:',
    '  users: { target: server, arrival: { kind: poisson, rate: 10000 } }',
    'services:',
    `  server: { workers: unlimited, serviceTime: { dist: exponential, mean: ${mean}s } }`,
  ].join('\n');
}

/** Times the engine on `requests` requests at each pending count (best of `runs`). */
export function measurePendingScaling(pendings: readonly number[], requests: number, runs: number): ScalingRow[] {
  return pendings.map((pending) => {
    const { wallS, events } = best(load(mmInf(requests, pending), 'bench-pending.yaml'), runs);
    return { pending: pending + 1, events, wallS, nsPerEvent: (wallS / events) * 1e9 };
  });
}
