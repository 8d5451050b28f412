/**
 * The design lints that follow chains of calls (client → service → service
 * ...): a call whose worst case outlasts a timeout above it (timeout
 * inversion), and retries at more than one layer of a chain, which multiply.
 * Pure functions of the normalized scenario; each walks the call graph once
 * in topological order (the parser refuses call cycles), so their cost grows
 * with the number of calls, not with the number of paths.
 */
import type { IssueDraft } from './issue.js';
import * as msg from './messages.js';
import type { Call, NormalizedScenario, RetryPolicy, Service } from './types.js';

/** Services in an order where every caller comes before its callees; services on a cycle are left out. */
function topologicalOrder(scenario: NormalizedScenario): Service[] {
  const byName = new Map(scenario.services.map((s) => [s.name, s]));
  const callers = new Map(scenario.services.map((s) => [s.name, 0]));
  for (const s of scenario.services) for (const c of s.calls) if (callers.has(c.to)) callers.set(c.to, callers.get(c.to)! + 1);
  const ready = scenario.services.filter((s) => callers.get(s.name) === 0);
  const order: Service[] = [];
  for (let i = 0; i < ready.length; i++) {
    const s = ready[i]!;
    order.push(s);
    for (const c of s.calls) {
      const left = (callers.get(c.to) ?? 0) - 1;
      callers.set(c.to, left);
      const callee = byName.get(c.to);
      if (left === 0 && callee !== undefined) ready.push(callee);
    }
  }
  return order;
}

/**
 * The longest each backoff wait of `retry` can be, before retries 1..n-1.
 * Full and equal jitter only shorten a wait; decorrelated jitter draws up to
 * three times the previous sleep (starting from base), within the cap.
 */
export function worstBackoffWaits(retry: RetryPolicy | null): number[] {
  if (retry === null || retry.attempts <= 1) return [];
  const b = retry.backoff;
  const waits: number[] = [];
  let prev = b.kind === 'none' ? 0 : b.base;
  for (let n = 1; n < retry.attempts; n++) {
    if (b.kind === 'none') waits.push(0);
    else if (retry.jitter === 'decorrelated') {
      prev = Math.min(b.kind === 'exponential' ? b.cap : Infinity, 3 * prev);
      waits.push(prev);
    } else waits.push(b.kind === 'constant' ? b.base : Math.min(b.cap, b.base * Math.pow(2, n - 1)));
  }
  return waits;
}

/** How long a call can hold its caller at worst, and what that counts; undefined without a timeout (no bound). */
export function worstCallTime(c: Call): { seconds: number; detail: string } | undefined {
  if (c.timeout === null) return undefined;
  const attempts = c.retry?.attempts ?? 1;
  // Each attempt takes a connection first; a pool that waits forever is not counted (the map flags it as waiting forever).
  const poolWait = c.pool?.acquireTimeout ?? 0;
  const waits = worstBackoffWaits(c.retry).reduce((s, w) => s + w, 0);
  return { seconds: attempts * (poolWait + c.timeout) + waits, detail: msg.worstCaseDetail(attempts, c.timeout, poolWait, waits) };
}

/** The tightest timeout that waits for a service's work: its length and the edge it is on. */
interface Bound {
  readonly seconds: number;
  readonly edge: string;
}

/** Timeout inversions: calls whose worst case is longer than the tightest timeout on any chain above them. */
export function lintTimeoutInversions(scenario: NormalizedScenario): IssueDraft[] {
  const bounds = new Map<string, Bound>();
  const tighten = (service: string, seconds: number | null, edge: string): void => {
    const now = bounds.get(service);
    if (seconds !== null && (now === undefined || seconds < now.seconds)) bounds.set(service, { seconds, edge });
  };
  for (const c of scenario.clients) tighten(c.target, c.timeout, `${c.name} → ${c.target}`);
  const out: IssueDraft[] = [];
  for (const s of topologicalOrder(scenario)) {
    const above = bounds.get(s.name);
    for (const [i, c] of s.calls.entries()) {
      const edge = `${s.name} → ${c.to}`;
      if (above !== undefined) {
        tighten(c.to, above.seconds, above.edge);
        const worst = worstCallTime(c);
        // A relative margin keeps float sums (3 x 0.1s) from tripping on an exact fit.
        if (worst !== undefined && worst.seconds > above.seconds * (1 + 1e-9)) {
          out.push({
            severity: 'warning',
            message: msg.timeoutInversion(edge, worst.seconds, worst.detail, above.seconds, above.edge, s.name),
            path: ['services', s.name, 'calls', i, 'timeout'],
            lint: {
              code: 'timeout-inversion',
              label: msg.timeoutInversionLabel(worst.seconds, above.seconds),
              subject: { kind: 'call', service: s.name, index: i },
            },
          });
        }
      }
      tighten(c.to, c.timeout, edge);
    }
  }
  return out;
}

