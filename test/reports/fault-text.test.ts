/** Fault wording: a slowdown is not called a spike. */
import { describe, expect, it } from 'vitest';
import { faultPhrase } from '../../reports/fault-text.js';

describe('faultPhrase', () => {
  it('calls a mild multiplier a slowdown and keeps "spike" for a big one or an added delay', () => {
    const latency = { kind: 'latency', target: 'db', at: 0, for: 20 } as const;
    expect(faultPhrase({ ...latency, add: 0, multiply: 1.1 })).toBe('the slowdown on db (×1.1 for 20s)');
    expect(faultPhrase({ ...latency, add: 0, multiply: 3 })).toBe('the latency spike on db (×3 for 20s)');
    expect(faultPhrase({ ...latency, add: 0.2, multiply: 1 })).toBe('the latency spike on db (+200ms for 20s)');
  });
});
