/**
 * Scenario text in, NormalizedScenario (or every problem found) out. Pure: the
 * CLI reads the file and prints the issues; nothing here touches files,
 * `process` or the console.
 *
 * text ─preflight→ ─YAML→ Document ─toJS→ data ─zod→ ScenarioDocument
 *      ─checks→ ─normalize→ NormalizedScenario ─lints→ warnings
 *
 * Each stage stops the pipeline when it finds errors, since later stages
 * would only report their echoes. Warnings accumulate and ride along.
 */
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import { checkReferences } from './check-references.js';
import { checkValues } from './check-values.js';
import { lintScenario } from './lint.js';
import type { Issue, IssueDraft, Result } from './issue.js';
import { sortIssues } from './issue.js';
import * as msg from './messages.js';
import { normalizeScenario } from './normalize.js';
import { ScenarioSchema } from './schema.js';
import type { NormalizedScenario } from './types.js';
import { MAX_FILE_BYTES, MAX_YAML_ALIASES, utf8Length } from './units.js';
import { explainFirstYamlError } from './yaml-explain.js';
import { createLocator, findDuplicateKeys } from './yaml-locate.js';
import type { Locator } from './yaml-locate.js';
import { createErrorMap, mapZodIssues } from './zod-issues.js';
import type { AllowedKeys } from './zod-issues.js';

export type { Issue, PathSegment, Result } from './issue.js';
export { formatIssues, formatPath } from './issue.js';

/** Most issues reported for one file; the rest are summarized in one line. */
export const MAX_ISSUES = 50;

// Characters YAML forbids in a stream (outside tab, LF and CR), which in practice mean binary data.
const CONTROL_CHAR = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

/** The scenario name a file implies: its base name without extension, reduced to `[a-z0-9-]`. */
export function nameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? '';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const slug = stem
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'scenario' : slug;
}

/** Drafts with the file name and their position in the text. */
function place(drafts: readonly IssueDraft[], file: string, locator: Locator | undefined): Issue[] {
  return drafts.map((d) => {
    const pos = locator?.locate(d.path, d.atKey ?? false);
    return {
      severity: d.severity ?? 'error',
      message: d.message,
      path: d.path,
      file,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      ...(d.expected !== undefined ? { expected: d.expected } : {}),
      ...(d.found !== undefined ? { found: d.found } : {}),
      ...(d.lint !== undefined ? { lint: d.lint } : {}),
    };
  });
}

/**
 * Sorted, capped at MAX_ISSUES, with a closing note when some were left out;
 * `unplaced` counts issues dropped before they were located.
 */
function finish(issues: readonly Issue[], file: string, unplaced = 0): Issue[] {
  const sorted = sortIssues(issues);
  const total = sorted.length + unplaced;
  if (total <= MAX_ISSUES) return sorted;
  const note: Issue = { severity: 'error', message: msg.tooManyIssues(MAX_ISSUES, total), path: [], file };
  return [...sorted.slice(0, MAX_ISSUES), note];
}

