/**
 * The build rewrites string-width's module-level Unicode tables (an
 * Intl.Segmenter, regexes of Unicode properties) into stand-ins built on
 * first use (rollup.config.mjs, `lazyUnicodeTables`). Here the plugin builds
 * the string-width that yargs lays its help out with, and the result must
 * measure text exactly as the untouched module does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup, type Plugin } from '@rollup/wasm-node';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const fromYargs = createRequire(createRequire(join(root, 'package.json')).resolve('yargs'));
/** The string-width yargs imports (its own copy, a newer major than cliui's). */
const stringWidthEntry = fromYargs.resolve('string-width');

const dir = mkdtempSync(join(tmpdir(), 'loopsim-lazy-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Width = (text: string) => number;

const SAMPLES = [
  'plain ascii',
  '古池や蛙飛び込む',
  '👨‍👩‍👧‍👦 family',
  '🇫🇷',
  '1️⃣',
  'e\u0301',
  '\u001b[31mred\u001b[0m',
  'ｈａｌｆ',
  '한국어 각',
  'zero\u200bwidth',
  '☺️ 🏳️‍🌈',
  'x\u0903',
  '',
];

describe('lazy Unicode tables in the bundle', () => {
  it('measure text exactly as the untouched string-width does', async () => {
    // The config is a list of builds (the CLI's, the playground's engine): the plugin is in one of them.
    const config = (await import(pathToFileURL(join(root, 'rollup.config.mjs')).href)) as { default: { plugins: Plugin[] }[] };
    const plugin = config.default.flatMap((build) => build.plugins).find((p) => p.name === 'lazy-unicode-tables');
    expect(plugin, 'rollup.config.mjs has the plugin').toBeDefined();
    const bundle = await rollup({ input: stringWidthEntry, plugins: [nodeResolve(), plugin!] });
    const file = join(dir, 'string-width.mjs');
    await bundle.write({ file, format: 'es' });
    await bundle.close();
    const rewritten = readFileSync(file, 'utf8');
    expect(rewritten, 'the plugin rewrote the Segmenter and the \\p{RGI_Emoji} regex').toMatch(/\(\) => new Intl\.Segmenter\(\)/);
    expect(rewritten).toMatch(/\(\) => \/\^\\p\{RGI_Emoji\}\$\/v/);
    const lazy = ((await import(pathToFileURL(file).href)) as { default: Width }).default;
    const real = ((await import(pathToFileURL(stringWidthEntry).href)) as { default: Width }).default;
    for (const text of SAMPLES) expect(lazy(text), JSON.stringify(text)).toBe(real(text));
  });
});
