/**
 * play.html as text: the page script is valid JavaScript, the CSP lets the
 * page start its worker from a blob and nothing else, and the scenario and
 * the engine are inlined so that no `</script>` in them can end a script early.
 */
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderPlayPage } from '../../reports/play-page.js';
import { playScript } from '../../reports/play-script.js';

const libraries = { vega: '/* vega */', vegaLite: '/* vega-lite */', vegaEmbed: '/* vega-embed */' };

describe('renderPlayPage', () => {
  it('writes a script that parses', () => {
    expect(() => new Script(playScript({ scenarioId: 'a', engineId: 'b' }))).not.toThrow();
  });

  it('allows a blob worker, inlines the scenario and the engine as JSON, and is deterministic', () => {
    const input = { file: 'x.yaml', text: 'name: x # </script><!--', engine: 'var s = "</script>";', libraries, version: '9.9.9' };
    const html = renderPlayPage(input);
    expect(html).toContain('worker-src blob:');
    expect(html.match(/<\/script>/gi)?.length).toBe(html.match(/<script/gi)?.length);
    const engine = /<script type="application\/json" id="loopsim-engine">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(engine ?? 'null')).toBe(input.engine);
    expect(renderPlayPage(input)).toBe(html);
  });
});
