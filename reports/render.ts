/**
 * vega-lite spec → SVG text, offline: vega-lite compiles the spec to vega, a
 * headless vega View (renderer `none`) lays it out, and `toSVG()` serializes
 * the scene. No canvas package is needed: without one, vega estimates text
 * widths from character counts, which also keeps the output byte-for-byte
 * deterministic (no font files, no machine-dependent metrics).
 */
import type { TopLevelSpec } from 'vega-lite';

/**
 * vega and vega-lite, loaded on the first render: they are ES modules with
 * top-level await, which the bundled CLI (CommonJS) can only `import()`.
 */
let libraries: Promise<[typeof import('vega'), typeof import('vega-lite')]> | null = null;

/** Options of {@link renderSvg}. */
export interface RenderOptions {
  /**
   * Receives each warning vega-lite or vega emits while compiling and
   * rendering (a spec mistake, usually). Default: warnings are dropped.
   */
  readonly warn?: (message: string) => void;
}

/** A logger in the shape vega and vega-lite expect, forwarding warnings and errors to `warn`. */
function createLogger(warn: (message: string) => void) {
  let level = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warn(args.map(String).join(' '));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warn(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** The render in progress, if any: renders run one at a time (see renderSvg). */
let previous: Promise<unknown> = Promise.resolve();

async function renderNow(spec: object, options: RenderOptions): Promise<string> {
  const warn = options.warn ?? ((): void => undefined);
  const logger = createLogger(warn);
  libraries ??= Promise.all([import('vega'), import('vega-lite')]);
  const [{ View, parse, resetSVGDefIds }, { compile }] = await libraries;
  const compiled = compile(spec as TopLevelSpec, { logger }).spec;
  const view = new View(parse(compiled), { renderer: 'none', logger });
  try {
    await view.runAsync();
    // vega numbers clip paths and gradients from module-level counters; start
    // each render from 1 so that rendering order does not change the bytes.
    resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a vega-lite spec (as built by reports/charts.ts) to a standalone SVG
 * document string. The same spec always gives the same bytes: clip-path and
 * gradient ids are reset before each render, and no clock or random source is
 * involved. Calls made at the same time are queued and rendered one after
 * another, because those id counters are shared by the whole process. Does no
 * file I/O and no network access (all data must be inlined).
 */
export function renderSvg(spec: object, options: RenderOptions = {}): Promise<string> {
  const result = previous.then(() => renderNow(spec, options));
  previous = result.catch(() => undefined);
  return result;
}
