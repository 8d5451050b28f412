/**
 * The progress bar of `loopsim run` (files, `--all`, `--set`, and the batch
 * bar of `--seeds`), drawn on an injected fake terminal. No
 * assertion depends on how fast anything runs: the wall clock is a fake
 * (vitest's mocked Date, which cli-progress also reads) moved by hand.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { createRunProgress, estimateRemainingSeconds, formatEta, formatSimSeconds, type ProgressStream } from '../../sim/cli/progress.js';

/** A writable stream that claims to be an 80-column terminal (or not) and records each write. */
function fakeStream(isTTY: boolean, log: string[] = []): ProgressStream & { writes: string[] } {
  const s = new Writable({
    write(chunk: Buffer | string, _enc, done): void {
      log.push(`progress:${String(chunk)}`);
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; writes: string[] };
  s.isTTY = isTTY;
  s.columns = 80;
  Object.defineProperty(s, 'writes', { get: () => log.filter((l) => l.startsWith('progress:')).map((l) => l.slice('progress:'.length)) });
  return s;
}

/** ESC[2K: what readline.clearLine(stream, 0) writes. */
const CLEAR_LINE = '\x1b[2K';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createRunProgress', () => {
  test('stays silent for the first second, then draws simulated time, duration and ETA', () => {
    const stream = fakeStream(true);
    const p = createRunProgress({ stream, name: 'retry-storm', durationSeconds: 300 });
    p.onProgress(0);
    vi.advanceTimersByTime(500);
    p.onProgress(10);
    expect(stream.writes).toEqual([]);

    vi.advanceTimersByTime(600);
    p.onProgress(30);
    const frame = stream.writes.join('');
    expect(frame).toContain('retry-storm');
    expect(frame).toContain('10%');
    expect(frame).toContain('30.0 s of 300.0 s simulated');
    // 30 of 300 simulated seconds took 1.1 s: 270 more take 9.9 s.
    expect(frame).toContain('ETA 10s');
    p.stop();
  });

  test('redraws from inside a synchronous loop, with no timer firing', () => {
    const stream = fakeStream(true);
    const p = createRunProgress({ stream, name: 'x', durationSeconds: 100, delayMs: 0 });
    p.onProgress(1);
    const before = stream.writes.length;
    // The engine's next report, as from a loop that never yields: only Date moves.
    vi.advanceTimersByTime(300);
    p.onProgress(60);
    const after = stream.writes.slice(before).join('');
    expect(after).toContain('60.0 s of 100.0 s simulated');
    expect(after).toContain('60%');
    p.stop();
  });

  test('stop clears the line, and nothing is drawn after it', () => {
    const stream = fakeStream(true);
    const p = createRunProgress({ stream, name: 'x', durationSeconds: 100, delayMs: 0 });
    p.onProgress(5);
    p.stop();
    expect(stream.writes.at(-1)).toBe(CLEAR_LINE);
    const count = stream.writes.length;
    vi.advanceTimersByTime(5000);
    p.onProgress(50);
    p.stop();
    expect(stream.writes.length).toBe(count);
  });

  test('draws nothing when the stream is not a terminal, with quiet, or without a stream', () => {
    for (const [stream, quiet] of [
      [fakeStream(false), false],
      [fakeStream(true), true],
      [undefined, false],
    ] as const) {
      const p = createRunProgress({ stream, name: 'x', durationSeconds: 100, quiet, delayMs: 0 });
      p.onProgress(1);
      vi.advanceTimersByTime(2000);
      p.onProgress(50);
      p.stop();
      expect(stream?.writes ?? []).toEqual([]);
    }
  });

  test('formats simulated seconds', () => {
    expect(formatSimSeconds(0)).toBe('0.0 s');
    expect(formatSimSeconds(12.345)).toBe('12.3 s');
    expect(formatSimSeconds(3600)).toBe('3,600 s');
  });

  test('estimates and formats the time left', () => {
    expect(estimateRemainingSeconds(30, 300, 1100)).toBeCloseTo(9.9);
    expect(estimateRemainingSeconds(0, 300, 1100)).toBeNaN();
    expect([formatEta(9.9), formatEta(185), formatEta(3720), formatEta(NaN)]).toEqual(['10s', '3m05s', '1h02m', '?']);
  });
});

