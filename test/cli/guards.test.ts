/**
 * The guards that stop a run which would take too long or hold too much: each
 * answers with exit 2 and a message that says what happened and what to do,
 * shows no stack trace, and writes the run up to the stop, marked incomplete
 * (summary.json's `incomplete`, the report's banner).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { RunAborted, runScenario } from '../../sim/engine/run.js';
import { simulate } from '../../sim/simulate.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';

/** A scenario file in a new folder: 1,000 requests/s against 10/s of capacity, so api's queue grows by about 990 a second. */
function overloadedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
  const file = join(dir, 'overload.yaml');
  writeFileSync(
    file,
    [
      'name: overload',
      'duration: 60s',
      'clients:',
      '  users: { target: api, arrival: { kind: poisson, rate: 1000 } }',
      'services:',
      '  api: { workers: 1, serviceTime: 100ms }',
      '',
    ].join('\n'),
  );
  return file;
}

/** Eight services, each sent 1,000 requests/s against 10/s of capacity: each queue grows by about 990 a second. */
function eightOverloadedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
  const file = join(dir, 'eight.yaml');
  const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
  writeFileSync(
    file,
    [
      'name: eight',
      'duration: 2s',
      'clients:',
      ...names.map((n) => `  c${n}: { target: ${n}, arrival: { kind: poisson, rate: 1000 } }`),
      'services:',
      ...names.map((n) => `  ${n}: { workers: 1, serviceTime: 100ms }`),
      '',
    ].join('\n'),
  );
  return file;
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => void err.push(t) };
  const code = await main(argv, io);
  return { code, err: err.join('') };
}

