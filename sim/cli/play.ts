/**
 * `loopsim play <file>`: writes play.html, the playground: one
 * self-contained page that carries the scenario's text, loopsim's engine
 * (built for the browser) and the chart libraries, and runs the scenario in
 * the browser, with a control for each number worth asking "what if?" about.
 * `loopsim play --url [address] <file>` prints a link that opens the scenario
 * in a copy of the page at that address instead.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { loadChartLibraries, loadPlayEngine } from '../../reports/libraries.js';
import { renderPlayPage } from '../../reports/play-page.js';
import { formatIssues } from '../scenario/parse.js';
import { isRunJson } from '../scenario/run-json.js';
import { VERSION } from '../version.js';
import type { PlaySource } from './play-source.js';
import { loadScenarioFile, writeFileAtomic } from './files.js';
import { EXIT_BAD_INPUT, EXIT_OK, processIo, type Io } from './io.js';

/** Options of {@link playCommand}. */
export interface PlayCommandOptions {
  /** Where to write the page; default `out/<name>/play.html`. */
  readonly out?: string;
  /** Open the page in the system's browser once written. */
  readonly open?: boolean;
  /** How to open it (the system's opener unless a test passes its own). */
  readonly opener?: (file: string) => void;
  /** Print a link that opens the scenario in a copy of play.html at this address, instead of writing the page. */
  readonly url?: string;
}

/** Where `--url` links point when no address is given: a play.html in the folder the link is opened from. */
export const DEFAULT_PLAY_URL = 'play.html';

/**
 * A playground link: `base` and a fragment the page reads, `#v1.` and the
 * scenario (its file name and text, no overrides) as JSON, deflated (raw)
 * and in base64url. The page writes its own links the same way, with the
 * moved controls and cut loops in them too.
 */
export function playLink(base: string, file: string, text: string): string {
  const link = { file, text, sets: [], values: {}, cut: [] };
  return `${base.replace(/#.*$/, '')}#v1.${deflateRawSync(Buffer.from(JSON.stringify(link), 'utf8')).toString('base64url')}`;
}

/** play.html for `source`, with the engine and the chart libraries inlined. */
export async function renderPlayFile(source: PlaySource): Promise<string> {
  const [engine, libraries] = await Promise.all([loadPlayEngine(), loadChartLibraries()]);
  return renderPlayPage({ ...source, engine, libraries, version: VERSION });
}

/** The system's way to open a file in its default application, detached from loopsim. */
export function openWithSystem(file: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', file]]
        : ['xdg-open', [file]];
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', (e) => process.stderr.write(`⚠ could not open ${file} with ${cmd}: ${e.message}\n`));
  child.unref();
}

/**
 * Checks the scenario as `loopsim validate` does (exit 2 with the same
 * messages when it is bad), then writes play.html and prints its path.
 */
export async function playCommand(file: string, opts: PlayCommandOptions = {}, io: Io = processIo): Promise<number> {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) {
    io.err(formatIssues(loaded.issues) + '\n');
    return EXIT_BAD_INPUT;
  }
  const text = readFileSync(file, 'utf8');
  const name = basename(file);
  if (isRunJson(name, text)) {
    io.err(`✖ ${file} is a run.json; the playground edits a scenario file (YAML). Play the scenario it was run from.\n`);
    return EXIT_BAD_INPUT;
  }
  if (opts.url !== undefined) {
    io.out(`${playLink(opts.url === '' ? DEFAULT_PLAY_URL : opts.url, name, text)}\n`);
    return EXIT_OK;
  }
  const out = opts.out ?? join('out', loaded.scenario.name, 'play.html');
  writeFileAtomic(out, await renderPlayFile({ file: name, text, sets: [] }));
  io.out(`${out}\n`);
  if (opts.open === true) (opts.opener ?? openWithSystem)(out);
  return EXIT_OK;
}
