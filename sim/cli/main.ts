/**
 * `loopsim`: the command line. Thin by design: it reads arguments and files,
 * calls the pure layers, writes outputs and sets the exit code.
 */
import yargs from 'yargs';
import { DEFAULT_SCENARIO_DIR, runCommand, validateCommand } from './commands.js';
import { EXIT_BAD_INPUT, EXIT_INTERRUPTED, processIo, type Io } from './io.js';
import { OutputError, OutputsInterrupted } from './output-folder.js';

// The other commands' modules are imported when their command runs: `run` and
// `validate` start faster without loading the sweep, compare and list code.

/** A repeatable string option as a list (yargs gives one value as a string, several as an array). */
const toList = (v: unknown): string[] => (v === undefined ? [] : [v].flat().map(String));

/** Bad arguments, already reported: ends the parse before any command runs. */
class UsageFailed extends Error {}

/**
 * `o` without its undefined entries: flags the user did not give stay absent
 * (exactOptionalPropertyTypes) instead of being passed as undefined.
 */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** The guard flags every running command takes (`run`, `compare`, `sweep`), checked by {@link checkGuards}. */
const GUARD_OPTIONS = {
  'max-events': { type: 'number', describe: 'stop a run that passes this many events (default 1e9)' },
  'max-inflight': { type: 'number', describe: 'stop a run when this many requests are alive at once, all services together (default 1e7)' },
} as const;

/** `--metric`, which compare, sweep and `run --seeds` take. */
const METRIC_OPTION = {
  metric: {
    type: 'string',
    coerce: toList,
    describe:
      'also report a recorded series: component.metric:stat[:from:to], e.g. api.queue:max or users.goodput:mean:60s:120s (repeatable); ' +
      'stat: mean, min, max, p50, p90, p99, last, or count (rates and latencies); window default: warmup to end',
  },
} as const;

/** The guards given on the command line, as a command's options (absent ones left out). */
function guardFlags(a: { readonly 'max-events'?: number | undefined; readonly 'max-inflight'?: number | undefined }): {
  maxEvents?: number;
  maxInflight?: number;
} {
  return defined({ maxEvents: a['max-events'], maxInflight: a['max-inflight'] });
}

/** What a flag's refused value was, for its message (yargs reads `abc` as NaN). */
function gotFlag(v: unknown): string {
  return typeof v === 'number' && Number.isNaN(v) ? 'not a number' : `got ${JSON.stringify(v) ?? 'nothing'}`;
}

/**
 * A yargs check: the guard flags that were given (`--max-events`,
 * `--max-inflight`) are positive whole numbers; otherwise the message says
 * which one and what it takes (yargs reads `abc` as NaN).
 */
function checkGuards(a: { readonly 'max-events'?: unknown; readonly 'max-inflight'?: unknown }): true | string {
  for (const flag of ['max-events', 'max-inflight'] as const) {
    const v = a[flag];
    if (v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) continue;
    return `--${flag} must be a positive whole number, such as 1e6 (${gotFlag(v)}).`;
  }
  return true;
}

/**
 * A yargs check for every command: `--out ''` is refused (it would mean the
 * current folder), and `--seed` must be a whole number from 0 to 2^53 − 1
 * (yargs reads `abc` as NaN, which would run with `"seed": null`).
 */
