/**
 * Ctrl-C during `loopsim run`, `run --seeds`, `compare`, `sweep` and
 * `sweep --find-tipping`: exit 130, no temporary file, and for run: the run in progress stops at its next slice
 * boundary, writes nothing (no summary.json), the runs that finished before
 * it keep their outputs, one line says what was interrupted and at what
 * simulated time, and the exit code is 130. The real signal goes to the
 * built CLI (bin/loopsim.js, built by test/global-setup.ts); `--all` and
 * `--set` are driven in process through the commands' `signal` option, which
 * stops them the way Ctrl-C does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { runAllCommand } from '../../sim/cli/run-all.js';
import { replicatedRunCommand } from '../../sim/cli/sweep-run.js';
import type { Summary } from '../../sim/metrics/summary.js';
import { tempDir } from '../sweep/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/loopsim.js');

/** An M/M/1 queue at ρ = 0.5 simulated for `duration`: `10s` is over at once, `1000000s` (in buckets of 100 s) outlasts any test. */
function mm1(name: string, duration: '10s' | '1000000s'): string {
  return [
    `name: ${name}`,
    `duration: ${duration}`,
    `sample: ${duration === '10s' ? '1s' : '100s'}`,
    'clients:',
    '  users: { target: api, arrival: { kind: poisson, rate: 1000 } }',
    'services:',
    '  api: { workers: 1, serviceTime: { dist: exponential, mean: 0.5ms } }',
    '',
  ].join('\n');
}

