/**
 * What `loopsim run` leaves in its output folder (docs/scenario-format.md, "What a
 * run leaves behind"): summary.json, timeseries.csv, run.json, the charts as
 * SVG, report.html, and with --play play.html. Every file is written atomically, the set under the
 * folder's lock, summary.json last (output-folder.ts).
 */
import { join } from 'node:path';
import { formatTimeseriesCsv } from '../metrics/csv.js';
import { summaryJsonText } from '../metrics/summary.js';
import type { Issue } from '../scenario/issue.js';
import { toRunJson } from '../scenario/normalize.js';
import type { SimulationResult } from '../simulate.js';
import { VERSION } from '../version.js';
import { withOutputFolder, writeFileAtomic } from './output-folder.js';
import type { PlaySource } from './play-source.js';

/** Options of {@link writeRunOutputs}. */
export interface OutputOptions {
  /** Skip the charts and the report page (for benchmarks and quick checks). */
  readonly noReport?: boolean;
  /** Also write a PNG beside each SVG chart (`queue-depth.png`, ...), rendered with resvg. */
  readonly png?: boolean;
  /** The scenario's warnings; its design lints show on the report's structure map. Default none. */
  readonly warnings?: readonly Issue[];
  /** Also write play.html, the playground for this scenario, and link it from the report (`run --play`). */
  readonly play?: PlaySource;
}

/** The JSON text of `summary.json`: stable key order, two-space indent, final newline. */
export function formatSummaryJson(res: SimulationResult): string {
  return summaryJsonText(res.summary);
}

/** The JSON text of `run.json`: the resolved scenario, seed and version, enough to replay the run. */
export function formatRunJson(res: SimulationResult): string {
  return JSON.stringify({ version: VERSION, seed: res.scenario.seed, scenario: toRunJson(res.scenario) }, null, 2) + '\n';
}

/** Writes every output of one run into `dir`; returns the files written, in order. */
export async function writeRunOutputs(dir: string, res: SimulationResult, opts: OutputOptions = {}): Promise<string[]> {
  return withOutputFolder(dir, 'summary.json', () => writeRunFiles(dir, res, opts));
}

async function writeRunFiles(dir: string, res: SimulationResult, opts: OutputOptions): Promise<string[]> {
  const written: string[] = [];
  const put = (name: string, data: string | Uint8Array): void => {
    writeFileAtomic(join(dir, name), data);
    written.push(name);
  };
  put('timeseries.csv', formatTimeseriesCsv(res.series));
  put('run.json', formatRunJson(res));
  if (!opts.noReport) {
    // The chart libraries are large: load them only when a chart is drawn.
    const { writeCharts } = await import('./charts-output.js');
    const charts = await writeCharts(res, opts.warnings, opts.play !== undefined);
    for (const [name, data] of charts) put(name, data);
    if (opts.play !== undefined) {
      // The engine's bundle is large too: load it only when asked for.
      const { renderPlayFile } = await import('./play.js');
      put('play.html', await renderPlayFile(opts.play));
    }
    if (opts.png) {
      // resvg is a native module: load it only when PNGs are asked for.
      const { pngsBeside } = await import('./png.js');
      for (const [name, data] of await pngsBeside(charts)) put(name, data);
    }
  }
  // summary.json last: its presence says the run's outputs are complete.
  put('summary.json', formatSummaryJson(res));
  return written;
}
