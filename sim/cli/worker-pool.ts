/**
 * Runs jobs on worker threads, one job per thread at a time, handing the next
 * job to whichever thread finishes first. Results are stored by job index,
 * never by completion order, so the output cannot depend on the number of
 * workers or on timing.
 *
 * Threads load compiled JavaScript (`dist/sim/cli/worker-thread.js`). When
 * loopsim itself runs from TypeScript sources (vitest, tsx), each thread first
 * registers tsx's loader, then imports `worker-thread.ts`; when tsx is not
 * installed, or with one worker, jobs run in-process instead, in slices of
 * events with a yield between slices, so a SIGINT handler gets its turn
 * during a long run too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RunStepper } from '../engine/run.js';
import { reduceRun } from '../simulate.js';
import { JobFailed, describeFailure, guardsOf, jobResultOf, type Job, type JobResult } from '../sweep/job.js';
import { stepInSlices, yieldToEvents } from './interrupt.js';
import type { JobMessage, JobReply } from './worker-thread.js';

/** Options of one {@link WorkerPool.run}. */
export interface RunJobsOptions {
  /** Aborting stops the run: jobs in progress are abandoned, finished ones kept. */
  readonly signal?: AbortSignal;
  /** Called as each job finishes (in completion order), with its index. */
  readonly onResult?: (index: number, result: JobResult) => void;
}

/** What a run produced: results by job index (undefined where not finished). */
export interface PoolOutcome {
  readonly results: readonly (JobResult | undefined)[];
  readonly done: number;
  readonly interrupted: boolean;
}

/** A set of workers that runs lists of jobs. Close it when done, or the threads keep the process alive. */
export interface WorkerPool {
  /** Threads started so far (at most the worker count, at most the largest batch); 0 when jobs run in-process. */
  readonly threads: number;
  /** Runs `jobs`; rejects with {@link JobFailed} when one fails. */
  run(jobs: readonly Job[], opts?: RunJobsOptions): Promise<PoolOutcome>;
  close(): Promise<void>;
}

/** The URL of tsx's ESM registration API, or undefined when tsx is not installed. */
function tsxApiUrl(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
    const entry = manifest.exports?.['./esm/api']?.import?.default;
    return entry === undefined ? undefined : pathToFileURL(join(dirname(manifestPath), entry)).href;
  } catch {
    return undefined;
  }
}

/** Starts one worker thread, or returns undefined when threads cannot load loopsim here. */
function spawnThread(): Worker | undefined {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./worker-thread.js', here));
  const api = tsxApiUrl();
  if (api === undefined) return undefined;
  const entry = new URL('./worker-thread.ts', here).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/**
 * Runs one job in slices, yielding to the event loop between them (in-process
 * pools: Ctrl-C is heard during a long run). The same result as
 * executeJob; undefined when `signal` stopped it first. Throws what
 * simulate throws.
 */
async function executeJobInSlices(job: Job, signal?: AbortSignal): Promise<JobResult | undefined> {
  const stepper = new RunStepper(job.scenario, { seed: job.seed, ...guardsOf(job) });
  if (!(await stepInSlices(stepper, signal))) return undefined;
  return jobResultOf(reduceRun(job.scenario, stepper.finish()), job.detail, job.metrics);
}

async function runInProcess(jobs: readonly Job[], opts: RunJobsOptions): Promise<PoolOutcome> {
  const results: (JobResult | undefined)[] = new Array<JobResult | undefined>(jobs.length).fill(undefined);
  let done = 0;
  for (let i = 0; i < jobs.length; i += 1) {
    await yieldToEvents();
    if (opts.signal?.aborted) return { results, done, interrupted: true };
    let result: JobResult | undefined;
    try {
      result = await executeJobInSlices(jobs[i] as Job, opts.signal);
    } catch (e) {
      throw new JobFailed(i, describeFailure(e));
    }
    if (result === undefined) return { results, done, interrupted: true };
    results[i] = result;
    done += 1;
    opts.onResult?.(i, result);
  }
  return { results, done, interrupted: false };
}

function runOnThreads(threads: readonly Worker[], jobs: readonly Job[], opts: RunJobsOptions, kill: () => void): Promise<PoolOutcome> {
  const results: (JobResult | undefined)[] = new Array<JobResult | undefined>(jobs.length).fill(undefined);
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let settled = false;
    const current = new Map<Worker, number>();
    const detach: (() => void)[] = [];
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      for (const d of detach) d();
      f();
    };
    const dispatch = (w: Worker): void => {
      if (next >= jobs.length) return;
      current.set(w, next);
      w.postMessage({ id: next, job: jobs[next] as Job } satisfies JobMessage);
      next += 1;
    };
    const fail = (e: JobFailed): void =>
      settle(() => {
        kill();
        reject(e);
      });
    for (const w of threads) {
      const onMessage = (reply: JobReply): void => {
        current.delete(w);
        if (!reply.ok) return fail(new JobFailed(reply.id, reply.failure));
        results[reply.id] = reply.result;
        done += 1;
        opts.onResult?.(reply.id, reply.result);
        if (done === jobs.length) settle(() => resolve({ results, done, interrupted: false }));
        else dispatch(w);
      };
      const onError = (e: Error): void => fail(new JobFailed(current.get(w) ?? -1, { kind: 'error', message: e.message }));
      const onExit = (code: number): void =>
        fail(new JobFailed(current.get(w) ?? -1, { kind: 'error', message: `a worker thread exited (code ${code})` }));
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      detach.push(() => w.off('message', onMessage).off('error', onError).off('exit', onExit));
    }
    const onAbort = (): void =>
      settle(() => {
        kill();
        resolve({ results, done, interrupted: true });
      });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    detach.push(() => opts.signal?.removeEventListener('abort', onAbort));
    if (jobs.length === 0) return settle(() => resolve({ results, done, interrupted: false }));
    for (const w of threads) dispatch(w);
  });
}

/**
 * A pool of `workers` threads (started on first use). With `workers` ≤ 1, or
 * where threads cannot load loopsim, jobs run in-process, one after another.
 */
export function createWorkerPool(workers: number): WorkerPool {
  let threads: Worker[] = [];
  let inProcess = workers <= 1;
  const kill = (): void => {
    for (const w of threads) void w.terminate();
    threads = [];
  };
  const pool: WorkerPool = {
    get threads() {
      return inProcess ? 0 : threads.length;
    },
    async run(jobs, opts = {}) {
      // Never more threads than jobs: a default of 64 cores should not start 64 threads for 3 runs.
      const wanted = Math.min(workers, jobs.length);
      while (!inProcess && threads.length < wanted) {
        const w = spawnThread();
        if (w === undefined) {
          if (threads.length === 0) inProcess = true;
          break;
        }
        threads.push(w);
      }
      if (inProcess || threads.length === 0) return runInProcess(jobs, opts);
      return runOnThreads(threads, jobs, opts, kill);
    },
    async close() {
      const closing = threads.map((w) => w.terminate());
      threads = [];
      await Promise.all(closing);
    },
  };
  return pool;
}
