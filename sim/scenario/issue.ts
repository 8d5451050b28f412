/**
 * Problems found in a scenario file, as data: what is wrong, where (a path of
 * keys and indexes, and a file position when known), and what was expected
 * and found. Only the CLI turns them into text and an exit code, with
 * `formatIssues`.
 */

/** A key or list index on the way from the top of the document to a value. */
export type PathSegment = string | number;

/** Design lints: warnings about a scenario that is valid but built in a way that invites failure. */
export type LintCode = 'timeout-inversion' | 'layered-retries' | 'unbounded-queue' | 'bare-number';

/** The part of the system a design lint is about, for the structure map. */
export type LintSubject =
  | { readonly kind: 'client'; readonly name: string }
  | { readonly kind: 'call'; readonly service: string; readonly index: number }
  | { readonly kind: 'service'; readonly name: string };

/** What marks a warning as a design lint: which one, a few words for the structure map, and where it goes there. */
export interface LintTag {
  readonly code: LintCode;
  /** A short line for the map, starting with ⚠, e.g. `⚠ layered retries: up to 6 attempts per operation`. */
  readonly label: string;
  readonly subject: LintSubject;
}

/** One problem in a scenario file. */
export interface Issue {
  /** `error` refuses the file; `warning` lets it run but deserves a look. */
  readonly severity: 'error' | 'warning';
  /** One or two sentences for a person: what is wrong, with a suggestion when there is one. */
  readonly message: string;
  /** Keys and indexes from the top of the document to the offending value; empty for the whole file. */
  readonly path: readonly PathSegment[];
  /** The file name as given to the parser. */
  readonly file: string;
  /** 1-based line of the offending node, when known. */
  readonly line?: number;
  /** 1-based column of the offending node, when known. */
  readonly column?: number;
  /** What the field accepts, e.g. `a duration like 250ms or 1.5s`. */
  readonly expected?: string;
  /** What the file holds there, as the user would write it, e.g. `"fast"`. */
  readonly found?: string;
  /** Set on the warnings of the design lints (sim/scenario/lint.ts). */
  readonly lint?: LintTag;
}

/**
 * The outcome of parsing: a value with its warnings, or the issues that
 * refused it (errors first, warnings after, each group in file order).
 */
export type Result<T, E = Issue[]> =
  { readonly ok: true; readonly value: T; readonly warnings: Issue[] } | { readonly ok: false; readonly issues: E };

/** The fields of an issue that checks produce; the file and position are added later. */
export interface IssueDraft {
  readonly severity?: 'error' | 'warning';
  readonly message: string;
  readonly path: readonly PathSegment[];
  readonly expected?: string;
  readonly found?: string;
  /** Point at the key itself rather than its value (unknown and duplicate keys). */
  readonly atKey?: boolean;
  readonly lint?: LintTag;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** A path as people write it: `services.api.calls[0].to`; odd keys are quoted: `clients["a b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line:column`, or just the file when the position is unknown. */
function formatLocation(issue: Issue): string {
  if (issue.line === undefined) return issue.file;
  return issue.column === undefined ? `${issue.file}:${issue.line}` : `${issue.file}:${issue.line}:${issue.column}`;
}

/**
 * Issues as the CLI prints them, one block each:
 * ```
 * ✖ Unknown service "dbb". Did you mean "db"?
 *   → at services.api.calls[0].to (retry-storm.yaml:44:13)
 * ```
 * Errors are marked ✖, warnings ⚠. No trailing newline.
 */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const mark = issue.severity === 'error' ? '✖' : '⚠';
      const where = issue.path.length > 0 ? `${formatPath(issue.path)} (${formatLocation(issue)})` : formatLocation(issue);
      return `${mark} ${issue.message}\n  → at ${where}`;
    })
    .join('\n');
}

/** Errors first, then warnings; within each, by position in the file (unknown positions last), then path. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  const rank = (i: Issue): number => (i.severity === 'error' ? 0 : 1);
  return [...issues].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      formatPath(a.path).localeCompare(formatPath(b.path)),
  );
}
