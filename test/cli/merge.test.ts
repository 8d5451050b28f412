/**
 * `loopsim merge` on crafted shard files: refused before anything is
 * written, exit 2, with the shard's path and the field named. A shard that
 * is a FIFO or a device is never opened for reading.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeCommand } from '../../sim/cli/merge.js';
import { buildSweepFile, formatSweepJson, jobPosition, type SweepDefinition } from '../../sim/sweep/sweep-file.js';
import { captureIo, tempDir } from '../sweep/helpers.js';
import { QUIET_FIGURES } from '../helpers/figures.js';

const DEF: SweepDefinition = {
  scenario: { name: 'demo', description: '', file: 'demo.yaml', digest: 'b'.repeat(64) },
  sets: [],
  axes: [{ source: '--vary x=1,2', field: 'x', unit: '', labels: ['1', '2'], numbers: [1, 2] }],
  hysteresis: false,
  seeds: { from: 1, count: 1 },
  cells: 2,
  jobs: 2,
};

/** A shard folder holding `text` as its sweep.json. */
function shardDir(text: string): string {
  const dir = tempDir('loopsim-merge-');
  writeFileSync(join(dir, 'sweep.json'), text);
  return dir;
}

function shardText(edit: (f: Record<string, any>) => void = () => {}): string {
  const runs = [0, 1].map((j) => ({
    ...jobPosition(DEF, j),
    verdict: 'stable' as const,
    recoverySeconds: null,
    goodputBefore: 1,
    goodputAfter: 1,
    peakQueue: 0,
    wastedPerSecond: 0,
    retriesPerOperation: 0,
    loop: null,
    loopGain: null,
    ...QUIET_FIGURES,
  }));
  const f = JSON.parse(formatSweepJson(buildSweepFile('0.2.0', DEF, runs, null, 2))) as Record<string, any>;
  edit(f);
  return JSON.stringify(f);
}

async function merge(dirs: string[], out?: string): Promise<{ code: number; err: string }> {
  const cap = captureIo();
  const code = await mergeCommand(dirs, { ...(out !== undefined ? { out } : {}), noReport: true }, cap.io);
  return { code, err: cap.err() };
}

describe('loopsim merge on crafted shards', () => {
  it('refuses a scenario name with a path in it, naming the file and the field, and writes nothing', async () => {
    const dir = shardDir(shardText((f) => (f.definition.scenario.name = '../../../../somewhere-else')));
    const r = await merge([dir]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`✖ ${join(dir, 'sweep.json')}: definition.scenario.name: lowercase letters, digits and "-".\n`);
    expect(readdirSync(dir)).toEqual(['sweep.json']);
  });

  it('refuses a shard that claims 10^12 runs, and one from an edited scenario', async () => {
    const big = await merge([shardDir(shardText((f) => (f.definition.jobs = 1e12)))]);
    expect([big.code, big.err]).toEqual([2, expect.stringMatching(/definition\.jobs: Too big: expected number to be <=100000\./)]);
    const out = tempDir();
    const edited = await merge([shardDir(shardText()), shardDir(shardText((f) => (f.definition.scenario.digest = 'c'.repeat(64))))], out);
    expect(edited.code).toBe(2);
    expect(edited.err).toMatch(/is a different sweep from .*the scenario or its file's text/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a FIFO, a device and a truncated file without hanging', async () => {
    const dir = tempDir('loopsim-merge-');
    const fifo = join(dir, 'sweep.json');
    execFileSync('mkfifo', [fifo]);
    expect(await merge([dir])).toEqual({
      code: 2,
      err: `✖ ${fifo} is not a regular file (a device, a FIFO or a folder); name a sweep's output folder or its sweep.json.\n`,
    });
    expect((await merge(['/dev/zero'])).err).toMatch(/\/dev\/zero is not a regular file/);
    const cut = await merge([shardDir(shardText().slice(0, 40))]);
    expect([cut.code, cut.err]).toEqual([2, expect.stringMatching(/sweep\.json is not JSON \(.*\); is it a loopsim sweep\.json, whole\?/)]);
  });

  it('merges a valid crafted shard into --out', async () => {
    const out = join(tempDir(), 'merged');
    mkdirSync(out);
    expect((await merge([shardDir(shardText())], out)).code).toBe(0);
    expect(existsSync(join(out, 'sweep.json'))).toBe(true);
  });
});
