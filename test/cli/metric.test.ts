/**
 * `--metric` on compare, sweep and `run --seeds`, through the command line as
 * yargs reads it: the values in the JSON files (with the definitions beside
 * them), sweep.csv, the terminal tables and the pages, the phase diagram's
 * colour choice, bad input refused with exit 2 before any run, and shards
 * that travel and merge only with the same list.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';
import type { ReplicationsFile } from '../../sim/sweep/replications.js';
import type { SweepFile } from '../../sim/sweep/sweep-file.js';
import { COLOUR_PARAM, SHARE_CHOICE, buildSweepCharts } from '../../reports/sweep-charts.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

const PAUSE = fileURLToPath(new URL('../sweep/fixtures/steady-pause.yaml', import.meta.url));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

/** `loopsim <argv>` in-process; a running command gets `--quiet --workers 1`. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const cap = captureIo();
  const code = await main(argv[0] === 'merge' ? argv : [...argv, '--quiet', '--workers', '1'], cap.io);
  return { code, out: cap.out(), err: cap.err() };
}

const METRICS = ['--metric', 'api.queue:max', '--metric', 'users.goodput:mean:2s:8s'];

describe('--metric', () => {
  it('on compare: a row per metric in the table, the page and compare.json, with the definitions on top', async () => {
    const dir = tempDir();
    const r = await cli('compare', PAUSE, '--with', 'services.api.workers=2', '--seeds', '2', ...METRICS, '--out', dir);
    expect(r.code).toBe(0);
    // The pause (2 s at 100/s) queues 200 operations whichever the worker count; before it goodput is exactly 100/s.
    expect(r.out).toMatch(/^api\.queue max \(requests\) +200 ± 0\.0 +200 ± 0\.0$/m);
    expect(r.out).toMatch(/^users\.goodput mean 2–8 s \(per second\) +100 ± 0\.0 +100 ± 0\.0$/m);
    const f = JSON.parse(read(dir, 'compare.json')) as ReplicationsFile;
    expect(f.metrics?.map((m) => [m.name, m.series, m.stat, m.from, m.to, m.unit])).toEqual([
      ['api.queue:max', 'api.queue', 'max', null, null, 'requests'],
      ['users.goodput:mean:2:8', 'users.goodput', 'mean', 2, 8, 'per second'],
    ]);
    expect(f.variants[1]?.runs.map((x) => x.metrics)).toEqual([
      { 'api.queue:max': 200, 'users.goodput:mean:2:8': 100 },
      { 'api.queue:max': 200, 'users.goodput:mean:2:8': 100 },
    ]);
    expect(f.variants[0]?.stats.metrics?.['users.goodput:mean:2:8']).toMatchObject({ n: 2, mean: 100 });
    expect((JSON.parse(read(dir, 'replications.json')) as ReplicationsFile).metrics).toEqual(f.metrics);
    const page = read(dir, 'compare.html');
    expect(page).toContain(
      '<tr class="metric"><th title="requests waiting for a worker, over all replicas">api.queue max</th><td class="unit">requests</td>',
    );
  });

  it('on run --seeds: replications.json and the table carry it; without --seeds it is refused', async () => {
    const dir = tempDir();
    const r = await cli('run', PAUSE, '--seeds', '2', '--metric', 'api.latency:min:2s:8s', '--out', dir, '--no-report');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^api\.latency min 2–8 s \(seconds\) +0\.005 ± 0\.0$/m);
    const f = JSON.parse(read(dir, 'replications.json')) as ReplicationsFile;
    expect(f.variants[0]?.runs.map((x) => x.metrics)).toEqual([{ 'api.latency:min:2:8': 0.005 }, { 'api.latency:min:2:8': 0.005 }]);
    const one = await cli('run', PAUSE, '--metric', 'api.queue:max', '--out', tempDir());
    expect(one.code).toBe(2);
    expect(one.err).toContain('--metric on run goes with --seeds N');
  });

  it('on sweep: a column in the table, sweep.csv and the page, a cell summary, and a colour choice in the phase diagram', async () => {
    const dir = tempDir();
    const r = await cli(
      'sweep',
      PAUSE,
      '--vary',
      'faults[0].for=1s,2s',
      '--vary',
      'services.api.workers=1,2',
      '--seeds',
      '2',
      ...METRICS,
      '--out',
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/swinging +api\.queue max +users\.goodput mean 2–8 s$/);
    // The queue peaks at the pause's arrivals: 100 for 1 s, 200 for 2 s.
    expect(r.out).toMatch(/^1s +1 +2 .* 100 ± 0\.0 +100 ± 0\.0$/m);
    expect(r.out).toMatch(/^2s +2 +2 .* 200 ± 0\.0 +100 ± 0\.0$/m);
    const csv = read(dir, 'sweep.csv').trimEnd().split('\n');
    expect(csv[0]).toMatch(/,periodSeconds,api\.queue:max,users\.goodput:mean:2:8$/);
    expect(csv[1]).toMatch(/^1s,1,1,.*,100,100$/);
    expect(csv[csv.length - 1]).toMatch(/^2s,2,2,.*,200,100$/);
    const f = JSON.parse(read(dir, 'sweep.json')) as SweepFile;
    expect(f.definition.metrics?.map((m) => m.name)).toEqual(['api.queue:max', 'users.goodput:mean:2:8']);
    expect(f.cells[3]?.metrics?.['api.queue:max']).toMatchObject({ n: 2, mean: 200 });
    expect(f.runs[0]?.metrics).toEqual({ 'api.queue:max': 100, 'users.goodput:mean:2:8': 100 });
    expect(read(dir, 'sweep.html')).toContain(
      '<th class="num" title="operations that succeeded">users.goodput mean 2–8 s (per second)</th>',
    );
    const diagram = buildSweepCharts(f)[0]?.spec as {
      params: { name: string; bind: { options: string[] } }[];
      data: { values: { choice: string; value: number }[] };
    };
    expect(diagram.params[0]?.name).toBe(COLOUR_PARAM);
    expect(diagram.params[0]?.bind.options).toEqual([SHARE_CHOICE, 'api.queue max', 'users.goodput mean 2–8 s']);
    expect(diagram.data.values.filter((v) => v.choice === 'api.queue max').map((v) => v.value)).toEqual([100, 200, 100, 200]);
    expect(read(dir, 'sweep.html')).toContain(COLOUR_PARAM);
  });

  it('on a one-parameter sweep: one chart per metric beside the share and the recovery', async () => {
    const dir = tempDir();
    expect((await cli('sweep', PAUSE, '--vary', 'faults[0].for=1s,2s', ...METRICS, '--out', dir)).code).toBe(0);
    const charts = buildSweepCharts(JSON.parse(read(dir, 'sweep.json')) as SweepFile);
    expect(charts.map((c) => c.id)).toEqual(['phase-diagram', 'recovery-time', 'metric-1', 'metric-2']);
    expect(existsSync(join(dir, 'metric-1.svg'))).toBe(true);
  });

  it('refuses bad input with exit 2 before any run, on every command', async () => {
    const cases: [string[], string][] = [
      [
        ['compare', PAUSE, '--with', 'services.api.workers=2', '--metric', 'apii.queue:max'],
        'has no client, service, edge or broker "apii". Did you mean "api"?',
      ],
      [['sweep', PAUSE, '--vary', 'faults[0].for=1s,2s', '--metric', 'api.queue:mx'], 'unknown statistic "mx"'],
      [
        ['sweep', PAUSE, '--vary', 'duration=10s,30s', '--metric', 'api.queue:max:5s:20s'],
        'the window ends at 20s, beyond the end of steady-pause.yaml at duration=10s',
      ],
      [['run', PAUSE, '--seeds', '2', '--metric', 'api.queu:max'], '"queu" is not a metric of service api. Did you mean "queue"?'],
      [['sweep', PAUSE, '--find-tipping', 'faults[0].for=1s:2s', '--metric', 'api.queue:max'], '--metric goes with --vary'],
    ];
    for (const [argv, message] of cases) {
      const dir = tempDir();
      const r = await cli(...argv, '--out', dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'runs.jsonl')) || existsSync(join(dir, 'summary.json'))).toBe(false);
    }
  });

  it('travels with the shards and merges to the one-process bytes; a different list is refused', async () => {
    const grid = ['sweep', PAUSE, '--vary', 'faults[0].for=1s,2s', '--seeds', '2', '--no-report'];
    const whole = tempDir();
    expect((await cli(...grid, ...METRICS, '--out', whole)).code).toBe(0);
    const shards = [tempDir(), tempDir()];
    for (const [k, dir] of shards.entries()) expect((await cli(...grid, ...METRICS, '--shard', `${k + 1}/2`, '--out', dir)).code).toBe(0);
    const merged = tempDir();
    expect((await cli('merge', ...shards, '--out', merged, '--no-report')).code).toBe(0);
    expect(read(merged, 'sweep.json')).toBe(read(whole, 'sweep.json'));
    expect(read(merged, 'sweep.csv')).toBe(read(whole, 'sweep.csv'));
    const other = tempDir();
    expect((await cli(...grid, '--metric', 'api.queue:mean', '--shard', '2/2', '--out', other)).code).toBe(0);
    const r = await cli('merge', shards[0] ?? '', other, '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('measured --metric api.queue:mean');
    expect(r.err).toContain('merge shards run with the same --metric list');
  });

  it('refuses a shard whose metric definitions or values were edited', async () => {
    const dir = tempDir();
    expect((await cli('sweep', PAUSE, '--vary', 'faults[0].for=1s,2s', '--no-report', ...METRICS, '--out', dir)).code).toBe(0);
    const f = JSON.parse(read(dir, 'sweep.json')) as SweepFile;
    const edited = (g: unknown): string => {
      const d = tempDir();
      writeFileSync(join(d, 'sweep.json'), JSON.stringify(g));
      return d;
    };
    const defs = f.definition.metrics ?? [];
    const moved = edited({ ...f, definition: { ...f.definition, metrics: [{ ...defs[0], from: 5 }, defs[1]] } });
    const r1 = await cli('merge', moved, '--out', tempDir());
    expect(r1.code).toBe(2);
    expect(r1.err).toContain('definition.metrics[0]: not what --metric "api.queue:max" gives');
    const dropped = edited({ ...f, runs: f.runs.map((x, i) => (i === 0 ? { ...x, metrics: { 'api.queue:max': 1 } } : x)) });
    const r2 = await cli('merge', dropped, '--out', tempDir());
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('runs[0].metrics: it measured ["api.queue:max"], not the sweep\'s --metric list');
  });
});
