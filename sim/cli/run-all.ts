/**
 * `loopsim run --all <dir>`: runs every scenario in a folder, sorted by file
 * name, writes each one's outputs to `<out>/<name>/` as `loopsim run` does
 * (the same files, PNGs with --png, the same progress bar on a terminal),
 * and then `<out>/index.html`: one offline page linking every report with
 * its verdict and the result of each expectation.
 *
 * {@link renderIndexPage} is pure; {@link runAllCommand} reads, runs and
 * writes. The index holds no wall-clock time and no absolute path, so the
 * same scenarios and seeds give the same page anywhere.
 */
import { join } from 'node:path';
import { escapeHtml, formatNumber } from '../../reports/format.js';
import type { ExpectationResult } from '../metrics/summary.js';
import { formatIssues } from '../scenario/parse.js';
import type { VerdictKind } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { outputOptionsOf, playOptionOf, runOptionsOf, warnPngWithoutCharts, type RunCommandOptions } from './commands.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION, EXIT_OK, processIo, type Io } from './io.js';
import { loadScenarioFile, writeFileAtomic } from './files.js';
import { catchInterrupt } from './interrupt.js';
import { scanScenarioFolder, firstSentence } from './list.js';
import { writeRunOutputs, type OutputOptions } from './outputs.js';
import { formatSimSeconds } from './progress.js';
import { reportStop, runShowingProgress } from './run-session.js';

/**
 * Options of `loopsim run --all`: those of `loopsim run` (a seed for every
 * scenario instead of each one's own; with --no-report the index links each
 * summary.json), but no --json, and `out` is the root folder.
 */
export interface RunAllOptions extends Omit<RunCommandOptions, 'out' | 'json'> {
  /** Root output folder; default `out`. Each scenario writes to `<out>/<name>/`. */
  readonly out?: string;
}

/** What the index says about one scenario file. */
export interface IndexEntry {
  /** The scenario file's name (not its path). */
  readonly file: string;
  /** Scenario name; the file name when the file could not be read. */
  readonly name: string;
  /** First sentence of the description. */
  readonly story: string;
  /** Folder of its outputs, relative to the index page; null when nothing was written. */
  readonly dir: string | null;
  /** Whether the folder holds report.html (else the link goes to summary.json). */
  readonly report: boolean;
  /** Verdict of the run; null when it did not run. `unaffected`: recovered with nothing to recover from (`verdict.unaffected`). */
  readonly verdict: { readonly kind: VerdictKind; readonly recoverySeconds: number | null; readonly unaffected: boolean } | null;
  readonly expectations: readonly ExpectationResult[];
  /** Why the scenario did not run; null when it ran. */
  readonly error: string | null;
  /** Set when a guard stopped the run: its outputs cover the time up to `stoppedAt` (simulated seconds). */
  readonly incomplete?: { readonly reason: string; readonly stoppedAt: number };
}

/** Facts about the whole run shown at the top of the index. */
export interface IndexMeta {
  readonly version: string;
  /** The folder the scenarios came from, as given on the command line. */
  readonly source: string;
  /** The `--seed` override, if any. */
  readonly seed?: number;
}

