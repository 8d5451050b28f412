/**
 * The verdict in one sentence for the top of the report, built from the
 * verdict's evidence (sim/metrics/verdict.ts) and the scenario's faults, e.g.
 * "Metastable: 120 s after the latency spike on gateway (+200ms for 20s)
 * ended, goodput of users is still 12% of its pre-fault level.", followed
 * by the damage and any oscillation in words.
 */
import type { VerdictLoop } from '../sim/metrics/loop-summary.js';
import type { Verdict } from '../sim/metrics/verdict.js';
import type { Fault, NormalizedScenario } from '../sim/scenario/types.js';
import { faultPhrase, lastFault } from './fault-text.js';
import { formatNumber, formatPercent, groupThousands } from './format.js';
import { describeLoop } from './loop-text.js';

const seconds = (x: number): string => `${formatNumber(x)} s`;
/** A share as a whole percentage (`3%`), below 1% with one decimal. */
const share = (x: number): string => formatPercent(x >= 0.01 ? Math.round(x * 100) / 100 : Math.round(x * 1000) / 1000);

/** Title-case label of a verdict kind: `Metastable`, `Recovered`, … */
export function verdictLabel(kind: Verdict['kind']): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

function metastableSentence(v: Verdict, after: string): string {
  const watched = v.watchedSeconds ?? 0;
  if (v.holdSeconds !== null && watched < v.holdSeconds) {
    return (
      `Metastable by the rule, but the run ends only ${seconds(watched)} after ${after}, ` +
      `less than the ${seconds(v.holdSeconds)} hold that recovery needs: run it longer to judge.`
    );
  }
  const lagging = v.clients
    .filter((c) => c.threshold !== null && c.atEnd < c.threshold && c.fractionAtEnd !== null)
    .sort((a, b) => (a.fractionAtEnd ?? 0) - (b.fractionAtEnd ?? 0))[0];
  if (lagging !== undefined) {
    return (
      `Metastable: ${seconds(watched)} after ${after}, goodput of ${lagging.name} is still ` +
      `${formatPercent(lagging.fractionAtEnd ?? 0)} of its pre-fault level.`
    );
  }
  const full = v.services.filter((s) => s.atEnd >= s.limit).sort((a, b) => b.atEnd / b.limit - a.atEnd / a.limit)[0];
  if (full !== undefined) {
    const before = full.referenceP99 === null ? '' : ` (before the fault: ${formatNumber(full.referenceP99)} at p99)`;
    return (
      `Metastable: ${seconds(watched)} after ${after}, ${full.name} still holds ` +
      `${formatNumber(full.atEnd)} requests in flight${before}.`
    );
  }
  return `Metastable: in the ${seconds(watched)} after ${after}, goodput and in-flight requests never stayed at their pre-fault level for a whole hold.`;
}

function drainingSentence(v: Verdict, after: string): string {
  const watched = seconds(v.watchedSeconds ?? 0);
  const d = v.drain;
  if (d === null) return `Draining: ${watched} after ${after}, the system is not back yet, but nothing holds it in its bad state.`;
  const clears = `about ${seconds(d.clearsInSeconds)} after the run ends`;
  if (d.perSecond === null) {
    return `Draining: ${watched} after ${after}, goodput is not back yet but climbing (${d.series}); at this pace it is back ${clears}.`;
  }
  return (
    `Draining: ${watched} after ${after}, the backlog is not cleared yet but shrinking by ` +
    `${formatNumber(d.perSecond)}/s (${d.series}); at this pace it is cleared ${clears}.`
  );
}

/**
 * One plain sentence stating the verdict and its evidence: for `metastable`,
 * how long after the last fault the run watched and which client's goodput
 * (or else which service's in-flight count) had not come back; for
 * `recovered`, how soon after the last fault it did; for the fault-free kinds,
 * what the total queue did. With faults, a caution when the queue was
 * already growing before the first one (the pre-fault level is then no
 * healthy reference). When the verdict names its loop (`verdict.loop`), the
 * loop's sentence follows ({@link describeLoop}).
 */
export function describeVerdict(verdict: Verdict & { readonly loop?: VerdictLoop | null }, scenario: NormalizedScenario): string {
  const caution =
    (verdict.baselineQueue?.overloadedBy ?? null) !== null
      ? ' Caution: the queue was already growing before the first fault, so the pre-fault level is not a healthy one.'
      : '';
  const loop = verdict.loop == null ? '' : ` ${describeLoop(verdict.loop, verdict.kind === 'recovered', scenario)}`;
  const more = [describeDamage(verdict, scenario), describeOscillation(verdict)].filter((x) => x !== '');
  return [verdictSentence(verdict, scenario) + loop + caution, ...more].join(' ');
}

/**
 * The damage in words, whatever the kind: how low goodput fell against
 * normal, for how long it stayed below half, when, and how many operations
 * were lost ("Goodput fell to 4% of normal and stayed below half of it for
 * 110 s, during the traffic surge from shoppers (×1.6 for 8m); 101,023
 * operations lost."). Empty without a damage measure.
 */
