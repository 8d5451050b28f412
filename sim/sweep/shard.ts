/**
 * Deterministic slices of a sweep, for fanning it out over machines:
 * `--shard k/n` runs every job whose index j has j mod n = k − 1. Jobs are
 * numbered cell-major (job = cell × seeds + seed offset), so interleaving
 * spreads expensive regions of the grid (the collapsed corner, say) over
 * every shard instead of handing them all to one.
 */
import type { Result } from '../scenario/issue.js';

/** The k-th (1-based) of n slices. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Most shards a sweep may be split into. */
export const MAX_SHARDS = 100_000;

/** Reads `k/n` with 1 ≤ k ≤ n; the error says what was expected. */
export function parseShard(text: string): Result<Shard, string> {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, issues: `expected k/n, e.g. --shard 2/8, got "${text}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return { ok: false, issues: `the shard count must be 1 to ${MAX_SHARDS}, got ${count}` };
  if (index < 1 || index > count) return { ok: false, issues: `the shard number must be 1 to ${count}, got ${index}` };
  return { ok: true, value: { index, count }, warnings: [] };
}

/** Whether job `job` (0-based) belongs to `shard`; every job belongs to exactly one shard of a set. */
export function inShard(job: number, shard: Shard | null): boolean {
  return shard === null || job % shard.count === shard.index - 1;
}

/** The job indexes of `shard` among `total` jobs, ascending. */
export function shardJobs(total: number, shard: Shard | null): number[] {
  const out: number[] = [];
  for (let j = shard === null ? 0 : shard.index - 1; j < total; j += shard === null ? 1 : shard.count) out.push(j);
  return out;
}
