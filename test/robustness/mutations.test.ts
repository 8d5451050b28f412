/**
 * Mutation tests: random damage to the valid scenario files (scenarios/*.yaml
 * and test/fixtures/scenarios/*.yaml) must give either a valid scenario (then
 * a short run succeeds) or issues that say where the problem is: a field path
 * or a line. Never a throw. Inputs stay bounded (a few edits, values of at
 * most a few kilobytes), so no parse can take long.
 *
 * Damage, at two levels:
 * - data (through the YAML Document API, comments kept): a key removed,
 *   renamed (typos, case, `__proto__`, empty) or retyped (string, number,
 *   list, map, null, boolean), a value pushed to an extreme (0, -1, 1e308,
 *   -1e308, 5e-324, 2^53 + 2, .nan, .inf, "NaN", "1e309");
 * - text: a key line duplicated, a byte flipped (control characters, YAML
 *   indicators, a NUL, a lone surrogate), a line deleted, swapped or
 *   re-indented, junk inserted (`--`, `---`, `...`, anchors, tags,
 *   directives), the file truncated.
 *
 * CI pins the seed; FUZZ=long (npm run fuzz) runs longer with a random one.
 * Replay: FUZZ_SEED=<seed> FUZZ_PATH="<path>" npx vitest run test/robustness/mutations.test.ts -t "never a throw"
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument } from 'yaml';
import { announce, long, params, runs, seed } from './settings.js';
import { RunAborted } from '../../sim/engine/run.js';
import { formatIssues, parseScenario, type Issue } from '../../sim/scenario/parse.js';
import type { NormalizedScenario } from '../../sim/scenario/types.js';
import { simulate } from '../../sim/simulate.js';
import { assertConserves } from '../helpers/contracts.js';

const numRuns = runs(600, 20_000 / 600);
announce('mutations');

/** The valid files mutated: whatever is in the two folders when the test runs. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of ['../../scenarios/', '../fixtures/scenarios/']) {
    const url = new URL(dir, import.meta.url);
    for (const f of readdirSync(url)
      .filter((n) => n.endsWith('.yaml'))
      .sort()) {
      out.push({ file: f, text: readFileSync(new URL(f, url), 'utf8') });
    }
  }
  return out;
}
const files = sources();

// ── Mutations ───────────────────────────────────────────────────────────────

type Segment = string | number;

const EXTREMES: readonly unknown[] = [
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 2,
  Number.NaN,
  Infinity,
  -Infinity,
  'NaN',
  '.nan',
  '1e309',
  '-0',
  -0.5,
];
const RETYPES: readonly ((v: unknown) => unknown)[] = [
  (v) => String(v),
  (v) => (typeof v === 'string' ? Number.parseFloat(v) || 42 : 42),
  (v) => [v],
  (v) => ({ value: v }),
  () => null,
  () => true,
  () => '',
  () => 'x'.repeat(4096),
  () => [],
  () => ({}),
];
const RENAMES: readonly ((k: string) => string)[] = [
  (k) => k.slice(0, -1),
  (k) => k.toUpperCase(),
  (k) => `${k}s`,
  (k) => k.split('').reverse().join(''),
  () => '__proto__',
  () => 'constructor',
  () => '',
  () => 'kind',
  (k) => ` ${k}`,
];
const FLIPS = [
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '{',
  '}',
  '[',
  ']',
  ':',
  '-',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '"',
  "'",
  '%',
  '@',
  '`',
  ',',
  '?',
  ' ',
  '0',
  '9',
  'é',
  '\ud800',
  '\ufffd',
  '\u2028',
];
const JUNK = [
  '--',
  '---',
  '...',
  '- x',
  '?',
  '%YAML 1.1',
  '!!binary',
  '<<: *a',
  '&a x: 1',
  '*a',
  'x: !!int "12"',
  '{',
  '"unterminated',
  'a: b: c',
  '\t- tab',
  '#',
  'duration: 1h',
];

/** One edit; the numbers pick targets and variants modulo what is there. */
type Mutation =
  | { readonly op: 'remove' | 'rename' | 'retype' | 'extreme'; readonly at: number; readonly variant: number }
  | {
      readonly op: 'dupKey' | 'flip' | 'deleteLine' | 'swapLines' | 'indent' | 'junk' | 'truncate';
      readonly at: number;
      readonly variant: number;
    };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('remove', 'rename', 'retype', 'extreme', 'dupKey', 'flip', 'deleteLine', 'swapLines', 'indent', 'junk', 'truncate'),
  // Unbiased: fast-check's small-number bias would keep picking the first keys of the file.
  at: fc.noBias(fc.nat()),
  variant: fc.noBias(fc.nat()),
});