export function describeDamage(verdict: Verdict, scenario: NormalizedScenario): string {
  const d = verdict.damage ?? null;
  if (d === null) return '';
  // Under a traffic surge "normal" scales with what is offered (verdict.ts, preFaultDamage): say so, or a goodput that rose reads as a fall.
  const surge = d.reference === 'preFault' && surgeAt(d.worstAt, scenario);
  const normal = d.reference === 'offered' ? 'the offered load' : surge ? 'normal for the load offered' : 'normal';
  const lost = d.lostOperations > 0 ? `; ${groupThousands(d.lostOperations)} operations lost` : '';
  if (d.worstGoodputShare >= 0.9) return `Goodput never fell below ${share(d.worstGoodputShare)} of ${normal}${lost}.`;
  const below = d.secondsBelowHalf > 0 ? ` and stayed below half of it for ${seconds(d.secondsBelowHalf)}` : '';
  return `Goodput fell to ${share(d.worstGoodputShare)} of ${normal}${below}, ${whenText(d.worstAt, scenario, verdict.faultsEnd)}${lost}.`;
}

/** Whether fault `f`'s window (at least one sample long) holds time `at`. */
function holds(f: Fault, at: number, scenario: NormalizedScenario): boolean {
  return at >= f.at && at < f.at + Math.max(f.for, scenario.sample);
}

/** Whether a traffic fault that raises the load holds time `at`. */
function surgeAt(at: number, scenario: NormalizedScenario): boolean {
  return scenario.faults.some((f) => f.kind === 'traffic' && f.multiply > 1 && holds(f, at, scenario));
}

/** When the worst of the damage happened: during which fault, after them, or with none injected. */
function whenText(at: number, scenario: NormalizedScenario, faultsEnd: number | null): string {
  const during = scenario.faults.find((f) => holds(f, at, scenario));
  if (during !== undefined) return `during ${faultPhrase(during)}`;
  if (faultsEnd === null) return `with no fault injected (at ${seconds(at)})`;
  return at >= faultsEnd ? `after the faults ended (at ${seconds(at)})` : `at ${seconds(at)}, before the faults`;
}

/**
 * The oscillation in words, e.g. "Oscillating: the replica count (desired)
 * of web swings by 15 about every 375 s (1.5 cycles after the trigger)."
 * Empty when nothing swings.
 */
export function describeOscillation(verdict: Verdict): string {
  const o = verdict.oscillation ?? null;
  if (o === null) return '';
  if (o.metric === 'breaker') {
    return `Oscillating: the breaker on ${o.component} opened ${formatNumber(o.cycles)} times, about every ${seconds(o.periodSeconds)}.`;
  }
  const what = SWINGING[o.metric] ?? `the ${o.metric}`;
  return (
    `Oscillating: ${what} of ${o.component} swings by ${formatNumber(o.amplitude)} about every ` +
    `${seconds(o.periodSeconds)} (${formatNumber(o.cycles)} cycles after the trigger).`
  );
}

const SWINGING: Readonly<Record<string, string>> = {
  desired: 'the replica count (desired)',
  attempts: 'the attempts per second',
  arrivals: 'the arrivals per second',
};

function verdictSentence(verdict: Verdict & { readonly loop?: VerdictLoop | null }, scenario: NormalizedScenario): string {
  const last = lastFault(scenario.faults);
  // "after X ended" for a fault window, "after X" for an instantaneous fault such as a cache flush.
  const phrase = last === undefined ? 'the last fault' : faultPhrase(last);
  const named = scenario.faults.length > 1 ? `the last fault (${phrase})` : phrase;
  const after = last !== undefined && last.for === 0 ? named : `${named} ended`;
  switch (verdict.kind) {
    case 'recovered': {
      if (verdict.unaffected) {
        return `Unaffected: from the start of the first fault until a hold after ${after}, goodput stayed within noise of its pre-fault level and in-flight requests below their limits.`;
      }
      const r = verdict.recoverySeconds ?? 0;
      return r === 0
        ? `Recovered at once: right after ${after}, goodput and in-flight requests were already at their pre-fault level.`
        : `Recovered: ${seconds(r)} after ${after}, goodput and in-flight requests were back to their pre-fault level.`;
    }
    case 'draining':
      return drainingSentence(verdict, after);
    case 'metastable':
      return metastableSentence(verdict, after);
    case 'overloaded': {
      if (verdict.faultsEnd !== null) {
        const g = verdict.loop ?? null;
        const weak =
          g === null
            ? 'no feedback loop is active'
            : g.polarity === 'balancing'
              ? `the ${g.name} loop is a balancing one`
              : `the ${g.name} loop's gain is ${formatNumber(g.gain)}, below 1`;
        return (
          `Overloaded after the faults: ${seconds(verdict.watchedSeconds ?? 0)} after ${after} the system is not back, ` +
          `but nothing sustains the state (${weak}): work arrives at least as fast as the system serves it.`
        );
      }
      const g = verdict.growing ?? null;
      if ((verdict.queue?.overloadedBy ?? null) === null && g !== null) {
        return (
          `Overloaded: with no fault injected, work kept piling up through the second half of the run, ` +
          `most of it ${g.label} (${g.series}, up to ${formatNumber(g.peak)}); more work arrives than the system finishes.`
        );
      }
      const end = verdict.queue === null ? '' : ` and ended at ${formatNumber(verdict.queue.last)} requests waiting`;
      return `Overloaded: with no fault injected, the total queue kept growing through the second half of the run${end}; more work arrives than the services finish.`;
    }
    case 'stable': {
      const end = verdict.queue === null ? '' : ` (it ended at ${formatNumber(verdict.queue.last)} requests waiting)`;
      return `Stable: no fault was injected, and the total queue did not grow${end}.`;
    }
  }
}
