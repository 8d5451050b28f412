/**
 * The library's boundary: what `simulate` is handed is checked before the
 * engine touches it, so a wrong value is a {@link ScenarioInputError} naming
 * the field, never a TypeError from deep inside the engine.
 *
 * Two kinds of object are accepted:
 * - a scenario document as an object (what a YAML file parses to: `services`
 *   a map, durations like `250ms`): checked by the file's own schema and
 *   checks, with the same messages, then normalized;
 * - a normalized scenario (what `loadScenario` and `loadScenarioFile`
 *   return, `services` a list): its structure is checked (every field the
 *   engine reads first, with its type and range, and the names that must
 *   exist), so a hand-built or edited one fails at the boundary.
 */
import { z } from 'zod';
import { formatIssues, type Issue, type Result } from './issue.js';
import { parseScenario } from './parse.js';
import type { NormalizedScenario } from './types.js';
import { MAX_BUCKETS } from './units.js';

/** The file name issues about an object passed to the library carry. */
export const OBJECT_SOURCE = '(scenario object)';

/** A scenario handed to the library was not one: `issues` name each field. */
export class ScenarioInputError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super(`Not a scenario loopsim can run:\n${formatIssues(issues)}`);
    this.name = 'ScenarioInputError';
    this.issues = issues;
  }
}

const seconds = z.number().min(0).max(1e7);
const positive = z.number().positive().max(1e7);
const whole = (min: number): z.ZodNumber => z.number().int().min(min).max(Number.MAX_SAFE_INTEGER);
/** A count that may be unlimited (`Infinity`, as normalize writes `unlimited`). */
const countOrUnlimited = (min: number): z.ZodType<number> =>
  z.custom<number>(
    (v) => typeof v === 'number' && (v === Infinity || (Number.isInteger(v) && v >= min)),
    `Expected a whole number from ${min}, or Infinity for unlimited`,
  );
const dist = z.looseObject({ dist: z.enum(['constant', 'exponential', 'uniform', 'lognormal', 'erlang', 'pareto']) });

/** The replicas a normalized fault hits (types.ts, ReplicaPick). */
const ReplicaPickShape = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('index'), index: whole(0) }),
  z.strictObject({ kind: z.literal('count'), count: whole(1) }),
  z.strictObject({ kind: z.literal('share'), share: z.number().gt(0).max(1) }),
]);

/** A range of operation keys (types.ts, KeyRange): both ends whole, from 0. */
const KeyRangeShape = z.looseObject({ from: whole(0), to: whole(0) });

const NormalizedShape = z.looseObject({
  name: z.string().min(1).max(100),
  description: z.string(),
  seed: whole(0),
  duration: positive,
  warmup: seconds,
  sample: positive,
  clients: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        target: z.string().min(1),
        arrival: z.looseObject({ kind: z.enum(['poisson', 'constant', 'closed']) }),
        timeout: seconds.nullable(),
        network: dist.nullable(),
        retry: z.looseObject({ attempts: whole(1) }).nullable(),
        keys: KeyRangeShape.extend({ popularity: z.looseObject({ kind: z.enum(['zipf', 'uniform']) }) }).optional(),
      }),
    )
    .min(1),
  services: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        instances: whole(1),
        workers: countOrUnlimited(1),
        queue: z.looseObject({ capacity: countOrUnlimited(0), discipline: z.looseObject({ kind: z.enum(['fifo', 'lifo', 'codel']) }) }),
        serviceTime: dist,
        errorRate: z.number().min(0).max(1),
        calls: z.array(z.looseObject({ to: z.string().min(1), probability: z.number().min(0).max(1) })),
      }),
    )
    .min(1),
  brokers: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        consumers: z.looseObject({ service: z.string().min(1), concurrency: whole(1) }),
        visibilityTimeout: positive,
      }),
    )
    .optional(),
  faults: z.array(
    z.looseObject({ kind: z.string(), at: seconds, for: seconds, replicas: ReplicaPickShape.optional(), keys: KeyRangeShape.optional() }),
  ),
  expect: z.array(z.looseObject({})),
});

function issueAt(path: readonly PropertyKey[], message: string): Issue {
  return { severity: 'error', message, path: path.map((p) => (typeof p === 'number' ? p : String(p))), file: OBJECT_SOURCE };
}

/** The names a normalized scenario refers to that do not exist, and the limits across fields. */
function checkRelations(sc: NormalizedScenario): Issue[] {
  const out: Issue[] = [];
  const services = new Set(sc.services.map((s) => s.name));
  const brokers = new Set(sc.brokers.map((b) => b.name));
  sc.clients.forEach((c, i) => {
    if (!services.has(c.target) && !brokers.has(c.target))
      out.push(issueAt(['clients', i, 'target'], `Unknown ${brokers.size > 0 ? 'service or broker' : 'service'} "${c.target}".`));
  });
  sc.brokers.forEach((b, i) => {
    if (!services.has(b.consumers.service))
      out.push(issueAt(['brokers', i, 'consumers', 'service'], `Unknown service "${b.consumers.service}".`));
  });
  sc.services.forEach((s, i) =>
    s.calls.forEach((k, j) => {
      if (!services.has(k.to)) out.push(issueAt(['services', i, 'calls', j, 'to'], `Unknown service "${k.to}".`));
    }),
  );
  if (sc.warmup >= sc.duration) out.push(issueAt(['warmup'], `warmup (${sc.warmup} s) must be below duration (${sc.duration} s).`));
  if (sc.duration / sc.sample > MAX_BUCKETS)
    out.push(
      issueAt(['sample'], `duration / sample gives ${Math.ceil(sc.duration / sc.sample)} buckets; at most ${MAX_BUCKETS} are allowed.`),
    );
  return out;
}

/**
 * Checks what the library was handed (see the module comment): the scenario
 * to run, or the issues that name each wrong field.
 */
export function checkScenarioObject(value: unknown): Result<NormalizedScenario, Issue[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    return {
      ok: false,
      issues: [
        issueAt(
          [],
          `simulate needs a scenario: an object from loadScenario or loadScenarioFile, or a scenario document as an object; got ${got}.`,
        ),
      ],
    };
  }
  const services = (value as { services?: unknown }).services;
  if (!Array.isArray(services)) {
    // A document: JSON is YAML, so the file's parser checks it with the file's messages.
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      return {
        ok: false,
        issues: [issueAt([], `The scenario object cannot be read as data: ${e instanceof Error ? e.message : String(e)}.`)],
      };
    }
    return parseScenario(text, OBJECT_SOURCE);
  }
  const shape = NormalizedShape.safeParse(value);
  if (!shape.success) return { ok: false, issues: shape.error.issues.slice(0, 10).map((i) => issueAt(i.path, `${i.message}.`)) };
  // A run.json written before brokers existed has no `brokers`: it had none.
  const sc = ('brokers' in value ? value : { ...value, brokers: [] }) as NormalizedScenario;
  const relations = checkRelations(sc);
  return relations.length > 0 ? { ok: false, issues: relations } : { ok: true, value: sc, warnings: [] };
}
