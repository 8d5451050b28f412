/**
 * Bug reports that replay. When a run breaks one of loopsim's own invariants
 * the CLI prints the component, the simulated time, the seed, what broke
 * (with its numbers) and the exact `loopsim run` command that reproduces it:
 * the file as given, the seed, and every override, as `--set path=value`.
 */
import type { InvariantFacts } from '../engine/run.js';
import { formatTime } from '../engine/run.js';
import type { Override } from '../scenario/override.js';
import type { SweepAxis, SweepCell } from '../sweep/grid.js';

/** A command-line word as a POSIX shell reads it back: as is when plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w./=:%@+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `path=value` of an override, without the flag it came with (`--set`, `--with`). */
export function overrideArgument(o: Override): string {
  return o.source.replace(/^--[\w-]+ /, '');
}

/** The command that replays one run: `loopsim run <path> --seed N [--set path=value ...]`. */
export function runReplayCommand(path: string, seed: number, sets: readonly string[]): string {
  return ['loopsim run', shellWord(path), `--seed ${seed}`, ...sets.map((s) => `--set ${shellWord(s)}`)].join(' ');
}

/**
 * What the CLI prints when a run broke an invariant, one fact a line, ending
 * with the command that replays it. `which` names the run among several (a
 * sweep's cell and seed).
 */
export function formatInvariantReport(facts: InvariantFacts, replay: string, which?: string): string {
  return (
    [
      `✖ ${which === undefined ? '' : `${which}: `}loopsim broke one of its own invariants (a bug; please report it with these lines):`,
      `  component: ${facts.component}`,
      `  time:      t=${formatTime(facts.time)}`,
      `  seed:      ${facts.seed}`,
      `  broken:    ${facts.detail}`,
      `  replay:    ${replay}`,
    ].join('\n') + '\n'
  );
}

/** A value as it can be written after `--set path=` on a command line. */
function writeValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The `loopsim run` command that replays one run of a sweep. */
export function replayCommand(path: string, sets: readonly Override[], axes: readonly SweepAxis[], cell: SweepCell, seed: number): string {
  const args = [...sets.map(overrideArgument), ...axes.map((a, k) => `${a.field}=${writeValue(a.values[cell.at[k] ?? 0])}`)];
  if (cell.branch === 'untriggered') args.push('faults=[]', 'expect=[]');
  return runReplayCommand(path, seed, args);
}
