/**
 * Shards of one sweep combined: the union of their runs under their common
 * definition. Pure; the CLI reads the files and writes the merged outputs
 * with the same writer a one-process sweep uses, so the bytes agree.
 */
import type { Result } from '../scenario/issue.js';
import { SWEEP_FORMAT, buildSweepFile, jobPosition, type SweepFile, type SweepRun } from './sweep-file.js';

/** A sweep's `--metric` names, for a message: `api.queue:max, users.goodput:mean`, or `(none)`. */
function metricNames(f: SweepFile): string {
  const names = (f.definition.metrics ?? []).map((m) => m.name);
  return names.length === 0 ? '(none)' : names.join(', ');
}

/** Merges parsed sweep.json files (`names` label them in messages). Fails on different sweeps or conflicting runs. */
export function mergeSweepFiles(files: readonly SweepFile[], names: readonly string[]): Result<SweepFile, string[]> {
  const first = files[0];
  if (first === undefined) return { ok: false, issues: ['No sweep to merge.'] };
  const problems: string[] = [];
  const definition = JSON.stringify(first.definition);
  const format: string = SWEEP_FORMAT; // typed wide: the comparison below narrows the literal to never
  files.forEach((f, i) => {
    const name = names[i] ?? `#${i + 1}`;
    if (f.format !== SWEEP_FORMAT)
      problems.push(`${name} is not a loopsim sweep (format ${JSON.stringify(f.format)}, expected ${format}).`);
    else if (f.version !== first.version)
      problems.push(`${name} was written by loopsim ${f.version}, ${names[0] ?? '#1'} by ${first.version}; merge shards of one version.`);
    else if (metricNames(f) !== metricNames(first)) {
      problems.push(
        `${name} measured --metric ${metricNames(f)}, ${names[0] ?? '#1'} --metric ${metricNames(first)}; merge shards run with the same --metric list.`,
      );
    } else if (JSON.stringify(f.definition) !== definition)
      problems.push(
        `${name} is a different sweep from ${names[0] ?? '#1'} (the scenario or its file's text, --set, --vary, --seed or --seeds differ).`,
      );
  });
  if (problems.length > 0) return { ok: false, issues: problems };
  const runs = new Map<string, { run: SweepRun; from: string }>();
  files.forEach((f, i) => {
    for (const r of f.runs) {
      const key = `${r.cell}/${r.seed}`;
      const seen = runs.get(key);
      if (seen === undefined) runs.set(key, { run: r, from: names[i] ?? '' });
      else if (JSON.stringify(seen.run) !== JSON.stringify(r)) {
        problems.push(`Cell ${r.cell}, seed ${r.seed} differs between ${seen.from} and ${names[i] ?? ''}.`);
      }
    }
  });
  if (problems.length > 0) return { ok: false, issues: problems };
  const merged = buildSweepFile(
    first.version,
    first.definition,
    [...runs.values()].map((v) => v.run),
    null,
    first.definition.jobs,
  );
  return { ok: true, value: merged, warnings: [] };
}

/** The jobs of a definition that no run covers, as `cell/seed` pairs (at most `limit`). */
export function missingJobs(f: SweepFile, limit = 10): { readonly count: number; readonly first: { cell: number; seed: number }[] } {
  const have = new Set(f.runs.map((r) => `${r.cell}/${r.seed}`));
  const first: { cell: number; seed: number }[] = [];
  let count = 0;
  for (let j = 0; j < f.definition.jobs; j += 1) {
    const p = jobPosition(f.definition, j);
    if (have.has(`${p.cell}/${p.seed}`)) continue;
    count += 1;
    if (first.length < limit) first.push(p);
  }
  return { count, first };
}
