/**
 * The same system judged at 300 s and at 1,500 s: one whose state holds
 * itself (a retry storm in miniature), and one whose backlog drains once the
 * surge ends. The loop analysis tells them apart from the first 300 s: the
 * first one's loop has a gain of at least 1 at both lengths, the second's
 * stays below 1 (test/fixtures/loops/).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.js';
import { simulate } from '../../sim/simulate.js';

function runFor(file: string, duration: number) {
  const r = parseScenario(readFileSync(new URL(`../fixtures/loops/${file}`, import.meta.url), 'utf8'), file);
  if (!r.ok) throw new Error(`${file} does not parse`);
  return simulate({ ...r.value, duration }).summary.verdict;
}

describe('a state that sustains itself, and one that drains', () => {
  it.each([300, 1500])('loop-sustains at %i s: its loop keeps a gain of at least 1', (duration) => {
    const v = runFor('loop-sustains.yaml', duration);
    expect(v.kind).toBe('metastable');
    expect(v.loop).toMatchObject({ name: 'redelivery', polarity: 'reinforcing', path: ['users', 'users->api', 'api'] });
    expect(v.loop?.gain).toBeGreaterThanOrEqual(1);
  });

  it('loop-drains: at 300 s its loop is below 1 (it cannot hold the state), and a longer run confirms the recovery', () => {
    const short = runFor('loop-drains.yaml', 300);
    expect(short.loop?.name).toBe('abandoned-work');
    expect(short.loop?.gain).toBeLessThan(1);
    expect(runFor('loop-drains.yaml', 1500).kind).toBe('recovered');
  });
});
