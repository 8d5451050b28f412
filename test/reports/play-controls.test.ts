/**
 * The playground's controls: every one names a field `--set` can reach, and
 * setting each to the value it shows changes nothing, for every scenario of
 * the library; moving one changes that field alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controlSetting, playControls, playSwitches } from '../../reports/play-controls.js';
import { parseOverrideArguments } from '../../sim/scenario/override.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import { parseScenarioWith } from '../../sim/scenario/parse-with.js';

const LIBRARY = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

function parsedWith(file: string, sets: string[]) {
  const text = readFileSync(`scenarios/${file}`, 'utf8');
  const overrides = parseOverrideArguments(sets);
  if (!overrides.ok) throw new Error(JSON.stringify(overrides.issues));
  return parseScenarioWith(text, file, overrides.value);
}

/**
 * The fault controls of scenario `text`, the scenario, and the scenario again
 * with every control set to the value it shows (or the issues that refused it).
 */
function roundTrip(text: string, file: string) {
  const base = parseScenario(text, file);
  if (!base.ok) throw new Error(`${file} does not parse`);
  const controls = playControls(base.value);
  const overrides = parseOverrideArguments(controls.map((c) => controlSetting(c, c.value)));
  if (!overrides.ok) throw new Error(JSON.stringify(overrides.issues));
  const again = parseScenarioWith(text, file, overrides.value);
  return { faults: controls.filter((c) => c.path.startsWith('faults')), base: base.value, again: again.ok ? again.value : again.issues };
}

describe('playControls', () => {
  it.each(LIBRARY)('%s: each control set to its own value leaves the scenario as it was', (file) => {
    const base = parseScenario(readFileSync(`scenarios/${file}`, 'utf8'), file);
    if (!base.ok) throw new Error('library scenario does not parse');
    const controls = playControls(base.value);
    expect(controls.length).toBeGreaterThan(3);
    const again = parsedWith(
      file,
      controls.map((c) => controlSetting(c, c.value)),
    );
    expect(again.ok ? again.value : again.issues).toEqual(base.value);
  });

  it("retry-storm: the slider of the gateway call's attempts sets that field alone", () => {
    const base = parseScenario(readFileSync('scenarios/retry-storm.yaml', 'utf8'), 'retry-storm.yaml');
    if (!base.ok) throw new Error('retry-storm does not parse');
    const attempts = playControls(base.value).find((c) => c.path === 'services.payments.calls[0].retry.attempts');
    expect(attempts).toMatchObject({ kind: 'range', value: 3, min: 1, step: 1 });
    const moved = parsedWith('retry-storm.yaml', [controlSetting(attempts!, 1)]);
    expect(moved.ok && moved.value.services[0]?.calls[0]?.retry?.attempts).toBe(1);
    const timeout = playControls(base.value).find((c) => c.path === 'clients.checkout.timeout');
    expect(timeout && controlSetting(timeout, 0.5)).toBe('clients.checkout.timeout=0.5s');
  });
});

