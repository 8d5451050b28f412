/**
 * Parsing with overrides: the scenario text, then `--set` (or `--vary`)
 * values laid over its data before validation, so each overridden value is
 * checked exactly as if it had been written in the file. Issues about an
 * overridden value point at the argument that set it instead of the file.
 */
import type { Issue, Result } from './issue.js';
import type { Override } from './override.js';
import { applyOverrides } from './override.js';
import { parseScenario } from './parse.js';
import type { NormalizedScenario } from './types.js';

/** Segments two paths share from the start. */
function sharedPrefix(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  let n = 0;
  while (n < a.length && n < b.length && String(a[n]) === String(b[n])) n += 1;
  return n;
}

/**
 * The override an issue is about: the last one whose path contains the
 * issue's path (the issue lies inside the value it set), or, for an issue the
 * file cannot place (its path exists only because of an override), the one
 * sharing the longest prefix with it.
 */
function culprit(i: Issue, overrides: readonly Override[]): Override | undefined {
  let inside: Override | undefined;
  let near: Override | undefined;
  let nearShared = 0;
  for (const o of overrides) {
    const shared = sharedPrefix(o.path, i.path);
    if (shared === o.path.length) inside = o;
    else if (shared > nearShared) [near, nearShared] = [o, shared];
  }
  return inside ?? (i.line === undefined ? near : undefined);
}

/** The issue re-pointed at the argument that caused it (no file position: the value is not in the file). */
function attribute(i: Issue, overrides: readonly Override[]): Issue {
  const o = culprit(i, overrides);
  if (o === undefined) return i;
  const out: Issue = { severity: i.severity, message: i.message, path: i.path, file: o.source };
  return {
    ...out,
    ...(i.expected !== undefined ? { expected: i.expected } : {}),
    ...(i.found !== undefined ? { found: i.found } : {}),
    ...(i.lint !== undefined ? { lint: i.lint } : {}),
  };
}

/**
 * Like parseScenario, with `overrides` applied in order to the document's
 * data before the schema and the checks run. Without overrides it is exactly
 * parseScenario. Never throws on bad input.
 */
export function parseScenarioWith(text: string, file: string, overrides: readonly Override[]): Result<NormalizedScenario, Issue[]> {
  if (overrides.length === 0) return parseScenario(text, file);
  const r = parseScenario(text, file, { transform: (data) => applyOverrides(data, overrides) });
  if (!r.ok) return { ok: false, issues: r.issues.map((i) => attribute(i, overrides)) };
  return { ok: true, value: r.value, warnings: r.warnings.map((i) => attribute(i, overrides)) };
}