/** Writes the scenario files `files` (name → text) into a new folder; returns it. */
function scenarios(files: Record<string, string>): string {
  const dir = tempDir('loopsim-interrupt-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * Instrumentation loaded before the CLI (`node --import`): a line on stderr
 * when a SIGINT listener is added, which the CLI does just before its runs
 * start (and again while it writes a set of outputs). (Node itself catches SIGINT when stdio is not a terminal, so the
 * process's signal mask cannot tell.)
 */
const HANDLER_MARK = '[test: SIGINT listener added]\n';
const MARK_HOOK = `process.on('newListener', (e) => { if (e === 'SIGINT') process.stderr.write(${JSON.stringify(HANDLER_MARK)}); });`;

/**
 * Spawns the built CLI and sends it SIGINT once `ready` says so, from its
 * output so far; returns the exit code and the output (stderr without the
 * instrumentation's line).
 */
async function runAndInterrupt(
  argv: string[],
  ready: (out: { stdout: string; stderr: string }) => boolean,
): Promise<{ code: number | null; out: string; err: string }> {
  const hook = `data:text/javascript,${encodeURIComponent(MARK_HOOK)}`;
  const child = spawn(process.execPath, ['--import', hook, bin, ...argv], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOOPSIM_DEBUG: '' },
  });
  const seen = { stdout: '', stderr: '' };
  let sent = false;
  const check = (): void => {
    if (sent || child.exitCode !== null || !ready(seen)) return;
    sent = true;
    child.kill('SIGINT');
  };
  child.stdout.on('data', (d: Buffer) => {
    seen.stdout += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => {
    seen.stderr += d.toString();
    check();
  });
  try {
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent, 'SIGINT was sent while the CLI ran').toBe(true);
    return { code, out: seen.stdout, err: seen.stderr.replaceAll(HANDLER_MARK, '') };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('Ctrl-C during loopsim run (a real SIGINT to bin/loopsim.js)', () => {
  it('stops a long run: exit 130, one line with the file and the simulated time, no summary.json', async () => {
    const dir = scenarios({ 'long.yaml': mm1('long', '1000000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(['run', join(dir, 'long.yaml'), '--out', out], (seen) => seen.stderr.includes(HANDLER_MARK));
    // The signal is heard after the first slice (10^6 events, hundreds of simulated seconds): never at t = 0.
    expect(r.err).toMatch(/^✖ interrupted: long\.yaml stopped at t=[1-9][\d,.]* s of 1,000,000 s simulated; nothing written for it\.\n$/);
    expect(r.code).toBe(130);
    expect(r.out).toBe('');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('keeps the outputs of the file that finished and writes nothing for the one interrupted', async () => {
    const dir = scenarios({ 'short.yaml': mm1('short', '10s'), 'long.yaml': mm1('long', '1000000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(['run', join(dir, 'short.yaml'), join(dir, 'long.yaml'), '--out', out, '--no-report'], (seen) =>
      seen.stdout.includes(`outputs: ${join(out, 'short')}\n`),
    );
    expect(r.err).toMatch(/^✖ interrupted: long\.yaml stopped at t=[\d,.]+ s of 1,000,000 s simulated; nothing written for it\.\n$/);
    expect(r.code).toBe(130);
    expect(readdirSync(join(out, 'short')).sort()).toEqual(['run.json', 'summary.json', 'timeseries.csv']);
    const summary = JSON.parse(readFileSync(join(out, 'short', 'summary.json'), 'utf8')) as Summary;
    expect(summary.name).toBe('short');
    expect(existsSync(join(out, 'long'))).toBe(false);
  });
});

/** Every file under `dir`, as paths relative to it, sorted: to check that no temporary file survived. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.replaceAll('\\', '/')).sort();
}

const TMP = /\.tmp$/;

describe('Ctrl-C during the other commands (a real SIGINT to bin/loopsim.js)', () => {
  it("run --seeds: keeps the first seed's outputs and says so, writes no replications, exit 130", async () => {
    // About a second per seed: the signal comes while seed 2 or 3 runs.
    const dir = scenarios({ 'mid.yaml': mm1('mid', '1000000s').replace('duration: 1000000s', 'duration: 3000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(
      ['run', join(dir, 'mid.yaml'), '--seeds', '10', '--workers', '1', '--no-report', '--quiet', '--out', out],
      (seen) => seen.stdout.includes(`outputs: ${out}\n`),
    );
    expect(r.code).toBe(130);
    expect(r.err).toMatch(
      /^✖ interrupted: \d of 9 runs finished; kept: the outputs of seed 1 in .*out; not written: replications\.json and replications\.html \(seeds 1 to 10\)\.\n$/,
    );
    expect(filesUnder(out)).toEqual(['run.json', 'summary.json', 'timeseries.csv']);
  });

  it('compare: writes nothing, exit 130', async () => {
    const dir = scenarios({ 'a.yaml': mm1('a', '1000000s'), 'b.yaml': mm1('b', '1000000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(
      ['compare', join(dir, 'a.yaml'), join(dir, 'b.yaml'), '--workers', '1', '--no-report', '--quiet', '--out', out],
      (seen) => seen.stderr.includes(HANDLER_MARK),
    );
    expect(r.code).toBe(130);
    expect(r.err).toBe('✖ interrupted: 0 of 2 runs finished; nothing written.\n');
    expect(filesUnder(out).filter((f) => f.endsWith('.json') || TMP.test(f))).toEqual([]);
  });

  it('sweep: sweep.json beside sweep.csv, runs.jsonl kept, no temporary file, exit 130', async () => {
    const dir = scenarios({ 'long.yaml': mm1('long', '1000000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(
      ['sweep', join(dir, 'long.yaml'), '--vary', 'services.api.workers=1:4:1', '--workers', '2', '--no-report', '--out', out],
      (seen) =>
        // The start line comes just before the batch's handler is installed.
        seen.stderr.includes(`runs (4 cells x 1 seeds) on up to 2 workers\n${HANDLER_MARK}`),
    );
    expect(r.code).toBe(130);
    expect(r.err).toContain('✖ interrupted: 0 of 4 runs finished; partial results in');
    expect(filesUnder(out)).toEqual(['runs.jsonl', 'sweep.csv', 'sweep.json']);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))).toMatchObject({ complete: false, runs: [] });
  });

  it('sweep --find-tipping: the probes so far in tipping.json, marked interrupted, exit 130', async () => {
    const dir = scenarios({ 'long.yaml': mm1('long', '1000000s') });
    const out = join(dir, 'out');
    const r = await runAndInterrupt(
      ['sweep', join(dir, 'long.yaml'), '--find-tipping', 'services.api.workers=1:4', '--workers', '1', '--quiet', '--out', out],
      (seen) => seen.stderr.includes(HANDLER_MARK),
    );
    expect(r.code).toBe(130);
    expect(r.err).toContain('✖ interrupted after 0 probes; the probes so far are in');
    expect(filesUnder(out)).toEqual(['tipping.json']);
    expect(JSON.parse(readFileSync(join(out, 'tipping.json'), 'utf8'))).toMatchObject({ stopped: 'interrupted' });
  });
});

describe('stopping loopsim run through its signal (as Ctrl-C does)', () => {
  /** An Io that aborts `stop` when stdout shows `trigger`. */
  function abortOn(trigger: string, stop: AbortController): { io: Io; err: () => string } {
    const err: string[] = [];
    return {
      io: {
        out: (t) => void (t.includes(trigger) && stop.abort()),
        err: (t) => void err.push(t),
      },
      err: () => err.join(''),
    };
  }

  it('run --all: the finished scenario keeps its outputs, the index marks the rest as interrupted, exit 130', async () => {
    const dir = scenarios({
      'a-short.yaml': mm1('short', '10s'),
      'b-long.yaml': mm1('long', '1000000s'),
      'c-short.yaml': mm1('short-too', '10s'),
    });
    const out = join(dir, 'out');
    const stop = new AbortController();
    const cap = abortOn('✔ short ', stop);
    const code = await runAllCommand(dir, { out, noReport: true, signal: stop.signal }, cap.io);
    expect(code).toBe(130);
    expect(cap.err()).toBe('✖ interrupted: b-long.yaml stopped at t=0.0 s of 1,000,000 s simulated; nothing written for it.\n');
    expect(readdirSync(out).sort()).toEqual(['index.html', 'short']);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="short/summary.json"');
    expect(index.match(/interrupted \(Ctrl-C\) before it finished/g)).toHaveLength(2);
  });

  it('run --set over two files: the first keeps its outputs, the second writes nothing, exit 130', async () => {
    const dir = scenarios({ 'short.yaml': mm1('short', '10s'), 'long.yaml': mm1('long', '1000000s') });
    const out = join(dir, 'out');
    mkdirSync(out);
    const stop = new AbortController();
    const cap = abortOn(`outputs: ${join(out, 'short')}`, stop);
    const files = [join(dir, 'short.yaml'), join(dir, 'long.yaml')];
    const code = await replicatedRunCommand(files, { sets: ['seed=3'], out, noReport: true, quiet: true, signal: stop.signal }, cap.io);
    expect(code).toBe(130);
    expect(cap.err()).toBe('✖ interrupted: long.yaml stopped at t=0.0 s of 1,000,000 s simulated; nothing written for it.\n');
    expect(readdirSync(out)).toEqual(['short']);
  });
});
