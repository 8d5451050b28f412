/**
 * `loopsim sweep` and `loopsim merge`: results independent of the number of
 * workers, shards merged back to the one-process bytes (every file, the page
 * included), the hysteresis branches of the retry model, bad axes refused
 * with the argument named, Ctrl-C writing partial results with exit 130 (a
 * real SIGINT: test/cli/interrupt.test.ts), runs.jsonl and resuming.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeCommand } from '../../sim/cli/merge.js';
import { sweepCommand, type SweepOptions } from '../../sim/cli/sweep.js';
import type { SweepFile } from '../../sim/sweep/sweep-file.js';
import { captureIo, tempDir } from '../sweep/helpers.js';
import { NONE_METASTABLE, buildSweepCharts } from '../../reports/sweep-charts.js';

const MODEL = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

/** A small grid: pause length × retry attempts, short runs. */
const GRID: SweepOptions = {
  vary: ['faults[0].for=0.8s:1.2s:0.2s', 'clients.users.retry.attempts=2,3'],
  sets: ['duration=30s'],
  seeds: 2,
  quiet: true,
};

async function sweep(opts: SweepOptions): Promise<{ code: number; out: string; err: string; dir: string }> {
  const dir = opts.out ?? tempDir();
  const cap = captureIo();
  const code = await sweepCommand(MODEL, { ...opts, out: dir }, cap.io);
  return { code, out: cap.out(), err: cap.err(), dir };
}

