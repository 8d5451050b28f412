/**
 * The last step of `npm run build`: records the bundle's code cache (see
 * code-cache.ts) by running one of the scenarios in scenarios/ through the
 * freshly built CLI, outputs to a temporary folder that is then removed.
 * Caches left from an earlier build are deleted first, so none outlives the
 * text it was recorded from. A failure here fails the build: the CLI that
 * was just bundled does not run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scenario the caches are recorded from: short, and it reaches most of the engine. */
const SCENARIO = 'scenarios/retry-storm-fixed.yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bundle = join(root, 'dist/cli');
for (const f of readdirSync(bundle)) if (f.endsWith('.cache')) rmSync(join(bundle, f));
const out = mkdtempSync(join(tmpdir(), 'loopsim-code-cache-'));
try {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin/loopsim.js'), 'run', join(root, SCENARIO), '--no-report', '--quiet', '--out', out],
    {
      env: { ...process.env, LOOPSIM_RECORD_CODE_CACHE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0) {
    process.stderr.write(`recording the code cache: \`loopsim run ${SCENARIO}\` exited with ${r.status ?? r.signal}\n`);
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
