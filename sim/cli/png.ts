/**
 * SVG → PNG for `loopsim run --png`, with resvg (a Rust renderer shipped as a
 * prebuilt binary inside its npm package). Loaded only when --png is given:
 * outputs.ts imports this module dynamically.
 *
 * Text needs a font, and a fresh machine (a container, CI) may have none.
 * The charts ask for `Helvetica, Arial, sans-serif`, so the generic
 * `sans-serif` is mapped to DejaVu Sans from the `dejavu-fonts-ttf` package,
 * and system fonts are not loaded at all: the PNG then looks the same on
 * every machine, works offline, and rendering skips the font scan. Only
 * when that package is missing does resvg fall back to the system's fonts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

/** Pixels per SVG unit in the PNG: 2 gives crisp text on high-density screens and in slides. */
export const PNG_SCALE = 2;

/** The family the bundled font files define. */
const BUNDLED_FAMILY = 'DejaVu Sans';
/** The files of that family that the charts use (normal and bold). */
const BUNDLED_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** Absolute paths of the bundled font files, or [] when the font package is not installed. */
export function bundledFontFiles(): string[] {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('dejavu-fonts-ttf/package.json'));
    const files = BUNDLED_FILES.map((f) => join(root, 'ttf', f));
    return files.every((f) => existsSync(f)) ? files : [];
  } catch {
    return [];
  }
}

/** The font settings resvg renders with: the bundled font when present, else the system's fonts. */
export function pngFontOptions(): NonNullable<ResvgRenderOptions['font']> {
  const files = bundledFontFiles();
  if (files.length === 0) return { loadSystemFonts: true };
  return {
    loadSystemFonts: false,
    fontFiles: files,
    defaultFontFamily: BUNDLED_FAMILY,
    sansSerifFamily: BUNDLED_FAMILY,
  };
}

/**
 * The PNG beside each SVG among `files` ([name, text] pairs): `x.svg` gives
 * `x.png`; other files are skipped. Loads resvg once for all of them.
 */
export async function pngsBeside(files: readonly (readonly [string, string])[]): Promise<[string, Uint8Array][]> {
  const svgs = files.filter(([name]) => name.endsWith('.svg'));
  if (svgs.length === 0) return [];
  const toPng = await createPngRenderer();
  return svgs.map(([name, svg]) => [name.replace(/\.svg$/, '.png'), toPng(svg)]);
}

/** A PNG renderer: SVG text in, PNG bytes out. */
export type PngRenderer = (svg: string) => Uint8Array;

/**
 * Loads resvg and returns a renderer that draws an SVG document at
 * {@link PNG_SCALE}× on a white background. Load once per run: each call of
 * the renderer reuses the font settings resolved here.
 */
export async function createPngRenderer(): Promise<PngRenderer> {
  // resvg-js is CommonJS: its classes sit on the default export under ESM.
  const mod = await import('@resvg/resvg-js');
  const Resvg = mod.Resvg ?? (mod as unknown as { default: typeof mod }).default.Resvg;
  const options: ResvgRenderOptions = {
    font: pngFontOptions(),
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    // resvg warns on stderr for every font family it cannot match (Helvetica,
    // Arial) even when the generic fallback then draws the text.
    logLevel: 'error',
  };
  return (svg) => new Resvg(svg, options).render().asPng();
}
