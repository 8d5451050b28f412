/**
 * Every file in test/fixtures/bad/ is a scenario with one thing wrong. Its
 * header says what the parser must report:
 *
 *   # expect: <fragment of the message>     (one or more; all in the same message)
 *   # at: <path> line <n>                    (or `# at: line <n>` for the whole file)
 *
 * Adding a case is adding a file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatIssues, formatPath, parseScenario } from '../../sim/scenario/parse.js';
import { MAX_FILE_BYTES } from '../../sim/scenario/units.js';

const dir = new URL('../fixtures/bad/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Header {
  readonly fragments: string[];
  readonly path?: string;
  readonly line?: number;
}

function readHeader(text: string): Header {
  const fragments: string[] = [];
  let at: { path: string; line: number } | undefined;
  for (const line of text.split('\n')) {
    const e = /^# expect: (.+)$/.exec(line);
    if (e?.[1] !== undefined) fragments.push(e[1]);
    const a = /^# at: (?:(\S+) )?line (\d+)$/.exec(line);
    if (a) at = { path: a[1] ?? '', line: Number(a[2]) };
  }
  return at ? { fragments, path: at.path, line: at.line } : { fragments };
}

describe('bad scenario files', () => {
  test('the folder holds the cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  test.each(files)('%s', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const header = readHeader(text);
    expect(header.fragments.length, 'the fixture needs a "# expect:" line').toBeGreaterThan(0);

    // Alias bombs included, every file here is refused without expanding it: the test's own
    // timeout is the bound, speed itself is measured by npm run bench, not asserted here.
    const result = parseScenario(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;

    const first = header.fragments[0] ?? '';
    const issue = result.issues.find((i) => i.message.includes(first));
    expect(issue, `no issue mentions ${JSON.stringify(first)} in:\n${formatIssues(result.issues)}`).toBeDefined();
    if (!issue) return;
    expect(issue.severity).toBe('error');
    for (const fragment of header.fragments) expect(issue.message).toContain(fragment);
    if (header.line !== undefined) {
      expect(formatPath(issue.path)).toBe(header.path);
      expect(issue.line).toBe(header.line);
      const where = header.path === '' ? `${file}:${header.line}:` : `${header.path} (${file}:${header.line}:`;
      expect(formatIssues([issue])).toContain(`→ at ${where}`);
    }
  });
});

describe('bad input that cannot carry a header', () => {
  test('a file over 1 MiB is refused before parsing', () => {
    const text = `duration: 60s\ndescription: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    const result = parseScenario(text, 'huge.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toContain('a scenario file may be at most 1048576 bytes (1 MiB)');
    expect(result.issues[0]?.found).toBe(`${MAX_FILE_BYTES + 30} bytes`);
  });

  test('multi-byte characters count as bytes, not characters', () => {
    const text = `description: "${'é'.repeat(MAX_FILE_BYTES / 2 + 1)}"\n`;
    const result = parseScenario(text, 'accents.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain('at most 1048576 bytes');
  });

  test.each([
    ['zero bytes', ''],
    ['whitespace only', '  \n\t\n'],
    ['a byte-order mark only', '\ufeff'],
  ])('an empty file (%s)', (_name, text) => {
    const result = parseScenario(text, 'empty.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain('The file is empty');
  });

  test('bytes that were not UTF-8 are refused', () => {
    const result = parseScenario('duration: 60s\nname: caf\ufffd\n', 'latin1.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ line: 2, column: 10 });
  });

  test('a control character is refused with its code point', () => {
    const result = parseScenario('duration: 60s\u0007\n', 'bell.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain('control character U+0007');
  });
});
