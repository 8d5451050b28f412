/**
 * `loopsim compare`: variants on common seeds. Each variant's summary.json
 * must be byte-identical to running that variant alone with the same seed,
 * whatever the number of workers; over several seeds the figures carry 95%
 * intervals; bad arguments exit 2 with a message naming them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../sim/cli/commands.js';
import { compareCommand } from '../../sim/cli/compare.js';
import { replicatedRunCommand } from '../../sim/cli/sweep-run.js';
import type { ReplicationsFile } from '../../sim/sweep/replications.js';
import { captureIo, tempDir } from '../sweep/helpers.js';
import { SHORT_LABEL_LENGTH, shortenLabels } from '../../reports/format.js';

const A = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));
const B = fileURLToPath(new URL('../sweep/fixtures/retry-threshold-backoff.yaml', import.meta.url));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

describe('loopsim compare', () => {
  it('writes per-variant summary.json byte-identical to running each variant alone with the same seed', async () => {
    const out = tempDir();
    const cap = captureIo();
    expect(await compareCommand([A, B], { seed: 9, workers: 2, quiet: true, noReport: true, out }, cap.io)).toBe(0);
    for (const [file, dir] of [
      [A, 'retry-threshold'],
      [B, 'retry-threshold-backoff'],
    ] as const) {
      const alone = tempDir();
      expect(await runCommand([file], { seed: 9, out: alone, noReport: true }, captureIo().io)).toBe(0);
      expect(read(out, dir, 'summary.json')).toBe(read(alone, 'summary.json'));
      expect(read(out, dir, 'run.json')).toBe(read(alone, 'run.json'));
    }
    expect(cap.out()).toMatch(/^\(seed 9\)\s+retry-threshold\s+retry-threshold-backoff$/m);
  });

  it('runs a --with variant exactly like run --set', async () => {
    const out = tempDir();
    const code = await compareCommand(
      [A],
      { withs: ['faults[0].for=0.5s'], seed: 4, workers: 1, quiet: true, noReport: true, out },
      captureIo().io,
    );
    expect(code).toBe(0);
    const alone = tempDir();
    expect(await replicatedRunCommand([A], { sets: ['faults[0].for=0.5s'], seed: 4, out: alone, noReport: true }, captureIo().io)).toBe(0);
    expect(read(out, 'retry-threshold-faults-0-for-0-5s', 'summary.json')).toBe(read(alone, 'summary.json'));
    const file = JSON.parse(read(out, 'compare.json')) as ReplicationsFile;
    expect(file.variants.map((v) => [v.label, v.overrides])).toEqual([
      ['retry-threshold', []],
      ['faults[0].for=0.5s', ['--with faults[0].for=0.5s']],
    ]);
  });

  it('reports means with 95% intervals over several seeds, the same on 1 and 2 workers', async () => {
    const one = tempDir();
    const two = tempDir();
    const opts = { seeds: 3, sets: ['faults[0].for=1.5s'], quiet: true } as const;
    expect(await compareCommand([A, B], { ...opts, workers: 1, noReport: true, out: one }, captureIo().io)).toBe(0);
    expect(await compareCommand([A, B], { ...opts, workers: 2, out: two }, captureIo().io)).toBe(0);
    expect(read(two, 'compare.json')).toBe(read(one, 'compare.json'));
    const file = JSON.parse(read(two, 'compare.json')) as ReplicationsFile;
    expect(file.seeds).toEqual({ from: 1, count: 3 });
    const [storm, damped] = file.variants;
    expect(storm?.stats.verdicts.metastable).toBe(3);
    expect(damped?.stats.verdicts.recovered).toBe(3);
    const before = damped?.stats.figures.goodputBefore;
    expect(before?.n).toBe(3);
    expect(before?.ci95?.[0]).toBeLessThan(before?.mean ?? 0);
    // Common random numbers: before the fault the two designs see the same arrivals and do the same work.
    expect(storm?.stats.figures.goodputBefore).toEqual(damped?.stats.figures.goodputBefore);
    expect(existsSync(join(two, 'replications.json'))).toBe(true);
    for (const svg of ['queue-api.svg', 'goodput-users.svg', 'inflight-api.svg']) expect(existsSync(join(two, svg)), svg).toBe(true);
    const html = read(two, 'compare.html');
    expect(html).toContain('retry-threshold vs retry-threshold-backoff');
    expect(html).toContain('95% CI');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
  });

  it('names a variant with label=, takes another base file with file=, and keeps short labels apart', async () => {
    const out = tempDir();
    const cap = captureIo();
    const withs = [
      'label=short pause; faults[0].for=0.5s',
      `file=${B}; faults[0].for=0.5s`,
      'services.api.workers=12',
      'services.api.workers=13',
    ];
    expect(await compareCommand([A], { withs, seed: 4, workers: 1, quiet: true, noReport: true, out }, cap.io)).toBe(0);
    const f = JSON.parse(read(out, 'compare.json')) as ReplicationsFile;
    expect(f.variants.map((v) => [v.label, v.scenario])).toEqual([
      ['retry-threshold', 'retry-threshold'],
      ['short pause', 'retry-threshold'],
      ['faults[0].for=0.5s', 'retry-threshold-backoff'],
      ['services.api.workers=12', 'retry-threshold'],
      ['services.api.workers=13', 'retry-threshold'],
    ]);
    const head = cap.out().split('\n')[0] ?? '';
    expect(head).toMatch(/retry-threshold\s+short pause\s+for=0.5s\s+workers=12\s+workers=13$/);
  });

  it('shortens labels to their last path segments, keeping them whole when that would make two alike', () => {
    expect(shortenLabels(['base', 'services.gateway.workers=32; clients.c.retry.attempts=1'])).toEqual(['base', 'workers=32; attempts=1']);
    expect(shortenLabels(['services.a.workers=2', 'services.b.workers=2'])).toEqual(['services.a.workers=2', 'services.b.workers=2']);
    const long = shortenLabels(['x.y.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1'])[0] ?? '';
    expect([long.length, long.includes('…'), long.endsWith('a=1')]).toEqual([SHORT_LABEL_LENGTH, true, true]);
  });

  it('exits 2 naming the argument when a variant is bad or missing', async () => {
    const one = captureIo();
    expect(await compareCommand([A], { quiet: true, noReport: true, out: tempDir() }, one.io)).toBe(2);
    expect(one.err()).toContain('compare needs at least two variants');
    const bad = captureIo();
    expect(await compareCommand([A], { withs: ['services.apii.workers=3'], quiet: true, noReport: true, out: tempDir() }, bad.io)).toBe(2);
    expect(bad.err()).toContain('Did you mean "api"?\n  → at services.apii (--with services.apii.workers=3)');
    const seeds = captureIo();
    expect(await compareCommand([A, B], { seeds: 0, quiet: true, out: tempDir() }, seeds.io)).toBe(2);
    expect(seeds.err()).toContain('--seeds must be a whole number from 1 to 10000, got 0.');
  });
});
