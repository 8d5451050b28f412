/**
 * `timeseries.csv`, and the column lookup the report and the expectations share.
 *
 * Columns, in series order after `time` (the bucket start, seconds), with the
 * suffixes of sim/scenario/metric-catalogue.ts (CSV_SUFFIXES):
 * - a rate `<name>`: events per second in the bucket;
 * - a stock `<name>` (time-weighted mean in the bucket) and `<name>.max` (its peak);
 * - a latency `<name>` (mean seconds of the bucket's responses), `<name>.p50`
 *   and `<name>.p99`. A bucket without responses leaves these cells empty:
 *   0 would read as "instant responses", which is not what happened.
 * A ratio (such as `cache.hitRatio`) is written as a stock; a bucket where its
 * denominator is 0 leaves its cells empty, for the same reason.
 *
 * Non-integers are written with 6 significant digits, integers exactly, in
 * JavaScript's shortest round-trip form (`0.0125`, `1.5e-7`), so the same run
 * gives the same bytes on every platform.
 */
import { CSV_SUFFIXES, LATENCY_QUANTILES } from '../scenario/metric-catalogue.js';
import { roundSignificant } from './round.js';
import { bucketStart, type RunSeries, type Series } from './series.js';

/** The series named `name` exactly, or undefined. */
export function findSeries(run: RunSeries, name: string): Series | undefined {
  return run.series.find((s) => s.name === name);
}

/**
 * One value per bucket for a column name, or undefined when the run has no
 * such column:
 * - `<rate>`: events per second; `<stock>`: time-weighted mean; `<stock>.max`: peak;
 * - `<latency>`: mean seconds; `<latency>.p50`, `.p90`, `.p99`, `.max`: that
 *   quantile of the bucket's durations. Latency buckets without responses hold NaN.
 * An exact series name wins over a suffix reading (names contain dots:
 * `api->db.pool.inUse`). Returns the series' own array for rates and stocks:
 * do not write into it.
 */
export function seriesValues(run: RunSeries, name: string): Float64Array | undefined {
  const exact = findSeries(run, name);
  if (exact !== undefined) {
    switch (exact.kind) {
      case 'rate':
        return exact.values;
      case 'stock':
        return exact.mean;
      case 'latency':
        return Float64Array.from(exact.buckets, (h) => (h.count === 0 ? NaN : h.mean));
    }
  }
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const suffix = name.slice(dot);
  const base = findSeries(run, name.slice(0, dot));
  if (base?.kind === 'stock' && suffix === '.max') return base.max;
  const q = LATENCY_QUANTILES[suffix];
  if (base?.kind === 'latency' && q !== undefined) {
    return Float64Array.from(base.buckets, (h) => (h.count === 0 ? NaN : h.quantile(q)));
  }
  return undefined;
}

/** The CSV column names of one series, in the order {@link formatTimeseriesCsv} writes them. */
export function csvColumns(series: Series): string[] {
  return CSV_SUFFIXES[series.kind].map((suffix) => series.name + suffix);
}

/** Formats one cell: 6 significant digits for non-integers, empty for NaN or ±Infinity. */
export function formatCsvNumber(x: number): string {
  return Number.isFinite(x) ? String(roundSignificant(x)) : '';
}

/**
 * The whole `timeseries.csv`: a header row, then one row per bucket, each line
 * ending in `\n`. See the module comment for the columns.
 */
export function formatTimeseriesCsv(run: RunSeries): string {
  const header = ['time'];
  const columns: Float64Array[] = [];
  for (const s of run.series) {
    for (const name of csvColumns(s)) {
      header.push(quoteCsv(name));
      columns.push(seriesValues(run, name) ?? new Float64Array(run.buckets).fill(NaN));
    }
  }
  const lines = [header.join(',')];
  for (let i = 0; i < run.buckets; i += 1) {
    const cells = [formatCsvNumber(bucketStart(run, i))];
    for (const column of columns) cells.push(formatCsvNumber(column[i] ?? NaN));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

function quoteCsv(field: string): string {
  return /[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