const INDEX_CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .3rem}
.kicker{color:#57606a;font-size:.85rem;margin:0 0 1.2rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #d0d7de}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:#57606a}
td.name{white-space:nowrap}td.name a{font-weight:600;color:#0969da;text-decoration:none}
td.name .file{display:block;color:#57606a;font-size:.8rem}
.verdict{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.85rem;white-space:nowrap}
.v-metastable{background:#ffebe9;color:#a40e26}.v-overloaded{background:#fff1e5;color:#953800}.v-draining{background:#fff8c5;color:#7d4e00}
.v-recovered{background:#dafbe1;color:#116329}.v-stable{background:#ddf4ff;color:#0550ae}.v-none{background:#eaeef2;color:#57606a}
.v-incomplete{background:#fff8c5;color:#7d4e00;font-weight:600}
summary{cursor:pointer;white-space:nowrap}
.all-ok{color:#116329}.some-failed{color:#a40e26;font-weight:600}
ul.exp{margin:.3rem 0 0;padding-left:1.1rem;font-size:.85rem}
li.ok::marker{content:"✔ ";color:#116329}li.fail::marker{content:"✖ ";color:#a40e26}
.actual{color:#57606a}.error{color:#a40e26}
`;

/** The verdict in a few words: `metastable`, `recovered after 3 s`, or `unaffected` (recovered, with nothing to recover from). */
function verdictWords(v: NonNullable<IndexEntry['verdict']>): string {
  if (v.kind !== 'recovered') return v.kind;
  if (v.unaffected) return 'unaffected';
  return v.recoverySeconds === null ? v.kind : `recovered after ${formatNumber(v.recoverySeconds)} s`;
}

/** A verdict as a coloured badge: `Metastable`, `Recovered after 3 s`, `Unaffected`, or `did not run`. */
function verdictBadge(e: IndexEntry): string {
  if (e.verdict === null) return '<span class="verdict v-none">did not run</span>';
  const words = verdictWords(e.verdict);
  const badge = `<span class="verdict v-${e.verdict.kind}">${escapeHtml(words.charAt(0).toUpperCase() + words.slice(1))}</span>`;
  if (e.incomplete === undefined) return badge;
  const { reason, stoppedAt } = e.incomplete;
  return `<span class="verdict v-incomplete">Incomplete: stopped at t=${escapeHtml(formatNumber(stoppedAt))} s</span> ${badge}<span class="file">${escapeHtml(reason)}</span>`;
}

/** The expectation cell: `n/m met` that opens into one line per expectation. */
function expectationCell(e: IndexEntry): string {
  if (e.error !== null) return `<span class="error">${escapeHtml(e.error)}</span>`;
  const list = e.expectations;
  if (list.length === 0) return '<span class="actual">none</span>';
  const met = list.filter((x) => x.ok).length;
  const cls = met === list.length ? 'all-ok' : 'some-failed';
  const items = list
    .map((x) => {
      const actual = x.actual === null ? '' : ` <span class="actual">(actual ${escapeHtml(String(x.actual))})</span>`;
      return `<li class="${x.ok ? 'ok' : 'fail'}">${escapeHtml(x.text)}${actual}</li>`;
    })
    .join('');
  return `<details><summary class="${cls}">${met}/${list.length} met</summary><ul class="exp">${items}</ul></details>`;
}

function nameCell(e: IndexEntry): string {
  const file = `<span class="file">${escapeHtml(e.file)}</span>`;
  if (e.dir === null) return `${escapeHtml(e.name)}${file}`;
  const href = `${e.dir}/${e.report ? 'report.html' : 'summary.json'}`;
  return `<a href="${escapeHtml(encodeURI(href))}">${escapeHtml(e.name)}</a>${file}`;
}

/**
 * The index page: a self-contained HTML document (inline style, no script,
 * no request: its Content-Security-Policy forbids any) with one row per
 * scenario, in the order given.
 */
export function renderIndexPage(entries: readonly IndexEntry[], meta: IndexMeta): string {
  const ran = entries.filter((e) => e.verdict !== null).length;
  const allMet = entries.filter((e) => e.verdict !== null && e.expectations.every((x) => x.ok)).length;
  const seed = meta.seed === undefined ? "each scenario's own seed" : `seed ${meta.seed} for every scenario`;
  const rows = entries
    .map(
      (e) =>
        `<tr><td class="name">${nameCell(e)}</td><td>${escapeHtml(e.story)}</td>` +
        `<td>${verdictBadge(e)}</td><td>${expectationCell(e)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>loopsim: ${escapeHtml(meta.source)}</title>
<style>${INDEX_CSS}</style>
</head>
<body>
<h1>Scenarios in ${escapeHtml(meta.source)}</h1>
<p class="kicker">loopsim ${escapeHtml(meta.version)} · ${entries.length} scenario files · ${ran} ran · ${allMet} met every expectation · ${escapeHtml(seed)}</p>
<table>
<thead><tr><th>Scenario</th><th>Story</th><th>Verdict</th><th>Expectations</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

/** The file name of a path (either separator). */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** One line of the console summary for a scenario that ran. */
function summaryLine(e: IndexEntry, width: number): string {
  const met = e.expectations.filter((x) => x.ok).length;
  const ok = met === e.expectations.length;
  const v = e.verdict;
  const verdict = v === null ? '-' : verdictWords(v);
  return `${ok ? '✔' : '✖'} ${e.name.padEnd(width)}  ${verdict.padEnd(24)}  ${met}/${e.expectations.length} expectations\n`;
}

/**
 * `loopsim run --all <dir>`: runs each scenario file of `dir` in name order,
 * writes its outputs to `<out>/<name>/` and the index to `<out>/index.html`,
 * and prints one line per scenario. Exit code: 0 when every expectation is
 * met, 1 when one is not, 2 when a file is invalid, a run aborts, two files
 * share a name or the folder holds none, 3 when loopsim breaks one of its own
 * invariants (then it stops at once, without an index), 130 after Ctrl-C (the
 * run in progress writes nothing; the index lists the runs that finished and
 * marks the others as interrupted).
 */
export async function runAllCommand(dir: string, opts: RunAllOptions = {}, io: Io = processIo): Promise<number> {
  let files: readonly string[];
  try {
    const found = scanScenarioFolder(dir);
    files = found.files;
    for (const l of found.dangling) io.err(`warning: skipped ${l.path}: a link to ${l.target}, which does not exist.\n`);
    for (const l of found.outside) io.err(`note: ${l.path} is a link out of ${dir}, to ${l.target}; followed.\n`);
  } catch {
    io.err(`✖ Cannot read the folder ${dir}.\n`);
    return EXIT_BAD_INPUT;
  }
  if (files.length === 0) {
    io.err(`✖ No scenario files (*.yaml) in ${dir}.\n`);
    return EXIT_BAD_INPUT;
  }
  warnPngWithoutCharts(opts, io);
  const root = opts.out ?? 'out';
  const width = Math.max(...files.map((f) => fileName(f).replace(/\.ya?ml$/i, '').length));
  const entries: IndexEntry[] = [];
  const used = new Map<string, string>();
  let code = EXIT_OK;
  const notRun = (file: string): IndexEntry => ({
    file: fileName(file),
    name: fileName(file),
    story: '',
    dir: null,
    report: false,
    verdict: null,
    expectations: [],
    error: null,
  });
  const skipped = (file: string, name: string, story: string, error: string): void => {
    entries.push({ ...notRun(file), name, story, error });
    io.out(`✖ ${name.padEnd(width)}  ${error}\n`);
    code = Math.max(code, EXIT_BAD_INPUT);
  };

  const outputs = (file: string): OutputOptions => ({ ...outputOptionsOf(opts), ...playOptionOf(file, [], opts, io) });
  const interrupt = catchInterrupt(opts.signal);
  try {
    for (const [i, file] of files.entries()) {
      const loaded = loadScenarioFile(file);
      if (!loaded.ok) {
        io.err(formatIssues(loaded.issues) + '\n');
        skipped(file, fileName(file), '', 'invalid scenario file (see the messages above)');
        continue;
      }
      if (loaded.warnings.length > 0) io.err(formatIssues(loaded.warnings) + '\n');
      const sc = loaded.scenario;
      const story = firstSentence(sc.description);
      const clash = used.get(sc.name);
      if (clash !== undefined) {
        skipped(file, sc.name, story, `same name as ${clash}: give one of them another name`);
        continue;
      }
      used.set(sc.name, fileName(file));
      const run = await runShowingProgress(sc, runOptionsOf(opts), interrupt.signal, io, opts.quiet ?? false);
      if (run.kind === 'aborted') {
        // As `loopsim run` does: the picture up to the stop, marked incomplete, and exit 2.
        const partial = run.partial;
        const stoppedAt = partial.summary.incomplete?.stoppedAt ?? 0;
        await writeRunOutputs(join(root, sc.name), partial, { ...outputs(file), warnings: loaded.warnings });
        const { verdict, expectations } = partial.summary;
        entries.push({
          file: fileName(file),
          name: sc.name,
          story,
          dir: sc.name,
          report: opts.noReport !== true,
          verdict: { kind: verdict.kind, recoverySeconds: verdict.recoverySeconds, unaffected: verdict.unaffected },
          expectations,
          error: null,
          incomplete: { reason: run.error.message, stoppedAt },
        });
        io.out(
          `✖ ${sc.name.padEnd(width)}  run stopped: ${run.error.message}; the run up to t=${formatSimSeconds(stoppedAt)} is in ${join(root, sc.name)}, marked incomplete\n`,
        );
        code = Math.max(code, EXIT_BAD_INPUT);
        continue;
      }
      if (run.kind === 'broken') return reportStop(run, { file, scenario: sc, sets: [] }, io);
      if (run.kind === 'interrupted') {
        code = reportStop(run, { file, scenario: sc, sets: [] }, io);
        const error = 'interrupted (Ctrl-C) before it finished';
        entries.push({ ...notRun(file), name: sc.name, story, error });
        for (const rest of files.slice(i + 1)) entries.push({ ...notRun(rest), error });
        break;
      }
      const res = run.result;
      await writeRunOutputs(join(root, sc.name), res, { ...outputs(file), warnings: loaded.warnings });
      const { verdict, expectations } = res.summary;
      const entry: IndexEntry = {
        file: fileName(file),
        name: sc.name,
        story,
        dir: sc.name,
        report: opts.noReport !== true,
        verdict: { kind: verdict.kind, recoverySeconds: verdict.recoverySeconds, unaffected: verdict.unaffected },
        expectations,
        error: null,
      };
      entries.push(entry);
      io.out(summaryLine(entry, width));
      if (expectations.some((x) => !x.ok)) code = Math.max(code, EXIT_EXPECTATION);
    }
  } finally {
    interrupt.release();
  }

  const index = join(root, 'index.html');
  writeFileAtomic(
    index,
    renderIndexPage(entries, { version: VERSION, source: dir, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) }),
  );
  io.out(`index: ${index}\n`);
  return code;
}
