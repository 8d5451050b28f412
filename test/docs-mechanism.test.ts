/**
 * docs/adding-a-mechanism.md stays true to the code: every file it names
 * exists, and every identifier it names in backticks (a function, a
 * constant, a list) is still written somewhere in sim/, reports/ or test/.
 * A rename that forgets the checklist fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOC = 'docs/adding-a-mechanism.md';

/** The text of every source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|mjs)$/.test(e.name) ? [readFileSync(path, 'utf8')] : [];
  });
}

/** Backticked spans of the doc; placeholders such as `<name>` and commands left out. */
function spans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '').filter((s) => !s.includes('<'));
}

describe(DOC, () => {
  const text = readFileSync(DOC, 'utf8');

  it('names only files that exist', () => {
    // Paths in the repository; `loopsim/core` is the package's export, not a path.
    const files = spans(text).filter(
      (s) => (/^[\w.-]+(\/[\w.-]+)+$/.test(s) || /^[\w-]+\.(md|ts|yaml|json)$/.test(s)) && !s.startsWith('loopsim/'),
    );
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
  });

  it('names only identifiers that the code still has', () => {
    const code = [...sources('sim'), ...sources('reports'), ...sources('test')].join('\n');
    const names = spans(text).filter((s) => /^[A-Za-z_]\w*$/.test(s) && /[A-Z_]/.test(s.slice(1)));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !new RegExp(`\\b${n}\\b`).test(code))).toEqual([]);
  });
});
