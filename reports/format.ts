/**
 * Small text formatters shared by the charts, the structure map and the page.
 * Every one is deterministic: no locale, no time zone.
 */

/** Drops trailing zeros: 2 decimals below 10, 1 below 100, none above. */
function trim(x: number): string {
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return String(Number(x.toFixed(digits)));
}

/**
 * A duration in seconds as the scenario format writes it: `250us`, `250ms`,
 * `1.5s`, `2m`, `1h` (whole minutes and hours only; `90s` stays in seconds).
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return seconds > 0 ? 'forever' : String(seconds);
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s === 0) return '0s';
  if (s < 1e-3) return `${sign}${trim(s * 1e6)}us`;
  if (s < 1) return `${sign}${trim(s * 1e3)}ms`;
  if (s >= 3600 && s % 3600 === 0) return `${sign}${s / 3600}h`;
  if (s >= 120 && s % 60 === 0) return `${sign}${s / 60}m`;
  return `${sign}${trim(s)}s`;
}

/** A fraction 0..1 as a percentage: `0.125` → `12.5%`, `1` → `100%`. */
export function formatPercent(fraction: number): string {
  return `${trim(fraction * 100)}%`;
}

/**
 * A count or rate for reading, with thousands separators and at most three
 * significant decimals: `12345.6` → `12,346`, `0.01234` → `0.0123`.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '-∞';
  const a = Math.abs(x);
  if (a >= 1000) return groupThousands(Math.round(x));
  if (a === 0) return '0';
  if (a >= 1) return trim(x);
  return String(Number(x.toPrecision(3)));
}

/**
 * A whole number with thousands separators: `1234567` → `1,234,567`. The
 * same text as `toLocaleString('en-US')`, without loading the locale data
 * (about 10 ms the first time, which a short CLI run feels).
 */
export function groupThousands(n: number): string {
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i += 1) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** Escapes text for HTML and SVG content and attribute values (double-quoted). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Longest variant label {@link shortenLabels} aims for, in characters. */
export const SHORT_LABEL_LENGTH = 24;

/**
 * Variant labels made short enough for a legend or a table column and still
 * told apart: each `path=value` part keeps only the last segment of its path
 * (`services.gateway.workers=32` → `workers=32`), and a label still longer
 * than {@link SHORT_LABEL_LENGTH} keeps its start and its end around "…".
 * When shortening would make two labels alike, the labels are kept whole.
 */
export function shortenLabels(labels: readonly string[]): string[] {
  const shortPart = (part: string): string => {
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    const path = part.slice(0, eq).trim();
    const last = path.split('.').pop() ?? path;
    return `${last}=${part.slice(eq + 1).trim()}`;
  };
  const clip = (text: string): string => {
    if (text.length <= SHORT_LABEL_LENGTH) return text;
    const keep = SHORT_LABEL_LENGTH - 1;
    const head = Math.ceil(keep / 2);
    return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
  };
  const short = labels.map((l) =>
    clip(
      l
        .split(';')
        .map((p) => shortPart(p.trim()))
        .join('; '),
    ),
  );
  return new Set(short).size === short.length ? short : [...labels];
}
