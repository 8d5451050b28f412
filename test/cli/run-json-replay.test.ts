/**
 * run.json says it is enough to replay a run: `loopsim run run.json` gives
 * the same bytes in every output, and a damaged run.json is refused with the
 * field named.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { tempDir } from '../sweep/helpers.js';

const FIXTURE = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => void err.push(t) };
  return { code: await main(argv, io), err: err.join('') };
}

describe('loopsim run run.json', () => {
  it('replays the run byte for byte, report included', async () => {
    const first = tempDir('loopsim-replay-');
    const second = tempDir('loopsim-replay-');
    expect((await cli('run', FIXTURE, '--seed', '5', '--out', first, '--quiet')).code).toBe(0);
    const replay = await cli('run', join(first, 'run.json'), '--out', second, '--quiet');
    expect(replay).toEqual({ code: 0, err: '' });
    const files = readdirSync(first).sort();
    expect(readdirSync(second).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(second, f), 'utf8'), f).toBe(readFileSync(join(first, f), 'utf8'));
  });

  it('refuses a damaged run.json, naming the field', async () => {
    const dir = tempDir('loopsim-replay-');
    expect((await cli('run', FIXTURE, '--out', dir, '--quiet', '--no-report')).code).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { scenario: { services: { workers: unknown }[] } };
    (record.scenario.services[0] as { workers: unknown }).workers = 'many';
    const bad = join(dir, 'edited.json');
    writeFileSync(bad, JSON.stringify(record));
    const r = await cli('run', bad, '--out', tempDir(), '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/→ at scenario\.services\[0\]\.workers \(edited\.json\)/);
  });
});
