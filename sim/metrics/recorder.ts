/**
 * The streaming reducer on the far side of the engine's trace: it folds counts,
 * stock levels and latencies into fixed-width buckets as they arrive, keeping
 * only the current bucket's partial state, so memory is the output's size
 * (buckets x metrics) and never grows with the number of requests.
 */
import type { MetricKind, TraceSink } from '../engine/trace.js';
import { LogHistogram } from './histogram.js';
import type { RunSeries, Series } from './series.js';

const RATE = 0;
const STOCK = 1;
const LATENCY = 2;

/** A {@link TraceSink} that buckets everything it is sent; `finish` hands over the {@link RunSeries}. */
export class Recorder implements TraceSink {
  private readonly sample: number;
  private readonly duration: number;
  private readonly nBuckets: number;
  private readonly names: string[] = [];
  private readonly kinds: number[] = [];
  /** Per metric: counts (rate) or bucket means (stock); empty for latency. */
  private readonly values: Float64Array[] = [];
  /** Per stock: per-bucket peaks. */
  private readonly peaks: Float64Array[] = [];
  /** Per latency metric: one histogram per bucket, made on first use. */
  private readonly hists: (LogHistogram | undefined)[][] = [];
  private readonly totals: number[] = [];
  private readonly stockIds: number[] = [];
  private readonly latencyIds: number[] = [];
  // Current partial bucket of every stock.
  private level_: number[] = [];
  private since: number[] = [];
  private area: number[] = [];
  private peak: number[] = [];
  private readonly ratios: { name: string; num: number; den: readonly number[] }[] = [];
  private cur = 0;
  private edge: number;
  private finished = false;

  /** Buckets `sample` seconds wide over [0, duration). */
  constructor(duration: number, sample: number) {
    this.duration = duration;
    this.sample = sample;
    this.nBuckets = Math.max(1, Math.ceil(duration / sample - 1e-9));
    this.edge = Math.min(sample, duration);
  }

  define(name: string, kind: MetricKind, initial = 0): number {
    const id = this.names.length;
    const k = kind === 'rate' ? RATE : kind === 'stock' ? STOCK : LATENCY;
    this.names.push(name);
    this.kinds.push(k);
    this.values.push(k === LATENCY ? new Float64Array(0) : new Float64Array(this.nBuckets));
    this.peaks.push(k === STOCK ? new Float64Array(this.nBuckets) : new Float64Array(0));
    this.hists.push(k === LATENCY ? new Array<LogHistogram | undefined>(this.nBuckets) : []);
    this.totals.push(0);
    this.level_.push(initial);
    this.since.push(0);
    this.area.push(0);
    this.peak.push(initial);
    if (k === STOCK) this.stockIds.push(id);
    if (k === LATENCY) this.latencyIds.push(id);
    return id;
  }

  count(id: number, now: number, n: number): void {
    if (now >= this.edge) this.roll(now);
    const v = this.values[id] as Float64Array;
    v[this.cur] = (v[this.cur] as number) + n;
    this.totals[id] = (this.totals[id] as number) + n;
  }

  level(id: number, now: number, value: number): void {
    if (now >= this.edge) this.roll(now);
    const old = this.level_[id] as number;
    this.area[id] = (this.area[id] as number) + old * (now - (this.since[id] as number));
    this.since[id] = now;
    this.level_[id] = value;
    if (value > (this.peak[id] as number)) this.peak[id] = value;
  }

  latency(id: number, now: number, seconds: number): void {
    if (now >= this.edge) this.roll(now);
    const hs = this.hists[id] as (LogHistogram | undefined)[];
    let h = hs[this.cur];
    if (h === undefined) {
      h = new LogHistogram();
      hs[this.cur] = h;
    }
    h.record(seconds);
  }

  ratio(name: string, numerator: number, denominators: readonly number[]): void {
    this.ratios.push({ name, num: numerator, den: denominators });
  }

  /** Current level of a stock (what the engine last set). */
  levelOf(id: number): number {
    return this.level_[id] as number;
  }

  /** Closes every bucket up to the end of the run and returns the series. Call once. */
  finish(): RunSeries {
    if (this.finished) throw new Error('Recorder.finish called twice');
    this.finished = true;
    this.roll(this.duration);
    this.closeBucket(this.duration);
    const series: Series[] = [];
    for (let id = 0; id < this.names.length; id++) {
      const name = this.names[id] as string;
      const k = this.kinds[id];
      if (k === RATE) {
        const counts = this.values[id] as Float64Array;
        const values = new Float64Array(this.nBuckets);
        for (let i = 0; i < this.nBuckets; i++) {
          const w = Math.min(this.sample, this.duration - i * this.sample);
          values[i] = w > 0 ? (counts[i] as number) / w : 0;
        }
        series.push({ kind: 'rate', name, values, total: this.totals[id] as number });
      } else if (k === STOCK) {
        series.push({
          kind: 'stock',
          name,
          mean: this.values[id] as Float64Array,
          max: this.peaks[id] as Float64Array,
          last: this.level_[id] as number,
        });
      } else {
        const hs = this.hists[id] as (LogHistogram | undefined)[];
        const buckets: LogHistogram[] = [];
        for (let i = 0; i < this.nBuckets; i++) buckets.push(hs[i] ?? new LogHistogram());
        series.push({ kind: 'latency', name, buckets });
      }
    }
    for (const r of this.ratios) series.push(this.ratioSeries(r.name, r.num, r.den));
    return { sample: this.sample, buckets: this.nBuckets, duration: this.duration, series };
  }

  /** A derived ratio as a stock-shaped series: the value per bucket (NaN where undefined) and as its max. */
  private ratioSeries(name: string, num: number, den: readonly number[]): Series {
    const mean = new Float64Array(this.nBuckets);
    const n = this.values[num] as Float64Array;
    let last = NaN;
    for (let i = 0; i < this.nBuckets; i++) {
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
    const start = this.cur * this.sample;
    const width = end - start;
    for (const id of this.stockIds) {
      const lvl = this.level_[id] as number;
      const a = (this.area[id] as number) + lvl * (end - (this.since[id] as number));
      (this.values[id] as Float64Array)[this.cur] = width > 0 ? a / width : lvl;
      (this.peaks[id] as Float64Array)[this.cur] = this.peak[id] as number;
      this.area[id] = 0;
      this.since[id] = end;
      this.peak[id] = lvl;
    }
    // A closed bucket's histogram takes no more values: drop the slack its growth left.
    for (const id of this.latencyIds) (this.hists[id] as (LogHistogram | undefined)[])[this.cur]?.trim();
  }
}
