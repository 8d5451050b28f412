/**
 * Contract helpers shared by every mechanism's tests, the way fast-check
 * shares `assertProduceSameValueGivenSameSeed`: each takes a `build` function
 * that runs something (a `runScenario`, a `simulate`, a parse) and checks a
 * promise every run makes, with a message that says what broke and where.
 *
 * - {@link assertDeterministic}: building twice gives the same bytes.
 * - {@link assertConserves}: every request is accounted for, by the engine's
 *   own audit and again from the totals of the series it wrote.
 */
import { formatTimeseriesCsv } from '../../sim/metrics/csv.js';
import type { RunSeries } from '../../sim/metrics/series.js';
import type { ConservationCheck } from '../../sim/engine/run.js';
import type { Summary } from '../../sim/metrics/summary.js';

/** What a run hands back, as far as these helpers care (RunResult and SimulationResult both fit). */
export interface RunLike {
  readonly series: RunSeries;
  readonly conservation: readonly ConservationCheck[];
  readonly summary?: Summary;
}

function isRunLike(x: unknown): x is RunLike {
  return typeof x === 'object' && x !== null && 'series' in x && 'conservation' in x;
}

/**
 * The bytes a build is judged by: for a run, its summary.json text (when it
 * has one) and its timeseries.csv; for anything else, its JSON.
 */
export function fingerprint(x: unknown): string {
  if (isRunLike(x)) {
    const summary = x.summary === undefined ? '' : JSON.stringify(x.summary, null, 2);
    return `${summary}\n${formatTimeseriesCsv(x.series)}`;
  }
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}

