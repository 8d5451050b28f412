/**
 * A call edge `caller->callee`: one entry of a service's `calls`, with its own
 * timeout, retry policy and random streams.
 */
import type { Call } from '../../scenario/types.js';
import { createStream, type Stream } from '../rng.js';
import type { TraceSink } from '../trace.js';
import { RetryBudget, retryOnMask } from './retry.js';

/** Metric ids of one edge. */
export interface EdgeMetrics {
  readonly calls: number;
  readonly retries: number;
  readonly timeouts: number;
}

/** A call edge's runtime state. */
export class EdgeState {
  readonly spec: Call;
  readonly index: number;
  /** `caller->callee`. */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly m: EdgeMetrics;
  readonly networkStream: Stream;
  readonly jitterStream: Stream;
  readonly probabilityStream: Stream;
  readonly budget: RetryBudget | null;
  readonly retryMask: number;

  /**
   * `ordinal` counts earlier calls with the same caller and callee (0 for the
   * first), so two such calls draw from separate streams while every other
   * edge keeps its numbers when one is added.
   */
  constructor(spec: Call, index: number, from: number, to: number, name: string, ordinal: number, seed: number, sink: TraceSink) {
    this.spec = spec;
    this.index = index;
    this.from = from;
    this.to = to;
    this.name = name;
    this.m = {
      calls: sink.define(`${name}.calls`, 'rate'),
      retries: sink.define(`${name}.retries`, 'rate'),
      timeouts: sink.define(`${name}.timeouts`, 'rate'),
    };
    const key = ordinal === 0 ? `edge:${name}` : `edge:${name}#${ordinal}`;
    this.networkStream = createStream(seed, `${key}/network`);
    this.jitterStream = createStream(seed, `${key}/retry-jitter`);
    this.probabilityStream = createStream(seed, `${key}/probability`);
    this.budget = spec.retry?.budget ? new RetryBudget(spec.retry.budget) : null;
    this.retryMask = spec.retry ? retryOnMask(spec.retry.on) : 0;
  }
}
