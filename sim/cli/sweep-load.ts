/**
 * Scenario files for compare, sweep and `run --set`: read once (within the
 * size limit), then parsed with overrides laid over them, as often as the
 * cells of a sweep need. Issues print the way `loopsim run` prints them.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Override } from '../scenario/override.js';
import { formatIssues, type Issue } from '../scenario/parse.js';
import { parseScenarioWith } from '../scenario/parse-with.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { EXIT_BAD_INPUT, type Io } from './io.js';
import { MAX_SCENARIO_BYTES } from './files.js';

/** A scenario file's text, or why it could not be read. */
export type ScenarioText =
  { readonly ok: true; readonly text: string; readonly file: string } | { readonly ok: false; readonly issues: readonly Issue[] };

/** Reads the scenario file at `path` (at most 1 MiB). Never throws. */
export function readScenarioText(path: string): ScenarioText {
  const file = basename(path);
  const fail = (message: string): ScenarioText => ({ ok: false, issues: [{ severity: 'error', message, path: [], file }] });
  try {
    const st = statSync(path);
    if (!st.isFile()) return fail(`${path} is not a file.`);
    if (st.size > MAX_SCENARIO_BYTES)
      return fail(`${path} is ${st.size} bytes; a scenario file may be at most ${MAX_SCENARIO_BYTES} bytes (1 MiB).`);
    return { ok: true, text: readFileSync(path, 'utf8'), file };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `Cannot read ${path}: no such file.` : `Cannot read ${path}: ${code ?? 'read error'}.`);
  }
}

/** Prints issues to stderr, as `loopsim run` does. */
export function printIssues(io: Io, issues: readonly Issue[]): void {
  if (issues.length > 0) io.err(formatIssues(issues) + '\n');
}

/** Prints issues and returns exit code 2 (bad input). */
export function refuseWith(io: Io, issues: readonly Issue[]): number {
  printIssues(io, issues);
  return EXIT_BAD_INPUT;
}

/** A scenario that parsed, with the warnings already printed (the report's structure map shows its design lints). */
export interface ParsedScenario {
  readonly scenario: NormalizedScenario;
  readonly warnings: readonly Issue[];
}

/**
 * Parses a read scenario with `overrides`; prints its issues (errors, or
 * warnings when it is fine) and returns the scenario with its warnings, or undefined.
 */
export function parseWith(
  src: { readonly text: string; readonly file: string },
  overrides: readonly Override[],
  io: Io,
): ParsedScenario | undefined {
  const r = parseScenarioWith(src.text, src.file, overrides);
  if (!r.ok) {
    printIssues(io, r.issues);
    return undefined;
  }
  printIssues(io, r.warnings);
  return { scenario: r.value, warnings: r.warnings };
}

/** Reads and parses the file at `path` with `overrides`; prints issues; undefined when it is unusable. */
export function loadScenarioWith(path: string, overrides: readonly Override[], io: Io): ParsedScenario | undefined {
  const src = readScenarioText(path);
  if (!src.ok) {
    printIssues(io, src.issues);
    return undefined;
  }
  return parseWith(src, overrides, io);
}
