/**
 * `loopsim merge <dirs...>`: joins the sweep.json of each shard folder into
 * one sweep and writes the same files a one-process sweep writes (sweep.csv,
 * sweep.json, sweep.html, the diagram), byte for byte. Shards of different
 * sweeps or versions are refused; runs missing from every shard are listed
 * and make the exit code 2, after the partial merge is written. A folder
 * whose sweep was killed before it wrote sweep.json is read from its
 * runs.jsonl.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSweepFiles, missingJobs } from '../sweep/merge.js';
import { RUN_LOG_FILE } from '../sweep/run-log.js';
import { checkSweepFile, shardSize } from '../sweep/sweep-check.js';
import { buildSweepFile, type SweepFile } from '../sweep/sweep-file.js';
import { EXIT_BAD_INPUT, EXIT_OK, processIo, type Io } from './io.js';
import { MAX_SWEEP_JSON_BYTES, readRunLog } from './run-log.js';
import { writeSweepOutputs } from './sweep-outputs.js';
import { formatSweepTable } from './sweep-table.js';

/** Options of `loopsim merge`. */
export interface MergeOptions {
  /** Output folder; default `out/sweep-<name>/`. */
  readonly out?: string;
  readonly noReport?: boolean;
}

export { MAX_SWEEP_JSON_BYTES };

/**
 * The runs of a sweep that never wrote its sweep.json (interrupted by a kill,
 * or crashed), from its runs.jsonl, as the sweep.json it would have written.
 */
function readSweepLog(path: string): { ok: true; file: SweepFile } | { ok: false; message: string } {
  const r = readRunLog(path);
  if (!r.ok) return r;
  if (r.log === undefined) return { ok: false, message: `${path}: no such file or folder (is it a sweep's output folder?).` };
  const { version, definition, shard } = r.log.header;
  return { ok: true, file: buildSweepFile(version, definition, r.log.runs, shard, shardSize(definition.jobs, shard)) };
}

/**
 * Reads `<dir>/sweep.json` (or the file itself when given one) and checks it
 * whole (sweep-check.ts); the file or a message naming the path and the
 * field. A folder without sweep.json but with runs.jsonl (a sweep that was
 * killed or crashed), or a runs.jsonl named directly, gives the runs it
 * holds. Only a regular file is opened: a FIFO or a device would block the
 * read or never end.
 */
function readSweep(dir: string): { ok: true; file: SweepFile } | { ok: false; message: string } {
  try {
    const folder = statSync(dir).isDirectory();
    if (!folder && dir.endsWith('.jsonl')) return readSweepLog(dir);
    const path = folder ? join(dir, 'sweep.json') : dir;
    if (folder && !existsSync(path) && existsSync(join(dir, RUN_LOG_FILE))) return readSweepLog(join(dir, RUN_LOG_FILE));
    const st = statSync(path);
    if (!st.isFile())
      return {
        ok: false,
        message: `${path} is not a regular file (a device, a FIFO or a folder); name a sweep's output folder or its sweep.json.`,
      };
    if (st.size > MAX_SWEEP_JSON_BYTES)
      return { ok: false, message: `${path} is ${st.size} bytes; a sweep.json may be at most ${MAX_SWEEP_JSON_BYTES} bytes.` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      if (e instanceof SyntaxError) return { ok: false, message: `${path} is not JSON (${e.message}); is it a loopsim sweep.json, whole?` };
      throw e;
    }
    const checked = checkSweepFile(parsed, path);
    return checked.ok ? { ok: true, file: checked.value } : { ok: false, message: checked.issues.join('\n✖ ') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === 'ENOENT'
          ? `${dir}: no such file or folder (is it a sweep's output folder?).`
          : `Cannot read ${dir}: ${code ?? (e instanceof Error ? e.message : String(e))}.`,
    };
  }
}

/** `loopsim merge`: see the module comment. */
export async function mergeCommand(dirs: readonly string[], opts: MergeOptions, io: Io = processIo): Promise<number> {
  const files: SweepFile[] = [];
  for (const d of dirs) {
    const r = readSweep(d);
    if (!r.ok) {
      io.err(`✖ ${r.message}\n`);
      return EXIT_BAD_INPUT;
    }
    files.push(r.file);
  }
  const merged = mergeSweepFiles(files, dirs);
  if (!merged.ok) {
    io.err(merged.issues.map((m) => `✖ ${m}`).join('\n') + '\n');
    return EXIT_BAD_INPUT;
  }
  const f = merged.value;
  const dir = opts.out ?? join('out', `sweep-${f.definition.scenario.name}`);
  await writeSweepOutputs(dir, f, { noReport: opts.noReport === true });
  io.out(formatSweepTable(f));
  if (!f.complete) {
    const missing = missingJobs(f);
    const list = missing.first.map((p) => `cell ${p.cell} seed ${p.seed}`).join(', ');
    io.err(
      `✖ ${missing.count} of ${f.definition.jobs} runs are in no shard (${list}${missing.count > missing.first.length ? ', …' : ''}); merged what there is into ${dir}.\n`,
    );
    return EXIT_BAD_INPUT;
  }
  io.out(`merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'}, ${f.runs.length} runs: ${dir}\n`);
  return EXIT_OK;
}
