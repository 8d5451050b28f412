/**
 * `loopsim init [name]`: writes a commented starting scenario, `<name>.yaml`,
 * and the JSON Schema beside it (when the folder has none) so that an editor
 * completes and checks fields from the first keystroke. Nobody has to start
 * from a copied library file and its story.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT_BAD_INPUT, EXIT_OK, processIo, type Io } from './io.js';
import { writeFileAtomic } from './files.js';
import { SCHEMA_COMMENT, formatScenarioSchema } from './schema-command.js';

/** The name `init` uses when given none. */
export const DEFAULT_INIT_NAME = 'my-system';

/** Options of {@link initCommand}. */
export interface InitOptions {
  /** Folder to write into; default the current one. */
  readonly dir?: string;
}

/** The starting scenario named `name`: every section present, each field explained. */
export function formatStarterScenario(name: string): string {
  return `${SCHEMA_COMMENT}
# A starting scenario. Every field is described, with its unit and default, in
# docs/scenario-format.md of loopsim; an editor with the YAML language server
# completes and checks them from schema.json beside this file.
# Run it:      loopsim run ${name}.yaml     (report in out/${name}/report.html)
# Check it:    loopsim validate ${name}.yaml
name: ${name}
description: |
  Say here what the system is and what the fault does to it: this text
  opens the report. (Edit the numbers below to match your system.)
seed: 1                 # the same seed gives the same run, byte for byte
duration: 120s          # simulated time; durations take us, ms, s, m, h
warmup: 20s             # left out of summary statistics
sample: 1s              # width of one time-series bucket

clients:                # traffic sources
  users:
    target: api         # the service that receives the requests
    arrival: { kind: poisson, rate: 200 }   # operations per second; or { kind: closed, users: 50, think: 1s }
    timeout: 1s         # per attempt
    retry:              # remove to send each operation once
      attempts: 3       # in total, the first included
      backoff: { kind: exponential, base: 100ms, cap: 2s }
      jitter: full

services:
  api:
    instances: 2        # replicas behind the balancer
    workers: 8          # concurrent requests per instance
    serviceTime: { dist: exponential, mean: 5ms }   # local work, holding a worker
    calls:              # downstream calls made while holding the worker
      - to: db
        timeout: 300ms
        # No retry here: users already retry, and retries at two layers multiply
        # (3 x 2 = 6 attempts per operation); loopsim validate warns about it.
  db:
    instances: 1
    workers: 16
    queue: { capacity: 500 }                     # waiting room per instance; full means rejected
    serviceTime: { dist: lognormal, median: 10ms, p99: 60ms }

faults:                 # what goes wrong, and when
  - { kind: latency, target: db, at: 50s, for: 20s, add: 100ms }

expect:                 # checks; a failing one makes loopsim run exit 1
  - { verdict: [recovered, stable] }
  - { metric: users.goodput, stat: mean, from: 20s, to: 50s, atLeast: 190 }
`;
}

/** `loopsim init [name]`: writes `<name>.yaml` (never over an existing file) and `schema.json` when absent. */
export function initCommand(name: string | undefined, opts: InitOptions = {}, io: Io = processIo): number {
  const chosen = name ?? DEFAULT_INIT_NAME;
  if (!/^[a-z0-9-]+$/.test(chosen) || chosen.length > 100) {
    io.err(`✖ "${chosen}" cannot be a scenario name: use lowercase letters, digits and "-", e.g. loopsim init checkout-flow.\n`);
    return EXIT_BAD_INPUT;
  }
  const dir = opts.dir ?? '.';
  const file = join(dir, `${chosen}.yaml`);
  if (existsSync(file)) {
    io.err(`✖ ${file} already exists; give another name (loopsim init <name>) or remove it.\n`);
    return EXIT_BAD_INPUT;
  }
  writeFileAtomic(file, formatStarterScenario(chosen));
  const schema = join(dirname(file), 'schema.json');
  const wroteSchema = !existsSync(schema);
  if (wroteSchema) writeFileAtomic(schema, formatScenarioSchema());
  io.out(`wrote ${file}${wroteSchema ? ` and ${schema}` : ''}\nnext: loopsim run ${file}\n`);
  return EXIT_OK;
}
