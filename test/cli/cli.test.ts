/**
 * `loopsim` end to end, in process through `main(argv, io)`: what `run`
 * writes, what it prints, its exit codes (0 ok, 1 an expectation failed,
 * 2 bad input) and that bad input never shows a stack trace. One block at
 * the end spawns the built `bin/loopsim.js` (test/global-setup.ts builds
 * dist/ before the run) to check the real process: exit codes, stdout kept
 * clean, and that validate and --help never load the chart libraries.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { main } from '../../sim/cli/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIXED = join(root, 'scenarios/retry-storm-fixed.yaml');
const BAD_DIR = join(root, 'test/fixtures/bad');
const badFiles = readdirSync(BAD_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** A stack trace line as node prints it. */
const STACK_LINE = /^\s{4}at /m;

/** An Io that records stdout and stderr. */
function capture(): { io: Io; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'loopsim-cli-'));
const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

/** Runs the CLI in process; returns the exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** The `# at: <path> line <n>` header of a bad fixture: the line its message must name. */
function expectedLine(text: string): number | undefined {
  const m = /^# at: (?:\S+ )?line (\d+)$/m.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

describe('loopsim run', () => {
  test('writes every output into --out and exits 0', async () => {
    const dir = tempDir();
    const r = await cli('run', FIXED, '--out', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['summary.json', 'timeseries.csv', 'run.json', 'queue-depth.svg', 'report.html']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toEqual([]);
    expect(read(dir, 'queue-depth.svg')).toMatch(/^<svg /);
    expect(read(dir, 'report.html')).toMatch(/^<!doctype html>/i);
    expect(r.out).toContain('retry-storm-fixed');
    expect(r.out).toContain(`outputs: ${dir}`);

    // summary.json keeps the contract's keys (docs/scenario-format.md).
    const summary = JSON.parse(read(dir, 'summary.json')) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['name', 'seed', 'version', 'events', 'metrics', 'verdict', 'expectations']),
    );
    expect(summary).toMatchObject({ name: 'retry-storm-fixed', seed: 42, verdict: { kind: 'recovered' } });
    const metrics = summary['metrics'] as Record<string, Record<string, number>>;
    expect(Object.keys(metrics['gateway.queue'] ?? {})).toEqual(expect.arrayContaining(['mean', 'max', 'min', 'p50', 'p99', 'last']));
    expect(Object.keys(metrics['checkout.latency'] ?? {})).toEqual(expect.arrayContaining(['mean', 'p50', 'p90', 'p99', 'max', 'count']));
    expect(metrics['checkout.goodput']?.['mean']).toBeGreaterThan(500);
    for (const x of summary['expectations'] as { text: unknown; ok: unknown }[]) {
      expect(typeof x.text).toBe('string');
      expect(x.ok).toBe(true);
    }
    expect(read(dir, 'timeseries.csv').split('\n', 1)[0]).toMatch(/^time,/);
    expect(JSON.parse(read(dir, 'run.json'))).toMatchObject({ seed: 42, scenario: { name: 'retry-storm-fixed' } });
  });

  test('--json prints summary.json, and nothing else, on stdout', async () => {
    const dir = tempDir();
    const r = await cli('run', FIXED, '--out', dir, '--json', '--no-report');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as unknown;
    expect(parsed).toEqual(JSON.parse(read(dir, 'summary.json')));
    expect(r.out).toBe(read(dir, 'summary.json'));
  });

  test('--seed changes the numbers; the same seed gives the same bytes', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    expect((await cli('run', FIXED, '--out', a, '--seed', '7', '--no-report')).code).toBe(0);
    expect((await cli('run', FIXED, '--out', b, '--seed', '7', '--no-report')).code).toBe(0);
    expect((await cli('run', FIXED, '--out', c, '--no-report')).code).toBe(0);
    expect(read(a, 'summary.json')).toBe(read(b, 'summary.json'));
    expect(read(a, 'timeseries.csv')).toBe(read(b, 'timeseries.csv'));
    expect(JSON.parse(read(a, 'summary.json'))).toMatchObject({ seed: 7 });
    expect(JSON.parse(read(c, 'summary.json'))).toMatchObject({ seed: 42 });
    const goodput = (dir: string): unknown =>
      (JSON.parse(read(dir, 'summary.json')) as { metrics: Record<string, unknown> }).metrics['checkout.goodput'];
    expect(goodput(a)).not.toEqual(goodput(c));
    expect(read(a, 'timeseries.csv')).not.toBe(read(c, 'timeseries.csv'));
  });

  test('a failing expectation exits 1 and says which', async () => {
    const dir = tempDir();
    const file = join(dir, 'too-hopeful.yaml');
    writeFileSync(
      file,
      [
        'duration: 20s',
        'clients:',
        '  users: { target: api, arrival: { kind: poisson, rate: 50 } }',
        'services:',
        '  api: { workers: 4, serviceTime: 10ms }',
        'expect:',
        '  - { metric: users.goodput, stat: mean, atLeast: 1000 }',
        '',
      ].join('\n'),
    );
    const r = await cli('run', file, '--out', join(dir, 'out'), '--no-report');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/users\.goodput/);
    const summary = JSON.parse(read(dir, 'out', 'summary.json')) as { expectations: { ok: boolean }[] };
    expect(summary.expectations.map((x) => x.ok)).toEqual([false]);
  });

  test('--png writes a PNG beside each SVG', async () => {
    const dir = tempDir();
    const r = await cli('run', FIXED, '--out', dir, '--png');
    expect(r.code).toBe(0);
    const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
    expect(svgs).toContain('queue-depth.svg');
    for (const svg of svgs) {
      const png = readFileSync(join(dir, svg.replace(/\.svg$/, '.png')));
      expect(png.subarray(0, 8).toString('hex'), svg).toBe('89504e470d0a1a0a');
    }
  });
});

