/**
 * Units and limits of the scenario format: how durations, fractions and rates
 * are written in YAML, how they convert to plain numbers, and how large they
 * may get. The schema, the cross-checks and the normalizer all read these, so
 * a bound changes in one place.
 */

/** Largest file `parseScenario` accepts, in bytes (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Longest duration anywhere in a scenario, in seconds (10^7 s, about 116 days). */
export const MAX_DURATION_S = 1e7;

/** Highest request rate anywhere in a scenario, per second. */
export const MAX_RATE_PER_S = 1e7;

/**
 * Most buckets a run may have (`duration / sample`), so series stay within
 * memory: each bucket of each component's metrics is kept to the end of the run.
 */
export const MAX_BUCKETS = 1e5;

/**
 * Most buckets × components (clients, services and calls) a run may have:
 * memory grows with both (about 1.4 kB per bucket and component, measured).
 */
export const MAX_BUCKET_SERIES = 2e6;

/** Most YAML alias expansions allowed while building the document (alias-bomb guard). */
export const MAX_YAML_ALIASES = 100;

/** Standard normal quantile at 0.99, used to turn a lognormal `p99` into `sigma`. */
export const Z_99 = 2.3263478740408408;

/** Seconds per unit for each duration suffix. */
export const DURATION_UNITS = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 } as const;

/** A duration with a unit: a decimal number immediately followed by `us`, `ms`, `s`, `m` or `h`. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)(us|ms|s|m|h)$/;

/** A percentage: a decimal number immediately followed by `%`. */
export const PERCENT_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)%$/;

/** A duration as written in YAML: seconds, or a string with a unit. */
export type DurationInput = number | string;

/** A fraction as written in YAML: 0..1, or a percentage string such as `"50%"`. */
export type FractionInput = number | string;

/**
 * Seconds for a duration as written in YAML. Returns NaN for a string that is
 * not a duration, so callers that validated first never see NaN.
 */
export function toSeconds(d: DurationInput): number {
  if (typeof d === 'number') return d;
  const m = DURATION_PATTERN.exec(d);
  if (!m) return Number.NaN;
  const unit = m[2] as keyof typeof DURATION_UNITS;
  // Divide by 10^3 or 10^6 rather than multiply by 1e-3 or 1e-6: 0.9ms is then 0.0009, not 0.0009000000000000001.
  return unit === 'ms' ? Number(m[1]) / 1e3 : unit === 'us' ? Number(m[1]) / 1e6 : Number(m[1]) * DURATION_UNITS[unit];
}

/** The fraction 0..1 for a fraction as written in YAML; NaN when it is not one. */
export function toFraction(f: FractionInput): number {
  if (typeof f === 'number') return f;
  const m = PERCENT_PATTERN.exec(f);
  return m ? Number(m[1]) / 100 : Number.NaN;
}

const UNIT_ALIASES: Readonly<Record<string, keyof typeof DURATION_UNITS>> = {
  us: 'us',
  µs: 'us',
  usec: 'us',
  usecs: 'us',
  micros: 'us',
  microsecond: 'us',
  microseconds: 'us',
  ms: 'ms',
  msec: 'ms',
  msecs: 'ms',
  millis: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
};

/**
 * The canonical spelling of a duration written with a near-miss unit or a
 * space (`"10 sec"` → `"10s"`, `"2 Minutes"` → `"2m"`), or undefined when the
 * text is not recognisably a duration.
 */
export function suggestDuration(text: string): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zµ]+)\.?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNIT_ALIASES[(m[2] ?? '').toLowerCase()];
  return unit === undefined ? undefined : `${m[1]}${unit}`;
}

/** Rounds away binary noise (0.30000000000000004 → 0.3) for display. */
function tidy(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** Seconds rendered compactly for messages: `250ms`, `1.5s`, `300s`, `20us`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s !== 0 && Math.abs(s) < 1e-3) return `${tidy(s * 1e6)}us`;
  if (s !== 0 && Math.abs(s) < 1) return `${tidy(s * 1e3)}ms`;
  return `${tidy(s)}s`;
}

/** UTF-8 length of a string in bytes, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
