/**
 * runs.jsonl: a sweep's runs as they finish, one JSON line each, after a
 * header line that names the sweep. The CLI appends a line per finished run,
 * so a sweep that is interrupted, killed or crashes keeps what it did; a
 * rerun of the same sweep into the same folder, or `loopsim merge` of the
 * folder, carries on from it. This file is the pure part: the lines' text and
 * reading a log back, checked like a shard's sweep.json.
 */
import { z } from 'zod';
import type { Result } from '../scenario/issue.js';
import type { Shard } from './shard.js';
import { Definition, Run, ShardRecord, Version, checkDefinition, dotted, placeRun } from './sweep-check.js';
import type { SweepDefinition, SweepRun } from './sweep-file.js';

/** The `format` tag of runs.jsonl's header line. */
export const RUN_LOG_FORMAT = 'loopsim-sweep-runs/1';

/** The name of the log in a sweep's output folder. */
export const RUN_LOG_FILE = 'runs.jsonl';

/** The first line of runs.jsonl: which sweep (or slice of one) the runs belong to. */
export interface RunLogHeader {
  readonly format: typeof RUN_LOG_FORMAT;
  readonly version: string;
  readonly definition: SweepDefinition;
  readonly shard: Shard | null;
}

/** A log read back: its header, its whole runs (file order), and how many characters its whole lines take. */
export interface RunLog {
  readonly header: RunLogHeader;
  readonly runs: readonly SweepRun[];
  /**
   * Characters up to the end of the last whole line. A process killed in the
   * middle of a write leaves a last line without its newline; it is not a
   * run, and an append starts after the whole lines.
   */
  readonly wholeLength: number;
}

const Header = z.strictObject({ format: z.literal(RUN_LOG_FORMAT), version: Version, definition: Definition, shard: ShardRecord });

/** The header line of a log (with its newline). */
export function formatRunLogHeader(version: string, definition: SweepDefinition, shard: Shard | null): string {
  const header: RunLogHeader = { format: RUN_LOG_FORMAT, version, definition, shard };
  return JSON.stringify(header) + '\n';
}

/** The line of one finished run (with its newline). */
export function formatRunLogLine(run: SweepRun): string {
  return JSON.stringify(run) + '\n';
}

/** Whether a log's header is the sweep (version, definition and slice) about to run. */
export function isSameSweep(header: RunLogHeader, version: string, definition: SweepDefinition, shard: Shard | null): boolean {
  return (
    header.version === version &&
    JSON.stringify(header.definition) === JSON.stringify(definition) &&
    JSON.stringify(header.shard) === JSON.stringify(shard)
  );
}

/** A line's JSON checked against `shape`: the value, or why not (the first issue, with its field). */
function readLine<T>(line: string, shape: z.ZodType<T>): { ok: true; value: T } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const r = shape.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const i = r.error.issues[0];
  return { ok: false, why: i === undefined ? 'wrong shape' : `${dotted(i.path)}: ${i.message}` };
}

/**
 * Reads the text of runs.jsonl. Each issue names `label` and the line:
 * a header that is not a sweep's, a run of the wrong shape, outside the
 * grid, the seeds or the shard, or twice. A last line without its newline
 * (cut by a kill) is left out, not refused.
 */
export function parseRunLog(text: string, label: string): Result<RunLog, string[]> {
  const wholeLength = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, wholeLength).split('\n');
  lines.pop();
  const bad = (line: number, why: string): Result<RunLog, string[]> => ({ ok: false, issues: [`${label}:${line}: ${why}.`] });
  const head = readLine(lines[0] ?? '', Header);
  if (!head.ok) return bad(1, `not the header of a loopsim sweep's runs (${head.why})`);
  // zod types an optional field as `string | undefined`; JSON has no undefined, so the digest is a string or absent.
  const header = head.value as RunLogHeader;
  const inconsistent = checkDefinition(header.definition, header.shard);
  if (inconsistent !== undefined) return bad(1, `${inconsistent.field}: ${inconsistent.why}`);
  const runs: SweepRun[] = [];
  const seen = new Set<number>();
  for (let k = 1; k < lines.length; k += 1) {
    const r = readLine(lines[k] ?? '', Run);
    if (!r.ok) return bad(k + 1, `not a run record (${r.why})`);
    const problem = placeRun(header.definition, header.shard, r.value, seen);
    if (problem !== undefined) return bad(k + 1, problem.why);
    runs.push(r.value as SweepRun);
  }
  return { ok: true, value: { header, runs, wholeLength }, warnings: [] };
}
