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

describe('latency faults on keys', () => {
  it('name the keys after the service: one key, or a range', () => {
    const slow = { kind: 'latency', target: 'reports', at: 30, for: 30, add: 1, multiply: 1 } as const;
    expect(faultPhrase({ ...slow, keys: { from: 0, to: 0 } })).toBe('the latency spike on reports for key 0 (+1s for 30s)');
    expect(faultLabel({ ...slow, keys: { from: 3, to: 9 } })).toBe('latency +1s on reports for keys 3–9');
  });
});

describe('link faults', () => {
  const link = { kind: 'link', target: 'api->db', at: 60, for: 30 } as const;
  it('state the delay and the loss, and call a loss of 100% a partition', () => {
    expect(faultLabel({ ...link, delay: 0.05, loss: 0.1 })).toBe('link +50ms, 10% lost on api->db');
    expect(faultShortLabel({ ...link, delay: 0, loss: 0.1 })).toBe('api->db 10% lost');
    expect(faultPhrase({ ...link, delay: 0.2, loss: 0 })).toBe('the link fault on api->db (+200ms for 30s)');
    expect(faultPhrase({ ...link, delay: 0, loss: 1 })).toBe('the partition on api->db (partitioned for 30s)');
  });
});

describe('ramped faults', () => {
  it('read at the top of the ramp, with where it starts and how long it takes', () => {
    const surge = {
      kind: 'traffic',
      target: 'users',
      at: 60,
      for: 600,
      multiply: 3,
      ramps: [{ field: 'multiply', from: 1, over: 300 }],
    } as const;
    expect(faultLabel(surge)).toBe('traffic ×1 → ×3 over 5m from users');
    expect(
      faultPhrase({
        kind: 'latency',
        target: 'db',
        at: 0,
        for: 3600,
        add: 0.5,
        multiply: 1,
        ramps: [{ field: 'add', from: 0, over: 2700 }],
      }),
    ).toBe('the latency creep on db (+0ms → +500ms over 45m for 1h)');
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

describe('bursts', () => {
  const burst = { kind: 'burst', target: 'users', at: 60, for: 0, count: 500, spread: 'even' } as const;
  it('state the extra operations, and whether they come at once or within a window', () => {
    expect(faultLabel(burst)).toBe('burst +500 ops from users');
    expect(faultShortLabel({ ...burst, count: 1 })).toBe('users +1 op');
    expect(faultPhrase(burst)).toBe('the burst from users (+500 ops at once)');
    expect(faultPhrase({ ...burst, for: 2 })).toBe('the burst from users (+500 ops within 2s)');
  });
});