/** Every path to a node of the document's data (maps and lists included), in document order. */
function pathsOf(value: unknown, prefix: Segment[] = []): Segment[][] {
  const out: Segment[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function pick<T>(xs: readonly T[], n: number): T {
  return xs[n % xs.length] as T;
}

/** Applies a data-level edit through the YAML Document API; the text unchanged when it does not apply. */
function editData(text: string, m: Mutation): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    return text;
  }
  const paths = pathsOf(data);
  if (paths.length === 0) return text;
  const target = pick(paths, m.at);
  const plain = (() => {
    let v: unknown = data;
    for (const seg of target) v = (v as Record<string | number, unknown>)[seg];
    return v;
  })();
  switch (m.op) {
    case 'remove':
      doc.deleteIn(target);
      break;
    case 'rename': {
      const key = target[target.length - 1];
      if (typeof key !== 'string') return text;
      const parent = doc.getIn(target.slice(0, -1), true);
      if (!isMap(parent)) return text;
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (pair === undefined) return text;
      pair.key = doc.createNode(pick(RENAMES, m.variant)(key));
      break;
    }
    case 'retype':
      doc.setIn(target, doc.createNode(pick(RETYPES, m.variant)(plain)));
      break;
    case 'extreme': {
      // Prefer a number; any scalar will do.
      const numeric = paths.filter((p) => {
        let v: unknown = data;
        for (const seg of p) v = (v as Record<string | number, unknown>)[seg];
        return typeof v === 'number';
      });
      const at = numeric.length > 0 ? pick(numeric, m.at) : target;
      doc.setIn(at, doc.createNode(pick(EXTREMES, m.variant)));
      break;
    }
    default:
      return text;
  }
  return doc.toString();
}

/** Applies a text-level edit. */
function editText(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const at = m.at % Math.max(1, lines.length);
  switch (m.op) {
    case 'dupKey': {
      const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z][\w-]*:/.test(l));
      if (keyed.length === 0) return text;
      const [line, i] = pick(keyed, m.at);
      lines.splice(i + 1, 0, line);
      return lines.join('\n');
    }
    case 'flip': {
      if (text.length === 0) return text;
      const pos = m.at % text.length;
      return text.slice(0, pos) + pick(FLIPS, m.variant) + text.slice(pos + 1);
    }
    case 'deleteLine':
      lines.splice(at, 1);
      return lines.join('\n');
    case 'swapLines': {
      const other = m.variant % Math.max(1, lines.length);
      const a = lines[at] ?? '';
      lines[at] = lines[other] ?? '';
      lines[other] = a;
      return lines.join('\n');
    }
    case 'indent': {
      const line = lines[at] ?? '';
      lines[at] = m.variant % 2 === 0 ? ` ${line}` : line.replace(/^ {1,2}/, '');
      return lines.join('\n');
    }
    case 'junk':
      lines.splice(at, 0, pick(JUNK, m.variant));
      return lines.join('\n');
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    default:
      return editData(text, m);
  }
}

/** A damaged copy of one of the valid files. */
interface Mutant {
  readonly file: string;
  readonly text: string;
  readonly edits: readonly Mutation[];
}

const mutantArb: fc.Arbitrary<Mutant> = fc
  .tuple(fc.nat(files.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([i, edits]) => {
    const src = files[i] as { file: string; text: string };
    const text = edits.reduce((t, m) => editText(t, m), src.text);
    return {
      file: src.file,
      text,
      edits,
      [fc.toStringMethod]: () => `${src.file} after ${JSON.stringify(edits)}\n--- text ---\n${text}\n---`,
    };
  });

// ── Checks ──────────────────────────────────────────────────────────────────

/**
 * The issues that may name neither a path nor a line: the whole file is the
 * problem (empty, too large) or the note that more issues were left out.
 */
function wholeFileIssue(i: Issue): boolean {
  return /^The file is empty|^The file is \d+ bytes|more problem\(s\) not shown/.test(i.message);
}

/** A short run of a scenario that parsed: at most 10 s of simulated time, guarded. */
function shortRun(sc: NormalizedScenario): void {
  const duration = Math.min(sc.duration, 10);
  const warmup = Math.min(sc.warmup, duration / 2);
  const short: NormalizedScenario = { ...sc, duration, warmup, sample: Math.min(sc.sample, duration) };
  try {
    assertConserves(() => simulate(short, { maxEvents: 300_000, maxInflight: 50_000 }));
  } catch (e) {
    if (!(e instanceof RunAborted)) throw e;
  }
}

describe(`mutated scenario files (seed: ${seed})`, () => {
  it('the folders hold valid files to mutate, and each parses as it is', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = parseScenario(f.text, f.file);
      expect(r.ok, r.ok ? '' : formatIssues(r.issues)).toBe(true);
    }
  });

  it('give a valid scenario that runs, or issues that name a field path or a line; never a throw', () => {
    fc.assert(
      fc.property(fc.limitShrink(mutantArb, long ? 2000 : 300), (m) => {
        let r: ReturnType<typeof parseScenario>;
        try {
          r = parseScenario(m.text, m.file);
        } catch (e) {
          throw new Error(`parseScenario threw: ${(e as Error).stack ?? String(e)}`);
        }
        if (r.ok) {
          shortRun(r.value);
          return;
        }
        const errors = r.issues.filter((i) => i.severity === 'error');
        expect(errors.length, 'a refused file has at least one error').toBeGreaterThan(0);
        for (const i of r.issues) {
          expect(i.message.trim().length, 'every issue has a message').toBeGreaterThan(0);
          expect(i.file).toBe(m.file);
          const placed = i.path.length > 0 || i.line !== undefined;
          if (!placed && !wholeFileIssue(i)) throw new Error(`An issue names neither a field nor a line:\n${formatIssues([i])}`);
        }
        expect(() => formatIssues(r.ok ? [] : r.issues)).not.toThrow();
      }),
      params(numRuns),
    );
  });
});
