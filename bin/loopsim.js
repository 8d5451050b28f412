#!/usr/bin/env node
// The `loopsim` command: runs the bundled CLI (npm install builds it into
// dist/cli/), compiled through the code cache the build records
// (sim/cli/code-cache.ts). LOOPSIM_RECORD_CODE_CACHE=1 records it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const loader = new URL('../dist/sim/cli/code-cache.js', import.meta.url);
if (!existsSync(main) || !existsSync(fileURLToPath(loader))) {
  process.stderr.write('loopsim is not built yet: run `npm install` (or `npm run build`) in the project folder.\n');
  process.exit(2);
}
const { runBundle } = await import(loader.href);
runBundle(main, { record: process.env.LOOPSIM_RECORD_CODE_CACHE === '1' });
