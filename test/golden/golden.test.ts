/**
 * Golden files: every scenario in scenarios/ runs in-process with its own
 * seed, and its summary.json text (exactly as `loopsim run` writes it) must
 * match test/golden/<name>.summary.json. The folder is read when the test
 * runs, so a new scenario is picked up by adding the file; its golden file is
 * written by
 *
 *   npx vitest run test/golden -u
 *
 * and the diff is reviewed like code: a changed number is a changed
 * behaviour. In CI (CI=true) a missing golden file fails instead of being written.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatSummaryJson } from '../../sim/cli/outputs.js';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { simulate } from '../../sim/simulate.js';

const dir = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('golden summary.json of every scenario in scenarios/ (each with its own seed)', () => {
  test('there are scenarios to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('%s', async (file) => {
    const parsed = parseScenario(readFileSync(new URL(file, dir), 'utf8'), file);
    if (!parsed.ok) throw new Error(`${file} does not parse:\n${formatIssues(parsed.issues)}`);
    const text = formatSummaryJson(simulate(parsed.value));
    await expect(text).toMatchFileSnapshot(`./${file.replace(/\.yaml$/, '')}.summary.json`);
  });
});