/** The first line where two texts differ, with both versions, for a readable failure. */
export function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  first:  ${la[i] ?? '(missing)'}\n  second: ${lb[i] ?? '(missing)'}`;
  }
  return '(no difference)';
}

/**
 * Builds twice and fails unless both builds print the same: the same
 * scenario and seed must give the same summary.json and timeseries.csv, bit
 * for bit. `print` overrides what is compared. Returns the first build.
 */
export function assertDeterministic<T>(build: () => T, print: (x: T) => string = fingerprint): T {
  const first = build();
  const a = print(first);
  const b = print(build());
  if (a !== b) throw new Error(`Not deterministic: two builds differ at ${firstDifference(a, b)}`);
  return first;
}

function rateTotal(series: RunSeries, name: string): number | undefined {
  const s = series.series.find((x) => x.name === name);
  return s?.kind === 'rate' ? s.total : undefined;
}

function stockLast(series: RunSeries, name: string): number | undefined {
  const s = series.series.find((x) => x.name === name);
  return s?.kind === 'stock' ? s.last : undefined;
}

/**
 * The conservation laws a reader of the outputs can check from the series
 * totals alone, one line per violation (empty when all hold):
 * - client: offered = goodput + failures + still open, so offered ≥ goodput + failures;
 *   attempts = offered + retries; timeouts ≤ attempts; degraded ≤ goodput (a part of it);
 *   rateLimited ≤ attempts (a refused attempt is one the client made).
 * - service: arrivals = completed + errors + rejected + expired + rateLimited + still
 *   inside, and still inside = `queue` + `busy` + `rateLimit.waiting` at the end of the
 *   run; wasted ≤ completed + errors;
 *   duplicates ≤ completed.
 * - broker: published = acked + deadLettered + dropped + what is still held
 *   (`visible` + `inFlight` + `delayed` at the end); redelivered ≤ received.
 */
export function conservationFromSeries(series: RunSeries): string[] {
  const broken: string[] = [];
  const names = new Set(series.series.map((s) => s.name));
  const components = (suffix: string): string[] => [...names].filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length));
  for (const c of components('.offered')) {
    const t = (m: string): number => rateTotal(series, `${c}.${m}`) ?? Number.NaN;
    const [offered, goodput, failures, attempts, retries, timeouts] = [
      'offered',
      'goodput',
      'failures',
      'attempts',
      'retries',
      'timeouts',
    ].map(t) as [number, number, number, number, number, number];
    if (!(offered >= goodput + failures)) broken.push(`client ${c}: offered ${offered} < goodput ${goodput} + failures ${failures}`);
    if (attempts !== offered + retries) broken.push(`client ${c}: attempts ${attempts} != offered ${offered} + retries ${retries}`);
    if (!(timeouts <= attempts)) broken.push(`client ${c}: timeouts ${timeouts} > attempts ${attempts}`);
    const refused = rateTotal(series, `${c}.rateLimited`);
    if (refused !== undefined && !(refused <= attempts)) broken.push(`client ${c}: rateLimited ${refused} > attempts ${attempts}`);
    const degraded = rateTotal(series, `${c}.degraded`);
    if (degraded !== undefined && !(degraded <= goodput)) broken.push(`client ${c}: degraded ${degraded} > goodput ${goodput}`);
  }
  for (const s of components('.arrivals')) {
    const t = (m: string): number => rateTotal(series, `${s}.${m}`) ?? Number.NaN;
    const [arrivals, completed, errors, rejected, expired, wasted, duplicates] = [
      'arrivals',
      'completed',
      'errors',
      'rejected',
      'expired',
      'wasted',
      'duplicates',
    ].map(t) as [number, number, number, number, number, number, number];
    // Without a rate limit there is no rateLimited series and no line at the ingress: both count 0; the same for a concurrency limit.
    const limited = (rateTotal(series, `${s}.rateLimited`) ?? 0) + (rateTotal(series, `${s}.concurrencyLimited`) ?? 0);
    const inside =
      (stockLast(series, `${s}.queue`) ?? Number.NaN) +
      (stockLast(series, `${s}.busy`) ?? Number.NaN) +
      (stockLast(series, `${s}.rateLimit.waiting`) ?? 0);
    if (arrivals !== completed + errors + rejected + expired + limited + inside) {
      broken.push(
        `service ${s}: arrivals ${arrivals} != completed ${completed} + errors ${errors} + rejected ${rejected} + expired ${expired} + rate- and concurrency-limited ${limited} + inside at the end ${inside} (queue + busy + rateLimit.waiting)`,
      );
    }
    if (!(wasted <= completed + errors)) broken.push(`service ${s}: wasted ${wasted} > completed ${completed} + errors ${errors}`);
    if (!(duplicates <= completed)) broken.push(`service ${s}: duplicates ${duplicates} > completed ${completed}`);
  }
  for (const b of components('.published')) {
    const t = (m: string): number => rateTotal(series, `${b}.${m}`) ?? Number.NaN;
    const [published, received, redelivered, acked, dead, dropped] = [
      'published',
      'received',
      'redelivered',
      'acked',
      'deadLettered',
      'dropped',
    ].map(t) as [number, number, number, number, number, number];
    const held = ['visible', 'inFlight', 'delayed'].reduce((sum, m) => sum + (stockLast(series, `${b}.${m}`) ?? Number.NaN), 0);
    if (published !== acked + dead + dropped + held) {
      broken.push(
        `broker ${b}: published ${published} != acked ${acked} + deadLettered ${dead} + dropped ${dropped} + held at the end ${held}`,
      );
    }
    if (!(redelivered <= received)) broken.push(`broker ${b}: redelivered ${redelivered} > received ${received}`);
  }
  return broken;
}

/**
 * Builds once and fails unless every request is accounted for: the engine's
 * own end-of-run audit (`conservation`, every check ok) and the same laws
 * recomputed from the series it wrote ({@link conservationFromSeries}).
 * Returns the build.
 */
export function assertConserves<T extends RunLike>(build: () => T): T {
  const run = build();
  const broken = [
    ...run.conservation.filter((c) => !c.ok).map((c) => `audit of ${c.component}: ${c.detail}`),
    ...conservationFromSeries(run.series),
  ];
  if (broken.length > 0) throw new Error(`Conservation broke:\n  ${broken.join('\n  ')}`);
  return run;
}
