/**
 * A sweep's runs streamed to runs.jsonl in its output folder as they finish
 * (sim/sweep/run-log.ts has the format). The folder stays locked while the
 * sweep runs. Each line is written to the file as its run finishes, so a
 * Ctrl-C, a kill or a crash keeps every finished run; a rerun of the same
 * sweep into the same folder reads them back and runs only the rest. A sweep
 * that finishes removes the log: sweep.json then holds every run, and the
 * folder's files are the same whatever order the runs finished in.
 */
import { closeSync, constants, ftruncateSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatRunLogHeader, formatRunLogLine, isSameSweep, parseRunLog, RUN_LOG_FILE, type RunLog } from '../sweep/run-log.js';
import type { Shard } from '../sweep/shard.js';
import type { SweepDefinition, SweepRun } from '../sweep/sweep-file.js';
import { holdOutputFolder, OutputError, outputErrorOf, writeFileAtomic } from './output-folder.js';

/** Largest sweep.json or runs.jsonl read, in bytes. */
export const MAX_SWEEP_JSON_BYTES = 512 * 1024 * 1024;

/** An open runs.jsonl: the runs an earlier, unfinished attempt at the same sweep left, and the append of new ones. */
export interface RunLogWriter {
  readonly path: string;
  /** Runs read back from an earlier attempt at this sweep (empty when it starts afresh). */
  readonly previous: readonly SweepRun[];
  /** Why an existing log was not resumed (another sweep's, another version's); undefined otherwise. */
  readonly replaced?: string;
  /** Appends one finished run; throws {@link OutputError} when the machine refuses. */
  append(run: SweepRun): void;
  /**
   * Closes the file and unlocks the folder; with `remove`, deletes the file
   * first (a sweep that finished has every run in sweep.json). Idempotent.
   */
  close(remove?: boolean): void;
}

/**
 * Reads `path` when it is there: the log, or a message naming the file and
 * line (a log that is not whole JSON lines, or too large). Undefined when
 * there is no such file. Only a regular file is read.
 */
export function readRunLog(
  path: string,
): { ok: true; log: (RunLog & { readonly wholeBytes: number }) | undefined } | { ok: false; message: string } {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, message: `${path} is not a regular file (a device, a FIFO or a folder).` };
    if (st.size > MAX_SWEEP_JSON_BYTES)
      return { ok: false, message: `${path} is ${st.size} bytes; a runs.jsonl may be at most ${MAX_SWEEP_JSON_BYTES} bytes.` };
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, log: undefined };
    return { ok: false, message: (outputErrorOf(e, 'read', path) as Error).message };
  }
  const parsed = parseRunLog(text, path);
  if (!parsed.ok) return { ok: false, message: parsed.issues.join('\n✖ ') };
  return { ok: true, log: { ...parsed.value, wholeBytes: Buffer.byteLength(text.slice(0, parsed.value.wholeLength)) } };
}

/**
 * Locks `dir`, removes an earlier sweep.json, and opens its runs.jsonl for
 * this sweep: an existing log of the same sweep (version, definition,
 * shard) is resumed, its cut last line dropped; any other log is replaced by
 * a fresh one. Throws {@link OutputError} when the folder or the file cannot
 * be written, or when an existing log is damaged (not whole JSON lines of a
 * sweep: the message names the line; remove the file to start afresh).
 */
export function openRunLog(dir: string, version: string, def: SweepDefinition, shard: Shard | null): RunLogWriter {
  const release = holdOutputFolder(dir, 'sweep.json');
  const path = join(dir, RUN_LOG_FILE);
  let fd: number | undefined;
  try {
    const found = readRunLog(path);
    if (!found.ok) throw new OutputError(`${found.message} (remove ${path} to start the sweep afresh)`);
    const old = found.log;
    const resume = old !== undefined && isSameSweep(old.header, version, def, shard);
    if (!resume) writeFileAtomic(path, formatRunLogHeader(version, def, shard));
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
      if (resume) ftruncateSync(fd, old.wholeBytes);
    } catch (e) {
      throw outputErrorOf(e, 'append to', path);
    }
    const open = fd;
    let closed = false;
    return {
      path,
      previous: resume ? old.runs : [],
      ...(old !== undefined && !resume ? { replaced: `${path} held another sweep's runs (or another version's); it starts afresh` } : {}),
      append(run) {
        const data = Buffer.from(formatRunLogLine(run), 'utf8');
        try {
          for (let at = 0; at < data.length;) at += writeSync(open, data, at, data.length - at);
        } catch (e) {
          throw outputErrorOf(e, 'append to', path);
        }
      },
      close(remove = false) {
        if (closed) return;
        closed = true;
        try {
          closeSync(open);
          if (remove) unlinkSync(path);
        } catch (e) {
          throw outputErrorOf(e, 'remove', path);
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    release();
    throw e;
  }
}
