/**
 * Outputs in a hostile or exhausted environment: the machine's refusals
 * (a full disk, a path under a file, a device as the folder) are one line
 * and exit 2, never "internal error"; temporary files are exclusive, never
 * follow a link and never survive; two writers cannot mix their files in one
 * folder; a rerun that fails leaves no old summary.json beside new files.
 * The tests run as root here, so every refusal is one root cannot bypass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { LOCK_FILE, OutputError, withOutputFolder, writeFileAtomic } from '../../sim/cli/output-folder.js';
import { tempDir } from '../sweep/helpers.js';

const SCENARIO = `
duration: 2s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 50 } }
services:
  api: { workers: 2, serviceTime: { dist: exponential, mean: 10ms } }
`;

function scenarioFile(): string {
  const path = join(tempDir('loopsim-out-'), 'small.yaml');
  writeFileSync(path, SCENARIO);
  return path;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const ENOSPC = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('writeFileAtomic', () => {
  it('on a full disk: one clear error naming the file, no temporary file, the old file intact', () => {
    const dir = tempDir('loopsim-out-');
    const path = join(dir, 'summary.json');
    writeFileSync(path, 'old\n');
    const write = (): void => {
      throw ENOSPC;
    };
    expect(() => writeFileAtomic(path, 'new\n', write)).toThrow(
      new OutputError(`cannot write ${path}: no space left on the device (ENOSPC).`),
    );
    expect(readdirSync(dir)).toEqual(['summary.json']);
    expect(readFileSync(path, 'utf8')).toBe('old\n');
  });

  it('replaces a link planted at the output name instead of writing through it', () => {
    const dir = tempDir('loopsim-out-');
    const victim = join(tempDir('loopsim-victim-'), 'precious.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, 'summary.json'));
    writeFileAtomic(join(dir, 'summary.json'), '{}\n');
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(join(dir, 'summary.json')).isFile()).toBe(true);
  });

  it('refuses a path under a regular file (root cannot bypass it)', () => {
    const file = join(tempDir('loopsim-out-'), 'plain');
    writeFileSync(file, '');
    expect(() => writeFileAtomic(join(file, 'sub', 'x.json'), '{}')).toThrow(
      /^cannot create the output folder .*plain\/sub: a part of the path is a file, not a folder \(ENOTDIR\)\.$/,
    );
  });
});

describe('withOutputFolder', () => {
  it('refuses a folder another live loopsim holds, takes over a stale lock, and unlocks after', async () => {
    const dir = tempDir('loopsim-out-');
    writeFileSync(join(dir, LOCK_FILE), '1\n'); // pid 1 is always alive
    await expect(withOutputFolder(dir, 'summary.json', () => Promise.resolve(0))).rejects.toThrow(
      `${dir} is being written by another loopsim (pid 1)`,
    );
    const gone = spawnSync('true').pid; // a process that has exited
    writeFileSync(join(dir, LOCK_FILE), `${gone}\n`);
    writeFileSync(join(dir, '.summary.json.0123456789abcdef.tmp'), 'left by a kill');
    expect(await withOutputFolder(dir, 'summary.json', () => Promise.resolve(readdirSync(dir).sort()))).toEqual([LOCK_FILE]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loopsim run into a hostile folder', () => {
  it('a path under a file, /dev/null, a dangling link: one line, exit 2', async () => {
    const sc = scenarioFile();
    const file = join(tempDir('loopsim-out-'), 'plain');
    writeFileSync(file, '');
    const dangling = join(tempDir('loopsim-out-'), 'link');
    symlinkSync('/nonexistent/loopsim/folder', dangling);
    for (const out of [join(file, 'sub'), '/dev/null', dangling]) {
      const r = await cli('run', sc, '--out', out, '--no-report', '--quiet');
      expect(r.code, out).toBe(2);
      expect(r.err, out).toMatch(/^✖ cannot (create the output folder|write) .*\(E[A-Z]+\)\.\n$/);
    }
  });

  it('a rerun that fails midway leaves no summary.json of the earlier run beside its new files', async () => {
    const sc = scenarioFile();
    const dir = tempDir('loopsim-out-');
    expect((await cli('run', sc, '--out', dir, '--no-report', '--quiet', '--seed', '1')).code).toBe(0);
    // A folder where run.json goes: its rename fails (as a full disk would) after timeseries.csv is written.
    const runJson = join(dir, 'run.json');
    rmSync(runJson);
    mkdirSync(runJson);
    const r = await cli('run', sc, '--out', dir, '--no-report', '--quiet', '--seed', '2');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`✖ cannot write ${runJson}: it is a folder (EISDIR).\n`);
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === LOCK_FILE)).toEqual([]);
  });

  it("refuses --out '' and --seed abc before running", async () => {
    const sc = scenarioFile();
    const empty = await cli('run', sc, '--out', '');
    expect([empty.code, empty.err.split('\n')[0]]).toEqual([
      2,
      '✖ --out needs a folder name (got an empty one); write --out . for the current folder.',
    ]);
    const seed = await cli('run', sc, '--seed', 'abc', '--out', tempDir());
    expect([seed.code, seed.err.split('\n')[0]]).toEqual([
      2,
      '✖ --seed must be a whole number from 0 to 2^53 - 1, such as 7 (not a number).',
    ]);
    expect((await cli('sweep', sc, '--vary', 'duration=1s,2s', '--seed', '-1')).err).toMatch(/--seed must be a whole number/);
  });
});
