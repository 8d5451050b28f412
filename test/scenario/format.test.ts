/** How issues read when the CLI prints them. */
import { describe, expect, test } from 'vitest';
import { formatIssues, formatPath, parseScenario } from '../../sim/scenario/parse.js';
import type { Issue } from '../../sim/scenario/parse.js';

function issuesOf(text: string, file: string): Issue[] {
  const result = parseScenario(text, file);
  return result.ok ? result.warnings : result.issues;
}

const services = `services:
  api:
    serviceTime: 5ms
    calls:
      - to: dbb
  db:
    serviceTime: { dist: lognormal, median: 4ms, p99: 40ms }
`;

describe('formatIssues', () => {
  test('an unknown service, with a suggestion', () => {
    const text = `duration: 60s\nclients:\n  users: { target: api, arrival: { kind: poisson, rate: 10 } }\n${services}`;
    expect(formatIssues(issuesOf(text, 'retry-storm.yaml'))).toMatchInlineSnapshot(`
      "✖ Unknown service "dbb". Did you mean "db"?
        → at services.api.calls[0].to (retry-storm.yaml:8:13)"
    `);
  });

  test('several problems at once, in file order', () => {
    const text = `duration: 10 sec
clients:
  users:
    target: api
    arival: { kind: poisson, rate: 10 }
services:
  api: { serviceTime: 5ms, workers: lots }
`;
    expect(formatIssues(issuesOf(text, 'bad.yaml'))).toMatchInlineSnapshot(`
      "✖ Invalid duration: expected a duration like "10s" (a number of seconds, or a number with us, ms, s, m or h), found "10 sec".
        → at duration (bad.yaml:1:11)
      ✖ Missing arrival: expected a map with kind: "poisson", "constant" or "closed", like { kind: poisson, rate: 100 }.
        → at clients.users.arrival (bad.yaml:4:5)
      ✖ Unknown key "arival". Did you mean "arrival"?
        → at clients.users.arival (bad.yaml:5:5)
      ✖ Invalid workers: expected a whole number from 1 to 1000000, or "unlimited", found "lots".
        → at services.api.workers (bad.yaml:7:37)"
    `);
  });

  test('a file-level problem has no path, and warnings are marked apart', () => {
    const issues: Issue[] = [
      { severity: 'error', message: 'The file is empty: expected a scenario.', path: [], file: 'x.yaml' },
      { severity: 'warning', message: 'Something odd.', path: ['faults', 2, 'at'], file: 'x.yaml', line: 3 },
    ];
    expect(formatIssues(issues)).toMatchInlineSnapshot(`
      "✖ The file is empty: expected a scenario.
        → at x.yaml
      ⚠ Something odd.
        → at faults[2].at (x.yaml:3)"
    `);
  });

  test('issues carry what was expected and what was found', () => {
    const text = `duration: 60s\nclients:\n  users: { target: api, timeout: fast, arrival: { kind: poisson, rate: 10 } }\nservices:\n  api: { serviceTime: 5ms }\n`;
    expect(issuesOf(text, 'f.yaml')).toEqual([
      {
        severity: 'error',
        message:
          'Invalid timeout: expected a duration like 250ms or 1.5s (a number of seconds, or a number with us, ms, s, m or h), found "fast".',
        path: ['clients', 'users', 'timeout'],
        file: 'f.yaml',
        line: 3,
        column: 34,
        expected: 'a duration like 250ms or 1.5s (a number of seconds, or a number with us, ms, s, m or h)',
        found: '"fast"',
      },
    ]);
  });
});

describe('formatPath', () => {
  test.each([
    [[], ''],
    [['services', 'api', 'calls', 0, 'to'], 'services.api.calls[0].to'],
    [['faults', 3], 'faults[3]'],
    [['clients', 'a b', 'target'], 'clients["a b"].target'],
    [['expect', 0, 'metric'], 'expect[0].metric'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('YAML syntax errors', () => {
  test('one slip gives one message, in plain words, at the line to fix', () => {
    const scenario = (usersBlock: string): string =>
      `duration: 60s\nclients:\n  users:\n${usersBlock}\nservices:\n  api:\n    serviceTime: 5ms\n`;
    const tab = issuesOf(scenario('\ttarget: api\n    arrival: { kind: poisson, rate: 100 }'), 'tab.yaml');
    expect(formatIssues(tab)).toBe(
      '✖ Line 4 is indented with a tab; YAML indents with spaces only. Replace the tab with spaces, so that the key lines up with the other keys of its map.\n' +
        '  → at tab.yaml:4:1',
    );
    const extra = issuesOf(scenario('    target: api\n     arrival: { kind: poisson, rate: 100 }'), 'extra.yaml');
    expect(extra).toHaveLength(1);
    expect(extra[0]?.message).not.toMatch(/Nested mappings/);
    expect([extra[0]?.line, extra[0]?.path]).toEqual([5, []]);
  });
});
