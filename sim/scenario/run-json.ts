/**
 * run.json read back: the resolved scenario a run recorded (every default
 * filled in, `Infinity` written as "unlimited"), so that `loopsim run
 * run.json` replays the run byte for byte. The scenario inside is checked
 * like any scenario object handed to the library (check-object.ts).
 */
import { checkScenarioObject, OBJECT_SOURCE } from './check-object.js';
import type { Issue, Result } from './issue.js';
import { UNLIMITED } from './normalize.js';
import type { NormalizedScenario } from './types.js';

/** The fields toRunJson may have written as "unlimited". */
const UNLIMITED_FIELDS = new Set(['workers', 'capacity', 'ttl']);

/** Whether `text` (of a file named `file`) is a run.json rather than a scenario file. */
export function isRunJson(file: string, text: string): boolean {
  return file.endsWith('.json') && /^\s*\{/.test(text) && text.includes('"scenario"');
}

/** Parses the text of a run.json into the scenario it recorded (its seed included), or issues naming the field. */
export function parseRunJson(text: string, file: string): Result<NormalizedScenario, Issue[]> {
  const fail = (message: string, path: (string | number)[] = []): Result<NormalizedScenario, Issue[]> => ({
    ok: false,
    issues: [{ severity: 'error', message, path, file }],
  });
  let data: unknown;
  try {
    data = JSON.parse(text, (key, v: unknown) => (v === UNLIMITED && UNLIMITED_FIELDS.has(key) ? Infinity : v));
  } catch (e) {
    return fail(`${file} is not JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const record = data as { version?: unknown; seed?: unknown; scenario?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.version !== 'string' || record.scenario === undefined) {
    return fail(`${file} is not a loopsim run.json (expected "version", "seed" and "scenario").`);
  }
  const checked = checkScenarioObject(record.scenario);
  if (!checked.ok)
    return {
      ok: false,
      issues: checked.issues.map((i) => ({ ...i, file: i.file === OBJECT_SOURCE ? file : i.file, path: ['scenario', ...i.path] })),
    };
  if (record.seed !== undefined && record.seed !== checked.value.seed)
    return fail(`seed ${JSON.stringify(record.seed)} differs from scenario.seed ${checked.value.seed}.`, ['seed']);
  return checked;
}
