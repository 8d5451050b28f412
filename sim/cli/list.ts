/**
 * `loopsim list [dir]`: a table of the scenarios in a folder, built from the
 * files themselves: name, the first sentence of the story, the faults, and
 * the verdict the scenario expects. Nothing here is hard-coded, so adding a
 * scenario file adds a row.
 *
 * The row builders and formatters are pure; only {@link findScenarioFiles},
 * {@link readScenarioRows} and {@link listCommand} touch the file system.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { faultLabel } from '../../reports/fault-text.js';
import { formatDuration, formatNumber } from '../../reports/format.js';
import type { NormalizedScenario } from '../scenario/types.js';
import { EXIT_BAD_INPUT, EXIT_OK, processIo, type Io } from './io.js';
import { loadScenarioFile } from './files.js';

/** File name endings that mark a scenario file. */
const SCENARIO_FILE = /\.ya?ml$/i;

/** Code-point order, the same on every machine and locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The scenario files of a folder, and the links among them worth a word. */
export interface ScenarioFolder {
  /** Paths of the files to read, in the order {@link findScenarioFiles} gives. */
  readonly files: readonly string[];
  /** Links named like a scenario that lead nowhere (or into a loop), with where they point: skipped. */
  readonly dangling: readonly { readonly path: string; readonly target: string }[];
  /** Links that lead out of the folder, with the file they reach: followed. */
  readonly outside: readonly { readonly path: string; readonly target: string }[];
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}

/**
 * The scenario files directly inside `dir` (`*.yaml`, `*.yml`; not
 * recursive), as paths, sorted by name without the extension in code-point
 * order, so `x.yaml` comes right before `x-fixed.yaml` on every machine.
 * A link that leads nowhere is set aside in `dangling` rather than failing
 * the folder; a link that leads out of the folder is followed and listed in
 * `outside`. Throws when `dir` is not a readable folder.
 */
export function scanScenarioFolder(dir: string): ScenarioFolder {
  const stem = (f: string): string => f.replace(SCENARIO_FILE, '');
  const names = readdirSync(dir)
    .filter((f) => SCENARIO_FILE.test(f))
    .sort((a, b) => byCodePoint(stem(a), stem(b)) || byCodePoint(a, b));
  const home = realpathSync(dir);
  const files: string[] = [];
  const dangling: { path: string; target: string }[] = [];
  const outside: { path: string; target: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const link = lstatSync(path).isSymbolicLink();
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      if (link) dangling.push({ path, target: linkTarget(path) });
      continue;
    }
    if (!statSync(real).isFile()) continue;
    const rel = relative(home, real);
    if (link && (rel.startsWith('..') || isAbsolute(rel))) outside.push({ path, target: real });
    files.push(path);
  }
  return { files, dangling, outside };
}

/** The scenario files of {@link scanScenarioFolder}. Throws when `dir` is not a readable folder. */
export function findScenarioFiles(dir: string): string[] {
  return [...scanScenarioFolder(dir).files];
}

/** One row of the scenario table. */
export interface ScenarioRow {
  /** The file the row was read from. */
  readonly file: string;
  /** The scenario's name, or the file name when the file is invalid. */
  readonly name: string;
  /** First sentence of the description; empty when there is none. */
  readonly story: string;
  /** Each fault as a short label with its window, e.g. `latency +200ms on gateway, 60–80 s`. */
  readonly faults: readonly string[];
  /** The verdict the scenario expects, e.g. `metastable` or `recovered within 30s`; `-` when it states none. */
  readonly expects: string;
  /** Why the file could not be read; absent for a valid scenario. */
  readonly error?: string;
}

/**
 * The first sentence of a story: the text up to the first `.`, `!` or `?`
 * that is followed by the end, or by a space and then a capital letter, a
 * digit, a quote or a parenthesis (so "e.g. a cache" does not end it). Whitespace and
 * line breaks are collapsed.
 */