describe('guards', () => {
  test('--max-events stops the run with exit 2, says how to go on, and writes the run up to the stop, marked incomplete', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
    const r = await cli('run', 'scenarios/retry-storm.yaml', '--max-events', '10000', '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/retry-storm\.yaml: the run passed --max-events 10000 at t=[\d.]+ s; raise the limit or shorten the run/);
    expect(r.err).toContain(`is in ${out}, marked incomplete.`);
    expect(r.err).not.toMatch(/\n\s+at /);
    const summary = JSON.parse(read(out, 'summary.json')) as { events: number; incomplete?: { reason: string; stoppedAt: number } };
    expect(summary.events).toBe(10000);
    expect(summary.incomplete?.reason).toMatch(/^the run passed --max-events 10000 at t=/);
    expect(summary.incomplete?.stoppedAt).toBeGreaterThan(0);
    expect(summary.incomplete?.stoppedAt).toBeLessThan(300);
    const csv = read(out, 'timeseries.csv').trimEnd().split('\n');
    expect(csv.length - 1).toBe(Math.ceil((summary.incomplete?.stoppedAt ?? 0) / 1));
    expect(read(out, 'report.html')).toContain('data-incomplete="true"><strong>Incomplete: a guard stopped the run at t=');
  });

  test('a queue past the in-flight bound stops the run and names the service, the time and the remedy', () => {
    // 1,000/s against 10/s of capacity: the queue passes 500 within a second.
    const sc = scenario({
      duration: 60,
      clients: [poissonClient('users', 'api', 1000)],
      services: [service('api', { serviceTime: constant(0.1) })],
    });
    let caught: unknown;
    try {
      runScenario(sc, { maxInflight: 500 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RunAborted);
    const e = caught as RunAborted;
    expect(e.component).toBe('api');
    expect(e.time).toBeLessThan(1);
    expect(e.message).toMatch(
      /^the requests in flight passed 500 at t=0\.\d s, 500 of them inside api \(499 waiting in its queue\): the system is overloaded; bound the queues or shorten the run$/,
    );
  });

  test('--max-inflight stops the run with exit 2, names the service, the bound and the time, and writes the run up to the stop', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
    const r = await cli('run', overloadedFile(), '--max-inflight', '1000', '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^✖ overload\.yaml: the requests in flight passed 1,000 at t=\d(\.\d)? s, 1,000 of them inside api \(999 waiting in its queue\): the system is overloaded; bound the queues or shorten the run\n  the run up to t=\S+ s is in \S+, marked incomplete\.\n$/,
    );
    const summary = JSON.parse(read(out, 'summary.json')) as { incomplete?: { reason: string; stoppedAt: number } };
    expect(summary.incomplete?.reason).toMatch(/^the requests in flight passed 1,000 at t=/);
  });

  test('--max-inflight bounds the total over every service: eight collapsing services, each below the bound', async () => {
    // Each queue reaches about 1,980 in the 2 s; together they pass 4,000 within the first second.
    const file = eightOverloadedFile();
    const free = await cli(
      'run',
      file,
      '--max-inflight',
      '2500',
      '--out',
      mkdtempSync(join(tmpdir(), 'loopsim-guard-')),
      '--quiet',
      '--no-report',
    );
    expect(free.err).toMatch(
      /^✖ eight\.yaml: the requests in flight passed 2,500 at t=0\.\d s, \d+ of them inside s\d \(\d+ waiting in its queue\)/,
    );
    expect(free.code).toBe(2);
    const sc = scenario({
      duration: 2,
      clients: Array.from({ length: 8 }, (_, i) => poissonClient(`c${i}`, `s${i}`, 1000)),
      services: Array.from({ length: 8 }, (_, i) => service(`s${i}`, { serviceTime: constant(0.1) })),
    });
    expect(() => runScenario(sc, { maxInflight: 2500 })).toThrow(RunAborted);
    // Every single queue stays below the bound all run long: only the total can have stopped it.
    const { summary } = simulate(sc, { maxInflight: 20_000 });
    for (let i = 0; i < 8; i++) expect((summary.metrics[`s${i}.queue`] as { max: number }).max).toBeLessThan(2500);
  });

  test('--max-inflight reaches the runs of sweep and compare too', async () => {
    const file = overloadedFile();
    const sweep = await cli(
      'sweep',
      file,
      '--vary',
      'duration=10s,20s',
      '--max-inflight',
      '500',
      '--workers',
      '1',
      '--quiet',
      '--no-report',
      '--out',
      mkdtempSync(join(tmpdir(), 'loopsim-guard-')),
    );
    expect(sweep.code).toBe(2);
    expect(sweep.err).toMatch(
      /^✖ cell 0, seed 1 \(replay: loopsim run \S+ --seed 1 --set duration=10s\): the requests in flight passed 500 at t=0\.\d s/,
    );
    const compare = await cli(
      'compare',
      file,
      file,
      '--max-inflight',
      '500',
      '--workers',
      '1',
      '--quiet',
      '--no-report',
      '--out',
      mkdtempSync(join(tmpdir(), 'loopsim-guard-')),
    );
    expect(compare.code).toBe(2);
    expect(compare.err).toMatch(/: the requests in flight passed 500 at t=0\.\d s/);
    expect(compare.err).toContain(
      '  a guard stopped that run: nothing written; give it more room (--max-events, --max-inflight) or change the scenario.\n',
    );
    expect(sweep.err).toMatch(
      / {2}a guard stopped that run: the runs that finished are in \S+runs\.jsonl; no sweep\.csv or sweep\.json is written\. Give it more room \(--max-events, --max-inflight\) and run the same command again to carry on\.\n$/,
    );
  });

  test.each(['0', '-3', '1.5', 'many'])(
    '--max-inflight and --max-events %s are refused with exit 2 and a message before anything runs',
    async (v) => {
      for (const flag of ['--max-inflight', '--max-events']) {
        const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
        const r = await cli('run', 'scenarios/retry-storm.yaml', flag, v, '--out', out, '--quiet');
        expect(r.code, flag).toBe(2);
        expect(r.err).toMatch(
          new RegExp(`^✖ ${flag} must be a positive whole number, such as 1e6 \\((got ${v.replace('.', '\\.')}|not a number)\\)\\.\n`),
        );
        expect(existsSync(join(out, 'summary.json'))).toBe(false);
      }
    },
  );
});
