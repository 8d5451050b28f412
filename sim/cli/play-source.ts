/**
 * What a play.html is made of, and how `loopsim run --play` finds it for a
 * run: kept apart from play.ts so that a run without --play loads none of
 * the playground.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isRunJson } from '../scenario/run-json.js';
import type { Io } from './io.js';

/** What a play.html is made of: the scenario file's name and text, and the overrides every run of the page starts from. */
export interface PlaySource {
  /** The file's base name (the scenario's name comes from it when the file gives none). */
  readonly file: string;
  readonly text: string;
  /** `--set` overrides under the page's controls: a `loopsim run --seed N --play` page runs with `seed=N`. */
  readonly sets: readonly string[];
}

/**
 * The source of the play.html that `loopsim run --play` writes beside a run's
 * report: the file as it is, under the run's overrides (`--set`, `--seed`); or,
 * for a run.json (which the playground cannot edit), a note and `undefined`.
 */
export function playSourceOf(file: string, sets: readonly string[], io: Io): PlaySource | undefined {
  const text = readFileSync(file, 'utf8');
  const name = basename(file);
  if (isRunJson(name, text)) {
    io.err(`⚠ ${file} is a run.json: no play.html for it (the playground edits a scenario file; play the one it was run from).\n`);
    return undefined;
  }
  return { file: name, text, sets };
}
