/**
 * Whether the faults of a run changed anything the verdict measures: the test
 * behind `verdict.unaffected` (docs/model.md, "The verdict"). A fault on a
 * service nothing calls, or one too small to matter, should read "unaffected",
 * not "recovered after 9 s" because a noisy bucket delayed the hold.
 */
import { bucketWidth, type RunSeries } from './series.js';

/**
 * Standard deviations of Poisson noise a hold window's goodput may fall short
 * by and still count as untouched. The recovery test uses 3; a run is judged
 * over many windows here, so the band is wider to keep noise from reading as
 * damage.
 */
export const UNAFFECTED_SIGMAS = 4;
/** Smallest relative shortfall of a hold window's goodput that counts as damage (as in the recovery test). */
export const UNAFFECTED_SHARE = 0.05;

/** A backlog with its limit already applied: `bad[j] − bad[i]` counts the buckets i..j−1 at or above it. */
export interface BacklogProbe {
  readonly bad: Uint32Array;
}

/** A client's goodput and what it should have been in each bucket (per second). */
export interface GoodputProbe {
  readonly values: Float64Array;
  readonly expected: Float64Array;
}

/**
 * True when, over the buckets `span` (from the bucket the first fault starts
 * in to the end of the hold that recovered), no backlog reached its limit in
 * any bucket and, in every window of `hold` consecutive buckets, every
 * client's operations served were at least E × (1 − max(5%, 4 / √E)), E being
 * the operations it should have served there. A span shorter than a hold is
 * judged as one window.
 */
export function isUnaffected(
  run: RunSeries,
  span: { readonly first: number; readonly end: number },
  hold: number,
  backlogs: readonly BacklogProbe[],
  clients: readonly GoodputProbe[],
): boolean {
  if (span.first >= span.end) return false;
  for (const b of backlogs) if (b.bad[span.end] !== b.bad[span.first]) return false;
  const width = Math.min(hold, span.end - span.first);
  for (const c of clients) {
    let got = 0;
    let want = 0;
    for (let i = span.first; i < span.end; i += 1) {
      const w = bucketWidth(run, i);
      got += c.values[i]! * w;
      want += c.expected[i]! * w;
      const out = i - width;
      if (out >= span.first) {
        const wo = bucketWidth(run, out);
        got -= c.values[out]! * wo;
        want -= c.expected[out]! * wo;
      }
      if (i - span.first + 1 < width) continue;
      if (got < want - Math.max(UNAFFECTED_SHARE * want, UNAFFECTED_SIGMAS * Math.sqrt(Math.max(0, want)))) return false;
    }
  }
  return true;
}
