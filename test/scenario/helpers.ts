/** Shared helpers for the scenario tests. */
import { readFileSync } from 'node:fs';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';

/** The text of a file under test/fixtures/scenarios/. */
export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/scenarios/${name}`, import.meta.url), 'utf8');

/** The folder of the design-lint fixtures, test/fixtures/lints/. */
export const LINT_FIXTURES = new URL('../fixtures/lints/', import.meta.url);

/** The warnings a lint fixture expects: its `# | ` lines without the prefix, as formatIssues prints them. */
export function expectedWarnings(text: string): string {
  return text
    .split('\n')
    .flatMap((l) => (l.startsWith('# | ') ? [l.slice(4)] : []))
    .join('\n');
}

/** Parses text that must be valid, failing with the formatted issues otherwise. */
export function parseOk(text: string, file = 'test.yaml'): NormalizedScenario {
  const result = parseScenario(text, file);
  if (!result.ok) throw new Error(`expected a valid scenario:\n${formatIssues(result.issues)}`);
  return result.value;
}

/** The smallest valid scenario: one client, one service, everything else default. */
export const minimal = `
duration: 60s
clients:
  users:
    target: api
    arrival: { kind: poisson, rate: 100 }
services:
  api:
    serviceTime: 5ms
`;
