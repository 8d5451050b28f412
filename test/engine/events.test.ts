/**
 * events.ts: the event kinds are distinct small integers counted from 0 (so
 * the engine's switch compiles to a jump table), and the engine runs a
 * handler for every one of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as events from '../../sim/engine/events.js';

describe('event kinds', () => {
  const kinds = Object.entries(events);

  it('are the integers 0 to n-1, each once', () => {
    const values = kinds.map(([, v]) => v).sort((a, b) => a - b);
    expect(values).toEqual(values.map((_, i) => i));
  });

  it("each have a case in the engine's step", () => {
    const engine = readFileSync(new URL('../../sim/engine/engine.ts', import.meta.url), 'utf8');
    const missing = kinds.map(([name]) => name).filter((name) => !engine.includes(`case ${name}:`));
    expect(missing).toEqual([]);
  });
});
