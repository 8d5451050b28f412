/**
 * Helpers for the CLI-level tests of compare, sweep and merge: an Io that
 * records what a command prints, and a fresh temporary folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../sim/cli/io.js';

/** An Io that keeps stdout and stderr as text. */
export function captureIo(): { readonly io: Io; out(): string; err(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

/** A new empty folder under the system's temporary folder. */
export function tempDir(prefix = 'loopsim-sweep-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