describe('loopsim run with a terminal on stderr', () => {
  const FIXED = fileURLToPath(new URL('../../scenarios/retry-storm-fixed.yaml', import.meta.url));

  /** An Io whose stdout, stderr and progress stream write into one ordered log. */
  function terminalIo(): { io: Io; log: string[]; stream: ReturnType<typeof fakeStream> } {
    const log: string[] = [];
    const stream = fakeStream(true, log);
    return { io: { out: (t) => void log.push(`out:${t}`), err: (t) => void log.push(`err:${t}`), progress: stream }, log, stream };
  }

  /** Makes every reading of the wall clock 2 s later than the one before: every run is "long". */
  function slowClock(): void {
    // A simulated clock: only differences between readings matter to the progress bar.
    let t = 1_700_000_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => (t += 2000));
  }

  test('draws the bar on the progress stream, clears it before printing, keeps --json clean', async () => {
    slowClock();
    const { io, log, stream } = terminalIo();
    const dir = mkdtempSync(join(tmpdir(), 'loopsim-progress-'));
    expect(await main(['run', FIXED, '--out', dir, '--json', '--no-report'], io)).toBe(0);
    expect(stream.writes.join('')).toContain('retry-storm-fixed');
    expect(stream.writes.join('')).toContain('of 300.0 s simulated');
    const lastBar = log.map((l) => l.startsWith('progress:')).lastIndexOf(true);
    const firstOut = log.findIndex((l) => l.startsWith('out:'));
    expect(lastBar).toBeLessThan(firstOut);
    expect(log[lastBar]).toBe(`progress:${CLEAR_LINE}`);
    const out = log
      .filter((l) => l.startsWith('out:'))
      .map((l) => l.slice(4))
      .join('');
    expect(out).toBe(readFileSync(join(dir, 'summary.json'), 'utf8'));
  });

  test('--quiet draws nothing', async () => {
    slowClock();
    const { io, stream } = terminalIo();
    const dir = mkdtempSync(join(tmpdir(), 'loopsim-progress-'));
    expect(await main(['run', FIXED, '--out', dir, '--quiet', '--no-report'], io)).toBe(0);
    expect(stream.writes).toEqual([]);
  });

  /** A small scenario (45 s) for the other paths of `loopsim run`. */
  const SMALL = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));
  const tempDir = (): string => mkdtempSync(join(tmpdir(), 'loopsim-progress-'));

  /** Index in `log` of the first entry that starts with `kind:` and contains `text`; -1 when none. */
  const indexOf = (log: readonly string[], kind: 'out' | 'progress', text: string): number =>
    log.findIndex((l) => l.startsWith(`${kind}:`) && l.includes(text));

  /** Every line printed on stdout comes after the bar drawn before it was cleared: the last bar write before it is CLEAR_LINE. */
  function expectBarsClearedBeforeOutput(log: readonly string[]): void {
    let lastBar: string | undefined;
    for (const l of log) {
      if (l.startsWith('progress:')) lastBar = l;
      else if (l.startsWith('out:') && lastBar !== undefined) expect(lastBar, `before ${l}`).toBe(`progress:${CLEAR_LINE}`);
    }
  }

  /** A folder with two copies of SMALL named alpha-model and beta-model, for `run --all`. */
  function library(): string {
    const lib = tempDir();
    const text = readFileSync(SMALL, 'utf8');
    for (const name of ['alpha-model', 'beta-model'])
      writeFileSync(join(lib, `${name}.yaml`), text.replace(/^name: .*$/m, `name: ${name}`));
    return lib;
  }

  test("run --all draws a bar for each scenario and clears it before that scenario's line", async () => {
    slowClock();
    const { io, log, stream } = terminalIo();
    expect(await main(['run', '--all', library(), '--out', tempDir(), '--no-report'], io)).toBe(0);
    expect(stream.writes.join('')).toContain('of 45.0 s simulated');
    const alphaBar = indexOf(log, 'progress', 'alpha-model');
    const alphaLine = indexOf(log, 'out', 'alpha-model');
    const betaBar = indexOf(log, 'progress', 'beta-model');
    const betaLine = indexOf(log, 'out', 'beta-model');
    expect(alphaBar).toBeGreaterThanOrEqual(0);
    expect([alphaBar < alphaLine, alphaLine < betaBar, betaBar < betaLine]).toEqual([true, true, true]);
    expectBarsClearedBeforeOutput(log);
  });

  test('run --set draws the bar of the run with its overrides, clears it before printing, keeps --json clean', async () => {
    slowClock();
    const { io, log, stream } = terminalIo();
    const dir = tempDir();
    expect(await main(['run', SMALL, '--set', 'duration=20s', '--out', dir, '--json', '--no-report'], io)).toBe(0);
    expect(stream.writes.join('')).toContain('retry-threshold');
    expect(stream.writes.join('')).toContain('of 20.0 s simulated');
    expectBarsClearedBeforeOutput(log);
    const out = log
      .filter((l) => l.startsWith('out:'))
      .map((l) => l.slice(4))
      .join('');
    expect(out).toBe(readFileSync(join(dir, 'summary.json'), 'utf8'));
  });

  test('run --seeds draws the bar of the first seed, then the batch bar of the other seeds', async () => {
    slowClock();
    const { io, log, stream } = terminalIo();
    expect(
      await main(['run', SMALL, '--set', 'duration=20s', '--seeds', '3', '--workers', '1', '--out', tempDir(), '--no-report'], io),
    ).toBe(0);
    expect(stream.writes.join('')).toContain('of 20.0 s simulated');
    // The first seed runs in-process, printed as a plain run; seeds 2 and 3 are the batch.
    const firstTable = indexOf(log, 'out', 'outputs:');
    const batch = indexOf(log, 'progress', '/2 runs');
    const replications = indexOf(log, 'out', 'mean ± 95% CI');
    expect(batch).toBeGreaterThanOrEqual(0);
    expect([firstTable < batch, batch < replications]).toEqual([true, true]);
    expect(stream.writes.join('')).toContain('2/2 runs');
    expectBarsClearedBeforeOutput(log.slice(0, batch));
  });

  test.each([
    ['run --all', (): string[] => ['run', '--all', library(), '--out', tempDir()]],
    ['run --set', (): string[] => ['run', SMALL, '--set', 'duration=20s', '--out', tempDir()]],
    ['run --set --seeds', (): string[] => ['run', SMALL, '--set', 'duration=20s', '--seeds', '3', '--workers', '1', '--out', tempDir()]],
  ])('%s --quiet draws nothing', async (_path, argv) => {
    slowClock();
    const { io, stream } = terminalIo();
    expect(await main([...argv(), '--quiet', '--no-report'], io)).toBe(0);
    expect(stream.writes).toEqual([]);
  });

  test('sweep and compare draw their batch bar on the progress stream, and nowhere without one', async () => {
    const sweepArgs = (): string[] => [
      'sweep',
      SMALL,
      '--set',
      'duration=20s',
      '--vary',
      'seed=1:2:1',
      '--workers',
      '1',
      '--out',
      tempDir(),
      '--no-report',
    ];
    const compareArgs = (): string[] => [
      'compare',
      SMALL,
      SMALL,
      '--set',
      'duration=20s',
      '--workers',
      '1',
      '--out',
      tempDir(),
      '--no-report',
    ];
    for (const argv of [sweepArgs, compareArgs]) {
      const { io, stream } = terminalIo();
      expect(await main(argv(), io)).toBe(0);
      expect(stream.writes.join('')).toMatch(/\d+\/\d+ runs/);
      // No progress stream (a caller that draws nothing): nothing reaches the process's own
      // stderr either, even when it is a terminal.
      const wasTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      const spy = vi.spyOn(process.stderr, 'write');
      try {
        expect(await main(argv(), { out: () => undefined, err: () => undefined })).toBe(0);
        expect(spy).not.toHaveBeenCalled();
      } finally {
        spy.mockRestore();
        if (wasTTY === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
        else Object.defineProperty(process.stderr, 'isTTY', wasTTY);
      }
    }
  });
});
