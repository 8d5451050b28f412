/**
 * docs/teaching.md stays true to the engine: every `npx loopsim run …`
 * command in it, run as written (in this process, with --quiet and into a
 * temporary folder), gives the verdict its comment says. A change to the
 * model or the library that moves an answer of the lesson fails here.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../sim/cli/main.js';

const DOC = 'docs/teaching.md';

/** The doc's run commands, continuation lines joined: their arguments (quotes removed) and the verdict they promise. */
function commands(text: string): { argv: string[]; verdict: string }[] {
  return [...text.replace(/\\\n\s*/g, '').matchAll(/^npx loopsim (run .*?)\s+#\s*(\w+)\s*$/gm)].map((m) => ({
    argv: (m[1] ?? '').split(/\s+/).map((a) => a.replace(/^'(.*)'$/, '$1')),
    verdict: m[2] ?? '',
  }));
}

describe(DOC, () => {
  const found = commands(readFileSync(DOC, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-teaching-'));

  it('has the commands that check its answers', () => {
    expect(found.length).toBeGreaterThanOrEqual(12);
  });

  it.each(found.map((c, i) => [c.argv.join(' '), c.verdict, c.argv, i] as const))(
    '%s gives %s',
    async (_text, verdict, argv, i) => {
      let out = '';
      const code = await main([...argv, '--quiet', '--out', join(dir, String(i))], { out: (t) => void (out += t), err: () => {} });
      expect(code).not.toBe(2);
      expect((JSON.parse(out) as { verdict: { kind: string } }).verdict.kind).toBe(verdict);
    },
    60_000,
  );
});