export function firstSentence(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  const m = /^(.*?[.!?])(?=\s+["'(A-Z0-9]|$)/.exec(text);
  return m?.[1] ?? text;
}

/** A fault's label with its window, for the table. */
function faultCell(f: NormalizedScenario['faults'][number]): string {
  const when = f.for > 0 ? `${formatNumber(f.at)}–${formatNumber(f.at + f.for)} s` : `at ${formatNumber(f.at)} s`;
  return `${faultLabel(f)}, ${when}`;
}

/**
 * What the scenario's `expect` list says about its verdict: the kinds of a
 * `verdict` entry joined with "or", then "within <t>" from a `recovers` entry.
 */
export function expectedVerdict(s: NormalizedScenario): string {
  const parts: string[] = [];
  for (const e of s.expect) {
    if (e.kind === 'verdict') parts.push(e.is.join(' or '));
  }
  const recovers = s.expect.find((e): e is Extract<typeof e, { kind: 'recovers' }> => e.kind === 'recovers');
  if (recovers !== undefined) {
    const within = `within ${formatDuration(recovers.within)}`;
    if (parts.length === 0) parts.push(`recovered ${within}`);
    else parts[parts.length - 1] += ` ${within}`;
  }
  return parts.length > 0 ? parts.join('; ') : '-';
}

/** The table row of a valid scenario. */
export function scenarioRow(file: string, s: NormalizedScenario): ScenarioRow {
  return { file, name: s.name, story: firstSentence(s.description), faults: s.faults.map(faultCell), expects: expectedVerdict(s) };
}

/** Reads every scenario file in `dir` into a row, invalid ones included (with `error`). */
export function readScenarioRows(dir: string): ScenarioRow[] {
  return findScenarioFiles(dir).map((file): ScenarioRow => {
    const r = loadScenarioFile(file);
    if (r.ok) return scenarioRow(file, r.scenario);
    const first = r.issues[0];
    const name = file.split(/[\\/]/).pop() ?? file;
    return { file, name, story: '', faults: [], expects: '-', error: first?.message ?? 'invalid scenario' };
  });
}

/** Splits `text` into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
  if (width <= 0 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Indent of the story lines under each row of the plain-text table. */
const STORY_INDENT = '    ';

/**
 * The rows as a plain-text table for a terminal `width` characters wide
 * (at least 60): name, expected verdict and faults in columns, then the
 * story wrapped on indented lines below. Ends with a newline.
 */
export function formatScenarioTable(rows: readonly ScenarioRow[], width = 100): string {
  const head = ['scenario', 'expects', 'faults'] as const;
  const faults = rows.map((r) => (r.error !== undefined ? `✖ ${r.error}` : r.faults.join('; ') || 'none'));
  const nameW = Math.max(head[0].length, ...rows.map((r) => r.name.length));
  const expW = Math.max(head[1].length, ...rows.map((r) => r.expects.length));
  const line = (a: string, b: string, c: string): string => `${a.padEnd(nameW)}  ${b.padEnd(expW)}  ${c}`.trimEnd();
  const out = [line(...head)];
  const storyW = Math.max(60, width) - STORY_INDENT.length;
  rows.forEach((r, i) => {
    out.push(line(r.name, r.expects, faults[i] ?? ''));
    if (r.story !== '') for (const l of wrap(r.story, storyW)) out.push(STORY_INDENT + l);
  });
  return out.join('\n') + '\n';
}

/** A cell for a Markdown table: pipes escaped, line breaks removed. */
function mdCell(text: string): string {
  // HTML in a scenario's story must show as text where the Markdown is rendered.
  const html: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
  return text
    .replace(/[&<>]/g, (c) => html[c] ?? c)
    .replace(/\|/g, '\\|')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rows as a GitHub-flavoured Markdown table (ends with a newline). */
export function formatScenarioMarkdown(rows: readonly ScenarioRow[]): string {
  const out = ['| Scenario | Story | Faults | Expects |', '|---|---|---|---|'];
  for (const r of rows) {
    const faults = r.error !== undefined ? `✖ ${r.error}` : r.faults.join('; ') || 'none';
    out.push(`| \`${mdCell(r.name)}\` | ${mdCell(r.story)} | ${mdCell(faults)} | ${mdCell(r.expects)} |`);
  }
  return out.join('\n') + '\n';
}

/** Options of `loopsim list`. */
export interface ListCommandOptions {
  /** Print a Markdown table instead of the plain-text one. */
  readonly markdown?: boolean;
  /** Terminal width for the plain-text table; default 100. */
  readonly width?: number;
}

/**
 * `loopsim list [dir]`: prints the table of the scenarios in `dir`. Exit
 * code 2 when the folder cannot be read, holds no scenario file, or holds
 * an invalid one (which is still listed, with its first problem).
 */
export function listCommand(dir: string, opts: ListCommandOptions = {}, io: Io = processIo): number {
  let rows: ScenarioRow[];
  try {
    rows = readScenarioRows(dir);
  } catch {
    io.err(`✖ Cannot read the folder ${dir}.\n`);
    return EXIT_BAD_INPUT;
  }
  if (rows.length === 0) {
    io.err(`✖ No scenario files (*.yaml) in ${dir}.\n`);
    return EXIT_BAD_INPUT;
  }
  io.out(opts.markdown === true ? formatScenarioMarkdown(rows) : formatScenarioTable(rows, opts.width ?? 100));
  return rows.some((r) => r.error !== undefined) ? EXIT_BAD_INPUT : EXIT_OK;
}
