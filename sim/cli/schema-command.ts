/**
 * `loopsim schema`: the JSON Schema of the scenario format, derived from the
 * zod schema, for editors. `scenarios/schema.json` is this output committed to
 * the repository (rebuild it with `npm run schema`), and every scenario file
 * points at it with `# yaml-language-server: $schema=./schema.json`.
 */
import { scenarioJsonSchema } from '../scenario/schema.js';
import { EXIT_OK, processIo, type Io } from './io.js';
import { writeFileAtomic } from './files.js';

/** The first line of every scenario file: points YAML editors at the schema beside it. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./schema.json';

/** The text of `schema.json`: two-space indent, final newline. Deterministic. */
export function formatScenarioSchema(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}

/** Options of {@link schemaCommand}. */
export interface SchemaCommandOptions {
  /** Write the schema to this file (atomically) instead of stdout. */
  readonly out?: string;
}

/** `loopsim schema [--out FILE]`: prints the scenario JSON Schema, or writes it to `out`. */
export function schemaCommand(opts: SchemaCommandOptions = {}, io: Io = processIo): number {
  const text = formatScenarioSchema();
  if (opts.out === undefined) io.out(text);
  else {
    writeFileAtomic(opts.out, text);
    io.err(`wrote ${opts.out}\n`);
  }
  return EXIT_OK;
}
