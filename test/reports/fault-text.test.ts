/** Fault wording: a slowdown is not called a spike. */
import { describe, expect, it } from 'vitest';
import { faultLabel, faultPhrase, faultShortLabel } from '../../reports/fault-text.js';

describe('faultPhrase', () => {
  it('calls a mild multiplier a slowdown and keeps "spike" for a big one or an added delay', () => {
    const latency = { kind: 'latency', target: 'db', at: 0, for: 20 } as const;
    expect(faultPhrase({ ...latency, add: 0, multiply: 1.1 })).toBe('the slowdown on db (×1.1 for 20s)');
    expect(faultPhrase({ ...latency, add: 0, multiply: 3 })).toBe('the latency spike on db (×3 for 20s)');
    expect(faultPhrase({ ...latency, add: 0.2, multiply: 1 })).toBe('the latency spike on db (+200ms for 20s)');
  });
});

describe('faults on some replicas', () => {
  const pause = { kind: 'pause', target: 'api', at: 0, for: 2 } as const;
  it('names the replicas hit in the label, the short label and the phrase', () => {
    expect(faultLabel({ ...pause, replicas: { kind: 'index', index: 2 } })).toBe('pause of api[2]');
    expect(faultShortLabel({ ...pause, replicas: { kind: 'count', count: 2 } })).toBe('2 of api paused');
    expect(faultPhrase({ ...pause, replicas: { kind: 'share', share: 0.25 } })).toBe("the 2s pause of 25% of api's replicas");
    expect(faultPhrase({ kind: 'errors', target: 'api', at: 0, for: 20, rate: 1, replicas: { kind: 'count', count: 1 } })).toBe(
      'the error burst on 1 replica of api (100% errors for 20s)',
    );
    expect(faultLabel(pause)).toBe('pause of api');
  });
});

describe('a crash', () => {
  const crash = { kind: 'crash', target: 'db', at: 60, for: 10 } as const;
  it('reads as the service when it takes every replica, and names the replicas otherwise', () => {
    expect(faultLabel({ ...crash, replicas: { kind: 'share', share: 1 } })).toBe('crash of db');
    expect(faultShortLabel({ ...crash, replicas: { kind: 'share', share: 1 } })).toBe('db crash');
    expect(faultLabel({ ...crash, replicas: { kind: 'index', index: 0 } })).toBe('crash of db[0]');
    expect(faultShortLabel({ ...crash, replicas: { kind: 'count', count: 2 } })).toBe('2 of db crash');
    expect(faultPhrase({ ...crash, replicas: { kind: 'index', index: 0 } })).toBe('the crash of db[0] (down 10s before restarting)');
  });
});
