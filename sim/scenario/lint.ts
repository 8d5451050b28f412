/**
 * Design lints: warnings about a scenario that is valid but built in a way
 * that invites the failures loopsim simulates. Each lint is a pure function
 * returning issue drafts with the path of the value concerned and a tag
 * (code, a short label, the client, call or service) that the structure map
 * shows next to that part of the system. parseScenario places them in the
 * file like every other warning; `loopsim validate` and `run` print them.
 *
 * - timeout-inversion: a call whose attempts outlast a timeout above it (lint-chains.ts)
 * - layered-retries: retries without a budget at two or more layers of a chain (lint-chains.ts)
 * - unbounded-queue: a LIFO or CoDel queue without a capacity (here)
 * - bare-number: a latency or timeout written without a unit (lint-units.ts)
 */
import type { IssueDraft } from './issue.js';
import { lintLayeredRetries, lintTimeoutInversions } from './lint-chains.js';
import { lintBareNumbers } from './lint-units.js';
import * as msg from './messages.js';
import type { ScenarioDocument } from './schema.js';
import type { NormalizedScenario } from './types.js';

/** LIFO and CoDel queues with unlimited capacity (with unlimited workers nothing waits, so no queue forms). */
export function lintUnboundedQueues(scenario: NormalizedScenario): IssueDraft[] {
  return scenario.services.flatMap((s): IssueDraft[] => {
    const kind = s.queue.discipline.kind;
    if (kind === 'fifo' || Number.isFinite(s.queue.capacity) || !Number.isFinite(s.workers)) return [];
    return [
      {
        severity: 'warning',
        message: msg.unboundedQueue(s.name, kind),
        path: ['services', s.name, 'queue', 'discipline'],
        lint: { code: 'unbounded-queue', label: msg.unboundedQueueLabel(kind), subject: { kind: 'service', name: s.name } },
      },
    ];
  });
}

/** Every design lint of a scenario: `doc` as validated, `scenario` its normalized form. */
export function lintScenario(doc: ScenarioDocument, scenario: NormalizedScenario): IssueDraft[] {
  return [...lintTimeoutInversions(scenario), ...lintLayeredRetries(scenario), ...lintUnboundedQueues(scenario), ...lintBareNumbers(doc)];
}
