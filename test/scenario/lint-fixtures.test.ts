/**
 * Every file in test/fixtures/lints/ is a valid scenario that trips one design
 * lint, named by the file. It ends with the warnings exactly as `loopsim
 * validate` prints them, each line prefixed with `# | `; this test parses the
 * file and compares, message and position included.
 *
 * Adding a case is adding a file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatIssues, parseScenario } from '../../sim/scenario/parse.js';
import { LINT_FIXTURES, expectedWarnings } from './helpers.js';

const dir = LINT_FIXTURES;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('design lint fixtures', () => {
  test('one fixture per lint', () => {
    expect(files).toEqual(['bare-number.yaml', 'layered-retries.yaml', 'timeout-inversion.yaml', 'unbounded-queue.yaml']);
  });

  test.each(files)('%s', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const r = parseScenario(text, file);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    expect(formatIssues(r.warnings)).toBe(expectedWarnings(text));
    expect(r.warnings.length).toBeGreaterThan(0);
    for (const w of r.warnings) {
      expect(w.severity).toBe('warning');
      expect(w.lint?.code).toBe(file.replace(/\.yaml$/, ''));
    }
  });
});