/** The chain of calls that brings a request to a service, kept as a linked list back to its client. */
interface Chain {
  readonly name: string;
  readonly prev: Chain | null;
  /** Retrying layers on the way (attempts above 1) without a retry budget. */
  readonly unbudgeted: number;
  /** Product of the attempts of every layer on the way. */
  readonly product: number;
  /** The attempts of this hop when it retries, else undefined. */
  readonly attempts: number | undefined;
}

function extend(prev: Chain | null, name: string, retry: RetryPolicy | null): Chain {
  const retries = retry !== null && retry.attempts > 1;
  return {
    name,
    prev,
    unbudgeted: (prev?.unbudgeted ?? 0) + (retries && retry.budget === null ? 1 : 0),
    product: (prev?.product ?? 1) * (retries ? retry.attempts : 1),
    attempts: retries ? retry.attempts : undefined,
  };
}

/** Worse first: more layers without a budget, then more attempts. */
function worse(a: Chain, b: Chain | undefined): boolean {
  return b === undefined || a.unbudgeted > b.unbudgeted || (a.unbudgeted === b.unbudgeted && a.product > b.product);
}

/** The names of a chain from its client, eliding the middle of a very long one. */
function chainNames(c: Chain): { names: string[]; attempts: number[] } {
  const names: string[] = [];
  const attempts: number[] = [];
  for (let at: Chain | null = c; at !== null; at = at.prev) {
    names.push(at.name);
    if (at.attempts !== undefined) attempts.push(at.attempts);
  }
  names.reverse();
  attempts.reverse();
  return { names: names.length > 8 ? [...names.slice(0, 3), '…', ...names.slice(-3)] : names, attempts };
}

/**
 * Retries at two or more layers of a chain that have no retry budget: the
 * attempts multiply. Reported once, at the lowest retrying call of the chain
 * (the one whose callee takes the product), for the worst chain through it.
 */
export function lintLayeredRetries(scenario: NormalizedScenario): IssueDraft[] {
  const order = topologicalOrder(scenario);
  const into = new Map<string, Chain>();
  for (const c of scenario.clients) {
    const chain = extend({ name: c.name, prev: null, unbudgeted: 0, product: 1, attempts: undefined }, c.target, c.retry);
    if (worse(chain, into.get(c.target))) into.set(c.target, chain);
  }
  // Whether a retrying call starts at or below each service, from the bottom up.
  const retriesBelow = new Map<string, boolean>();
  for (const s of [...order].reverse()) {
    retriesBelow.set(
      s.name,
      s.calls.some((c) => (c.retry?.attempts ?? 1) > 1 || retriesBelow.get(c.to) === true),
    );
  }
  const out: IssueDraft[] = [];
  for (const s of order) {
    const above = into.get(s.name);
    if (above === undefined) continue;
    for (const [i, c] of s.calls.entries()) {
      const chain = extend(above, c.to, c.retry);
      if (worse(chain, into.get(c.to))) into.set(c.to, chain);
      if (chain.attempts === undefined || chain.unbudgeted < 2 || retriesBelow.get(c.to) === true) continue;
      const { names, attempts } = chainNames(chain);
      out.push({
        severity: 'warning',
        message: msg.layeredRetries(names, attempts, c.to),
        path: ['services', s.name, 'calls', i, 'retry', 'attempts'],
        lint: {
          code: 'layered-retries',
          label: msg.layeredRetriesLabel(chain.product),
          subject: { kind: 'call', service: s.name, index: i },
        },
      });
    }
  }
  return out;
}
