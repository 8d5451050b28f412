/**
 * The entry of a pool worker thread: runs each job it is sent and posts back
 * `{ id, ok: true, result }` or `{ id, ok: false, failure }`, one at a time.
 */
import { parentPort } from 'node:worker_threads';
import { describeFailure, executeJob, type Job, type JobFailure, type JobResult } from '../sweep/job.js';

/** A message to a worker: the job and its index in the pool's list. */
export interface JobMessage {
  readonly id: number;
  readonly job: Job;
}

/** A worker's answer to one {@link JobMessage}. */
export type JobReply =
  | { readonly id: number; readonly ok: true; readonly result: JobResult }
  | { readonly id: number; readonly ok: false; readonly failure: JobFailure };

const port = parentPort;
if (port !== null) {
  port.on('message', (m: JobMessage) => {
    let reply: JobReply;
    try {
      reply = { id: m.id, ok: true, result: executeJob(m.job) };
    } catch (e) {
      reply = { id: m.id, ok: false, failure: describeFailure(e) };
    }
    port.postMessage(reply);
  });
}
