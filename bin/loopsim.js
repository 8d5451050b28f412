#!/usr/bin/env node
// The `loopsim` command: runs the bundled CLI (npm install builds it into dist/cli/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('loopsim is not built yet: run `npm install` (or `npm run build`) in the project folder.\n');
  process.exit(2);
}
await import(main.href);
