/**
 * The loop in one sentence, appended to the verdict sentence: which loop
 * sustains (or drove) the failure, where, and how strong it is, from
 * `verdict.loop` (sim/metrics/loop-summary.ts), e.g. "Sustained by the retry
 * loop through gateway: each operation now costs 5.6 attempts; the gateway
 * would need 3,100/s and serves 800/s."
 */
import type { VerdictLoop } from '../sim/metrics/loop-summary.js';
import { formatNumber, formatPercent } from './format.js';

const perSecond = (x: number): string => `${formatNumber(x)}/s`;
const times = (x: number): string => `${formatNumber(x)}×`;

/** Where the loop acts, as the sentence names it: "through gateway", "in orders", "on web". */
export function loopPlace(loop: Pick<VerdictLoop, 'name' | 'bottleneck'>): string {
  switch (loop.name) {
    case 'degradation':
    case 'crash':
      return `in ${loop.bottleneck}`;
    case 'autoscaler':
      return `on ${loop.bottleneck}`;
    case 'pool':
      return `through the pool of ${loop.bottleneck.replace(/\.pool$/, '')}`;
    default:
      return `through ${loop.bottleneck}`;
  }
}

/** "routed this way (10% of them) " when a route group on the loop's path sends only some operations along it; else nothing. */
function routedThisWay(l: VerdictLoop): string {
  return l.routedShare === undefined ? '' : `routed this way (${formatPercent(l.routedShare)} of them) `;
}

/** What the loop's figures say, after the colon. */
function loopEvidence(l: VerdictLoop): string {
  const need = `the ${l.bottleneck} would need ${perSecond(l.demand)} and serves ${perSecond(l.served)}`;
  switch (l.name) {
    case 'retry':
      return l.attemptsPerOperation === null
        ? `${need}`
        : `each operation ${routedThisWay(l)}now costs ${formatNumber(l.attemptsPerOperation)} attempts; ${need}`;
    case 'redelivery':
      return `each delivery now reaches ${l.bottleneck} ${formatNumber(l.attemptsPerOperation ?? l.multiplier)} times, resends of work already done included; ${need}`;
    case 'cache-refill':
      return `misses and their retried fills load ${l.bottleneck} ${times(l.multiplier)} as much as a warm cache does; ${need}`;
    case 'degradation':
      return `each request now holds a worker ${times(l.multiplier)} as long as before; ${need}`;
    case 'pool':
      return `callers want ${formatNumber(l.demand)} calls/s through ${l.path[1] ?? 'the pool'}, which carries ${formatNumber(l.served)}/s, and the calls waiting for a connection hold their workers`;
    case 'abandoned-work':
      return `${need}, most of it to callers who have already given up`;
    case 'breaker':
      return `closed, it would send ${perSecond(l.demand)} to ${l.bottleneck}, which serves ${perSecond(l.served)}`;
    case 'crash':
      return `replicas crashed under load leave ${times(l.multiplier)} the work on each survivor; ${need}`;
    case 'autoscaler':
      return `it asks for ${formatNumber(l.served)} replicas where the load needs ${formatNumber(l.demand)}`;
  }
}

/**
 * One sentence naming the verdict's loop: "Sustained by" a reinforcing loop
 * whose gain is at least 1, "Driven by" one below 1 (it amplified the
 * trigger but could not keep itself going), "Shaped by" a balancing loop.
 * When the run `recovered`, the loop was judged over the recovery only: one
 * with gain at least 1 "held back" the recovery until it broke, it did not
 * sustain the failure.
 */
export function describeLoop(l: VerdictLoop, recovered = false): string {
  const gain = `gain ${formatNumber(l.gain)}`;
  if (l.polarity === 'balancing') return `Shaped by the balancing ${l.name} loop ${loopPlace(l)} (${gain}): ${loopEvidence(l)}.`;
  if (l.gain >= 1 && recovered) {
    return `Held back by the ${l.name} loop ${loopPlace(l)} until the recovery (${gain} while it lasted): ${loopEvidence(l)}.`;
  }
  if (l.gain >= 1) return `Sustained by the ${l.name} loop ${loopPlace(l)}: ${loopEvidence(l)}.`;
  return `Driven by the ${l.name} loop ${loopPlace(l)} (${gain}, below 1: it did not sustain itself): ${loopEvidence(l)}.`;
}
