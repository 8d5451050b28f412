/**
 * What a run emits, as a stream: the engine reports counts, stock levels and
 * latencies through a {@link TraceSink} as they happen, and a reducer on the
 * other side (sim/metrics/recorder.ts) folds them into fixed-width buckets.
 * The engine never holds a growing log, so memory stays bounded by what is in
 * flight, not by how long the run is.
 *
 * Metrics are declared once, up front, and then addressed by a small integer id
 * so that the hot path carries no strings.
 *
 * The contract lives beside the recorder rather than in the engine: the
 * engine writes to it and the recorder implements it, and neither imports
 * the other.
 */

/** How a metric is aggregated into a bucket. */
export type MetricKind =
  /** Events per second within a bucket (`goodput`, `arrivals`, ...). */
  | 'rate'
  /** A level that holds between changes; bucketed as a time-weighted mean with the true max beside it. */
  | 'stock'
  /** A duration per event, in seconds; bucketed as a log histogram. */
  | 'latency';

/** A metric declared by the engine: `<component>.<metric>`. */
export interface MetricDecl {
  readonly name: string;
  readonly kind: MetricKind;
}

/**
 * The receiving end of a run's trace. The sink keeps the run's clock: the loop
 * calls {@link TraceSink.advance} once per event, before the handler reports
 * anything, and every report until the next call happens at that time. Time
 * never goes back.
 */
export interface TraceSink {
  /** Declares a metric before the run starts; returns the id later calls use. */
  define(name: string, kind: MetricKind, initial?: number): number;
  /** Moves the clock to `now` (simulated seconds, never less than before). */
  advance(now: number): void;
  /** Counts `n` events of a `rate` metric now. */
  count(id: number, n: number): void;
  /** Sets a `stock` metric to `value` from now on. */
  level(id: number, value: number): void;
  /** Records one duration (seconds) of a `latency` metric now. */
  latency(id: number, seconds: number): void;
  /**
   * Declares a derived series: per bucket, the count of `numerator` over the sum of
   * the counts of `denominators` (all `rate` metrics); no value where the sum is 0.
   * Computed when the run ends; nothing to report during the run.
   */
  ratio(name: string, numerator: number, denominators: readonly number[]): void;
}
