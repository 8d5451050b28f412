/**
 * Writing outputs safely in a folder others may also write to.
 *
 * - Each file goes through a temporary file beside it, with a random name,
 *   created exclusively and never through a link (O_CREAT | O_EXCL |
 *   O_NOFOLLOW), then renamed over the output: a link planted in the folder
 *   cannot redirect the write, and a reader never sees half a file.
 * - A command's set of files is written under a lock (`.loopsim.lock`,
 *   created exclusively, holding the writer's pid), so two runs into one
 *   folder cannot mix their files: the second is refused. A lock left by a
 *   process that no longer exists is taken over. Before the first file, the
 *   set's completion marker (summary.json, sweep.json, …) of an earlier run
 *   is removed, so a rerun that is killed leaves no old marker beside new
 *   files; temporary files left by a killed writer are removed too.
 * - While the files are written, SIGINT, SIGTERM and SIGHUP wait: the set is
 *   finished first, then the command ends as interrupted (exit 130).
 * - A failure of the environment (no space, read-only, permission, a path
 *   under a file, a name too long, ...) becomes an {@link OutputError}: one
 *   line naming the file and the reason, exit 2. The temporary file is
 *   removed; the files already renamed stay, whole, without the marker.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** An output could not be written because of the machine or its folders (exit 2, not a bug). */
export class OutputError extends Error {}

/** A signal arrived while outputs were written; they were finished first (exit 130). */
export class OutputsInterrupted extends Error {
  readonly signal: string;
  constructor(signal: string, dir: string) {
    super(`interrupted (${signal}) while writing the outputs in ${dir}; they were finished first.`);
    this.signal = signal;
  }
}

/** Name of the lock file of an output folder. */
export const LOCK_FILE = '.loopsim.lock';

/** Temporary files: `.<name>.<16 hex>.tmp`. */
const TMP_PATTERN = /^\..+\.[0-9a-f]{16}\.tmp$/;

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'something that is not a folder is in the way (a file, a link or a device)',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of links, or a link where none may be',
  ENOENT: 'a folder on the way does not exist (a dangling link?)',
  EIO: 'an input/output error of the device',
  EFBIG: 'the file is too large for the file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'the device or file is busy',
  EXDEV: 'the temporary file and the output are on different devices',
};

/** An error of a file-system call as an {@link OutputError} about `path`; anything else unchanged. */
export function outputErrorOf(e: unknown, action: string, path: string): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return e;
  return new OutputError(`cannot ${action} ${path}: ${REASONS[code] ?? 'the system refused'} (${code}).`);
}

/** How the bytes go into an open file; replaceable so tests can fail a write as a full disk does. */
export type WriteBytes = (fd: number, data: Uint8Array) => void;

const writeAll: WriteBytes = (fd, data) => {
  for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
};

/** Creates `dir` (and its parents) and checks it is a folder; throws an OutputError otherwise. */
export function ensureFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (e) {
    throw outputErrorOf(e, 'create the output folder', dir);
  }
}

/**
 * Writes `data` to `path` through an exclusive temporary file and a rename;
 * creates the folder. Throws {@link OutputError} when the machine refuses,
 * leaving no temporary file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, write: WriteBytes = writeAll): void {
  ensureFolder(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    throw outputErrorOf(e, 'write', path);
  }
  try {
    try {
      write(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone (renamed, or never written): nothing to remove.
    }
    throw outputErrorOf(e, 'write', path);
  }
}

/** Whether process `pid` exists (a signal 0 reaches it, or it belongs to another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds the lock of, with how many holders each: a lock taken again inside is shared. */
const held = new Map<string, number>();

/**
 * Takes the lock of `dir`; returns its release. Throws OutputError when
 * another live writer holds it. Taking it again in this process (a sweep
 * that streams its runs, then writes its outputs) shares the lock; the last
 * release removes it.
 */
function lockFolder(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const key = resolve(path);
  const holders = held.get(key);
  if (holders !== undefined) {
    held.set(key, holders + 1);
    return () => unlock(key, path);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      writeAll(fd, Buffer.from(`${process.pid}\n`));
      closeSync(fd);
      held.set(key, 1);
      return () => unlock(key, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw outputErrorOf(e, 'lock the output folder', dir);
    }
    let pid = NaN;
    try {
      pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      // Unreadable or gone: treated as stale.
    }
    if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) {
      throw new OutputError(
        `${dir} is being written by another loopsim (pid ${pid}); wait for it, or give another --out (remove ${path} if no such run is going on).`,
      );
    }
    try {
      unlinkSync(path);
    } catch (e) {
      throw outputErrorOf(e, 'take over the stale lock', path);
    }
  }
}

/** Drops one holder of the lock at `path`; the last one removes the file. */
function unlock(key: string, path: string): void {
  const holders = (held.get(key) ?? 1) - 1;
  if (holders > 0) {
    held.set(key, holders);
    return;
  }
  held.delete(key);
  try {
    unlinkSync(path);
  } catch {
    // Removed by hand meanwhile: nothing to release.
  }
}

/** Removes the temporary files a killed writer left in `dir` (the lock is held, so none is in use). */
function removeStaleTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!TMP_PATTERN.test(name)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Gone already.
    }
  }
}

/**
 * Locks `dir` (creating it) for a command that writes into it over a while,
 * and clears what an earlier run left: its `marker` (so no old marker stands
 * beside new files) and stale temporary files. Returns the release. Throws
 * {@link OutputError} when the folder cannot be made or another live loopsim
 * holds it. {@link withOutputFolder} inside it shares the lock.
 */
export function holdOutputFolder(dir: string, marker: string): () => void {
  ensureFolder(dir);
  const release = lockFolder(dir);
  try {
    removeStaleTemporaries(dir);
    try {
      unlinkSync(join(dir, marker));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw outputErrorOf(e, 'remove the earlier', join(dir, marker));
    }
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

/**
 * Writes one command's set of outputs into `dir` (see the module comment):
 * creates and locks the folder, removes the earlier run's `marker` and any
 * stale temporary file, runs `body` (which writes with
 * {@link writeFileAtomic}, the marker last), unlocks. Signals wait until the
 * set is written, then {@link OutputsInterrupted} is thrown.
 */
export async function withOutputFolder<T>(dir: string, marker: string, body: () => Promise<T>): Promise<T> {
  let caught: string | null = null;
  const hold = (signal: NodeJS.Signals): void => {
    caught ??= signal;
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, hold);
  let result: T;
  try {
    const release = holdOutputFolder(dir, marker);
    try {
      result = await body();
    } finally {
      release();
    }
  } finally {
    for (const s of signals) process.off(s, hold);
  }
  if (caught !== null) throw new OutputsInterrupted(caught, dir);
  return result;
}
