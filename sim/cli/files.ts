/**
 * The CLI's file handling: reading scenario files within the size limit.
 * Outputs are written by output-folder.ts (re-exported here).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseScenario, type Issue } from '../scenario/parse.js';
import { isRunJson, parseRunJson } from '../scenario/run-json.js';
import type { NormalizedScenario } from '../scenario/types.js';

export { writeFileAtomic } from './output-folder.js';

/** Largest scenario file accepted, in bytes. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** A loaded scenario, or the issues that stopped it. */
export type Loaded =
  | { readonly ok: true; readonly scenario: NormalizedScenario; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

function fileIssue(file: string, message: string): Issue {
  return { severity: 'error', message, path: [], file };
}

/**
 * Reads, parses and normalizes the scenario file at `path`; a run.json
 * (what a run leaves behind) gives back the scenario it recorded, seed
 * included, so the run replays byte for byte. Never throws.
 */
export function loadScenarioFile(path: string): Loaded {
  const file = basename(path);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, issues: [fileIssue(file, `${path} is not a file.`)] };
    size = st.size;
  } catch {
    return { ok: false, issues: [fileIssue(file, `Cannot read ${path}: no such file.`)] };
  }
  if (size > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      issues: [fileIssue(file, `${path} is ${size} bytes; a scenario file may be at most ${MAX_SCENARIO_BYTES} bytes (1 MiB).`)],
    };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, issues: [fileIssue(file, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'read error'}.`)] };
  }
  const r = isRunJson(file, text) ? parseRunJson(text, file) : parseScenario(text, file);
  return r.ok ? { ok: true, scenario: r.value, warnings: r.warnings } : { ok: false, issues: r.issues };
}
