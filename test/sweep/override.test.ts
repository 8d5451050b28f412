/**
 * `--set path=value`: paths, values read as YAML, the pure application to a
 * document, and the messages when a path or value is wrong (each naming the
 * argument and the field, with a did-you-mean for a misspelled segment).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOverrides, parseFieldPath, parseOverrideArgument, parseOverrideValue, type Override } from '../../sim/scenario/override.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { parseScenarioWith } from '../../sim/scenario/parse-with.js';

const STORM = readFileSync(new URL('../../scenarios/retry-storm.yaml', import.meta.url), 'utf8');

function set(...args: string[]): Override[] {
  return args.map((a) => {
    const r = parseOverrideArgument(a);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    return r.value;
  });
}

function errors(...args: string[]): string {
  const r = parseScenarioWith(STORM, 'retry-storm.yaml', set(...args));
  if (r.ok) throw new Error('expected issues');
  return formatIssues(r.issues);
}

describe('parseFieldPath', () => {
  it('reads dots, indexes and quoted keys', () => {
    expect(parseFieldPath('services.gateway.workers')).toEqual(['services', 'gateway', 'workers']);
    expect(parseFieldPath('faults[0].for')).toEqual(['faults', 0, 'for']);
    expect(parseFieldPath('services.api.calls[1].retry.on[0]')).toEqual(['services', 'api', 'calls', 1, 'retry', 'on', 0]);
    expect(parseFieldPath('clients["a.b"].timeout')).toEqual(['clients', 'a.b', 'timeout']);
    expect(parseFieldPath('faults.0.for')).toEqual(['faults', '0', 'for']);
  });

  it('refuses what is not a path', () => {
    for (const bad of ['', '.a', 'a.', 'a..b', 'a[', 'a[x]', 'a b']) expect(parseFieldPath(bad), bad).toBeUndefined();
  });
});

describe('parseOverrideValue', () => {
  it('reads values as YAML does', () => {
    expect(parseOverrideValue('32')).toBe(32);
    expect(parseOverrideValue('30s')).toBe('30s');
    expect(parseOverrideValue('50%')).toBe('50%');
    expect(parseOverrideValue('true')).toBe(true);
    expect(parseOverrideValue('[timeout, error]')).toEqual(['timeout', 'error']);
    expect(parseOverrideValue('{ kind: none }')).toEqual({ kind: 'none' });
    expect(parseOverrideValue('null')).toBeUndefined();
    expect(parseOverrideValue('~')).toBeUndefined();
    expect(parseOverrideValue('a: b: c')).toBe('a: b: c');
  });
});

describe('applyOverrides', () => {
  const doc = { duration: '300s', services: { api: { workers: 4 } }, faults: [{ kind: 'pause', for: '2s' }] };

  it('sets, creates optional maps, appends and removes, without touching its input', () => {
    const before = JSON.stringify(doc);
    const r = applyOverrides(
      doc,
      set('services.api.workers=32', 'services.api.queue.capacity=10', 'faults[1]={kind: pause}', 'faults[0]=null', 'duration=60s'),
    );
    expect(r.ok && r.value).toEqual({
      duration: '60s',
      services: { api: { workers: 32, queue: { capacity: 10 } } },
      faults: [{ kind: 'pause' }],
    });
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('applies overrides in order, the last one winning', () => {
    const r = applyOverrides(doc, set('duration=1s', 'duration=2s'));
    expect(r.ok && r.value['duration']).toBe('2s');
  });
});

describe('parseScenarioWith', () => {
  it('validates overridden values like the file, and the scenario runs with them', () => {
    const r = parseScenarioWith(
      STORM,
      'retry-storm.yaml',
      set('services.gateway.workers=32', 'faults[0].for=30s', 'clients.checkout.retry.attempts=1', 'duration=600s'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.services.find((s) => s.name === 'gateway')?.workers).toBe(32);
    expect(r.value.faults[0]?.for).toBe(30);
    expect(r.value.clients[0]?.retry?.attempts).toBe(1);
    expect(r.value.duration).toBe(600);
  });

  it('without overrides is parseScenario', () => {
    expect(parseScenarioWith(STORM, 'retry-storm.yaml', [])).toEqual(parseScenario(STORM, 'retry-storm.yaml'));
  });

  it('names the argument and the field of a bad value', () => {
    expect(errors('faults[0].for=abc')).toMatchInlineSnapshot(`
      "✖ Invalid for: expected a duration like 250ms or 1.5s (a number of seconds, or a number with us, ms, s, m or h), found "abc".
        → at faults[0].for (--set faults[0].for=abc)"
    `);
    expect(errors('services.gateway.workers=-3')).toContain('→ at services.gateway.workers (--set services.gateway.workers=-3)');
  });

  it('suggests the segment meant, wherever the typo is', () => {
    expect(errors('services.gatway.workers=32')).toMatchInlineSnapshot(`
      "✖ There is no "gatway" here. Did you mean "gateway"?
        → at services.gatway (--set services.gatway.workers=32)"
    `);
    expect(errors('clients.checkout.retry.attemps=2')).toMatchInlineSnapshot(`
      "✖ Unknown key "attemps". Did you mean "attempts"?
        → at clients.checkout.retry.attemps (--set clients.checkout.retry.attemps=2)"
    `);
    expect(errors('service.gateway.workers=2')).toContain('Did you mean "services"?');
  });

  it('refuses components that do not exist, indexes out of range and paths through scalars', () => {
    expect(errors('services.db.workers=2')).toContain('No service named "db". The file has "payments", "gateway".');
    expect(errors('faults[4].for=1s')).toContain('faults has 1 entry (0 to 0); index 4 is out of range (index 1 appends).');
    expect(errors('faults[1]=null')).toContain('faults has 1 entry (0 to 0); index 1 is out of range.');
    expect(errors('faults[0].for.x=1')).toContain('faults[0].for is "20s", not a map or a list, so it has no "x".');
  });

  it('creates a list the file lacks, and appends an entry field by field', () => {
    const bare = STORM.slice(0, STORM.indexOf('\nfaults:')) + '\n';
    const r = parseScenarioWith(
      bare,
      'bare.yaml',
      set('faults[0]={kind: pause, target: gateway, at: 60s, for: 2s}', 'expect[0]={verdict: recovered}'),
    );
    expect(r.ok && [r.value.faults.length, r.value.expect.length]).toEqual([1, 1]);
    const appended = parseScenarioWith(
      STORM,
      'retry-storm.yaml',
      set('faults[1].kind=pause', 'faults[1].target=payments', 'faults[1].at=100s', 'faults[1].for=1s'),
    );
    expect(appended.ok && appended.value.faults.map((f) => f.kind)).toEqual(['latency', 'pause']);
    expect(applyOverrides({}, set('a[0].b=1')).ok && applyOverrides({}, set('a[0].b=1'))).toMatchObject({ value: { a: [{ b: 1 }] } });
  });

  it('blames the --set argument, not the file, for a bad entry in a list the file lacks', () => {
    const bare = STORM.slice(0, STORM.indexOf('\nfaults:')) + '\n';
    const r = parseScenarioWith(bare, 'bare.yaml', set('faults[0]={kind: pause, target: gateway, at: 60s}'));
    expect(!r.ok && formatIssues(r.issues)).toMatch(
      /→ at faults\[0\]\.for \(--set faults\[0\]=\{kind: pause, target: gateway, at: 60s\}\)$/,
    );
    expect(!r.ok && formatIssues(r.issues)).not.toContain('bare.yaml');
  });

  it('keeps issues about the file at their line', () => {
    // warmup (30s) is no longer below the shortened duration: the issue is the file's warmup line, not the --set.
    expect(errors('duration=20s', 'expect=[]')).toMatch(/warmup.*\(retry-storm\.yaml:\d+:\d+\)/s);
  });

  it('reads arguments without "=" or with an empty value as errors', () => {
    const r = parseOverrideArgument('duration');
    expect(!r.ok && formatIssues(r.issues)).toBe('✖ Expected path=value, e.g. --set services.api.workers=32.\n  → at --set duration');
    const e = parseOverrideArgument('duration=');
    expect(!e.ok && e.issues[0]?.message).toBe('No value after "=": write one, or null to remove the field.');
  });
});
