/**
 * The one place in reports/ that reads files: the minified browser bundles of
 * vega, vega-lite and vega-embed, as installed in node_modules, for
 * renderReportPage to inline so that report.html opens offline; and
 * loopsim's own engine bundle for the browser (dist/play/engine.js), which
 * play.html carries.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartLibraries } from './html-document.js';

/** Each package and its minified UMD bundle, relative to the package root. */
const BUNDLES = {
  vega: ['vega', 'build/vega.min.js'],
  vegaLite: ['vega-lite', 'build/vega-lite.min.js'],
  vegaEmbed: ['vega-embed', 'build/vega-embed.min.js'],
} as const;

/**
 * The root directory of an installed package. The packages' `exports` maps
 * hide their package.json, so this resolves the main entry and walks up to
 * the directory whose package.json names the package.
 */
function packageRoot(name: string): string {
  const require = createRequire(import.meta.url);
  return enclosingPackage(name, dirname(require.resolve(name)));
}

/** The nearest directory, from `dir` up, whose package.json names the package `name`. */
function enclosingPackage(name: string, start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (parsed.name === name) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`loopsim: cannot find the root of the installed package "${name}"`);
    dir = parent;
  }
}

/**
 * Reads the three bundles from node_modules. Throws, naming the missing file,
 * when a package is not installed or its bundle is not where it should be.
 */
export async function loadChartLibraries(): Promise<ChartLibraries> {
  const read = async ([pkg, file]: readonly [string, string]): Promise<string> => {
    const path = join(packageRoot(pkg), file);
    try {
      return await readFile(path, 'utf8');
    } catch (cause) {
      throw new Error(`loopsim: cannot read the ${pkg} browser bundle at ${path}`, { cause });
    }
  };
  const [vega, vegaLite, vegaEmbed] = await Promise.all([read(BUNDLES.vega), read(BUNDLES.vegaLite), read(BUNDLES.vegaEmbed)]);
  return { vega, vegaLite, vegaEmbed };
}

/** Where `npm run build` writes the engine bundle for the browser, relative to loopsim's root. */
const PLAY_ENGINE = 'dist/play/engine.js';

/**
 * Reads loopsim's engine bundle for the browser (built from
 * reports/play-worker.ts by `npm run build`). Throws, naming the file and
 * the command that makes it, when it is missing.
 */
export async function loadPlayEngine(): Promise<string> {
  const path = join(enclosingPackage('loopsim', dirname(fileURLToPath(import.meta.url))), PLAY_ENGINE);
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`loopsim: cannot read the playground's engine at ${path} (npm run build makes it)`, { cause });
  }
}
