/**
 * The streaming reducer on the far side of the engine's trace: it folds counts,
 * stock levels and latencies into fixed-width buckets as they arrive, keeping
 * only the current bucket's partial state, so memory is the output's size
 * (buckets x metrics) and never grows with the number of requests.
 *
 * The hot path is one call per count, level change or latency, so each does
 * the least it can: counts add into a per-metric accumulator of the current
 * bucket; latencies are appended to a small per-metric buffer that is folded
 * into the bucket's histogram a few thousand at a time (a tight loop that
 * does the logarithms far faster than one call per value); and the clock and
 * the check for a bucket boundary move once per event, when the engine's loop
 * calls {@link Recorder.advance}, not on every report. Closing a bucket moves
 * the accumulators into the per-bucket columns.
 */
import type { MetricKind, TraceSink } from './trace.js';
import { LogHistogram } from './histogram.js';
import type { RunSeries, Series } from './series.js';

const RATE = 0;
const STOCK = 1;
const LATENCY = 2;

/** Latencies buffered per metric before they are folded into the histogram. */
const LATENCY_BUFFER = 4096;

// The current bucket's partial state of a stock: four slots per metric id in `stock`.
const LEVEL = 0; // the level now
const SINCE = 1; // when it took that level
const AREA = 2; // level x time so far in the bucket
const PEAK = 3; // highest level so far in the bucket
const SLOTS = 4;

/** The first `n` entries of `a`: `a` itself when that is all of it. */
function cut(a: Float64Array, n: number): Float64Array {
  return n === a.length ? a : a.slice(0, n);
}

/** A {@link TraceSink} that buckets everything it is sent; `finish` hands over the {@link RunSeries}. */
export class Recorder implements TraceSink {
  private readonly sample: number;
  private readonly duration: number;
  private readonly nBuckets: number;
  private readonly names: string[] = [];
  private readonly kinds: number[] = [];
  /** Per metric: counts (rate) or bucket means (stock) per bucket; empty for latency. */
  private readonly values: Float64Array[] = [];
  /** Per stock: per-bucket peaks. */
  private readonly peaks: Float64Array[] = [];
  /** Per latency metric: one histogram per closed bucket (undefined when empty). */
  private readonly hists: (LogHistogram | undefined)[][] = [];
  /** Per latency metric: the histogram of the current bucket, cleared and reused at each close. */
  private readonly open: (LogHistogram | null)[] = [];
  /**
   * Latencies not yet in `open`: LATENCY_BUFFER slots per latency metric, one
   * buffer for all of them. Per metric id, `first` is its first slot and `at`
   * the next one to write. First slots are multiples of LATENCY_BUFFER, so
   * the buffer is full when `at` reaches the next multiple: one typed-array
   * read and two writes per latency.
   */
  private pending = new Float64Array(0);
  private first = new Int32Array(64);
  private at = new Int32Array(64);
  private readonly totals: number[] = [];
  private readonly rateIds: number[] = [];
  private readonly stockIds: number[] = [];
  private readonly latencyIds: number[] = [];
  /** Per metric id: the current bucket's count so far (rate metrics). */
  private acc = new Float64Array(64);
  /** Per metric id: LEVEL, SINCE, AREA and PEAK of the current bucket (stock metrics). */
  private stock = new Float64Array(64 * SLOTS);
  private readonly ratios: { name: string; num: number; den: readonly number[] }[] = [];
  private cur = 0;
  /** The clock: time of the reports being made. */
  private now = 0;
  /** End of the current bucket: the first time `advance` must act on. */
  private edge: number;
  private finished = false;

  /** Buckets `sample` seconds wide over [0, duration). */
  constructor(duration: number, sample: number) {
    this.duration = duration;
    this.sample = sample;
    this.nBuckets = Math.max(1, Math.ceil(duration / sample - 1e-9));
    this.edge = this.nBuckets > 1 ? Math.min(sample, duration) : Infinity;
  }

