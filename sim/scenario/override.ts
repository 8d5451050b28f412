/**
 * Overrides of scenario fields by dotted path, as `--set path=value` writes
 * them (`services.gateway.workers=32`, `faults[0].for=30s`). They apply to
 * the plain data of the YAML document before the schema sees it, so an
 * overridden value is validated exactly like one written in the file.
 *
 * Pure: arguments in, issues or a new document out; the input is never
 * modified. Each issue names the argument it came from in its `file` field,
 * which is where `formatIssues` shows it: `→ at services.gatway (--set services.gatway.workers=32)`.
 */
import { parse as parseYaml } from 'yaml';
import type { Issue, PathSegment, Result } from './issue.js';
import { formatPath } from './issue.js';
import { closest, showValue } from './wording.js';

/** One override of a scenario field. */
export interface Override {
  /** Where it came from, as shown in messages: `--set services.api.workers=32`. */
  readonly source: string;
  /** Keys and list indexes from the top of the document. */
  readonly path: readonly PathSegment[];
  /** The new value, as YAML would read it; `undefined` removes the field (written `null` or `~`). */
  readonly value: unknown;
}

const PATH_HELP = 'a dotted path like services.api.workers or faults[0].for';

function issue(source: string, message: string, path: readonly PathSegment[] = []): Issue {
  return { severity: 'error', message, path, file: source };
}

/**
 * A dotted path as segments: `services.api.calls[0].to` → `['services', 'api', 'calls', 0, 'to']`.
 * Keys that are not plain words go in quoted brackets: `clients["a.b"]`. A
 * dotted all-digit segment (`faults.0.for`) is kept as text and read as an
 * index when it meets a list. Returns undefined when the text is not a path.
 */
