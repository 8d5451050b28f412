/**
 * `--png`: resvg draws the charts with the bundled DejaVu Sans, so text shows
 * up even on a machine without any system font.
 */
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, test } from 'vitest';
import { bundledFontFiles, createPngRenderer, PNG_SCALE, pngFontOptions } from '../../sim/cli/png.js';

/** Text only, in the charts' font stack: blank unless a font was found for it. */
const TEXT_ONLY = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="20" font-family="Helvetica, Arial, sans-serif" font-size="14">loopsim</text></svg>';

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
