/**
 * `--png`: resvg draws the charts with the bundled DejaVu Sans, so text shows
 * up even on a machine without any system font; and every path of `loopsim
 * run` (files, `--set`/`--seeds`, `--all`) writes the same PNGs with it.
 */
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, test } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { bundledFontFiles, createPngRenderer, PNG_SCALE, pngFontOptions } from '../../sim/cli/png.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

/** Text only, in the charts' font stack: blank unless a font was found for it. */
const TEXT_ONLY =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="20" font-family="Helvetica, Arial, sans-serif" font-size="14">loopsim</text></svg>';

describe('PNG rendering', () => {
  test('uses the bundled font and no system font', () => {
    expect(bundledFontFiles()).toHaveLength(2);
    expect(pngFontOptions()).toMatchObject({ loadSystemFonts: false, sansSerifFamily: 'DejaVu Sans' });
  });

  test('draws the text of an SVG', () => {
    const image = new Resvg(TEXT_ONLY, { font: pngFontOptions(), logLevel: 'off' }).render();
    let inked = 0;
    // RGBA: count pixels with any opacity; a missing font leaves all of them transparent.
    for (let i = 3; i < image.pixels.length; i += 4) if ((image.pixels[i] ?? 0) > 0) inked++;
    expect(inked).toBeGreaterThan(50);
  });

  test('writes a PNG at twice the SVG size, the same bytes every time', async () => {
    const toPng = await createPngRenderer();
    const a = toPng(TEXT_ONLY);
    expect(Buffer.from(a.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([120 * PNG_SCALE, 30 * PNG_SCALE]);
    expect(Buffer.from(toPng(TEXT_ONLY)).equals(Buffer.from(a))).toBe(true);
  });
});

describe('--png on every path of loopsim run', () => {
  /** A small scenario (45 s, about 190,000 events) whose charts all have data. */
  const FILE = fileURLToPath(new URL('../sweep/fixtures/retry-threshold.yaml', import.meta.url));
  /** The first 8 bytes of every PNG file. */
  const PNG_SIGNATURE = '89504e470d0a1a0a';

  const namesEnding = (dir: string, ext: string): string[] =>
    readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort();

  /** A folder holding only FILE, for `run --all`. */
  function library(): string {
    const lib = tempDir('loopsim-png-lib-');
    copyFileSync(FILE, join(lib, 'retry-threshold.yaml'));
    return lib;
  }

  /**
   * Runs each path into its own folder with `extra` flags; returns the folder
   * holding each path's run outputs. `--set warmup=1s` repeats the file's own
   * value: it only sends the run through the --set path.
   */
  async function runEveryPath(extra: string[]): Promise<Record<string, string>> {
    const out = tempDir('loopsim-png-');
    const paths: Record<string, [string[], string]> = {
      'run file': [['run', FILE, '--out', join(out, 'plain')], join(out, 'plain')],
      'run --set': [['run', FILE, '--set', 'warmup=1s', '--out', join(out, 'set')], join(out, 'set')],
      'run --set --seeds': [
        ['run', FILE, '--set', 'duration=20s', '--seeds', '2', '--workers', '1', '--out', join(out, 'seeds')],
        join(out, 'seeds'),
      ],
      'run --all': [['run', '--all', library(), '--out', join(out, 'all')], join(out, 'all', 'retry-threshold')],
    };
    const dirs: Record<string, string> = {};
    for (const [path, [argv, dir]] of Object.entries(paths)) {
      const cap = captureIo();
      expect(await main([...argv, ...extra, '--quiet'], cap.io), path).toBe(0);
      expect(cap.err(), path).toBe('');
      dirs[path] = dir;
    }
    return dirs;
  }

  test('run, run --set, run --set --seeds and run --all write a PNG beside each chart of the run', async () => {
    const dirs = await runEveryPath(['--png']);
    const plain = dirs['run file'] ?? '';
    const svgs = namesEnding(plain, '.svg');
    expect(svgs).toContain('queue-depth.svg');
    const pngs = svgs.map((f) => f.replace(/\.svg$/, '.png'));
    expect(namesEnding(plain, '.png')).toEqual(pngs);
    for (const [path, dir] of Object.entries(dirs)) {
      // The same names on every path; --seeds also writes its band charts (replications-*.svg), each with its PNG.
      expect(
        namesEnding(dir, '.png').filter((f) => !f.startsWith('replications-')),
        path,
      ).toEqual(pngs);
      const bands = namesEnding(dir, '.svg').filter((f) => f.startsWith('replications-'));
      expect(bands.length > 0, path).toBe(path === 'run --set --seeds');
      expect(
        namesEnding(dir, '.png').filter((f) => f.startsWith('replications-')),
        path,
      ).toEqual(bands.map((f) => f.replace(/\.svg$/, '.png')));
      for (const png of pngs) {
        const bytes = readFileSync(join(dir, png));
        expect(bytes.subarray(0, 8).toString('hex'), `${path}: ${png}`).toBe(PNG_SIGNATURE);
        // The same scenario and seed (--seeds shortens the run, so its charts differ): the same bytes.
        if (path !== 'run --set --seeds') expect(bytes.equals(readFileSync(join(plain, png))), `${path}: ${png}`).toBe(true);
      }
    }
  });

  test('compare --png writes a PNG beside each of its charts; without it, none', async () => {
    const out = tempDir('loopsim-png-compare-');
    for (const png of [true, false]) {
      const dir = join(out, String(png));
      const cap = captureIo();
      const argv = [
        'compare',
        FILE,
        '--with',
        'services.api.workers=12',
        '--set',
        'duration=20s',
        '--workers',
        '1',
        '--quiet',
        '--out',
        dir,
      ];
      expect(await main(png ? [...argv, '--png'] : argv, cap.io)).toBe(0);
      expect(cap.err()).toBe('');
      const svgs = namesEnding(dir, '.svg');
      expect(svgs.length).toBeGreaterThan(0);
      const pngs = namesEnding(dir, '.png');
      expect(pngs).toEqual(png ? svgs.map((f) => f.replace(/\.svg$/, '.png')) : []);
      for (const f of pngs) expect(readFileSync(join(dir, f)).subarray(0, 8).toString('hex'), f).toBe(PNG_SIGNATURE);
    }
  });

  test('without --png no path writes a PNG, though the SVGs are there', async () => {
    for (const [path, dir] of Object.entries(await runEveryPath([]))) {
      expect(namesEnding(dir, '.svg'), path).toContain('queue-depth.svg');
      expect(namesEnding(dir, '.png'), path).toEqual([]);
    }
  });

  test('with --no-report, --all and --set warn as the plain run does and write no PNG', async () => {
    const out = tempDir('loopsim-png-');
    const warning = '⚠ --png draws the charts as PNG too; with --no-report there are no charts, so no PNG is written.\n';
    for (const [argv, dir] of [
      [['run', FILE, '--png', '--no-report', '--quiet', '--out', join(out, 'plain')], join(out, 'plain')],
      [['run', FILE, '--set', 'warmup=1s', '--png', '--no-report', '--quiet', '--out', join(out, 'set')], join(out, 'set')],
      [['run', '--all', library(), '--png', '--no-report', '--quiet', '--out', join(out, 'all')], join(out, 'all', 'retry-threshold')],
    ] as const) {
      const cap = captureIo();
      expect(await main(argv, cap.io)).toBe(0);
      expect(cap.err(), argv.join(' ')).toBe(warning);
      expect(readdirSync(dir), argv.join(' ')).toContain('summary.json');
      expect(
        readdirSync(dir).filter((f) => /\.(png|svg)$/.test(f)),
        argv.join(' '),
      ).toEqual([]);
    }
  });
});