export function parseFieldPath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^"[^"]*"$/.test(inner) || /^'[^']*'$/.test(inner)) out.push(inner.slice(1, -1));
      else return undefined;
      i = close + 1;
      if (text[i] === '.') {
        i += 1;
        if (i >= text.length) return undefined;
      }
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j += 1;
    const key = text.slice(i, j);
    if (key === '' || /\s|=|]/.test(key)) return undefined;
    out.push(key);
    i = j;
    if (text[i] === '.') {
      i += 1;
      if (i >= text.length) return undefined;
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * A value as written on the command line, read as YAML: `32` is a number,
 * `30s` and `50%` strings, `[timeout, error]` a list, `{kind: none}` a map,
 * `null` or `~` "remove the field". Text YAML cannot read stays a string.
 */
export function parseOverrideValue(text: string): unknown {
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch {
    return text;
  }
  return v === null ? undefined : v;
}

/**
 * Reads one `path=value` argument. `flag` names the option in messages
 * (default `--set`). The value is everything after the first `=`.
 */
export function parseOverrideArgument(arg: string, flag = '--set'): Result<Override, Issue[]> {
  const source = `${flag} ${arg}`;
  const eq = arg.indexOf('=');
  if (eq < 0) return { ok: false, issues: [issue(source, `Expected path=value, e.g. ${flag} services.api.workers=32.`)] };
  const pathText = arg.slice(0, eq).trim();
  const valueText = arg.slice(eq + 1).trim();
  const path = parseFieldPath(pathText);
  if (path === undefined) return { ok: false, issues: [issue(source, `Cannot read the path "${pathText}": expected ${PATH_HELP}.`)] };
  if (valueText === '') return { ok: false, issues: [issue(source, 'No value after "=": write one, or null to remove the field.', path)] };
  return { ok: true, value: { source, path, value: parseOverrideValue(valueText) }, warnings: [] };
}

/** Reads several arguments; all their issues, or all the overrides in order. */
export function parseOverrideArguments(args: readonly string[], flag = '--set'): Result<Override[], Issue[]> {
  const overrides: Override[] = [];
  const issues: Issue[] = [];
  for (const a of args) {
    const r = parseOverrideArgument(a, flag);
    if (r.ok) overrides.push(r.value);
    else issues.push(...r.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: overrides, warnings: [] };
}

function isMap(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A list index from a segment (`0` or `"0"`), or undefined. */
function toIndex(seg: PathSegment): number | undefined {
  if (typeof seg === 'number') return seg;
  return /^\d+$/.test(seg) ? Number(seg) : undefined;
}

/** An empty container for the segment after it: a list before an index, else a map. */
function emptyFor(next: PathSegment | undefined): unknown[] | Record<string, unknown> {
  return next !== undefined && toIndex(next) !== undefined ? [] : {};
}

/** The components a top-level map holds, for "no service named" messages. */
const COMPONENT_MAPS: Readonly<Record<string, string>> = { clients: 'client', services: 'service' };

/** Applies one override to `root` in place; returns the issue that stopped it, if any. */
function applyOne(root: Record<string, unknown>, o: Override): Issue | undefined {
  let node: unknown = root;
  for (let i = 0; i < o.path.length; i += 1) {
    const seg = o.path[i] as PathSegment;
    const here = o.path.slice(0, i);
    const last = i === o.path.length - 1;
    if (Array.isArray(node)) {
      const idx = toIndex(seg);
      const where = formatPath(here);
      if (idx === undefined) return issue(o.source, `${where} is a list: give an index, e.g. ${formatPath([...here, 0])}.`, here);
      // An index one past the end appends an entry (unless the override removes):
      // the value itself, or an empty entry that the rest of the path fills.
      const limit = o.value !== undefined ? node.length : node.length - 1;
      if (idx > limit) {
        const has =
          node.length === 0 ? 'is empty' : `has ${node.length} ${node.length === 1 ? 'entry' : 'entries'} (0 to ${node.length - 1})`;
        const append = o.value !== undefined ? ` (index ${node.length} appends)` : '';
        return issue(o.source, `${where} ${has}; index ${idx} is out of range${append}.`, here);
      }
      if (!last) {
        if (idx === node.length) node.push(emptyFor(o.path[i + 1]));
        node = node[idx];
        continue;
      }
      if (o.value === undefined) node.splice(idx, 1);
      else node[idx] = o.value;
      return undefined;
    }
    if (!isMap(node)) {
      return issue(o.source, `${formatPath(here)} is ${showValue(node)}, not a map or a list, so it has no "${String(seg)}".`, here);
    }
    const key = String(seg);
    if (key === '__proto__') return issue(o.source, 'The key "__proto__" cannot be set.', [...here, key]);
    if (last) {
      if (o.value === undefined) delete node[key];
      else node[key] = o.value;
      return undefined;
    }
    if (!Object.hasOwn(node, key)) {
      const keys = Object.keys(node);
      const near = closest(key, keys);
      const at = [...here, key];
      if (near !== undefined) return issue(o.source, `There is no "${key}" here. Did you mean "${near}"?`, at);
      const kind = here.length === 1 ? COMPONENT_MAPS[String(here[0])] : undefined;
      if (kind !== undefined) {
        const known = keys.length > 0 ? ` The file has ${keys.map((k) => `"${k}"`).join(', ')}.` : '';
        return issue(o.source, `No ${kind} named "${key}".${known}`, at);
      }
      // A missing optional section (a retry policy, a queue, the faults list) is created: the schema judges it.
      node[key] = emptyFor(o.path[i + 1]);
    }
    node = node[key];
  }
  return undefined;
}

/**
 * Applies overrides in order to a copy of the document's plain data. Missing
 * maps on the way are created (`clients.x.retry.attempts=1` adds a retry
 * policy), except under `clients` and `services`, and except where a key of
 * the file is a likely typo of the missing one (then a did-you-mean issue).
 * A list index may be one past the end to append, also on the way to a field
 * of the new entry (`faults[1].kind=pause`); a missing list is created when an
 * index follows it (`expect[0]={verdict: stable}`). A value of `null` removes
 * the field or list entry. What the new values mean is left to the schema.
 */
export function applyOverrides(
  doc: Readonly<Record<string, unknown>>,
  overrides: readonly Override[],
): Result<Record<string, unknown>, Issue[]> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const o of overrides) {
    const bad = applyOne(copy, o);
    if (bad !== undefined) issues.push(bad);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: copy, warnings: [] };
}