describe('playSwitches', () => {
  it.each(LIBRARY)('%s: every switch applies, and cuts what it says', (file) => {
    const base = parseScenario(readFileSync(`scenarios/${file}`, 'utf8'), file);
    if (!base.ok) throw new Error('library scenario does not parse');
    for (const s of playSwitches(base.value)) {
      const cut = parsedWith(file, [...s.sets]);
      if (!cut.ok) throw new Error(`${s.id}: ${JSON.stringify(cut.issues)}`);
      const sc = cut.value;
      const policies = [...sc.clients.map((c) => c.retry), ...sc.services.flatMap((x) => x.calls.map((c) => c.retry))].filter(
        (r) => r !== null,
      );
      const breakers = [...sc.clients.map((c) => c.breaker), ...sc.services.flatMap((x) => x.calls.map((c) => c.breaker))].filter(
        (b) => b !== null,
      );
      if (s.id === 'no-retries') expect(policies.every((r) => r.attempts === 1)).toBe(true);
      if (s.id === 'drop-expired') expect(sc.services.every((x) => x.dropExpired)).toBe(true);
      if (s.id === 'no-breakers') expect(breakers).toEqual([]);
    }
  });

  it('offers only the switches that have something to cut', () => {
    const storm = parseScenario(readFileSync('scenarios/retry-storm.yaml', 'utf8'), 'retry-storm.yaml');
    if (!storm.ok) throw new Error('retry-storm does not parse');
    expect(playSwitches(storm.value).map((s) => s.id)).toEqual(['no-retries', 'drop-expired']);
    const fixed = parseScenario(readFileSync('scenarios/retry-storm-fixed.yaml', 'utf8'), 'retry-storm-fixed.yaml');
    if (!fixed.ok) throw new Error('retry-storm-fixed does not parse');
    expect(playSwitches(fixed.value).map((s) => s.id)).toContain('no-breakers');
  });
});

describe("a client's own breaker in the playground", () => {
  const text = `
duration: 60s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 20 }, breaker: { failureRate: 30% } }
services:
  api: { serviceTime: 5ms }
`;

  it('has a failure-rate control that round-trips, and the no-breakers switch takes the breaker out', () => {
    const base = parseScenario(text, 'c.yaml');
    if (!base.ok) throw new Error('does not parse');
    const control = playControls(base.value).find((c) => c.path === 'clients.users.breaker.failureRate');
    expect(control?.value).toBe(0.3);
    expect(roundTrip(text, 'c.yaml').again).toEqual(base.value);
    const cut = playSwitches(base.value).find((s) => s.id === 'no-breakers');
    expect(cut?.sets).toEqual(['clients.users.breaker=null']);
    const overrides = parseOverrideArguments([...(cut?.sets ?? [])]);
    if (!overrides.ok) throw new Error('bad overrides');
    const without = parseScenarioWith(text, 'c.yaml', overrides.value);
    expect(without.ok && without.value.clients[0]?.breaker).toBeNull();
  });
});

describe('fault controls', () => {
  const text = `
duration: 120s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 20 }, timeout: 1s }
services:
  api: { workers: 4, serviceTime: 5ms, calls: [{ to: db }] }
  db: { workers: 4, serviceTime: 5ms }
faults:
  - { kind: link, target: api->db, at: 30s, for: 20s, delay: 50ms, loss: 5% }
  - { kind: link, target: api->db, at: 60s, for: 5s, partition: true }
  - { kind: crash, target: db, at: 90s, for: 10s }
`;
  it("a link fault slides its delay and its loss (not a partition's), a crash its start and restart delay", () => {
    const { faults, base, again } = roundTrip(text, 'links.yaml');
    expect(faults.map((c) => c.path)).toEqual([
      'faults[0].delay',
      'faults[0].loss',
      'faults[0].at',
      'faults[0].for',
      'faults[1].delay',
      'faults[1].at',
      'faults[1].for',
      'faults[2].at',
      'faults[2].for',
    ]);
    expect(again).toEqual(base);
  });
});

describe('burst controls', () => {
  const text = `
duration: 120s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 20 }, timeout: 1s }
services:
  api: { workers: 4, serviceTime: 5ms }
faults:
  - { kind: burst, target: users, at: 30s, count: 400 }
  - { kind: burst, target: users, at: 60s, count: 50, within: 5s, spread: uniform }
`;
  it('a burst slides its count, its start and the window it is spread over, and the sliders give back the file', () => {
    const { faults, base, again } = roundTrip(text, 'bursts.yaml');
    expect(faults.map((c) => [c.path, c.value])).toEqual([
      ['faults[0].count', 400],
      ['faults[0].at', 30],
      ['faults[0].within', 0],
      ['faults[1].count', 50],
      ['faults[1].at', 60],
      ['faults[1].within', 5],
    ]);
    expect(again).toEqual(base);
  });
});
