import { describe, expect, it } from 'vitest';
import { parseReadmeSimpyRates } from './peers.js';

describe("the SimPy figures of the peers' README", () => {
  it('reads the rates of both SimPy rows, in their units', () => {
    const readme = [
      '| run | wall s | peak MiB | rate |',
      '|---|---|---|---|',
      '| js mm1, 1M customers | 0.2 | 50 | 6.0 M customers/s |',
      '| SimPy 3 mm1, 1M customers | 9.0 | 10 | 0.110 M customers/s |',
      '| SimPy 3 retry | 30.0 | 300 | 18.5 k attempts/s |',
    ].join('\n');
    expect(parseReadmeSimpyRates(readme)).toEqual({ mm1: 110_000, retry: 18_500 });
  });

  it('is null when a row is missing or has no rate', () => {
    expect(parseReadmeSimpyRates('| SimPy 3 mm1, 1M customers | 9.0 | 10 | 0.110 M customers/s |')).toBeNull();
    expect(parseReadmeSimpyRates('| SimPy 3 mm1 | 9 | 10 | fast |\n| SimPy 3 retry | 30 | 300 | 0.02 M attempts/s |')).toBeNull();
  });
});
