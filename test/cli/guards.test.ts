/**
 * The guards that stop a run which would take too long or hold too much: each
 * answers with exit 2 and a message that says what happened and what to do,
 * writes no summary.json, and shows no stack trace.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Io } from '../../sim/cli/commands.js';
import { main } from '../../sim/cli/main.js';
import { RunAborted, runScenario } from '../../sim/engine/run.js';
import { constant, poissonClient, scenario, service } from '../helpers/build.js';

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
});
