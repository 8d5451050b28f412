/**
 * The sweep benchmark: a 100-run sweep of scenarios/retry-storm.yaml,
 * shortened (fault at 10 s, 40 s simulated), 10 fault lengths x 10 seeds,
 * timed on 1 and 2 workers and reported as runs per wall second. It also
 * checks that both worker counts give the same results.
 *
 * Run it compiled, so worker threads load JavaScript:
 *   npm run build && node dist/test/bench/sweep.js
 * (`npx tsx test/bench/sweep.ts` works too; threads then register tsx first.)
 *
 * Wall-clock timing lives in benchmarks only: tests never assert on time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job } from '../../sim/sweep/job.js';
import { createWorkerPool } from '../../sim/cli/worker-pool.js';
import { parseOverrideArguments } from '../../sim/scenario/override.js';
import { parseScenarioWith } from '../../sim/scenario/parse-with.js';

/** The repository root: the nearest folder up from here holding scenarios/ (works from test/bench and dist/test/bench). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scenarios', 'retry-storm.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find scenarios/retry-storm.yaml above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

function jobs(): Job[] {
  const text = readFileSync(join(repoRoot(), 'scenarios', 'retry-storm.yaml'), 'utf8');
  const out: Job[] = [];
  for (let forSeconds = 1; forSeconds <= 10; forSeconds += 1) {
    const sets = parseOverrideArguments(['duration=40s', 'warmup=5s', 'faults[0].at=10s', `faults[0].for=${forSeconds}s`, 'expect=[]']);
    if (!sets.ok) throw new Error('bench: bad overrides');
    const r = parseScenarioWith(text, 'retry-storm.yaml', sets.value);
    if (!r.ok) throw new Error('bench: the shortened retry storm does not validate');
    for (let seed = 1; seed <= 10; seed += 1) out.push({ scenario: r.value, seed, detail: 'figures' });
  }
  return out;
}

const all = jobs();
const results: string[] = [];
for (const workers of [1, 2]) {
  const pool = createWorkerPool(workers);
  await pool.run(all.slice(0, workers)); // start the threads and warm the JIT before timing
  const t0 = process.hrtime.bigint();
  const outcome = await pool.run(all);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const threads = pool.threads === 0 ? 'in-process' : `${pool.threads} threads`; // before close(), which stops them
  await pool.close();
  results.push(JSON.stringify(outcome.results));
  console.log(
    `sweep of retry-storm, ${all.length} runs on ${workers} worker${workers === 1 ? '' : 's'} (${threads}): ${secs.toFixed(2)} s = ${(all.length / secs).toFixed(1)} runs/s`,
  );
}
if (results[0] !== results[1]) {
  console.error('bench: 1 and 2 workers gave different results');
  process.exitCode = 1;
}
