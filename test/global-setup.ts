/**
 * vitest globalSetup: compiles the project into dist/ once before any test
 * file runs, so the child-process tests of `bin/loopsim.js` always run the
 * code under test and never a stale build.
 *
 * Type errors do not stop the tests: tsc still writes every file then (its
 * exit code 2), they are printed as a warning, and `npm run typecheck`
 * is where they fail. Anything else (exit 1: nothing written, or npm not
 * starting) fails the run with the compiler's output.
 *
 * LOOPSIM_SKIP_BUILD=1 skips the build (for a quick `vitest run test/engine`
 * while editing; the child-process tests then run whatever dist/ holds).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
const root = fileURLToPath(new URL('..', import.meta.url));

/** tsc's exit code when it reported errors but wrote its output anyway. */
const TSC_EMITTED_WITH_ERRORS = 2;

/** Runs `npm run build`; throws with its output when nothing could be built. */
export default function setup(): void {
  if (process.env['LOOPSIM_SKIP_BUILD'] === '1') return;
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.error) throw new Error(`npm run build could not start: ${r.error.message}`);
  const output = `${r.stdout}${r.stderr}`.replace(/^npm warn .*\n/gm, '');
  if (r.status === TSC_EMITTED_WITH_ERRORS) {
    process.stderr.write(`⚠ npm run build reported type errors; dist/ was written anyway, testing it:\n${output}\n`);
    return;
  }
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${String(r.status)}):\n${output}`);
}
