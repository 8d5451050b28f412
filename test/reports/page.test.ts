import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../reports/charts.js';
import { FLAG_NO_BACKOFF, FLAG_NO_BREAKER, FLAG_NO_TIMEOUT } from '../../reports/edge-notes.js';
import { escapeHtml } from '../../reports/format.js';
import { loadChartLibraries } from '../../reports/libraries.js';
import { renderReportPage, type ReportPageInput } from '../../reports/page.js';
import { describeVerdict } from '../../reports/verdict-text.js';
import { reduceSummary } from '../../sim/metrics/summary.js';
import { makeRun, makeScenario } from './fixtures.js';

const FAKE_LIBRARIES = {
  vega: '/* vega bundle */ window.vegaTest = "</script><!-- not the end";',
  vegaLite: '/* vega-lite bundle */',
  vegaEmbed: '/* vega-embed bundle */',
};

function makeInput(libraries = FAKE_LIBRARIES): ReportPageInput {
  const run = makeRun();
  const scenario = makeScenario();
  const summary = reduceSummary(run, scenario, { seed: 7, version: '0.1.0-test', events: 123456 });
  return {
    scenario,
    summary: {
      ...summary,
      expectations: [
        { text: 'users.goodput mean from 40s to end atLeast 90', ok: false, actual: 20 },
        { text: 'db.queue max below 50', ok: true, actual: 7.5 },
      ],
    },
    charts: buildCharts(run, scenario),
    libraries,
  };
}

/** URLs the browser would fetch by itself: script/img/iframe src, link href, CSS @import and url(). */
function fetchedUrls(html: string): string[] {
  const patterns = [
    /<(?:script|img|iframe|embed|source|audio|video|track|input)\b[^>]*\ssrc\s*=\s*["']?([^"'\s>]+)/gi,
    /<link\b[^>]*\shref\s*=\s*["']?([^"'\s>]+)/gi,
    /<object\b[^>]*\sdata\s*=\s*["']?([^"'\s>]+)/gi,
    /@import\s+(?:url\()?\s*["']?([^"')\s;]+)/gi,
    /url\(\s*["']?([^"')\s]+)/gi,
    /<meta\b[^>]*http-equiv\s*=\s*["']?refresh[^>]*>/gi,
  ];
  const urls = patterns.flatMap((p) => [...html.matchAll(p)].map((m) => m[1] ?? m[0]));
  // Local references (#arrow-ok markers) and data: URIs never leave the page.
  return urls.filter((u) => !u.startsWith('#') && !u.startsWith('data:'));
}

/** The page without the bodies of its inline scripts (the libraries' code). */
function markupOnly(html: string): string {
  return html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
}

describe('renderReportPage', () => {
  const input = makeInput();
  const html = renderReportPage(input);

  it('says how to try the scenario in the playground; with play.html beside it, links to it', () => {
    expect(html).toContain('<code>loopsim run --play</code>');
    expect(html).not.toContain('href="play.html"');
    const linked = renderReportPage({ ...input, play: true });
    expect(linked).toContain('<a href="play.html">open this scenario in the playground</a>');
    expect(linked).not.toContain('<code>loopsim run --play</code>');
  });

  it('opens with the name, the story as escaped paragraphs and the verdict sentence, in that order', () => {
    expect(html).toContain('<h1>fixture-storm</h1>');
    expect(html).toContain('<title>fixture-storm — loopsim report</title>');
    expect(html).toContain('<p>A latency spike in db.</p><p>The gateway retries &lt;at once&gt; &amp; without backoff.</p>');
    const sentence = describeVerdict(input.summary.verdict, input.scenario);
    expect(sentence).toBe(
      'Metastable: 20 s after the last fault (the cache flush on gateway->db), goodput of users is still 20% of its pre-fault level.' +
        ' Sustained by the retry loop through gateway: each operation now costs 2.5 attempts; the gateway would need 250/s and serves 80/s.' +
        ' Goodput fell to 20% of normal and stayed below half of it for 40 s, during the latency spike on db (+200ms for 10s); 3,200 operations lost.',
    );
    expect(html).toContain(escapeHtml(sentence));
    const order = ['<h1>', 'class="story"', 'class="verdict', 'id="structure"', 'id="charts"', 'id="summary"', 'id="expectations"'];
    const positions = order.map((m) => html.indexOf(m));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('annotates every edge of the structure map with its timeout, and flags what is missing', () => {
    const map = /<svg class="structure-map"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(map).toContain('timeout 1s');
    expect(map).toContain('timeout 500ms');
    expect(map).toContain(escapeHtml(FLAG_NO_TIMEOUT));
    expect(map).toContain(FLAG_NO_BACKOFF);
    expect(map).toContain(FLAG_NO_BREAKER);
    expect(map).toMatch(/<g class="edge danger" data-from="gateway" data-to="auth">/);
    expect(map).toMatch(/<g class="edge ok" data-from="users" data-to="gateway">/);
    expect(map).toMatch(/<g class="edge warn" data-from="gateway" data-to="db">/);
    // The legend explains the colours.
    expect(html).toContain('class="legend"');
  });

  it('has one container per chart, in buildCharts order, with the specs inlined as JSON', () => {
    const ids = [...html.matchAll(/<figure class="chart" id="chart-([^"]+)" data-chart="\1">/g)].map((m) => m[1]);
    expect(ids).toEqual(input.charts.map((c) => c.id));
    const json = /<script type="application\/json" id="loopsim-charts">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '[]';
    const charts = JSON.parse(json) as { id: string; spec: { params?: { name: string }[] } }[];
    expect(charts.map((c) => c.id)).toEqual(ids);
    // The others follow the brush on queue-depth.
    expect(charts[1]?.spec.params?.map((p) => p.name)).toContain('loopsimZoom');
  });

  it('shows the summary metrics with units and the expectations with pass and fail', () => {
    expect(html).toContain('<code>users.goodput</code>');
    expect(html).toMatch(/<code>users\.latency<\/code><\/th><td class="unit">ms<\/td>/);
    expect(html).toContain('✗ fail');
    expect(html).toContain('✓ pass');
    expect(html).toContain('1 of 2 expectations fail.');
  });

  it('inlines the libraries, keeping a "</script>" inside them from closing the tag', () => {
    expect(html).toContain('/* vega-lite bundle */');
    expect(html).toContain('window.vegaTest = "<\\/script><\\!-- not the end";');
    expect(html.match(/<script\b/g)).toHaveLength(5);
    expect(html.match(/<\/script>/g)).toHaveLength(5);
  });

  it('is deterministic', () => {
    expect(renderReportPage(makeInput())).toBe(html);
  });

  it('makes no request: no external URL to fetch, and a CSP that forbids any', async () => {
    const real = renderReportPage(makeInput(await loadChartLibraries()));
    expect(fetchedUrls(markupOnly(real))).toEqual([]);
    expect(markupOnly(real)).not.toMatch(/https?:\/\//);
    expect(fetchedUrls(html)).toEqual([]);
    expect(real).toContain(`content="default-src 'none';`);
  });
});

describe('loadChartLibraries', () => {
  it('reads the three browser bundles', async () => {
    const libs = await loadChartLibraries();
    expect(libs.vega).toContain('vega');
    expect(libs.vegaLite).toContain('vegaLite');
    expect(libs.vegaEmbed).toContain('vegaEmbed');
    expect(libs.vega.length).toBeGreaterThan(100_000);
  });
});
