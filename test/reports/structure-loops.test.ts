import { describe, expect, it } from 'vitest';
import type { LoopEntry } from '../../sim/metrics/loop-summary.js';
import { renderLoopDiagram, renderLoopTable } from '../../reports/structure-loops.js';

const retry: LoopEntry = {
  name: 'retry',
  polarity: 'reinforcing',
  path: ['payments', 'payments->gateway', 'gateway'],
  gain: { before: 0.7, during: 19, after: 3.3 },
  active: { before: 0, during: 1, after: 1 },
  id: 'retry:payments->gateway',
  bottleneck: 'gateway',
  links: [
    { from: 'payments', to: 'gateway', carries: 'attempts (retries add load)' },
    { from: 'gateway', to: 'payments', carries: 'timeouts and errors (slow when loaded)' },
  ],
  delays: {},
};
const scaler: LoopEntry = {
  ...retry,
  name: 'autoscaler',
  polarity: 'balancing',
  path: ['web', 'web.autoscaler'],
  id: 'autoscaler:web',
  links: [
    { from: 'web', to: 'web.autoscaler', carries: 'utilization (lag 90 s)' },
    { from: 'web.autoscaler', to: 'web', carries: 'replicas (warmup 60 s)' },
  ],
};

describe('the causal-loop diagram', () => {
  const svg = renderLoopDiagram([retry, scaler], {
    ...retry,
    gain: 3.3,
    window: { from: 0, to: 1 },
    dominance: 1,
    demand: 1,
    served: 1,
    attemptsPerOperation: 1,
    multiplier: 1,
  });

  it('marks each loop R or B and highlights the verdict’s loop', () => {
    expect(svg).toMatch(/<g class="loop dominant" data-loop="retry:payments-&gt;gateway" data-polarity="reinforcing">/);
    expect(svg).toMatch(/<g class="loop" data-loop="autoscaler:web" data-polarity="balancing">/);
    expect([...svg.matchAll(/class="polarity"[^>]*>([RB])</g)].map((m) => m[1])).toEqual(['R', 'B']);
  });

  it('labels every arrow with what it carries', () => {
    for (const l of [...retry.links, ...scaler.links]) expect(svg).toContain(`>${l.carries}</text>`);
    expect(svg.match(/marker-end="url\(#loop-arrow-/g)?.length).toBe(4);
  });

  it('is empty without loops, and the table bolds the gains of 1 or more', () => {
    expect(renderLoopDiagram([], null)).toBe('');
    expect(renderLoopTable([retry], null)).toContain('<td>0.7</td><td><strong>19</strong></td><td><strong>3.3</strong></td>');
  });
});
