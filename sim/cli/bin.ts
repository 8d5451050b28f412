/**
 * The process entry of `loopsim`: runs the CLI on the process's arguments and
 * turns anything unexpected into a one-line message and exit code 3 (set
 * LOOPSIM_DEBUG=1 to see the stack).
 */
import { hideBin } from 'yargs/helpers';
import { EXIT_INTERNAL } from './io.js';
import { main } from './main.js';

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`✖ internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env['LOOPSIM_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
