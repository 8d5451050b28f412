/**
 * A burst: `count` extra operations of one client, on top of its arrival
 * process, all at the fault's `at` (`within` 0) or spread over
 * [at, at + within): `even` puts operation k at at + k × within / count,
 * `uniform` draws each time independently and uniformly in the window (the
 * draws sorted, so that the operations still go out one after another).
 *
 * The uniform draws come from a stream of the burst's own, named for its
 * client and its place among that client's bursts, so adding a burst changes
 * no other component's numbers (nor another client's bursts').
 */
import type { Fault } from '../../scenario/types.js';
import { createStream } from '../rng.js';

/** When each operation of one burst is sent. */
export class BurstSchedule {
  /** The client that sends the burst (its index). */
  readonly client: number;
  readonly count: number;
  private readonly at: number;
  private readonly within: number;
  /** Uniform spread: the sorted offsets in [0, 1) of the window; null when even. */
  private readonly offsets: Float64Array | null;

  constructor(f: Fault & { kind: 'burst' }, client: number, seed: number, ordinal: number) {
    this.client = client;
    this.count = f.count;
    this.at = f.at;
    this.within = f.for;
    if (f.spread === 'uniform' && f.for > 0) {
      const draw = createStream(seed, `burst:${f.target}#${ordinal}/times`);
      const offsets = new Float64Array(f.count);
      for (let k = 0; k < f.count; k++) offsets[k] = draw();
      this.offsets = offsets.sort();
    } else {
      this.offsets = null;
    }
  }

  /** Whether every operation goes out at the same instant (`within` 0). */
  get atOnce(): boolean {
    return this.within === 0;
  }

  /** When operation `k` (from 0) of the burst is sent. */
  timeOf(k: number): number {
    const x = this.offsets === null ? k / this.count : (this.offsets[k] as number);
    return this.at + x * this.within;
  }
}

/**
 * The schedules of the bursts in `faults`, by fault index; `clientIndex`
 * gives each target's index. Empty when the scenario has no burst.
 */
export function burstSchedules(
  faults: readonly Fault[],
  clientIndex: (name: string) => number,
  seed: number,
): ReadonlyMap<number, BurstSchedule> {
  const out = new Map<number, BurstSchedule>();
  const seen = new Map<string, number>();
  faults.forEach((f, i) => {
    if (f.kind !== 'burst') return;
    const ordinal = seen.get(f.target) ?? 0;
    seen.set(f.target, ordinal + 1);
    out.set(i, new BurstSchedule(f, clientIndex(f.target), seed, ordinal));
  });
  return out;
}