/** Problems visible before parsing: size, binary content, emptiness. */
function preflight(text: string, file: string): Issue | undefined {
  const at = (index: number): { line: number; column: number } => {
    const before = text.slice(0, index).split('\n');
    return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
  };
  const bytes = utf8Length(text);
  if (bytes > MAX_FILE_BYTES)
    return {
      severity: 'error',
      message: msg.fileTooLarge(bytes),
      path: [],
      file,
      expected: `at most ${MAX_FILE_BYTES} bytes`,
      found: `${bytes} bytes`,
    };
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { severity: 'error', message: msg.binaryContent('a NUL byte'), path: [], file, ...at(nul), found: 'a NUL byte' };
  const control = CONTROL_CHAR.exec(text);
  if (control) {
    const code = `U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      severity: 'error',
      message: msg.binaryContent(`control character ${code}`),
      path: [],
      file,
      ...at(control.index),
      found: code,
    };
  }
  const bad = text.indexOf('\ufffd');
  if (bad >= 0) return { severity: 'error', message: msg.binaryContent('bytes that are not valid UTF-8'), path: [], file, ...at(bad) };
  if (text.trim() === '') return { severity: 'error', message: msg.emptyFile(), path: [], file };
  return undefined;
}

/**
 * YAML errors (syntax, duplicate keys) and warnings as issues, with the path
 * they fall in; `unplaced` counts those beyond what is worth locating. Of the
 * syntax errors only the first is reported, explained (yaml-explain.ts): the
 * others are mostly its echoes.
 */
function yamlIssues(
  doc: Document,
  text: string,
  file: string,
  lines: LineCounter,
  locator: Locator,
): { issues: Issue[]; unplaced: number } {
  // A syntax error gets no path: the path of a document that did not parse names keys the file does not have.
  type Raw = { offset: number; severity: 'error' | 'warning'; message: string; unparsed?: true };
  const syntax = doc.errors.filter((e) => e.code !== 'MULTIPLE_DOCS').map((e) => ({ code: e.code, message: e.message, offset: e.pos[0] }));
  const first = [...syntax].sort((a, b) => a.offset - b.offset)[0];
  const explained = explainFirstYamlError(text, syntax);
  const raw: Raw[] = [
    ...(first === undefined
      ? []
      : [
          explained !== undefined
            ? { offset: explained.offset, severity: 'error' as const, message: explained.message, unparsed: true as const }
            : { offset: first.offset, severity: 'error' as const, message: msg.yamlSyntax(first.message), unparsed: true as const },
        ]),
    ...doc.errors
      .filter((e) => e.code === 'MULTIPLE_DOCS')
      .map((e): Raw => ({ offset: e.pos[0], severity: 'error', message: msg.multipleDocuments() })),
    ...findDuplicateKeys(doc).map((d): Raw => ({ offset: d.offset, severity: 'error', message: msg.duplicateKey(d.key) })),
    ...doc.warnings.map((w): Raw => ({ offset: w.pos[0], severity: 'warning', message: msg.yamlProblem(w.message) })),
  ];
  // pathAt walks from the root, so a file with thousands of problems only has the first few located.
  const issues = raw.slice(0, 4 * MAX_ISSUES).map((r): Issue => {
    const { line, col } = lines.linePos(r.offset);
    return { severity: r.severity, message: r.message, path: r.unparsed ? [] : locator.pathAt(r.offset), file, line, column: col };
  });
  return { issues, unplaced: raw.length - issues.length };
}

/** Where the first alias is, to point at when aliases expand too far. */
function firstAlias(doc: Document, lines: LineCounter): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** Options of {@link parseScenario}. */
export interface ParseOptions {
  /**
   * Rewrites the document's plain data before the schema sees it (the CLI's
   * `--set` overrides, see override.ts and parse-with.ts); issues it returns
   * stop the parse. Default: none.
   */
  readonly transform?: (data: Record<string, unknown>) => Result<Record<string, unknown>, Issue[]>;
}

/**
 * Parses and validates a scenario file's text and normalizes it. `file` is
 * used in messages and, when the scenario has no `name`, for its name.
 * Never throws on bad input: every problem comes back as an Issue.
 */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): Result<NormalizedScenario, Issue[]> {
  // 1. Preflight: refuse what is not a reasonably sized text file.
  const early = preflight(text, file);
  if (early) return { ok: false, issues: [early] };

  // 2. YAML: syntax and duplicate keys.
  const lines = new LineCounter();
  const source = text.replace(/^\ufeff/, '');
  const doc = parseDocument(source, {
    // logLevel 'error' keeps the parser off the console but still reports a second document.
    // uniqueKeys is off because findDuplicateKeys does the same check in linear time.
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    merge: true,
    logLevel: 'error',
  });
  const locator = createLocator(doc, lines);
  const fromYaml = yamlIssues(doc, source, file, lines, locator);
  const yamlWarnings = fromYaml.issues.filter((i) => i.severity === 'warning');
  if (fromYaml.issues.some((i) => i.severity === 'error')) return { ok: false, issues: finish(fromYaml.issues, file, fromYaml.unplaced) };

  // 3. Plain data, with aliases expanded under a budget (a "billion laughs" file stops here).
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const message = /alias count/i.test(detail) ? msg.tooManyAliases(MAX_YAML_ALIASES) : msg.yamlProblem(detail);
    return { ok: false, issues: [{ severity: 'error', message, path: [], file, ...firstAlias(doc, lines) }] };
  }
  if (data === null || data === undefined) return { ok: false, issues: [{ severity: 'error', message: msg.emptyFile(), path: [], file }] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    const found = msg.showValue(data);
    return { ok: false, issues: place([{ message: msg.notAMap(found), path: [], found }], file, locator) };
  }
  if (options.transform !== undefined) {
    const t = options.transform(data as Record<string, unknown>);
    if (!t.ok) return { ok: false, issues: t.issues };
    data = t.value;
  }

  // 4. Shape: the zod schema, every issue at its line and column.
  const allowed: AllowedKeys = new WeakMap();
  const parsed = ScenarioSchema.safeParse(data, { reportInput: true, error: createErrorMap(allowed) });
  if (!parsed.success) {
    // Wording and locating cost time, so only a few more issues than can be shown are worded, located and sorted.
    const { drafts, unmapped } = mapZodIssues(parsed.error.issues, allowed, 4 * MAX_ISSUES);
    return { ok: false, issues: finish([...place(drafts, file, locator), ...yamlWarnings], file, unmapped) };
  }

  // 5. Relations: names that must exist, cycles, windows, min/max pairs.
  const checked = place([...checkReferences(parsed.data), ...checkValues(parsed.data)], file, locator);
  const warnings = [...yamlWarnings, ...checked.filter((i) => i.severity === 'warning')];
  if (checked.some((i) => i.severity === 'error')) return { ok: false, issues: finish([...checked, ...yamlWarnings], file) };

  // 6. Normalize: seconds, fractions, defaults made explicit.
  const scenario = normalizeScenario(parsed.data, nameFromFile(file));

  // 7. Design lints: warnings about a valid design that invites trouble.
  warnings.push(...place(lintScenario(parsed.data, scenario), file, locator));
  return { ok: true, value: scenario, warnings: sortIssues(warnings) };
}
