/**
 * How the property tests run: a pinned seed in CI; `npm run fuzz` (FUZZ=long)
 * runs longer with a random seed, printed first. FUZZ_SEED and FUZZ_PATH replay
 * a failure from fast-check's message; FUZZ_RUNS overrides the run count.
 */
import type fc from 'fast-check';

/** True under `npm run fuzz`. */
export const long = process.env['FUZZ'] === 'long';

function envInt(name: string): number | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : Number(v);
}

/** The seed of every property in this run. */
export const seed = envInt('FUZZ_SEED') ?? (long ? Math.floor(Math.random() * 2 ** 31) : 42);

/** Runs per property: `ci` in CI, `ci x longFactor` under FUZZ=long, FUZZ_RUNS when set. */
export function runs(ci: number, longFactor: number): number {
  return envInt('FUZZ_RUNS') ?? (long ? ci * longFactor : ci);
}

/** fast-check parameters for `numRuns` runs at this run's seed (and replay path, if any). */
export function params(numRuns: number): fc.Parameters<unknown> {
  const path = process.env['FUZZ_PATH'];
  return { seed, numRuns, includeErrorInReport: true, ...(path !== undefined ? { path } : {}) };
}

/** Prints the seed of a long run first, so it can be replayed. */
export function announce(file: string): void {
  if (long) console.log(`${file}: seed ${seed}; replay with FUZZ_SEED=${seed} (and FUZZ_PATH from a failure)`);
}