describe('loopsim sweep', () => {
  it('gives byte-identical sweep.csv and sweep.json on 1 and 2 workers', async () => {
    const one = await sweep({ ...GRID, workers: 1, noReport: true });
    const two = await sweep({ ...GRID, workers: 2, noReport: true });
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(read(two.dir, 'sweep.csv')).toBe(read(one.dir, 'sweep.csv'));
    expect(read(two.dir, 'sweep.json')).toBe(read(one.dir, 'sweep.json'));
    const csv = read(one.dir, 'sweep.csv').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'faults[0].for [s],clients.users.retry.attempts,seed,verdict,recoverySeconds,goodputAfter,peakQueue,goodputBefore,wastedPerSecond,retriesPerOperation,loop,loopGain,' +
        'peakBacklog,backlogStock,lostOperations,worstGoodputShare,secondsBelowHalf,drainSeconds,oscillation,periodSeconds',
    );
    expect(csv).toHaveLength(1 + 3 * 2 * 2);
    expect(csv[1]).toMatch(/^0\.8,2,1,recovered,/);
  });

  it('merges shards into the same bytes as one process, page and diagram included', async () => {
    const whole = await sweep({ ...GRID, workers: 2 });
    const shards = [];
    for (const k of [1, 2, 3]) shards.push(await sweep({ ...GRID, workers: 1, shard: `${k}/3`, noReport: true }));
    expect(shards.map((s) => s.code)).toEqual([0, 0, 0]);
    const part = JSON.parse(read(shards[1]?.dir ?? '', 'sweep.json')) as SweepFile;
    expect(part.shard).toEqual({ index: 2, count: 3 });
    expect(part.runs.length).toBe(4);
    const merged = tempDir();
    const cap = captureIo();
    expect(
      await mergeCommand(
        shards.map((s) => s.dir),
        { out: merged },
        cap.io,
      ),
    ).toBe(0);
    const files = readdirSync(whole.dir).sort();
    expect(files).toEqual(['phase-diagram.svg', 'sweep.csv', 'sweep.html', 'sweep.json']);
    // The file's description is introduced as the file's own, since the sweep varies its numbers.
    expect(read(whole.dir, 'sweep.html')).toMatch(
      /<details class="story"><summary>The scenario as written \(its description\)<\/summary><p class="hint">This describes the file with its own values; the sweep varies <code>faults\[0\]\.for<\/code> and <code>clients\.users\.retry\.attempts<\/code>/,
    );
    // A cell where no seed was metastable is drawn neutral, not in the scale's palest orange.
    const diagram = buildSweepCharts(JSON.parse(read(whole.dir, 'sweep.json')) as SweepFile)[0]?.spec as {
      layer: { encoding: { color: { condition?: unknown } } }[];
    };
    expect(diagram.layer[0]?.encoding.color.condition).toEqual({ test: 'datum.share === 0', value: NONE_METASTABLE });
    expect(readdirSync(merged).sort()).toEqual(files);
    for (const f of files) expect(read(merged, f), f).toBe(read(whole.dir, f));
  });

  it('refuses to merge an incomplete set of shards without saying which runs are missing', async () => {
    const a = await sweep({ ...GRID, workers: 1, shard: '1/3', noReport: true });
    const cap = captureIo();
    expect(await mergeCommand([a.dir], { out: tempDir(), noReport: true }, cap.io)).toBe(2);
    expect(cap.err()).toMatch(/✖ 8 of 12 runs are in no shard \(cell 0 seed 2, cell 1 seed 1, /);
  });

  it('shows hysteresis in the retry model: same load, healthy from a clean start, stuck after the trigger', async () => {
    // μ = 1000/s; a 1.5 s pause tips every λ with 2λ > μ and (2 − ρ)T − s < 1.5 s, i.e. ρ > 0.51;
    // from λ = 700 the backlog clears that bound by 0.2 s of work, far beyond the Poisson noise.
    const r = await sweep({
      vary: ['clients.users.arrival.rate=700:1100:100'],
      hysteresis: true,
      sets: ['duration=30s', 'faults[0].for=1.5s'],
      seeds: 2,
      workers: 2,
      quiet: true,
      noReport: true,
    });
    expect(r.code).toBe(0);
    const f = JSON.parse(read(r.dir, 'sweep.json')) as SweepFile;
    const stuck = (branch: string): number[] => f.cells.filter((c) => c.branch === branch).map((c) => c.shareStuck);
    // λ = μ = 1000 is critical (a null-recurrent queue): which verdict it gets in 30 s is not a design question, so it is not asserted.
    const untriggered = stuck('untriggered');
    expect([...untriggered.slice(0, 3), untriggered[4]]).toEqual([0, 0, 0, 1]);
    expect(stuck('triggered')).toEqual([1, 1, 1, 1, 1]);
    expect(f.cells.find((c) => c.branch === 'untriggered' && c.labels[0] === '1100')?.verdicts.overloaded).toBe(2);
    expect(read(r.dir, 'sweep.csv').split('\n')[0]).toContain(',branch,seed,');
  });

  it('refuses a bad axis value before running anything, naming the --vary argument and the value', async () => {
    const r = await sweep({ vary: ['faults[0].for=0s:1s:0.5s'], workers: 1, quiet: true, noReport: true });
    expect(r.code).toBe(2);
    expect(r.err).toContain('→ at faults[0].for (--vary faults[0].for=0s:1s:0.5s (value 0s))');
    expect(existsSync(join(r.dir, 'sweep.json'))).toBe(false);
    const both = await sweep({ vary: ['a=1,2'], findTipping: 'a=1:2', quiet: true });
    expect([both.code, both.err]).toEqual([2, '✖ Give either --vary or --find-tipping, not both.\n']);
    const hyst = await sweep({ vary: ['a=1,2', 'b=1,2'], hysteresis: true, quiet: true });
    expect(hyst.err).toBe('✖ --hysteresis needs exactly one --vary.\n');
  });

  it('bisects a whole-number field on whole numbers, and finds that more workers are safer', async () => {
    const r = await sweep({
      findTipping: 'services.api.workers=8:30',
      sets: ['duration=30s', 'faults[0].for=1.5s'],
      workers: 1,
      quiet: true,
    });
    expect([r.code, r.err]).toEqual([0, '']);
    const t = JSON.parse(read(r.dir, 'tipping.json')) as {
      status: string;
      direction: string;
      wholeNumbers: boolean;
      probes: { value: number }[];
      bracket: { below: number; above: number };
    };
    expect([t.status, t.direction, t.wholeNumbers]).toEqual(['found', 'down', true]);
    expect(t.probes.every((p) => Number.isInteger(p.value))).toBe(true);
    expect(t.bracket.above - t.bracket.below).toBe(1);
    expect(r.out).toContain('a higher value is safer');
    const half = await sweep({ findTipping: 'services.api.workers=8.5:30', quiet: true });
    expect([half.code, half.err]).toEqual([
      2,
      '✖ --find-tipping services.api.workers=8.5:30: services.api.workers takes whole numbers; give a range of whole numbers, e.g. 9:30.\n',
    ]);
  });

  it('keeps the probes that finished when a later probe is refused', async () => {
    const r = await sweep({
      findTipping: 'services.api.serviceTime.min=1ms:20ms',
      sets: ['duration=10s', 'services.api.serviceTime={dist: uniform, min: 5ms, max: 15ms}'],
      workers: 1,
      quiet: true,
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('min (20ms) must not be above max (15ms)');
    expect(r.err).toContain('the probes that finished (1) are in');
    const t = JSON.parse(read(r.dir, 'tipping.json')) as { stopped: string; probes: { value: number }[] };
    expect([t.stopped, t.probes.map((p) => p.value)]).toEqual(['a probe failed', [0.001]]);
  });

  it('on abort writes what finished and exits 130', async () => {
    const stop = new AbortController();
    const r = await sweep({ ...GRID, workers: 1, noReport: true, signal: stop.signal, onProgress: (done) => done === 3 && stop.abort() });
    expect(r.code).toBe(130);
    expect(r.err).toContain('✖ interrupted: 3 of 12 runs finished; partial results in');
    const f = JSON.parse(read(r.dir, 'sweep.json')) as SweepFile;
    expect([f.complete, f.runs.length]).toEqual([false, 3]);
    expect(read(r.dir, 'sweep.csv').trimEnd().split('\n')).toHaveLength(4);
  });

  it('streams finished runs to runs.jsonl, and a rerun after Ctrl-C finishes the same sweep.json', async () => {
    const whole = await sweep({ ...GRID, workers: 1, noReport: true });
    expect(existsSync(join(whole.dir, 'runs.jsonl'))).toBe(false);
    const stop = new AbortController();
    const cut = await sweep({ ...GRID, workers: 1, noReport: true, signal: stop.signal, onProgress: (done) => done === 5 && stop.abort() });
    expect(cut.code).toBe(130);
    expect(cut.err).toContain('run the same command again to finish the sweep');
    const lines = read(cut.dir, 'runs.jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 5);
    // A kill in the middle of a write leaves half a line: it is dropped, not refused.
    appendFileSync(join(cut.dir, 'runs.jsonl'), lines[1]?.slice(0, 30) ?? '');
    const resumed = await sweep({ ...GRID, workers: 2, noReport: true, quiet: false, out: cut.dir });
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain('12 runs (6 cells x 2 seeds; 5 already done in');
    expect(resumed.err).toContain('7 to go) on up to 2 workers');
    expect(read(cut.dir, 'sweep.json')).toBe(read(whole.dir, 'sweep.json'));
    expect(read(cut.dir, 'sweep.csv')).toBe(read(whole.dir, 'sweep.csv'));
    expect(existsSync(join(cut.dir, 'runs.jsonl'))).toBe(false);
  });

  it('merges a sweep that was killed before its sweep.json from its runs.jsonl', async () => {
    const stop = new AbortController();
    const cut = await sweep({ ...GRID, workers: 1, noReport: true, signal: stop.signal, onProgress: (done) => done === 4 && stop.abort() });
    expect(cut.code).toBe(130);
    const partial = read(cut.dir, 'sweep.json');
    rmSync(join(cut.dir, 'sweep.json'));
    const merged = tempDir();
    const cap = captureIo();
    expect(await mergeCommand([cut.dir], { out: merged, noReport: true }, cap.io)).toBe(2);
    expect(cap.err()).toMatch(/✖ 8 of 12 runs are in no shard/);
    expect(read(merged, 'sweep.json')).toBe(partial);
  });

  it('refuses a sweep past the run limit with the measurement behind it', async () => {
    const r = await sweep({ vary: ['faults[0].for=1s:1000s:1s', 'clients.users.retry.attempts=1:1000:1'], quiet: true, noReport: true });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      '✖ The sweep asks for 1000000 runs (1000000 cells x 1 seeds); at most 100000 are allowed (measured, 100000 runs of a small scenario take about 2 minutes on two workers, 1.3 GB of memory and a 100 MB sweep.json, and ten times as many do not fit): use coarser steps or fewer seeds.\n',
    );
  });
});
