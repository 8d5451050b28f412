import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { playRun, runPlayRequest, type PlayAnswer, type PlayMemory } from '../../reports/play-worker.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

function request(name: string, sets: readonly string[] = [], id = 1) {
  return { id, text: readFileSync(join(SCENARIOS, `${name}.yaml`), 'utf8'), file: `${name}.yaml`, sets };
}

/** Every answer of one request, run to its end. */
function answers(req: ReturnType<typeof request>, memory?: PlayMemory): PlayAnswer[] {
  const out: PlayAnswer[] = [];
  runPlayRequest(req, (a) => out.push(a), memory);
  return out;
}

function done(out: readonly PlayAnswer[]): Extract<PlayAnswer, { kind: 'done' }> {
  const last = out.at(-1);
  if (last?.kind !== 'done') throw new Error(`the run ended ${last?.kind}`);
  return last;
}

describe('the playground worker', () => {
  it('runs a request a step at a time; a run dropped between two steps leaves nothing behind for the next', () => {
    const storm = request('thundering-herd');
    const whole = done(answers(storm));
    const steps = playRun(storm, () => undefined);
    let taken = 0;
    while (taken < 5 && steps.next().done !== true) taken += 1;
    expect(taken).toBe(5);
    // The page's newer request replaces the run: the worker never resumes the old one.
    const again = done(answers({ ...storm, id: 2 }));
    expect(again.summaryJson).toBe(whole.summaryJson);
    let count = 0;
    for (const _ of playRun(storm, () => undefined)) count += 1;
    // The run yields every few thousand events: a newer request never waits for a whole run.
    expect(count).toBeGreaterThan(20);
  });

  it("keeps each chart's shape from run to run and through a run, so the page redraws in place", () => {
    for (const name of ['thundering-herd', 'broker-backlog', 'sinkhole']) {
      const memory: PlayMemory = new Map();
      const first = done(answers(request(name), memory));
      const moved = answers(request(name, ['seed=7']), memory);
      const partials = moved.flatMap((a) => (a.kind === 'partial' ? [a.chart.shape] : []));
      expect(partials.length, name).toBeGreaterThan(0);
      const headline = first.charts[0]!.shape;
      expect(new Set(partials), name).toEqual(new Set([headline]));
      expect(
        done(moved).charts.map((c) => c.shape),
        name,
      ).toEqual(first.charts.map((c) => c.shape));
    }
  });

  it('answers a bad text with the messages of validate', () => {
    const out = answers({ id: 3, text: 'name: x\nclients: [\n', file: 'bad.yaml', sets: [] });
    expect(out).toHaveLength(1);
    expect(out[0]!.kind).toBe('invalid');
  });
});
