/**
 * The code cache the CLI starts through (sim/cli/code-cache.ts): a cache is
 * used only for the text it was recorded from, and a missing, stale, damaged
 * or refused one changes nothing but speed. The last block checks the built
 * CLI: the build records caches that a start then uses.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cachePathOf, cacheable, compileWithCache, writeCache } from '../../sim/cli/code-cache.js';

const root = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'loopsim-code-cache-test-'));
  dirs.push(d);
  return d;
}

let loads = 0;

/**
 * Compiles `source` as a module through the cache at `cache` and returns what
 * it exports, and the cache's fate. Each load names a file of its own, so
 * that V8's in-memory cache of this process (keyed by source and file name)
 * cannot stand in for the cache file.
 */
function load(source: string, cache: string): { exports: unknown; use: string; script: ReturnType<typeof compileWithCache>['script'] } {
  const file = join(tmpdir(), `loopsim-code-cache-${process.pid}-${loads++}.js`);
  const { script, use } = compileWithCache(source, file, cache);
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, () => undefined, module, file, '.');
  return { exports: module.exports, use, script };
}

const A = 'module.exports = [1, 2, 3].map(function (x) { return x * 10; });';
const B = 'module.exports = [4, 5, 6].map(function (x) { return x * 10; });'; // the same length as A

/** A cache of A, recorded into a new folder. */
function recorded(): string {
  const cache = join(tempDir(), 'a.js.cache');
  writeCache(load(A, cache).script, A, cache);
  return cache;
}

describe('compileWithCache', () => {
  test('no cache file: compiled from the source', () => {
    const r = load(A, join(tempDir(), 'a.js.cache'));
    expect(r.use).toBe('absent');
    expect(r.exports).toEqual([10, 20, 30]);
  });

  test('a cache recorded from the same text is used, and the module does what its text says', () => {
    const again = load(A, recorded());
    expect(again.use).toBe('used');
    expect(again.exports).toEqual([10, 20, 30]);
  });

  test('a cache recorded from another text of the same length is not used', () => {
    const changed = load(B, recorded());
    expect(changed.use).toBe('stale');
    expect(changed.exports).toEqual([40, 50, 60]);
  });

  test('damaged data are not handed to V8, and the source is compiled instead', () => {
    const cache = recorded();
    const bytes = readFileSync(cache);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
    writeFileSync(cache, bytes);
    const r = load(A, cache);
    expect(r.use).toBe('damaged');
    expect(r.exports).toEqual([10, 20, 30]);
  });

  test('a cache file too short to hold its checksums counts as stale', () => {
    const cache = join(tempDir(), 'a.js.cache');
    writeFileSync(cache, 'x');
    expect(load(A, cache).use).toBe('stale');
  });

  test('a cache V8 refuses (recorded with other V8 flags) falls back to the source', () => {
    const cache = recorded();
    const script = [
      `import { compileWithCache } from ${JSON.stringify(join(root, 'sim/cli/code-cache.ts'))};`,
      `const { use } = compileWithCache(${JSON.stringify(A)}, 'other.js', ${JSON.stringify(cache)});`,
      'process.stdout.write(use);',
    ].join('\n');
    const file = join(tempDir(), 'refuse.mts');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--max-lazy', file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('refused');
  });
});

describe('the built CLI (dist/ built by test/global-setup.ts)', () => {
  test('the build recorded the caches of the bundle files a run loads', () => {
    for (const f of ['bin.js', 'job.js']) expect(existsSync(cachePathOf(join(root, 'dist/cli', f))), f).toBe(true);
  });

  test('the files a run loads first have no dynamic import, which would keep them from the cache', () => {
    for (const f of ['bin.js', 'job.js']) expect(cacheable(readFileSync(join(root, 'dist/cli', f), 'utf8')), f).toBe(true);
    expect(cacheable(readFileSync(join(root, 'dist/cli/render.js'), 'utf8')), 'render.js imports vega').toBe(false);
  });

  test('a start uses them, and the command works as without them', () => {
    const d = tempDir();
    const starter = join(d, 'start.mjs');
    // Starts the CLI as bin/loopsim.js does, reporting what became of each file's cache on stderr.
    writeFileSync(
      starter,
      [
        `import { runBundle } from ${JSON.stringify(join(root, 'dist/sim/cli/code-cache.js'))};`,
        `runBundle(${JSON.stringify(join(root, 'dist/cli/bin.js'))}, { onLoad: (file, use) => process.stderr.write('cache ' + file.split('/').pop() + ' ' + use + '\\n') });`,
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [starter, 'validate', 'scenarios/retry-storm.yaml'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('cache bin.js used');
    expect(r.stderr).toContain('cache job.js used');
    expect(r.stdout).toMatch(/✔ scenarios\/retry-storm\.yaml/);
  });
});