  define(name: string, kind: MetricKind, initial = 0): number {
    const id = this.names.length;
    const k = kind === 'rate' ? RATE : kind === 'stock' ? STOCK : LATENCY;
    this.names.push(name);
    this.kinds.push(k);
    this.values.push(k === LATENCY ? new Float64Array(0) : new Float64Array(this.nBuckets));
    this.peaks.push(k === STOCK ? new Float64Array(this.nBuckets) : new Float64Array(0));
    this.hists.push(k === LATENCY ? new Array<LogHistogram | undefined>(this.nBuckets) : []);
    this.open.push(k === LATENCY ? new LogHistogram() : null);
    this.totals.push(0);
    if (id === this.acc.length) {
      const acc = new Float64Array(id * 2);
      acc.set(this.acc);
      this.acc = acc;
      const stock = new Float64Array(id * 2 * SLOTS);
      stock.set(this.stock);
      this.stock = stock;
      const first = new Int32Array(id * 2);
      first.set(this.first);
      this.first = first;
      const at = new Int32Array(id * 2);
      at.set(this.at);
      this.at = at;
    }
    if (k === LATENCY) {
      this.first[id] = this.at[id] = this.pending.length;
      const pending = new Float64Array(this.pending.length + LATENCY_BUFFER);
      pending.set(this.pending);
      this.pending = pending;
    }
    this.stock[id * SLOTS + LEVEL] = initial;
    this.stock[id * SLOTS + PEAK] = initial;
    if (k === RATE) this.rateIds.push(id);
    if (k === STOCK) this.stockIds.push(id);
    if (k === LATENCY) this.latencyIds.push(id);
    return id;
  }

  /** Moves the clock to `now`, closing every bucket that ends at or before it (cheap when none does). */
  advance(now: number): void {
    this.now = now;
    if (now >= this.edge) this.roll(now);
  }

  count(id: number, n: number): void {
    this.acc[id]! += n;
  }

  level(id: number, value: number): void {
    const st = this.stock;
    const i = id * SLOTS;
    const now = this.now;
    st[i + AREA]! += st[i + LEVEL]! * (now - st[i + SINCE]!);
    st[i + SINCE] = now;
    st[i + LEVEL] = value;
    if (value > st[i + PEAK]!) st[i + PEAK] = value;
  }

  latency(id: number, seconds: number): void {
    const i = this.at[id]!;
    this.pending[i] = seconds;
    this.at[id] = i + 1;
    if ((i + 1) % LATENCY_BUFFER === 0) this.foldLatencies(id);
  }

  /** Records the buffered latencies of metric `id` into the current bucket's histogram, in arrival order. */
  private foldLatencies(id: number): void {
    const start = this.first[id]!;
    const end = this.at[id]!;
    (this.open[id] as LogHistogram).recordAll(this.pending.subarray(start, end), end - start);
    this.at[id] = start;
  }

  ratio(name: string, numerator: number, denominators: readonly number[]): void {
    this.ratios.push({ name, num: numerator, den: denominators });
  }

  /** Current level of a stock (what the engine last set). */
  levelOf(id: number): number {
    return this.stock[id * SLOTS + LEVEL]!;
  }

  /**
   * Closes every bucket up to the end of the run and returns the series. Call
   * once. With `stop` before the end (a run a guard stopped), the series ends
   * there: its buckets cover [0, stop), the last one cut short.
   */
  finish(stop: number = this.duration): RunSeries {
    if (this.finished) throw new Error('Recorder.finish called twice');
    this.finished = true;
    const end = Math.min(stop, this.duration);
    this.roll(end);
    this.closeBucket(end);
    return this.finishSeries(end < this.duration ? this.cur + 1 : this.nBuckets, end);
  }

