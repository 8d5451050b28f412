/**
 * Bundles the compiled CLI (dist/sim/cli/) into dist/cli/, the code that
 * bin/loopsim.js runs. `npm run build` runs tsc first, then this.
 *
 * Why bundle: Node loads over 200 ES modules to start the CLI (ours, yargs,
 * zod with every one of its locales, yaml); one file with the unused parts
 * left out loads in about half the time, which short runs feel. Long runs
 * gained more than start-up explains: in one module, the engine's calls
 * across files become calls to local functions.
 *
 * Why rollup: it keeps top-level `const` as `const`. (esbuild rewrites them as
 * `var`; V8 then cannot fold constants such as the event kinds the engine's
 * switch is built on, and the M/M/1 benchmark ran slower bundled by esbuild
 * than not bundled at all.)
 *
 * What stays outside: Node's built-ins, and the chart and PNG libraries
 * (vega, vega-lite, vega-embed, resvg), which are large, are loaded only when
 * a report is drawn, and find their own files beside them. Modules the CLI
 * imports only when a command needs them (the sweep, the charts, ...) become
 * chunks of their own, loaded as before: only when needed. The worker thread
 * of sweeps and compares is a second entry, so that `new URL('./worker-thread.js',
 * import.meta.url)` finds it beside the chunk that starts it.
 *
 * Why CommonJS: so that bin/loopsim.js can compile the bundle with V8's code
 * cache (sim/cli/code-cache.ts), which Node 20 offers for scripts but not for
 * ES modules; a command then starts without parsing a megabyte of JavaScript.
 * A package.json beside the files marks them as CommonJS. The chart libraries
 * are ES modules and stay `import()`s.
 *
 * The second build is the playground's engine, dist/play/engine.js: the
 * scenario loader, the engine, the reductions and the chart specs, as one
 * script for a browser's Web Worker (reports/play-worker.ts), which
 * `loopsim play` inlines into play.html. It may import nothing from Node:
 * the build fails if anything on its path does.
 */
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const builtins = new Set(builtinModules);
const LOADED_WHEN_DRAWING = /^(vega|vega-lite|vega-embed|@resvg\/resvg-js)(\/|$)/;

/** Warnings that third-party code gives and that change nothing in the bundle. */
const HARMLESS = new Set(['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'INVALID_ANNOTATION']);

/**
 * Empties dist/cli/ before a build (a chunk renamed since the last one would
 * otherwise stay behind) and emits dist/cli/package.json, which tells Node
 * that the .js files beside it are CommonJS.
 */
function commonJsPackage() {
  return {
    name: 'commonjs-package',
    buildStart() {
      rmSync('dist/cli', { recursive: true, force: true });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'package.json', source: '{ "type": "commonjs" }\n' });
    },
  };
}

/**
 * string-width (yargs's help layout and cli-progress measure text with it)
 * builds its Unicode tables when its module loads: an Intl.Segmenter (ICU's
 * break rules) and regexes of Unicode properties, one of them
 * `\p{RGI_Emoji}`, which makes V8 list every emoji sequence. That cost about
 * 60 ms on every command, when only a help text or a progress bar ever
 * measures a string. This builds each on first use instead: a module-level
 * `const x = new Intl.Segmenter();` or `const x = /...\p{...}.../flags;`
 * becomes a stand-in that builds the real one when first touched. If a new
 * version words them otherwise, nothing is rewritten and only start-up is
 * slower (test/cli/cli.test.ts notices).
 */
function lazyUnicodeTables() {
  const helper = '\0lazy-unicode-tables';
  return {
    name: 'lazy-unicode-tables',
    resolveId: (id) => (id === helper ? id : null),
    load: (id) =>
      id !== helper
        ? null
        : [
            '/** A stand-in for the object `build` returns, built when first used: every property read, call and write goes to it. */',
            'export function lazy(build) {',
            '  let made;',
            '  const real = () => (made ??= build());',
            '  return new Proxy({}, {',
            '    get(_, key) { const r = real(); const v = Reflect.get(r, key, r); return typeof v === "function" ? v.bind(r) : v; },',
            '    set(_, key, value) { return Reflect.set(real(), key, value); },',
            '  });',
            '}',
          ].join('\n'),
    transform(code, id) {
      if (id === helper || !(code.includes('new Intl.Segmenter()') || code.includes('\\p{'))) return null;
      const lazy = code
        .replace(/^const (\w+) = new Intl\.Segmenter\(\);$/gm, 'const $1 = lazyUnicodeTable(() => new Intl.Segmenter());')
        .replace(/^const (\w+) = (\/.*\\p\{.*\/[dgimsuvy]*);$/gm, 'const $1 = lazyUnicodeTable(() => $2);');
      if (lazy === code) return null;
      return { code: `import { lazy as lazyUnicodeTable } from '${helper}';\n${lazy}`, map: null };
    },
  };
}

/** Stops the browser build at the first import of a Node built-in, naming the module that asked for it. */
function noNodeBuiltins() {
  return {
    name: 'no-node-builtins',
    resolveId(id, importer) {
      if (id.startsWith('node:') || builtins.has(id))
        this.error(`${importer ?? '?'} imports ${id}: the browser engine may not use Node's built-ins`);
      return null;
    },
  };
}

function onwarn(warning, warn) {
  if (!HARMLESS.has(warning.code ?? '')) warn(warning);
}

export default [
  {
    input: { bin: 'dist/sim/cli/bin.js', 'worker-thread': 'dist/sim/cli/worker-thread.js' },
    output: { dir: 'dist/cli', format: 'cjs', chunkFileNames: '[name].js' },
    external: (id) => id.startsWith('node:') || builtins.has(id) || LOADED_WHEN_DRAWING.test(id),
    plugins: [nodeResolve({ preferBuiltins: true }), commonjs(), lazyUnicodeTables(), commonJsPackage()],
    onwarn,
  },
  {
    input: 'dist/reports/play-worker.js',
    output: { file: 'dist/play/engine.js', format: 'iife' },
    plugins: [noNodeBuiltins(), nodeResolve({ browser: true }), commonjs()],
    onwarn,
  },
];
