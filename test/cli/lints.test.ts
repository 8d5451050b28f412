/**
 * The design lints through the CLI, in process: `validate` prints each one
 * with its position and still exits 0, and every way `run` writes a report
 * (one file, `--set`, `--all`) puts them on the report's structure map.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { LINT_FIXTURES, expectedWarnings } from '../scenario/helpers.js';

const DIR = fileURLToPath(LINT_FIXTURES);
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const LABEL = '⚠ layered retries: up to 27 attempts per operation';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'loopsim-lints-'));

describe('loopsim validate', () => {
  test.each(files)('%s: prints the lint on stderr with file:line:column and exits 0', async (file) => {
    const r = await cli('validate', join(DIR, file));
    expect(r.code).toBe(0);
    expect(r.err).toBe(expectedWarnings(readFileSync(join(DIR, file), 'utf8')) + '\n');
    expect(r.out).toMatch(new RegExp(`^✔ .*${file}: `));
  });

  test('all of them at once still exit 0', async () => {
    const r = await cli('validate', ...files.map((f) => join(DIR, f)));
    expect(r.code).toBe(0);
    expect(r.err.split('\n').filter((l) => l.startsWith('⚠'))).toHaveLength(8);
  });
});

describe('the report of loopsim run shows the lints on its structure map', () => {
  const layered = join(DIR, 'layered-retries.yaml');
  /** Whether the report in `dir` carries the lint's line (a boolean: a failure should not print the whole page). */
  const shown = (dir: string): boolean => readFileSync(join(dir, 'report.html'), 'utf8').includes(LABEL);

  test('run <file>', async () => {
    const dir = tempDir();
    const r = await cli('run', layered, '--out', dir, '--quiet');
    expect(r.code).toBe(0);
    expect(r.err).toContain('⚠ Retries multiply along shoppers → api → svc → db');
    expect(shown(dir)).toBe(true);
  });

  test('run <file> --set', async () => {
    const dir = tempDir();
    const r = await cli('run', layered, '--set', 'duration=20s', '--out', dir, '--quiet');
    expect(r.code).toBe(0);
    expect(shown(dir)).toBe(true);
  });

  test('run --all', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    copyFileSync(layered, join(dir, 'in', 'layered-retries.yaml'));
    const r = await cli('run', '--all', join(dir, 'in'), '--out', join(dir, 'out'), '--quiet');
    expect(r.code).toBe(0);
    expect(shown(join(dir, 'out', 'layered-retries'))).toBe(true);
  });
});
