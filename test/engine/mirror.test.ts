/**
 * Every file of the engine has a test file of its own at the mirrored path
 * (sim/engine/a/b.ts → test/engine/a/b.test.ts), testing that file's
 * behaviour directly: a new handler group or mechanism model comes with its
 * tests, or this fails and names it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The source files under `dir` (relative to ROOT) whose mirrored test file is missing. */
function untested(dir: string): string[] {
  return readdirSync(join(ROOT, 'sim', dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
    .filter((f) => !existsSync(join(ROOT, 'test', f.replace(/\.ts$/, '.test.ts'))))
    .sort();
}

describe('tests mirror the source tree', () => {
  it('every file under sim/engine has its test file under test/engine', () => {
    expect(untested('engine')).toEqual([]);
  });
});
