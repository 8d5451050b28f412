/**
 * The guards that stop a run which would take too long or hold too much: each
 * answers with exit 2 and a message that says what happened and what to do,
 * writes no summary.json, and shows no stack trace.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';
import { RunAborted, runScenario } from '../../sim/engine/run.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';

/** A scenario file in a new folder: 1,000 requests/s against 10/s of capacity, so api's queue grows by about 990 a second. */
function overloadedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
  const file = join(dir, 'overload.yaml');
  writeFileSync(
    file,
    ['name: overload', 'duration: 60s', 'clients:', '  users: { target: api, arrival: { kind: poisson, rate: 1000 } }', 'services:', '  api: { workers: 1, serviceTime: 100ms }', ''].join('\n'),
  );
  return file;
}

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (t) => void err.push(t) };
  const code = await main(argv, io);
  return { code, err: err.join('') };
}

describe('guards', () => {
  test('--max-events stops the run with exit 2, says how to go on, and writes no summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
    const r = await cli('run', 'scenarios/retry-storm.yaml', '--max-events', '10000', '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/retry-storm\.yaml: the run passed --max-events 10000 at t=[\d.]+ s; raise the limit or shorten the run/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  test('a queue past the in-flight bound stops the run and names the service, the time and the remedy', () => {
    // 1,000/s against 10/s of capacity: the queue passes 500 within a second.
    const sc = scenario({ duration: 60, clients: [poissonClient('users', 'api', 1000)], services: [service('api', { serviceTime: constant(0.1) })] });
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
    expect(e.message).toMatch(/^the queue of api passed 500 requests at t=0\.\d s: the system is overloaded; bound the queue or shorten the run$/);
  });

  test('--max-inflight stops the run with exit 2, names the service, the bound and the time, and writes no summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
    const r = await cli('run', overloadedFile(), '--max-inflight', '1000', '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^✖ overload\.yaml: the queue of api passed 1,000 requests at t=\d(\.\d)? s: the system is overloaded; bound the queue or shorten the run\n$/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  test('--max-inflight reaches the runs of sweep and compare too', async () => {
    const file = overloadedFile();
    const sweep = await cli('sweep', file, '--vary', 'duration=10s,20s', '--max-inflight', '500', '--workers', '1', '--quiet', '--no-report', '--out', mkdtempSync(join(tmpdir(), 'loopsim-guard-')));
    expect(sweep.code).toBe(2);
    expect(sweep.err).toMatch(/^✖ cell 0, seed 1 \(replay: loopsim run \S+ --seed 1 --set duration=10s\): the queue of api passed 500 requests at t=0\.\d s/);
    const compare = await cli('compare', file, file, '--max-inflight', '500', '--workers', '1', '--quiet', '--no-report', '--out', mkdtempSync(join(tmpdir(), 'loopsim-guard-')));
    expect(compare.code).toBe(2);
    expect(compare.err).toMatch(/: the queue of api passed 500 requests at t=0\.\d s/);
  });

  test.each(['0', '-3', '1.5', 'many'])('--max-inflight and --max-events %s are refused with exit 2 and a message before anything runs', async (v) => {
    for (const flag of ['--max-inflight', '--max-events']) {
      const out = mkdtempSync(join(tmpdir(), 'loopsim-guard-'));
      const r = await cli('run', 'scenarios/retry-storm.yaml', flag, v, '--out', out, '--quiet');
      expect(r.code, flag).toBe(2);
      expect(r.err).toMatch(new RegExp(`^✖ ${flag} must be a positive whole number, such as 1e6 \\((got ${v.replace('.', '\\.')}|not a number)\\)\\.\n`));
      expect(existsSync(join(out, 'summary.json'))).toBe(false);
    }
  });
});
