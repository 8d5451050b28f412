/**
 * The verdict in one sentence for the top of the report, built from the
 * verdict's evidence (sim/metrics/verdict.ts) and the scenario's faults, e.g.
 * "Metastable: 120 s after the latency spike on gateway (+200ms for 20s)
 * ended, goodput of users is still 12% of its pre-fault level."
 */
import type { VerdictLoop } from '../sim/metrics/loop-summary.js';
import type { Verdict } from '../sim/metrics/verdict.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { faultPhrase, lastFault } from './fault-text.js';
import { formatNumber, formatPercent } from './format.js';
import { describeLoop } from './loop-text.js';

const seconds = (x: number): string => `${formatNumber(x)} s`;

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
  const loop = verdict.loop == null ? '' : ` ${describeLoop(verdict.loop)}`;
  return verdictSentence(verdict, scenario) + loop + caution;
}

function verdictSentence(verdict: Verdict, scenario: NormalizedScenario): string {
  const last = lastFault(scenario.faults);
  // "after X ended" for a fault window, "after X" for an instantaneous fault such as a cache flush.
  const phrase = last === undefined ? 'the last fault' : faultPhrase(last);
  const named = scenario.faults.length > 1 ? `the last fault (${phrase})` : phrase;
  const after = last !== undefined && last.for === 0 ? named : `${named} ended`;
  switch (verdict.kind) {
    case 'recovered': {
      const r = verdict.recoverySeconds ?? 0;
      return r === 0
        ? `Recovered at once: right after ${after}, goodput and in-flight requests were already at their pre-fault level.`
        : `Recovered: ${seconds(r)} after ${after}, goodput and in-flight requests were back to their pre-fault level.`;
    }
    case 'metastable':
      return metastableSentence(verdict, after);
    case 'overloaded': {
      const end = verdict.queue === null ? '' : ` and ended at ${formatNumber(verdict.queue.last)} requests waiting`;
      return `Overloaded: with no fault injected, the total queue kept growing through the second half of the run${end}; more work arrives than the services finish.`;
    }
    case 'stable': {
      const end = verdict.queue === null ? '' : ` (it ended at ${formatNumber(verdict.queue.last)} requests waiting)`;
      return `Stable: no fault was injected, and the total queue did not grow${end}.`;
    }
  }
}
