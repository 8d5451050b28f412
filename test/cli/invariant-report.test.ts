/**
 * A broken invariant as the CLI reports it: exit 3, the component, the
 * simulated time, the seed, what broke, and the exact `loopsim run` command
 * that replays it, with the file as given and every override, from each
 * command that runs scenarios. loopsim has no known broken invariant, so
 * this file swaps the state check (sim/engine/invariants.ts) for one that
 * reports a violation at every slice boundary while `broken.on` is set;
 * everything else is the real code.
 */
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { formatInvariantReport, runReplayCommand, shellWord } from '../../sim/cli/replay.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

const broken = vi.hoisted(() => ({ on: false }));

vi.mock(import('../../sim/engine/invariants.js'), async (importOriginal) => {
  const real = await importOriginal();
  return {
    ...real,
    stateChecker: (engine) => {
      const check = real.stateChecker(engine);
      const name = engine.services[0]?.spec.name ?? '?';
      return (now) =>
        broken.on
          ? [{ component: name, detail: 'holding a worker 99 is above workers 10 x replicas 1 (retired ones included)' }]
          : check(now);
    },
  };
});

/** A scenario file given by a relative path, as a user types it. */
const FILE = 'test/sweep/fixtures/retry-threshold.yaml';

/** The report's lines after the first, with the time masked (it depends on the seed and the overrides). */
const REPORT =
  /^✖ (?:(.+): )?loopsim broke one of its own invariants \(a bug; please report it with these lines\):\n {2}component: api\n {2}time: {6}t=([\d.]+) s\n {2}seed: {6}(\d+)\n {2}broken: {4}holding a worker 99 is above workers 10 x replicas 1 \(retired ones included\)\n {2}replay: {4}(loopsim run .+)\n$/;

/** Runs the CLI in process; the exit code, stderr and the report's parts. */
async function cli(
  ...argv: string[]
): Promise<{ code: number; err: string; which?: string; time?: number; seed?: number; replay?: string }> {
  const cap = captureIo();
  const code = await main(argv, cap.io);
  const m = REPORT.exec(cap.err());
  return { code, err: cap.err(), ...(m === null ? {} : { which: m[1], time: Number(m[2]), seed: Number(m[3]), replay: m[4] }) };
}

/** The words of a replay command as a POSIX shell splits them (plain words and single quotes only). */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string),
  );
}

describe('a broken invariant in the CLI', () => {
  afterEach(() => {
    broken.on = false;
  });

  it('run: exit 3, every fact, the replay command with the file as given and the seed; no summary.json', async () => {
    broken.on = true;
    const out = tempDir();
    const r = await cli('run', FILE, '--seed', '7', '--out', out, '--quiet', '--no-report');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(REPORT);
    expect([r.which, r.seed, r.replay]).toEqual([undefined, 7, `loopsim run ${FILE} --seed 7`]);
    expect(r.time).toBeGreaterThan(40);
    expect(r.time).toBeLessThan(45);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('run --set: the replay carries every override, quoted for the shell, and replays the same run', async () => {
    broken.on = true;
    const r = await cli('run', FILE, '--set', 'duration=20s', '--set', 'faults[0].for=0.5s', '--out', tempDir(), '--quiet', '--no-report');
    expect(r.code).toBe(3);
    expect(r.replay).toBe(`loopsim run ${FILE} --seed 1 --set duration=20s --set 'faults[0].for=0.5s'`);
    expect(r.time).toBeLessThan(20);
    // The command, run as printed, breaks at the same simulated time with the same report.
    const words = shellWords(r.replay as string);
    expect(words.slice(0, 2)).toEqual(['loopsim', 'run']);
    const again = await cli(...words.slice(1), '--out', tempDir(), '--quiet', '--no-report');
    expect(again.err).toBe(r.err);
  });

  it('run --all: the replay names the file inside the folder', async () => {
    broken.on = true;
    const dir = tempDir();
    mkdirSync(join(dir, 'library'));
    copyFileSync(FILE, join(dir, 'library', 'threshold.yaml'));
    const r = await cli('run', '--all', join(dir, 'library'), '--out', join(dir, 'out'), '--no-report');
    expect(r.code).toBe(3);
    expect(r.replay).toBe(`loopsim run ${join(dir, 'library', 'threshold.yaml')} --seed 1`);
    expect(existsSync(join(dir, 'out', 'index.html'))).toBe(false);
  });

  it("sweep: the report names the cell and seed, and the replay sets the cell's axis value", async () => {
    broken.on = true;
    const r = await cli(
      'sweep',
      FILE,
      '--vary',
      'faults[0].for=0.5s,1s',
      '--set',
      'duration=10s',
      '--workers',
      '1',
      '--quiet',
      '--no-report',
      '--out',
      tempDir(),
    );
    expect(r.code).toBe(3);
    expect(r.which).toBe('cell 0, seed 1');
    expect(r.replay).toBe(`loopsim run ${FILE} --seed 1 --set duration=10s --set 'faults[0].for=0.5s'`);
  });

  it('compare: the report names the variant and seed, and the replay carries its overrides', async () => {
    broken.on = true;
    const r = await cli('compare', FILE, FILE, '--set', 'duration=10s', '--workers', '1', '--quiet', '--no-report', '--out', tempDir());
    expect(r.code).toBe(3);
    expect(r.which).toBe('retry-threshold with seed 1');
    expect(r.replay).toBe(`loopsim run ${FILE} --seed 1 --set duration=10s`);
  });

  it('without a broken invariant, the same commands run and exit 0', async () => {
    const r = await cli('run', FILE, '--set', 'duration=10s', '--out', tempDir(), '--quiet', '--no-report');
    expect([r.code, r.err]).toEqual([0, '']);
  });
});

describe('replay commands', () => {
  it('quote what a shell would read otherwise, and nothing else', () => {
    expect(shellWord('scenarios/retry-storm.yaml')).toBe('scenarios/retry-storm.yaml');
    expect(shellWord("my scenarios/it's.yaml")).toBe(`'my scenarios/it'\\''s.yaml'`);
    expect(runReplayCommand('a b.yaml', 3, ['services.api.workers=32', 'clients.users.retry={attempts: 2}'])).toBe(
      "loopsim run 'a b.yaml' --seed 3 --set services.api.workers=32 --set 'clients.users.retry={attempts: 2}'",
    );
    expect(shellWords(runReplayCommand("it's here.yaml", 1, []))).toEqual(['loopsim', 'run', "it's here.yaml", '--seed', '1']);
  });

  it('the report puts one fact a line, the run first when there are several', () => {
    const text = formatInvariantReport(
      { component: 'db', time: 84.1234567, seed: 9, detail: 'waiting -1 is negative' },
      'loopsim run x.yaml --seed 9',
      'cell 2, seed 9',
    );
    expect(text).toBe(
      [
        '✖ cell 2, seed 9: loopsim broke one of its own invariants (a bug; please report it with these lines):',
        '  component: db',
        '  time:      t=84.123457 s',
        '  seed:      9',
        '  broken:    waiting -1 is negative',
        '  replay:    loopsim run x.yaml --seed 9',
        '',
      ].join('\n'),
    );
  });
});
