/**
 * `loopsim run --set … --seeds N` through the real command line parser:
 * repeated --set flags, replications.json with 95% intervals, the first
 * seed's outputs unchanged, and expectations judged on every seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';
import type { ReplicationsFile } from '../../sim/sweep/replications.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

const A = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

describe('loopsim run --set --seeds', () => {
  it('applies every --set, wherever it stands, and replicates over seeds', async () => {
    const out = tempDir();
    const cap = captureIo();
    const code = await main(
      [
        'run',
        '--set',
        'duration=30s',
        A,
        '--set',
        'faults[0].for=0.5s',
        '--seeds',
        '3',
        '--workers',
        '2',
        '--quiet',
        '--no-report',
        '--out',
        out,
      ],
      cap.io,
    );
    expect(cap.err()).toBe('');
    expect(code).toBe(0);
    const file = JSON.parse(read(out, 'replications.json')) as ReplicationsFile;
    expect(file.format).toBe('loopsim-replications/1');
    expect(file.variants[0]?.overrides).toEqual(['--set duration=30s', '--set faults[0].for=0.5s']);
    expect(file.variants[0]?.runs.map((r) => [r.seed, r.verdict])).toEqual([
      [1, 'recovered'],
      [2, 'recovered'],
      [3, 'recovered'],
    ]);
    expect(file.variants[0]?.stats.figures.recoverySeconds?.ci95).not.toBeNull();
    // The first seed's files are those of a plain run with the same overrides.
    const alone = tempDir();
    expect(
      await main(['run', A, '--set', 'duration=30s', '--set', 'faults[0].for=0.5s', '--no-report', '--out', alone], captureIo().io),
    ).toBe(0);
    expect(read(out, 'summary.json')).toBe(read(alone, 'summary.json'));
    expect(existsSync(join(alone, 'replications.json'))).toBe(false);
    expect(cap.out()).toMatch(/\(seeds 1\.\.3, mean ± 95% CI\)/);
  });

  it('fails with exit 1 when an expectation fails on some seed, naming the seeds', async () => {
    const cap = captureIo();
    const code = await main(
      [
        'run',
        A,
        '--set',
        'expect=[{verdict: recovered}]',
        '--set',
        'faults[0].for=1.5s',
        '--seeds',
        '3',
        '--workers',
        '2',
        '--quiet',
        '--no-report',
        '--out',
        tempDir(),
      ],
      cap.io,
    );
    expect(code).toBe(1);
    // A 1.5 s pause is well past the tipping point (test/sweep/tipping-theory.test.ts): every seed stays down.
    expect(cap.err()).toContain('✖ expectation "verdict is recovered" failed on 3 of 3 seeds: 1, 2, 3\n');
  });

  it('exits 2 with the field and the argument for a bad --set', async () => {
    const cap = captureIo();
    expect(await main(['run', A, '--set', 'services.api.workers=many', '--no-report', '--out', tempDir()], cap.io)).toBe(2);
    expect(cap.err()).toContain('→ at services.api.workers (--set services.api.workers=many)');
  });
});