describe('loopsim run and validate refuse bad input with exit 2 and no stack trace', () => {
  test('the fixtures are there', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(18);
  });

  test.each(badFiles)('%s', async (file) => {
    const line = expectedLine(readFileSync(join(BAD_DIR, file), 'latin1'));
    for (const argv of [
      ['run', join(BAD_DIR, file), '--out', tempDir(), '--no-report'],
      ['validate', join(BAD_DIR, file)],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[0]).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^✖ /);
      expect(r.err).toContain(line === undefined ? file : `${file}:${line}`);
      expect(r.err).not.toMatch(STACK_LINE);
    }
  });

  test('an unknown flag, before anything runs', async () => {
    const dir = tempDir();
    const r = await cli('run', FIXED, '--out', dir, '--sede', '7', '--no-report');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown argument: sede');
    expect(r.err).not.toMatch(STACK_LINE);
    // A misspelled flag must not run the scenario with the flag ignored.
    expect(r.out).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a missing file', async () => {
    const r = await cli('run', 'no-such-scenario.yaml', '--out', tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toContain('no-such-scenario.yaml');
    expect(r.err).not.toMatch(STACK_LINE);
  });

  test('no command', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^✖ .*command/i);
  });
});

describe('bin/loopsim.js as a child process (dist/ built by test/global-setup.ts)', () => {
  const bin = join(root, 'bin/loopsim.js');

  /** A preload that lists every CommonJS module the process loads (the bundle's files among them) into LOOPSIM_TRACE. */
  function requireTracer(): string {
    const requireHook = join(tempDir(), 'trace-require.cjs');
    writeFileSync(
      requireHook,
      [
        "const Module = require('node:module');",
        "const { appendFileSync } = require('node:fs');",
        'const load = Module._load;',
        'Module._load = function (request, parent, isMain) {',
        "  if (!Module.isBuiltin(request)) appendFileSync(process.env.LOOPSIM_TRACE, Module._resolveFilename(request, parent, isMain) + '\\n');",
        '  return load.apply(this, arguments);',
        '};',
      ].join('\n'),
    );
    return requireHook;
  }

  /**
   * Runs the built CLI. With `trace`, hooks list every module the process
   * loads into that file, one a line: ES modules by URL (a resolution hook),
   * CommonJS modules (the bundle's files among them) by path. With
   * `preload`, Node requires that file first.
   */
  function spawnCli(argv: string[], trace?: string, preload?: string): { code: number | null; out: string; err: string } {
    const hook = [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const r = await next(specifier, context);',
      "  appendFileSync(process.env.LOOPSIM_TRACE, r.url + '\\n');",
      '  return r;',
      '}',
    ].join('\n');
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const traceArgs =
      trace === undefined ? [] : ['--require', requireTracer(), '--import', `data:text/javascript,${encodeURIComponent(register)}`];
    const nodeArgs = [...(preload === undefined ? [] : ['--require', preload]), ...traceArgs, bin];
    const r = spawnSync(process.execPath, [...nodeArgs, ...argv], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOOPSIM_DEBUG: '', ...(trace === undefined ? {} : { LOOPSIM_TRACE: trace }) },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  test('exit 0 on a good run, JSON only on stdout, no bar when stderr is not a terminal', () => {
    const dir = tempDir();
    const r = spawnCli(['run', 'scenarios/retry-storm-fixed.yaml', '--out', dir, '--json', '--no-report']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'retry-storm-fixed', seed: 42 });
  });

  test('validate counts in words: one client, not "1 clients"', async () => {
    const r = await cli('validate', 'scenarios/retry-storm.yaml');
    expect(r.out).toMatch(/: retry-storm \(1 client, 2 services, 1 fault\)\n$/);
  });

  test('exit 2 on bad input, an unknown flag and a missing file, with no stack trace', () => {
    for (const argv of [
      ['run', 'test/fixtures/bad/unknown-key.yaml', '--no-report', '--out', tempDir()],
      ['validate', 'scenarios/retry-storm.yaml', '--frobnicate'],
      ['validate', 'no-such-scenario.yaml'],
    ]) {
      const r = spawnCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/✖ /);
      expect(r.err).not.toMatch(STACK_LINE);
    }
  });

  test("--help points to each command's options and to the format reference, which exists", () => {
    const r = spawnCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/loopsim <command> --help/);
    expect(r.out).toMatch(/docs\/scenario-format\.md/);
    expect(existsSync(join(root, 'docs/scenario-format.md'))).toBe(true);
  });

  test('validate and --help never load the chart or PNG libraries', () => {
    const heavy = /\/node_modules\/(vega[^/]*|@resvg\/[^/]+|dejavu-fonts-ttf)\/|\/dist\/cli\/(charts-output|render|libraries|png)\.js$/;
    for (const argv of [['validate', 'scenarios/retry-storm.yaml'], ['--help']]) {
      const trace = join(tempDir(), 'modules.txt');
      const r = spawnCli(argv, trace);
      expect(r.code, argv.join(' ')).toBe(0);
      const modules = read(trace)
        .split('\n')
        .filter((m) => m !== '');
      expect(
        modules.some((m) => m.endsWith('/dist/cli/bin.js')),
        'the hook saw the CLI load',
      ).toBe(true);
      expect(modules.filter((m) => heavy.test(m))).toEqual([]);
    }
  });

  test("run loads none of the other commands' code (sweep, compare, list, merge, schema)", () => {
    const others = /\/dist\/cli\/(sweep|sweep-run|sweep-replicate|compare|list|merge|run-all|schema-command)\.js$/;
    const trace = join(tempDir(), 'modules.txt');
    const r = spawnCli(['run', 'scenarios/retry-storm-fixed.yaml', '--out', tempDir(), '--no-report', '--quiet'], trace);
    expect(r.code).toBe(0);
    const modules = read(trace)
      .split('\n')
      .filter((m) => m !== '');
    expect(
      modules.some((m) => m.endsWith('/dist/cli/bin.js')),
      'the hook saw the CLI load',
    ).toBe(true);
    expect(modules.filter((m) => others.test(m))).toEqual([]);
    const listed = join(tempDir(), 'list-modules.txt');
    expect(spawnCli(['list'], listed).code).toBe(0);
    expect(read(listed), 'the trace would see them if they were loaded').toMatch(/\/dist\/cli\/list\.js$/m);
  });

  /**
   * How many Intl.Segmenter objects a command builds (the first loads ICU's
   * break rules, about 20 ms): a preload counts them and writes the count to
   * stderr when the process exits.
   */
  function segmentersBuilt(argv: string[]): { code: number | null; built: number } {
    const probe = join(tempDir(), 'count-segmenters.cjs');
    writeFileSync(
      probe,
      [
        'let built = 0;',
        'const Segmenter = Intl.Segmenter;',
        'Intl.Segmenter = class extends Segmenter { constructor(...args) { super(...args); built++; } };',
        "process.on('exit', () => require('node:fs').writeSync(2, `segmenters built: ${built}\\n`));",
      ].join('\n'),
    );
    const r = spawnCli(argv, undefined, probe);
    const m = /segmenters built: (\d+)/.exec(r.err);
    return { code: r.code, built: m === null ? NaN : Number(m[1]) };
  }

  // yargs lays its help text out after every command (in case it must show
  // it), measuring each line's width; sim/cli/main.ts turns that off, and the
  // build makes string-width's Unicode tables lazy (rollup.config.mjs; the
  // regexes are checked in lazy-unicode-tables.test.ts).
  test('validate and run measure no text: no help text laid out, no Intl.Segmenter built', () => {
    for (const argv of [
      ['validate', 'scenarios/retry-storm.yaml'],
      ['run', 'scenarios/retry-storm-fixed.yaml', '--out', tempDir(), '--no-report', '--quiet'],
    ]) {
      expect(segmentersBuilt(argv), argv.join(' ')).toEqual({ code: 0, built: 0 });
    }
    const help = segmentersBuilt(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.built, 'the probe sees the help text being measured').toBeGreaterThan(0);
  });

  test('the trace would see the chart libraries if they were loaded', () => {
    const trace = join(tempDir(), 'modules.txt');
    const r = spawnCli(['run', 'scenarios/retry-storm-fixed.yaml', '--out', tempDir(), '--quiet'], trace);
    expect(r.code).toBe(0);
    expect(read(trace)).toMatch(/\/node_modules\/vega\//);
    expect(read(trace)).toMatch(/\/dist\/cli\/charts-output\.js$/m);
  });
});
