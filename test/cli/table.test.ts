/** The terminal's summary of one run (sim/cli/table.ts): the verdict line. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatRunTable } from '../../sim/cli/table.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { simulate } from '../../sim/simulate.js';

function table(file: string, edit: (yaml: string) => string = (y) => y): string {
  const yaml = edit(readFileSync(new URL(`../fixtures/diagnosis/${file}`, import.meta.url), 'utf8'));
  const parsed = parseScenario(yaml, file);
  if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
  return formatRunTable(simulate(parsed.value));
}

describe('formatRunTable', () => {
  it('says unaffected when the faults changed nothing, and the recovery time otherwise', () => {
    expect(table('fault-on-idle-service.yaml')).toMatch(/^verdict: recovered \(unaffected\) - Unaffected: /m);
    expect(table('goodput-collapse.yaml')).toMatch(/^verdict: recovered after 0(\.0)? s - Recovered 0 s after /m);
  });
});