  /**
   * The series of the buckets closed so far (those before the one in
   * progress), over the run's whole duration: what the run has shown up to
   * now, for a page that draws while the run goes on. Closes and changes
   * nothing, so the run and its finished series are the same with or
   * without it.
   */
  closedSoFar(): RunSeries {
    return this.finishSeries(this.cur, this.duration);
  }

  /** The series over the first `n` buckets, covering [0, duration). */
  private finishSeries(n: number, duration: number): RunSeries {
    const series: Series[] = [];
    for (let id = 0; id < this.names.length; id++) {
      const name = this.names[id] as string;
      const k = this.kinds[id];
      if (k === RATE) {
        const counts = this.values[id] as Float64Array;
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const w = Math.min(this.sample, duration - i * this.sample);
          values[i] = w > 0 ? (counts[i] as number) / w : 0;
        }
        series.push({ kind: 'rate', name, values, total: this.totals[id] as number });
      } else if (k === STOCK) {
        series.push({
          kind: 'stock',
          name,
          mean: cut(this.values[id] as Float64Array, n),
          max: cut(this.peaks[id] as Float64Array, n),
          last: this.levelOf(id),
        });
      } else {
        const hs = this.hists[id] as (LogHistogram | undefined)[];
        const buckets: LogHistogram[] = [];
        for (let i = 0; i < n; i++) buckets.push(hs[i] ?? new LogHistogram());
        series.push({ kind: 'latency', name, buckets });
      }
    }
    for (const r of this.ratios) series.push(this.ratioSeries(r.name, r.num, r.den, n));
    return { sample: this.sample, buckets: n, duration, series };
  }

  /** A derived ratio as a stock-shaped series: the value per bucket (NaN where undefined) and as its max. */
  private ratioSeries(name: string, num: number, den: readonly number[], nBuckets: number): Series {
    const mean = new Float64Array(nBuckets);
    const n = this.values[num] as Float64Array;
    let last = NaN;
    for (let i = 0; i < nBuckets; i++) {
      let d = 0;
      for (const id of den) d += (this.values[id] as Float64Array)[i] as number;
      mean[i] = d > 0 ? (n[i] as number) / d : NaN;
      if (d > 0) last = mean[i] as number;
    }
    return { kind: 'stock', name, mean, max: mean.slice(), last: Number.isNaN(last) ? 0 : last };
  }

  /** Closes buckets until `now` falls inside the current one. */
  private roll(now: number): void {
    while (now >= this.edge && this.cur < this.nBuckets - 1) {
      this.closeBucket(this.edge);
      this.cur++;
      this.edge = Math.min((this.cur + 1) * this.sample, this.duration);
    }
    // Past the last bucket's end (only at finish): keep everything in the last bucket.
    if (this.cur === this.nBuckets - 1) this.edge = Infinity;
  }

  private closeBucket(end: number): void {
    const cur = this.cur;
    for (const id of this.rateIds) {
      const n = this.acc[id]!;
      (this.values[id] as Float64Array)[cur] = n;
      this.totals[id] = (this.totals[id] as number) + n;
      this.acc[id] = 0;
    }
    const start = cur * this.sample;
    const width = end - start;
    const st = this.stock;
    for (const id of this.stockIds) {
      const i = id * SLOTS;
      const lvl = st[i + LEVEL]!;
      const a = st[i + AREA]! + lvl * (end - st[i + SINCE]!);
      (this.values[id] as Float64Array)[cur] = width > 0 ? a / width : lvl;
      (this.peaks[id] as Float64Array)[cur] = st[i + PEAK]!;
      st[i + AREA] = 0;
      st[i + SINCE] = end;
      st[i + PEAK] = lvl;
    }
    // A closed bucket keeps a trimmed copy of its histogram; the open one is cleared for the next.
    for (const id of this.latencyIds) {
      this.foldLatencies(id);
      const h = this.open[id] as LogHistogram;
      if (h.count > 0) (this.hists[id] as (LogHistogram | undefined)[])[cur] = h.copyTrimmed();
      h.clear();
    }
  }
}
