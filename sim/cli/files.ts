/**
 * The CLI's file handling: reading scenario files within the size limit, and
 * writing outputs atomically (a temporary file, then a rename), so a killed
 * run never leaves a half-written summary.json behind.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseScenario, type Issue } from '../scenario/parse.js';
import type { NormalizedScenario } from '../scenario/types.js';

/** Largest scenario file accepted, in bytes. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** A loaded scenario, or the issues that stopped it. */
export type Loaded =
  | { readonly ok: true; readonly scenario: NormalizedScenario; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

function fileIssue(file: string, message: string): Issue {
  return { severity: 'error', message, path: [], file };
}

/** Reads, parses and normalizes the scenario file at `path`. Never throws. */
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
    return { ok: false, issues: [fileIssue(file, `${path} is ${size} bytes; a scenario file may be at most ${MAX_SCENARIO_BYTES} bytes (1 MiB).`)] };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, issues: [fileIssue(file, `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'read error'}.`)] };
  }
  const r = parseScenario(text, file);
  return r.ok ? { ok: true, scenario: r.value, warnings: r.warnings } : { ok: false, issues: r.issues };
}

/** Writes `data` to `path` through a temporary file and a rename; creates the folder. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
