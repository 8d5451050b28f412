/**
 * `--metric component.metric:stat[:from:to]`: parsing, the checks against a
 * scenario (did-you-mean, mechanisms, count on a stock, windows beyond the
 * run), and measuring a run the way an expectation measures it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { simulate } from '../../sim/simulate.js';
import { checkMetricSpec, measureMetrics, parseMetricSpec, parseMetricSpecs, type MetricSpec } from '../../sim/sweep/metric-spec.js';
import { executeJob } from '../../sim/sweep/job.js';

const PAUSE = fileURLToPath(new URL('fixtures/steady-pause.yaml', import.meta.url));
const BROKER = fileURLToPath(new URL('../../scenarios/broker-backlog.yaml', import.meta.url));
const BACKOFF = fileURLToPath(new URL('fixtures/retry-threshold-backoff.yaml', import.meta.url));

function scenario(path: string): NormalizedScenario {
  const r = parseScenario(readFileSync(path, 'utf8'), 'x.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
}

function spec(text: string): MetricSpec {
  const r = parseMetricSpec(text);
  if (!r.ok) throw new Error(r.issues);
  return r.value;
}

describe('parseMetricSpec', () => {
  it('reads series, statistic and an optional window in seconds or durations', () => {
    expect(spec('api.queue:max')).toEqual({
      name: 'api.queue:max',
      series: 'api.queue',
      stat: 'max',
      from: null,
      to: null,
      unit: 'requests',
      meaning: 'requests waiting for a worker, over all replicas',
    });
    expect(spec('users.goodput:mean:90s:5m')).toMatchObject({ name: 'users.goodput:mean:90:300', from: 90, to: 300, unit: 'per second' });
    expect(spec('api.latency.p99:max:10:end')).toMatchObject({ name: 'api.latency.p99:max:10:end', from: 10, to: null, unit: 'seconds' });
    expect(spec('api->db.pool.inUse:p90:500ms:2')).toMatchObject({ series: 'api->db.pool.inUse', from: 0.5, to: 2 });
  });

  it('refuses a bad shape, statistic or window, naming the flag and the value', () => {
    const bad = (t: string): string => {
      const r = parseMetricSpec(t);
      return r.ok ? '' : r.issues;
    };
    expect(bad('api.queue')).toBe(
      '--metric "api.queue": expected component.metric:stat[:from:to], e.g. api.queue:max or users.goodput:mean:60s:120s.',
    );
    expect(bad('api.queue:mx')).toBe(
      '--metric "api.queue:mx": unknown statistic "mx": expected one of mean, min, max, p50, p90, p99, last, count. Did you mean "max"?',
    );
    expect(bad('queue:max')).toContain('"queue" is not a series name');
    expect(bad('api.queue:max:10s')).toContain('expected component.metric:stat[:from:to]');
    expect(bad('api.queue:max:20s:10s')).toBe('--metric "api.queue:max:20s:10s": the window starts at 20s, not before its end 10s.');
    expect(bad('api.queue:max:soon:10s')).toContain('the window\'s start "soon" is not a duration');
    expect(bad('api.queue:max:end:10s')).toContain('the window\'s start "end" is not a duration');
  });

  it('keeps each metric once, in the order given, and reports every bad one', () => {
    const ok = parseMetricSpecs(['api.queue:max', 'users.goodput:mean', 'api.queue:max']);
    expect(ok.ok && ok.value.map((s) => s.name)).toEqual(['api.queue:max', 'users.goodput:mean']);
    const bad = parseMetricSpecs(['api.queue:mx', 'api.queue:max', 'x']);
    expect(bad.ok ? [] : bad.issues).toHaveLength(2);
  });
});

describe('checkMetricSpec', () => {
  const sc = scenario(PAUSE);
  const check = (t: string, s = sc): string | undefined => checkMetricSpec(spec(t), s, 'steady-pause.yaml');

  it('accepts what the scenario records, columns included', () => {
    for (const t of [
      'api.queue:max',
      'users.goodput:count',
      'api.latency:p99:2s:8s',
      'api.latency.p99:max',
      'api.queue.max:mean:1:end',
      'api.utilization:mean',
    ]) {
      expect(check(t), t).toBeUndefined();
    }
  });

  it('names the nearest component or metric', () => {
    expect(check('apii.queue:max')).toBe(
      '--metric "apii.queue:max": steady-pause.yaml has no client, service, edge or broker "apii". Did you mean "api"?',
    );
    expect(check('api.queu:max')).toBe('--metric "api.queu:max": "queu" is not a metric of service api. Did you mean "queue"?');
  });

  it('says which mechanism a metric needs', () => {
    expect(check('users.retry.waiting:max')).toContain('"retry.waiting" is recorded only for a client with a retry policy that backs off');
    expect(check('users.degraded:mean')).toContain('"degraded" is recorded only for a client');
    expect(check('users.retry.waiting:max', scenario(BACKOFF))).toBeUndefined();
  });

  it('knows brokers as components', () => {
    const broker = scenario(BROKER);
    expect(check('notifications.published:mean', broker)).toBeUndefined();
    expect(check('notificatons.published:mean', broker)).toContain('Did you mean "notifications"?');
  });

  it('refuses count on a stock or a column, and a window beyond the run', () => {
    expect(check('api.queue:count')).toContain('"count" applies to rates and latencies, not to api.queue');
    expect(check('api.latency.p99:count')).toContain('"count" applies to rates and latencies');
    expect(check('api.queue:max:10s:1m')).toBe(
      '--metric "api.queue:max:10:60": the window ends at 60s, beyond the end of steady-pause.yaml (duration 40s).',
    );
    expect(check('api.queue:max:0:end')).toBeUndefined();
  });
});

describe('measureMetrics', () => {
  const sc = scenario(PAUSE);

  it('gives the hand-derived values of the steady scenario', () => {
    // 100 operations/s evenly spaced, 5 ms each on one worker: nobody waits until the 2 s pause,
    // during which the 200 arrivals all queue.
    const res = simulate(sc, { seed: 1 });
    const specs = [
      'api.queue:max',
      'api.queue:max:2s:8s',
      'users.goodput:mean:2s:8s',
      'users.goodput:count:2s:8s',
      'api.latency:min:2s:8s',
      'api->x.calls:mean',
    ].map(spec);
    const got = measureMetrics(res.series, sc, specs.slice(0, 5));
    expect(got['api.queue:max']).toBeGreaterThanOrEqual(199);
    expect(got['api.queue:max']).toBeLessThanOrEqual(200);
    expect(got).toMatchObject({ 'api.queue:max:2:8': 0, 'users.goodput:mean:2:8': 100, 'users.goodput:count:2:8': 600 });
    expect(got['api.latency:min:2:8']).toBeCloseTo(0.005, 9);
    // A series the run lacks measures as null, not as 0.
    expect(measureMetrics(res.series, sc, specs.slice(5))).toEqual({ 'api->x.calls:mean': null });
  });

  it('travels with a job: its figures carry the values, and none without --metric', () => {
    const metrics = [spec('api.queue:max')];
    const withMetrics = executeJob({ scenario: sc, seed: 1, detail: 'figures', metrics });
    expect(Object.keys(withMetrics.figures.metrics ?? {})).toEqual(['api.queue:max']);
    expect(executeJob({ scenario: sc, seed: 1, detail: 'figures' }).figures).not.toHaveProperty('metrics');
  });
});
