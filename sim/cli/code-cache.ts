/**
 * Starts the bundled CLI (dist/cli/, CommonJS) through V8's code cache.
 *
 * Parsing and compiling the bundle (yargs, zod and yaml among it, about a
 * megabyte) is a good part of what every command costs before it does
 * anything. V8 can save the bytecode it compiled for a script and take it
 * back on the next start instead of compiling again; Node 20 offers that for
 * scripts (`vm.Script`'s `cachedData`), not for ES modules, which is why the
 * bundle is CommonJS.
 *
 * `npm run build` records the caches (record-code-cache.ts): it runs one
 * small scenario with recording on ({@link RunBundleOptions.record}), which
 * writes, beside each file of the bundle that ran, `<file>.cache`: a checksum
 * of the file's text, a checksum of V8's data, then the data. A start uses a
 * cache only when the first checksum matches the file as it is now (V8's own
 * check compares lengths, not contents), the second matches the data (so
 * that a damaged file never reaches V8's deserializer), and V8 accepts them
 * (same V8 version and flags); anything else, a missing, stale, damaged or
 * refused cache, falls back to compiling the source, as Node would. The
 * cache changes how fast a command starts, never what it does.
 *
 * The checksums are CRC-32s (zlib's, in Node itself): they guard against
 * accidents, a file rebuilt or cut short, which is all a cache beside its
 * own bundle meets. SHA-256 did the same at about 25 ms more per command,
 * most of it starting OpenSSL.
 *
 * This module is not part of the bundle: bin/loopsim.js imports it from
 * dist/sim/cli/ and hands it the bundle's entry.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import vm from 'node:vm';
import { crc32 } from 'node:zlib';

/** What became of a file's cache when it was compiled. */
export type CacheUse =
  /** V8 took the cached bytecode. */
  | 'used'
  /** No cache file (or an unreadable one). */
  | 'absent'
  /** The cache was recorded for another text of the file. */
  | 'stale'
  /** The cache's data are not what was recorded (a partial write, a damaged disk). */
  | 'damaged'
  /** V8 refused the data (another V8 version or other flags). */
  | 'refused';

/** Bytes of each of the two checksums that open a cache file. */
const SUM_BYTES = 4;

/** The CRC-32 of a file's text (as UTF-8), or of a cache's data, as the bytes a cache file holds. */
function checksum(data: string | Uint8Array): Buffer {
  const sum = Buffer.alloc(SUM_BYTES);
  sum.writeUInt32LE(crc32(data));
  return sum;
}

/** The cache file of a bundled file. */
export function cachePathOf(file: string): string {
  return `${file}.cache`;
}

/**
 * Compiles `source` (the text of CommonJS file `filename`) as Node would,
 * wrapped as a module function, using the cache at `cacheFile` when it was
 * recorded from this very text and V8 accepts it.
 */
export function compileWithCache(source: string, filename: string, cacheFile: string): { script: vm.Script; use: CacheUse } {
  let cachedData: Buffer | undefined;
  let use: CacheUse = 'absent';
  try {
    const bytes = readFileSync(cacheFile);
    if (bytes.length <= 2 * SUM_BYTES || !bytes.subarray(0, SUM_BYTES).equals(checksum(source))) use = 'stale';
    else if (!bytes.subarray(SUM_BYTES, 2 * SUM_BYTES).equals(checksum(bytes.subarray(2 * SUM_BYTES)))) use = 'damaged';
    else cachedData = bytes.subarray(2 * SUM_BYTES);
  } catch {
    // No cache: compile from the source.
  }
  const script = new vm.Script(Module.wrap(source), {
    filename,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cachedData !== undefined) use = script.cachedDataRejected === true ? 'refused' : 'used';
  return { script, use };
}

/** Writes the cache of `script`, compiled from `source`, to `cacheFile` (whole or not at all). */
export function writeCache(script: vm.Script, source: string, cacheFile: string): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  const data = script.createCachedData();
  writeFileSync(tmp, Buffer.concat([checksum(source), checksum(data), data]));
  renameSync(tmp, cacheFile);
}

/**
 * Whether a file can go through the cache: not if it imports dynamically. A
 * script compiled by `vm` can `import()` only through a hook that Node 20
 * still calls experimental (and warns about on stderr), so such files (the
 * chunks that load the chart libraries) are left to Node, uncached. The test
 * is on the text, so a mention of `import(` in a comment counts too: it errs
 * on the side of leaving a file to Node.
 */
export function cacheable(source: string): boolean {
  return !source.includes('import(');
}

/** Options of {@link runBundle}. */
export interface RunBundleOptions {
  /**
   * Record the caches: when the process exits, write the cache of every
   * bundled file that was loaded, with the bytecode of everything that ran.
   */
  readonly record?: boolean;
  /** Called once per bundled file loaded, with what became of its cache. */
  readonly onLoad?: (file: string, use: CacheUse) => void;
}

/**
 * Runs the CommonJS entry `entry` of a bundle whose files all sit in its
 * folder. Those files are compiled through their caches (see the module
 * comment), except those that import dynamically ({@link cacheable}); every
 * other module loads as usual.
 */
export function runBundle(entry: string, options: RunBundleOptions = {}): void {
  const folder = dirname(resolve(entry));
  const loaded: { script: vm.Script; source: string; file: string }[] = [];
  const proto = Module.prototype as unknown as { _compile: (this: Module, source: string, filename: string) => unknown };
  const compile = proto._compile;
  proto._compile = function (this: Module, source: string, filename: string): unknown {
    if (dirname(filename) !== folder || !cacheable(source)) return compile.call(this, source, filename);
    const { script, use } = compileWithCache(source, filename, cachePathOf(filename));
    options.onLoad?.(filename, use);
    if (options.record === true) loaded.push({ script, source, file: filename });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, createRequire(filename), this, filename, folder);
  };
  if (options.record === true) {
    process.on('exit', () => {
      for (const { script, source, file } of loaded) writeCache(script, source, cachePathOf(file));
    });
  }
  createRequire(resolve(entry))(resolve(entry));
}
