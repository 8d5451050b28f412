/**
 * `loopsim`: the command line. Thin by design: it reads arguments and files,
 * calls the pure layers, writes outputs and sets the exit code.
 */
import yargs from 'yargs';
import { EXIT_BAD_INPUT, processIo, runCommand, validateCommand, type Io } from './commands.js';

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  let failed = false;
  const parser = yargs([...argv])
    .scriptName('loopsim')
    .usage('$0 <command> [options]\n\nSimulate feedback-loop failures (retry storms, stampedes, metastable states) from scenario files.')
    .command(
      'run <files..>',
      'Run scenarios; write summary.json, timeseries.csv, run.json and charts',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML)' })
          .option('seed', { type: 'number', describe: "override the scenario's seed" })
          .option('out', { type: 'string', describe: 'output folder (default out/<name>/)' })
          .option('json', { type: 'boolean', default: false, describe: 'print summary.json to stdout instead of the table' })
          .option('max-events', { type: 'number', describe: 'stop a run that passes this many events (default 1e9)' })
          .option('report', { type: 'boolean', default: true, describe: 'render charts and report.html (--no-report skips them)' })
          .example('$0 run scenarios/retry-storm.yaml', 'run the retry storm; outputs in out/retry-storm/')
          .example('$0 run scenarios/*.yaml --seed 7 --out results', 'run several with another seed'),
      async (a) => {
        code = await runCommand(
          a.files as string[],
          {
            ...(a.seed !== undefined ? { seed: a.seed } : {}),
            ...(a.out !== undefined ? { out: a.out } : {}),
            json: a.json,
            ...(a['max-events'] !== undefined ? { maxEvents: a['max-events'] } : {}),
            noReport: !a.report,
          },
          io,
        );
      },
    )
    .command(
      'validate <files..>',
      'Check scenario files without running them',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML)' }),
      (a) => {
        code = validateCommand(a.files as string[], io);
      },
    )
    .demandCommand(1, 'Name a command: run or validate.')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      failed = true;
      if (err) throw err;
      io.err(`✖ ${msg}\nRun \`loopsim --help\` for the commands and their options.\n`);
    });
  await parser.parseAsync();
  return failed ? EXIT_BAD_INPUT : code;
}
