/**
 * `loopsim init`: the starting scenario validates against the schema and the
 * checks, runs with its expectations met, and never overwrites a file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../sim/cli/commands.js';
import { initCommand } from '../../sim/cli/init.js';
import { SCHEMA_COMMENT, formatScenarioSchema } from '../../sim/cli/schema-command.js';
import { loadScenarioFile } from '../../sim/index.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

describe('loopsim init', () => {
  it('writes a commented scenario with the schema line, and the schema beside it, that validates and runs', async () => {
    const dir = tempDir('loopsim-init-');
    const cap = captureIo();
    expect(initCommand('checkout-flow', { dir }, cap.io)).toBe(0);
    const file = join(dir, 'checkout-flow.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(SCHEMA_COMMENT);
    expect(text).toContain('docs/scenario-format.md');
    expect(readFileSync(join(dir, 'schema.json'), 'utf8')).toBe(formatScenarioSchema());
    const loaded = loadScenarioFile(file);
    expect(loaded.ok && loaded.warnings).toEqual([]);
    expect(loaded.ok && loaded.scenario.name).toBe('checkout-flow');
    const out = tempDir('loopsim-init-out-');
    const run = captureIo();
    expect(await runCommand([file], { out, noReport: true, quiet: true }, run.io)).toBe(0);
    expect(run.out()).toMatch(/^ok {3}verdict is one of recovered, stable/m);
  });

  it('never overwrites: refuses an existing scenario, keeps an existing schema.json', () => {
    const dir = tempDir('loopsim-init-');
    writeFileSync(join(dir, 'schema.json'), '{}\n');
    expect(initCommand(undefined, { dir }, captureIo().io)).toBe(0);
    expect(existsSync(join(dir, 'my-system.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'schema.json'), 'utf8')).toBe('{}\n');
    const again = captureIo();
    expect(initCommand(undefined, { dir }, again.io)).toBe(2);
    expect(again.err()).toContain('my-system.yaml already exists');
    const bad = captureIo();
    expect(initCommand('My System', { dir }, bad.io)).toBe(2);
    expect(bad.err()).toContain('cannot be a scenario name');
  });
});
