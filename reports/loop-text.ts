/**
 * The loop in one sentence, appended to the verdict sentence: which loop
 * sustains (or drove) the failure, where, and how strong it is, from
 * `verdict.loop` (sim/metrics/loop-summary.ts), e.g. "Sustained by the retry
 * loop through gateway: each operation now costs 5.6 attempts; the gateway
 * would need 3,100/s and serves 800/s."
 */
import type { VerdictLoop } from '../sim/metrics/loop-summary.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { formatNumber, formatPercent } from './format.js';

const perSecond = (x: number): string => `${formatNumber(x)}/s`;
const times = (x: number): string => `${formatNumber(x)}×`;

/** Where the loop acts, as the sentence names it: "through gateway", "in orders", "on web". */
export function loopPlace(loop: Pick<VerdictLoop, 'name' | 'bottleneck'>): string {
  switch (loop.name) {
    case 'degradation':
    case 'crash':
    case 'health-check':
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

/**
 * What the loop's figures say, after the colon. `fromBroker`: the loop's
 * first element is a broker (its redelivery resends messages, where a
 * client's resends operations).
 */
function loopEvidence(l: VerdictLoop, fromBroker: boolean): string {
  const need = `the ${l.bottleneck} would need ${perSecond(l.demand)} and serves ${perSecond(l.served)}`;
  switch (l.name) {
    case 'retry':
      return l.attemptsPerOperation === null
        ? `${need}`
        : `each operation ${routedThisWay(l)}now costs ${formatNumber(l.attemptsPerOperation)} attempts; ${need}`;
    case 'redelivery':
      return `each ${fromBroker ? 'delivery' : 'operation'} now reaches ${l.bottleneck} ${formatNumber(l.attemptsPerOperation ?? l.multiplier)} times, resends of work already done included; ${need}`;
    case 'cache-refill':
      return `misses and their retried fills load ${l.bottleneck} ${times(l.multiplier)} as much as a warm cache does; ${need}`;
    case 'degradation':
      return `each request now holds a worker ${times(l.multiplier)} as long as before; ${need}`;
    case 'pool':
      return `callers want ${formatNumber(l.demand)} calls/s through ${l.path[1] ?? 'the pool'}, which carries ${formatNumber(l.served)}/s, and the calls waiting for a connection hold their workers`;
    case 'hedge':
      return `each call ${routedThisWay(l)}now sends ${formatNumber(l.multiplier)} copies, hedges sent while ${l.bottleneck} answers later than the delay; ${need}`;
    case 'abandoned-work':
      return `${need}, most of it to callers who have already given up`;
    case 'breaker':
      // Open all along, it leaves the callee idle: nothing served, no capacity to measure the gain against.
      return l.served === 0
        ? `closed, it would send ${perSecond(l.demand)} to ${l.bottleneck}; open, it leaves ${l.bottleneck} idle, so its gain cannot be measured`
        : `closed, it would send ${perSecond(l.demand)} to ${l.bottleneck}, which serves ${perSecond(l.served)}`;
    case 'crash':
      return `replicas crashed under load leave ${times(l.multiplier)} the work on each survivor; ${need}`;
    case 'health-check':
      return `replicas that failed their health checks leave ${times(l.multiplier)} the work on each one in rotation; ${need}`;
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
 * sustain the failure. `scenario` tells a broker's redelivery (of
 * deliveries) from a client's (of operations); without it, deliveries.
 */
export function describeLoop(l: VerdictLoop, recovered = false, scenario?: Pick<NormalizedScenario, 'brokers'>): string {
  const gain = `gain ${formatNumber(l.gain)}`;
  const fromBroker = scenario === undefined || scenario.brokers.some((b) => b.name === l.path[0]);
  const evidence = loopEvidence(l, fromBroker);
  if (l.polarity === 'balancing') {
    // A gain of 0 from an idle callee is no measure: the figures after the colon say why.
    const measured = l.name === 'breaker' && l.served === 0 ? '' : ` (${gain})`;
    return `Shaped by the balancing ${l.name} loop ${loopPlace(l)}${measured}: ${evidence}.`;
  }
  if (l.gain >= 1 && recovered) {
    return `Held back by the ${l.name} loop ${loopPlace(l)} until the recovery (${gain} while it lasted): ${evidence}.`;
  }
  if (l.gain >= 1) return `Sustained by the ${l.name} loop ${loopPlace(l)}: ${evidence}.`;
  return `Driven by the ${l.name} loop ${loopPlace(l)} (${gain}, below 1: it did not sustain itself): ${evidence}.`;
}
