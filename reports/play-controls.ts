/**
 * The playground's sliders and choices, derived from a scenario: one per
 * number a design review asks "what if?" about (arrival rates, timeouts,
 * retry attempts and backoff, budgets, breaker thresholds, pool sizes,
 * workers, instances, queue capacity, cache TTL, each fault's size, start
 * and length). Each control names the field by the dotted path `--set`
 * takes, so moving it re-runs the scenario exactly as `loopsim run --set
 * path=value` would. Pure.
 */
import type { Call, Client, Fault, NormalizedScenario, RetryPolicy, Service } from '../sim/scenario/types.js';

/** One control of the playground. */
export interface PlayControl {
  /** The field, as `--set` writes its path: `services.gateway.workers`, `faults[0].for`. */
  readonly path: string;
  /** What the control is about, in words: `gateway: workers`. */
  readonly label: string;
  /** `range`: a slider over numbers; `choice`: one of `options`. */
  readonly kind: 'range' | 'choice';
  /** The value in the scenario (seconds for a duration). */
  readonly value: number | string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** `s` when the value is a duration in seconds (written `0.3s` in the override), else ''. */
  readonly unit: 's' | '';
  /** The choices of a `choice` control. */
  readonly options: readonly string[];
}

/** A map key as a path segment: a plain word as is, anything else quoted in brackets. */
function key(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

/**
 * The slider's step: 1 for whole numbers (a slider snaps to min + k × step,
 * and any coarser step would move a count off the file's value), else about
 * a hundredth of `max`, rounded to 1, 2 or 5 times a power of ten.
 */
function niceStep(max: number, whole: boolean): number {
  if (whole) return 1;
  const raw = max / 100;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * power;
}

function range(
  path: string,
  label: string,
  value: number,
  o: { unit?: 's' | ''; whole?: boolean; min?: number; max?: number } = {},
): PlayControl {
  const whole = o.whole ?? false;
  const max = o.max ?? (value > 0 ? value * 4 : whole ? 10 : 1);
  return { path, label, kind: 'range', value, min: o.min ?? 0, max, step: niceStep(max, whole), unit: o.unit ?? '', options: [] };
}

function choice(path: string, label: string, value: string, options: readonly string[]): PlayControl {
  return { path, label, kind: 'choice', value, min: 0, max: 0, step: 0, unit: '', options };
}

const JITTERS = ['none', 'full', 'equal', 'decorrelated'] as const;

function retryControls(at: string, who: string, r: RetryPolicy): PlayControl[] {
  const out = [range(`${at}.retry.attempts`, `${who}: attempts`, r.attempts, { whole: true, min: 1, max: Math.max(2 * r.attempts, 6) })];
  if (r.backoff.kind !== 'none') out.push(range(`${at}.retry.backoff.base`, `${who}: backoff base`, r.backoff.base, { unit: 's' }));
  out.push(choice(`${at}.retry.jitter`, `${who}: jitter`, r.jitter, JITTERS));
  if (r.budget !== null) out.push(range(`${at}.retry.budget.ratio`, `${who}: retry budget ratio`, r.budget.ratio, { max: 1 }));
  return out;
}

function clientControls(c: Client): PlayControl[] {
  const at = `clients${key(c.name)}`;
  const out: PlayControl[] = [];
  const a = c.arrival;
  if (a.kind === 'closed') out.push(range(`${at}.arrival.users`, `${c.name}: users`, a.users, { whole: true }));
  else if (a.rate.kind === 'steps' && a.rate.steps.length === 1)
    out.push(
      range(`${at}.arrival.rate`, `${c.name}: arrivals per second`, a.rate.steps[0]?.rate ?? 0, { max: 2 * (a.rate.steps[0]?.rate ?? 1) }),
    );
  if (c.timeout !== null) out.push(range(`${at}.timeout`, `${c.name}: timeout`, c.timeout, { unit: 's' }));
  if (c.retry !== null) out.push(...retryControls(at, c.name, c.retry));
  if (c.breaker !== null)
    out.push(range(`${at}.breaker.failureRate`, `${c.name}: breaker failure rate`, c.breaker.failureRate, { max: 1 }));
  return out;
}

function callControls(s: Service, call: Call, i: number): PlayControl[] {
  const at = `services${key(s.name)}.calls[${i}]`;
  const who = `${s.name} → ${call.to}`;
  const out: PlayControl[] = [];
  if (call.timeout !== null) out.push(range(`${at}.timeout`, `${who}: timeout`, call.timeout, { unit: 's' }));
  if (call.retry !== null) out.push(...retryControls(at, who, call.retry));
  if (call.pool !== null) out.push(range(`${at}.pool.size`, `${who}: pool size`, call.pool.size, { whole: true, min: 1 }));
  if (call.breaker !== null)
    out.push(range(`${at}.breaker.failureRate`, `${who}: breaker failure rate`, call.breaker.failureRate, { max: 1 }));
  if (call.cache !== null) {
    out.push(range(`${at}.cache.ttl`, `${who}: cache TTL`, call.cache.ttl, { unit: 's' }));
    out.push(range(`${at}.cache.ttlJitter`, `${who}: cache TTL jitter`, call.cache.ttlJitter, { max: 1 }));
    out.push(choice(`${at}.cache.coalesce`, `${who}: coalesce misses`, String(call.cache.coalesce), ['true', 'false']));
  }
  return out;
}

function serviceControls(s: Service): PlayControl[] {
  const at = `services${key(s.name)}`;
  const out = [
    range(`${at}.instances`, `${s.name}: instances`, s.instances, { whole: true, min: 1 }),
    range(`${at}.workers`, `${s.name}: workers`, s.workers, { whole: true, min: 1 }),
  ];
  if (Number.isFinite(s.queue.capacity))
    out.push(range(`${at}.queue.capacity`, `${s.name}: queue capacity`, s.queue.capacity, { whole: true }));
  if (s.queue.discipline.kind !== 'codel')
    out.push(choice(`${at}.queue.discipline`, `${s.name}: queue discipline`, s.queue.discipline.kind, ['fifo', 'lifo']));
  s.calls.forEach((call, i) => out.push(...callControls(s, call, i)));
  return out;
}

/** The fault's size: what it adds, multiplies or takes away. */
function faultSize(f: Fault, at: string, who: string): PlayControl[] {
  switch (f.kind) {
    case 'latency':
      return f.add > 0 || f.multiply === 1
        ? [range(`${at}.add`, `${who}: added latency`, f.add, { unit: 's' })]
        : [range(`${at}.multiply`, `${who}: latency ×`, f.multiply, { min: 1 })];
    case 'errors':
      return [range(`${at}.rate`, `${who}: error rate`, f.rate, { max: 1 })];
    case 'traffic':
      return [range(`${at}.multiply`, `${who}: traffic ×`, f.multiply)];
    case 'capacity':
      return f.instances > 0
        ? [range(`${at}.instances`, `${who}: instances lost`, f.instances, { whole: true })]
        : [range(`${at}.workers`, `${who}: workers lost`, f.workers, { whole: true })];
    case 'link': {
      const out = [range(`${at}.delay`, `${who}: added delay`, f.delay, { unit: 's' })];
      // A partition (loss 1, perhaps from partition: true) has no loss worth sliding: the file's partition would win.
      if (f.loss < 1) out.push(range(`${at}.loss`, `${who}: share lost`, f.loss, { max: 1 }));
      return out;
    }
    case 'burst':
      return [range(`${at}.count`, `${who}: extra operations`, f.count, { min: 1, whole: true })];
    case 'pause':
    case 'cacheFlush':
    case 'crash':
      return [];
  }
}

function faultControls(f: Fault, i: number, duration: number): PlayControl[] {
  const at = `faults[${i}]`;
  const who = `fault ${i + 1} (${f.kind} on ${f.target})`;
  // A size that ramps is slid at its top (`add.to`), so that the ramp stays a ramp.
  const ramped = new Set<string>((f.ramps ?? []).map((r) => r.field));
  const sizes = faultSize(f, at, who).map((c) => {
    const field = c.path.slice(at.length + 1);
    return ramped.has(field) ? { ...c, path: `${c.path}.to`, label: `${c.label} (top of the ramp)` } : c;
  });
  const out = [...sizes, range(`${at}.at`, `${who}: starts at`, f.at, { unit: 's', max: duration })];
  // A cache flush is an instant: it has no length; a burst's length is its `within`.
  if (f.kind === 'burst') out.push(range(`${at}.within`, `${who}: spread over`, f.for, { unit: 's', max: duration }));
  else if (f.kind !== 'cacheFlush') out.push(range(`${at}.for`, `${who}: lasts`, f.for, { unit: 's', max: duration }));
  return out;
}

/** Every control of `scenario`, clients first, then services (with their calls), then faults. */
export function playControls(scenario: NormalizedScenario): PlayControl[] {
  return [
    ...scenario.clients.flatMap(clientControls),
    ...scenario.services.flatMap(serviceControls),
    ...scenario.faults.flatMap((f, i) => faultControls(f, i, scenario.duration)),
  ];
}

/** The `--set` argument that gives the control's field `value`. */
export function controlSetting(c: PlayControl, value: number | string): string {
  return `${c.path}=${typeof value === 'number' ? `${value}${c.unit}` : value}`;
}

/**
 * A switch that cuts one feedback loop, so the audience sees which loop
 * mattered: on, it lays its overrides over the scenario (after the
 * controls', so it wins over a moved slider of the same field).
 */
export interface PlaySwitch {
  readonly id: 'no-retries' | 'drop-expired' | 'no-breakers';
  readonly label: string;
  /** What it does, in a sentence. */
  readonly description: string;
  /** The `--set` arguments it applies when on. */
  readonly sets: readonly string[];
}

/** Every `--set` path prefix of a retry policy in the scenario. */
function retryPaths(scenario: NormalizedScenario): string[] {
  return [
    ...scenario.clients.filter((c) => c.retry !== null).map((c) => `clients${key(c.name)}`),
    ...scenario.services.flatMap((s) => s.calls.flatMap((call, i) => (call.retry !== null ? [`services${key(s.name)}.calls[${i}]`] : []))),
  ];
}

/**
 * The loop-cutting switches that apply to `scenario` (a switch with nothing
 * to cut is left out): no retries (every retry policy down to one attempt:
 * the retry-amplification loops), deadline dropping (every service skips
 * requests whose caller gave up: the abandoned-work loop), no breakers (every
 * breaker removed, as if forced closed: the breakers' balancing loops).
 */
export function playSwitches(scenario: NormalizedScenario): PlaySwitch[] {
  const out: PlaySwitch[] = [];
  const retries = retryPaths(scenario);
  if (retries.length > 0)
    out.push({
      id: 'no-retries',
      label: 'No retries',
      description: 'Every retry policy makes one attempt only.',
      sets: retries.map((p) => `${p}.retry.attempts=1`),
    });
  const keeps = scenario.services.filter((s) => !s.dropExpired);
  if (keeps.length > 0) {
    out.push({
      id: 'drop-expired',
      label: 'No abandoned work',
      description: 'Every service skips the requests whose caller has already given up.',
      sets: keeps.map((s) => `services${key(s.name)}.dropExpired=true`),
    });
  }
  const breakers = [
    ...scenario.clients.flatMap((c) => (c.breaker !== null ? [`clients${key(c.name)}.breaker=null`] : [])),
    ...scenario.services.flatMap((s) =>
      s.calls.flatMap((call, i) => (call.breaker !== null ? [`services${key(s.name)}.calls[${i}].breaker=null`] : [])),
    ),
  ];
  if (breakers.length > 0)
    out.push({
      id: 'no-breakers',
      label: 'Breakers forced closed',
      description: "Every circuit breaker is taken out, a client's own too: calls and attempts always go through.",
      sets: breakers,
    });
  return out;
}