function checkOutAndSeed(a: { readonly [flag: string]: unknown }): true | string {
  if (a['out'] === '') return '--out needs a folder name (got an empty one); write --out . for the current folder.';
  const s = a['seed'];
  if (s !== undefined && !(typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
    return `--seed must be a whole number from 0 to 2^53 - 1, such as 7 (${gotFlag(s)}).`;
  }
  return true;
}

/**
 * Stops yargs from rendering the whole help text after every command. It
 * does so (`cacheHelpMessage`) in case a command fails and the help must be
 * shown; the fail handler here never shows it, and laying it out measures
 * every line with Intl.Segmenter and Unicode-property regexes, about 40 ms of
 * each command. `--help` still renders it, when asked. yargs has no option
 * for this, so it reaches into yargs's usage object; if a later yargs has no
 * such method, nothing changes but the time (test/cli/cli.test.ts notices).
 */
function skipHelpCache(parser: object): void {
  const internals = (
    parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }
  ).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  let failed = false;
  const parser = yargs([...argv])
    .scriptName('loopsim')
    .usage('$0 <command> [options]\n\nSimulate feedback-loop failures (retry storms, stampedes, metastable states) from scenario files.')
    .command(
      'run [files..]',
      'Run scenarios; write summary.json, timeseries.csv, run.json and charts',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, describe: 'scenario files (YAML)' })
          .option('all', { type: 'string', describe: 'run every scenario in this folder (by name) and write <out>/index.html' })
          .option('seed', { type: 'number', describe: "override the scenario's seed" })
          .option('out', { type: 'string', describe: 'output folder (default out/<name>/)' })
          .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the table' })
          .options(GUARD_OPTIONS)
          .check(checkGuards)
          .option('report', { type: 'boolean', default: true, describe: 'render charts and report.html (--no-report skips them)' })
          .option('png', { type: 'boolean', default: false, describe: 'also write a PNG beside each SVG chart' })
          .option('play', {
            type: 'boolean',
            default: false,
            describe: 'also write play.html beside report.html: the scenario in your browser',
          })
          .option('set', { type: 'string', coerce: toList, describe: 'override a field before validation: path=value (repeatable)' })
          .option('seeds', { type: 'number', describe: 'also run seeds s+1..s+N-1: means with 95% intervals, replications.json' })
          .option('workers', { type: 'number', describe: 'worker threads for --seeds (default: available cores)' })
          .options(METRIC_OPTION)
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
          .example('$0 run scenarios/retry-storm.yaml', 'run the retry storm; outputs in out/retry-storm/')
          .example('$0 run scenarios/*.yaml --seed 7 --out results', 'run several with another seed')
          .example('$0 run --all scenarios/', 'run the whole library; index in out/index.html'),
      async (a) => {
        const files = a.files ?? [];
        if (a.all !== undefined || files.length === 0) {
          if (
            a.all === undefined ||
            files.length > 0 ||
            toList(a.set).length > 0 ||
            a.seeds !== undefined ||
            a.json ||
            toList(a.metric).length > 0
          ) {
            io.err('✖ Name scenario files, or --all <dir> alone (without files, --set, --seeds, --metric or --json).\n');
            code = EXIT_BAD_INPUT;
            return;
          }
          const { runAllCommand } = await import('./run-all.js');
          code = await runAllCommand(
            a.all,
            {
              ...defined({ seed: a.seed, out: a.out }),
              ...guardFlags(a),
              noReport: !a.report,
              png: a.png,
              play: a.play,
              quiet: a.quiet,
            },
            io,
          );
          return;
        }
        const sets = toList(a.set);
        if (sets.length > 0 || a.seeds !== undefined || toList(a.metric).length > 0) {
          const { replicatedRunCommand } = await import('./sweep-run.js');
          code = await replicatedRunCommand(
            a.files as string[],
            {
              ...defined({ seed: a.seed, out: a.out }),
              json: a.json,
              ...guardFlags(a),
              noReport: !a.report,
              png: a.png,
              play: a.play,
              sets,
              ...defined({ seeds: a.seeds, workers: a.workers }),
              metrics: toList(a.metric),
              quiet: a.quiet,
            },
            io,
          );
          return;
        }
        code = await runCommand(
          a.files as string[],
          {
            ...defined({ seed: a.seed, out: a.out }),
            json: a.json,
            ...guardFlags(a),
            noReport: !a.report,
            png: a.png,
            play: a.play,
            quiet: a.quiet,
          },
          io,
        );
      },
    )
    .command(
      'validate <files..>',
      'Check scenario files without running them, and warn about design lints',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML)' }),
      (a) => {
        code = validateCommand(a.files, io);
      },
    )
    .command(
      'list [dir]',
      'List the scenarios in a folder: name, story, faults, expected verdict',
      (y) =>
        y
          .positional('dir', { type: 'string', default: DEFAULT_SCENARIO_DIR, describe: 'folder of scenario files' })
          .option('markdown', { type: 'boolean', default: false, describe: 'print a Markdown table' })
          .example('$0 list', 'the scenario library in scenarios/'),
      async (a) => {
        const { listCommand } = await import('./list.js');
        code = listCommand(a.dir, { markdown: a.markdown, width: Math.min(140, process.stdout.columns ?? 100) }, io);
      },
    )
    .command(
      'compare <files..>',
      'Run variants on the same seeds (common random numbers); one report with them overlaid',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML), one variant each' })
          .option('with', {
            type: 'string',
            coerce: toList,
            describe:
              'another variant: "path=value[; path=value]" on the first file; "label=name" names it, "file=x.yaml" takes another base file (repeatable)',
          })
          .option('set', { type: 'string', coerce: toList, describe: 'override a field of every variant: path=value (repeatable)' })
          .option('seed', { type: 'number', describe: "first seed (default: the first variant's)" })
          .option('seeds', { type: 'number', default: 1, describe: 'seeds per variant; figures become means with 95% intervals' })
          .option('workers', { type: 'number', describe: 'worker threads (default: available cores)' })
          .options(METRIC_OPTION)
          .option('out', { type: 'string', describe: 'output folder (default out/compare-<a>-vs-<b>/)' })
          .options(GUARD_OPTIONS)
          .check(checkGuards)
          .option('report', { type: 'boolean', default: true, describe: 'render charts and compare.html (--no-report skips them)' })
          .option('png', { type: 'boolean', default: false, describe: 'also write a PNG beside each SVG chart' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
          .example('$0 compare scenarios/retry-storm.yaml scenarios/retry-storm-fixed.yaml', 'the storm and its fix, side by side')
          .example('$0 compare scenarios/retry-storm.yaml --with services.gateway.workers=32 --seeds 5', 'a bigger gateway, over 5 seeds'),
      async (a) => {
        const { compareCommand } = await import('./compare.js');
        code = await compareCommand(
          a.files,
          {
            withs: toList(a.with),
            sets: toList(a.set),
            ...defined({ seed: a.seed }),
            seeds: a.seeds,
            ...defined({ workers: a.workers, out: a.out }),
            ...guardFlags(a),
            noReport: !a.report,
            png: a.png,
            metrics: toList(a.metric),
            quiet: a.quiet,
          },
          io,
        );
      },
    )
    .command(
      'sweep <file>',
      'Run a grid over one or two parameters (or bisect for a tipping point); a phase diagram',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML)' })
          .option('vary', { type: 'string', coerce: toList, describe: 'path=from:to:step (units allowed) or path=a,b,c; once or twice' })
          .option('find-tipping', {
            type: 'string',
            describe: 'path=lo:hi: bisect for the value where most seeds start (or stop) ending metastable',
          })
          .option('precision', {
            type: 'string',
            describe: 'width of the final --find-tipping bracket, in its unit (default 1/100 of the range; 1 for a whole-number field)',
          })
          .option('direction', {
            choices: ['up', 'down'] as const,
            describe:
              '--find-tipping: metastable above the tipping point (up) or below it (down: higher is safer); default: found from the two ends',
          })
          .option('hysteresis', { type: 'boolean', default: false, describe: "run each value with and without the scenario's faults" })
          .option('seeds', { type: 'number', default: 1, describe: 'seeds per cell' })
          .option('seed', { type: 'number', describe: "first seed (default: the scenario's)" })
          .option('set', { type: 'string', coerce: toList, describe: 'override a field in every cell: path=value (repeatable)' })
          .option('workers', { type: 'number', describe: 'worker threads (default: available cores)' })
          .option('shard', { type: 'string', describe: 'k/n: run only the k-th of n slices (join them with loopsim merge)' })
          .options(METRIC_OPTION)
          .option('out', { type: 'string', describe: 'output folder (default out/sweep-<name>/)' })
          .options(GUARD_OPTIONS)
          .check(checkGuards)
          .option('report', { type: 'boolean', default: true, describe: 'render the diagram and sweep.html (--no-report skips them)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
          .example('$0 sweep scenarios/retry-storm.yaml --vary faults[0].for=5s:40s:5s --seeds 5', 'how long a spike tips the system')
          .example('$0 sweep scenarios/retry-storm.yaml --find-tipping faults[0].for=1s:40s --precision 0.5s --seeds 5', 'bisect for it'),
      async (a) => {
        const { sweepCommand } = await import('./sweep.js');
        code = await sweepCommand(
          a.file,
          {
            vary: toList(a.vary),
            ...defined({ findTipping: a['find-tipping'], precision: a.precision, direction: a.direction }),
            hysteresis: a.hysteresis,
            seeds: a.seeds,
            ...defined({ seed: a.seed }),
            sets: toList(a.set),
            ...defined({ workers: a.workers, shard: a.shard, out: a.out }),
            ...guardFlags(a),
            noReport: !a.report,
            metrics: toList(a.metric),
            quiet: a.quiet,
          },
          io,
        );
      },
    )
    .command(
      'merge <dirs..>',
      "Join the shards of a sweep (--shard k/n) into the one sweep's outputs",
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'output folders of the shards' })
          .option('out', { type: 'string', describe: 'output folder (default out/sweep-<name>/)' })
          .option('report', { type: 'boolean', default: true, describe: 'render the diagram and sweep.html (--no-report skips them)' }),
      async (a) => {
        const { mergeCommand } = await import('./merge.js');
        code = await mergeCommand(a.dirs, { ...defined({ out: a.out }), noReport: !a.report }, io);
      },
    )
    .command(
      'play <file>',
      'Write play.html: the scenario in your browser, with a slider for each number worth a "what if?"',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML)' })
          .option('out', { type: 'string', describe: 'where to write the page (default out/<name>/play.html)' })
          .option('open', { type: 'boolean', default: false, describe: "open it in the system's browser" })
          .option('url', {
            type: 'string',
            describe: 'print a link to the scenario for a copy of play.html at this address (default play.html) instead',
          })
          .example('$0 play scenarios/retry-storm.yaml --open', 'what if the gateway call tried only once?'),
      async (a) => {
        const { playCommand } = await import('./play.js');
        code = await playCommand(a.file, { ...defined({ out: a.out, url: a.url }), open: a.open }, io);
      },
    )
    .command(
      'init [name]',
      'Write a commented starting scenario, <name>.yaml (default my-system), and schema.json beside it',
      (y) =>
        y
          .positional('name', { type: 'string', describe: 'scenario name: lowercase letters, digits and "-"' })
          .option('dir', { type: 'string', describe: 'folder to write into (default: the current one)' }),
      async (a) => {
        const { initCommand } = await import('./init.js');
        code = initCommand(a.name, defined({ dir: a.dir }), io);
      },
    )
    .command(
      'schema',
      'Print the JSON Schema of the scenario format (scenarios/schema.json)',
      (y) => y.option('out', { type: 'string', describe: 'write it to this file instead of stdout' }),
      async (a) => {
        const { schemaCommand } = await import('./schema-command.js');
        code = schemaCommand(defined({ out: a.out }), io);
      },
    )
    .check(checkOutAndSeed)
    .demandCommand(1, 'Name a command: run, validate, compare, sweep, merge, list, play, schema or init.')
    .epilogue(
      "Each command's options: loopsim <command> --help (e.g. loopsim run --help).\n" +
        'Every scenario field and output, with units and defaults: docs/scenario-format.md.',
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      failed = true;
      // An Error is a command that threw: let it through. A failed check
      // (checkGuards) comes with its message as a string: a usage error.
      if (err instanceof Error) throw err;
      io.err(`✖ ${msg}\nRun \`loopsim --help\` for the commands and their options.\n`);
      // Throwing is what stops yargs from running the command anyway (with
      // an unknown or misspelled flag ignored).
      throw new UsageFailed(msg);
    });
  skipHelpCache(parser);
  try {
    await parser.parseAsync();
  } catch (e) {
    // The machine refused an output (no space, read-only, a path under a file, ...): the user's environment, not a bug.
    if (e instanceof OutputError) {
      io.err(`✖ ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof OutputsInterrupted) {
      io.err(`✖ ${e.message}\n`);
      return EXIT_INTERRUPTED;
    }
    if (!(e instanceof UsageFailed)) throw e;
  }
  return failed ? EXIT_BAD_INPUT : code;
}
