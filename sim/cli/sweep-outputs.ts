/**
 * What a sweep (or a merge of shards) leaves in its folder: sweep.csv, the
 * diagram as SVG, sweep.html, and sweep.json last (its presence says the
 * rest is written). Everything here is a function of the SweepFile alone, so
 * a merged sweep and a one-process sweep write the same bytes.
 */
import { join } from 'node:path';
import { formatSweepCsv, formatSweepJson, type SweepFile } from '../sweep/sweep-file.js';
import { withOutputFolder, writeFileAtomic } from './output-folder.js';

/** Options of {@link writeSweepOutputs}. */
export interface SweepOutputOptions {
  /** Skip the charts and the page. */
  readonly noReport?: boolean;
}

/** Writes a sweep's outputs into `dir`; returns the file names written, in order. */
export async function writeSweepOutputs(dir: string, f: SweepFile, opts: SweepOutputOptions = {}): Promise<string[]> {
  return withOutputFolder(dir, 'sweep.json', () => writeSweepFiles(dir, f, opts));
}

async function writeSweepFiles(dir: string, f: SweepFile, opts: SweepOutputOptions): Promise<string[]> {
  const written: string[] = [];
  const put = (name: string, data: string): void => {
    writeFileAtomic(join(dir, name), data);
    written.push(name);
  };
  put('sweep.csv', formatSweepCsv(f));
  if (!opts.noReport && f.cells.length > 0) {
    const { buildSweepCharts } = await import('../../reports/sweep-charts.js');
    const { renderSweepPage } = await import('../../reports/sweep-page.js');
    const { renderSvg } = await import('../../reports/render.js');
    const { loadChartLibraries } = await import('../../reports/libraries.js');
    const charts = buildSweepCharts(f);
    for (const c of charts) put(`${c.id}.svg`, await renderSvg(c.spec));
    put('sweep.html', renderSweepPage({ file: f, charts, libraries: await loadChartLibraries() }));
  }
  put('sweep.json', formatSweepJson(f));
  return written;
}
