/**
 * `loopsim/core` (sim/core.ts) runs anywhere: bundled for the browser, it
 * takes in no Node built-in module, and the bundle, run where there is no
 * `require` and no `process`, gives the same bytes as the Node entry: the
 * same messages for bad text, the same summary, charts, compare.json and
 * sweep.json. Where headless Chromium is installed (/usr/bin/chromium), the
 * bundle also runs in a real page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import vm from 'node:vm';
import { build, type Plugin } from 'esbuild';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '../sim/core.js';
import * as api from '../sim/index.js';

const BUILTINS = new Set(builtinModules);

/** Whether `id` names one of Node's built-in modules (`node:fs`, `fs`, `fs/promises`, `worker_threads`, ...). */
function isBuiltin(id: string): boolean {
  return id.startsWith('node:') || BUILTINS.has(id) || BUILTINS.has(id.split('/')[0] ?? '');
}

/** An esbuild plugin that lets no built-in into the bundle: each one asked for is recorded with its importer, and left out. */
function recordBuiltins(into: string[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!isBuiltin(args.path)) return undefined;
        into.push(`${args.path} (imported by ${args.importer})`);
        return { path: args.path, external: true };
      });
    },
  };
}

/** Bundles `entry` as a browser script that defines the global `loopsim`; the built-ins it asked for. */
async function bundleForBrowser(entry: string): Promise<{ code: string; builtins: string[] }> {
  const builtins: string[] = [];
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'loopsim',
    write: false,
    logLevel: 'silent',
    plugins: [recordBuiltins(builtins)],
  });
  return { code: out.outputFiles[0]?.text ?? '', builtins };
}

/** A small scenario that reaches retries, a breaker, a cache and a fault. */
const SMALL = `
name: small
duration: 40s
warmup: 5s
clients:
  shoppers: { target: api, arrival: { kind: poisson, rate: 80 }, timeout: 1s, retry: { attempts: 2 } }
services:
  api:
    workers: 8
    serviceTime: { dist: exponential, mean: 20ms }
    calls:
      - to: db
        timeout: 200ms
        breaker: { failureRate: 50%, window: { kind: count, size: 20 }, openFor: 2s }
        cache: { keys: 200, ttl: 10s }
  db:
    workers: 4
    serviceTime: { dist: exponential, mean: 30ms }
faults:
  - { kind: latency, target: db, at: 15s, for: 5s, add: 150ms }
`;

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`core.test: the run in Chromium is skipped, ${CHROMIUM} does not exist (install it with: apt-get install -y chromium)`);

describe('loopsim/core', () => {
  it('is its own entry in package.json, and the Node entry exports everything it does', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { default: string; types: string }> };
    expect(pkg.exports['./core']).toEqual({ types: './dist/sim/core.d.ts', default: './dist/sim/core.js' });
    expect(pkg.exports['.']).toEqual({ types: './dist/sim/index.d.ts', default: './dist/sim/index.js' });
    for (const name of Object.keys(core)) expect(api, name).toHaveProperty(name);
    expect(Object.keys(core)).not.toContain('loadScenarioFile');
  });

  it('resolves by its package name to the compiled entries (dist/ built by test/global-setup.ts)', () => {
    const script =
      "const c = await import('loopsim/core'); const n = await import('loopsim'); console.log(JSON.stringify([Object.keys(c), Object.keys(n)]));";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [inCore, inNode] = JSON.parse(r.stdout) as [string[], string[]];
    expect(inCore.sort()).toEqual(Object.keys(core).sort());
    expect(inNode.sort()).toEqual(Object.keys(api).sort());
  });

  it('names every built-in that gets into a bundle (the check itself works)', async () => {
    const { builtins } = await bundleForBrowser('sim/index.ts');
    expect(builtins.join('\n')).toMatch(/node:fs \(imported by .*files\.ts\)/);
  });

  describe('bundled for the browser', () => {
    let bundle: { code: string; builtins: string[] };
    let browser: typeof core;
    beforeAll(async () => {
      bundle = await bundleForBrowser('sim/core.ts');
      // A context with the language's own globals and, of the web platform's, only structuredClone
      // and TextEncoder (which every browser has): no require, no process, no Buffer.
      const context = vm.createContext({ structuredClone, TextEncoder });
      vm.runInContext(bundle.code, context);
      expect(vm.runInContext('[typeof require, typeof process, typeof Buffer].join()', context)).toBe('undefined,undefined,undefined');
      browser = (context as { loopsim: typeof core }).loopsim;
    });

    it('takes in no Node built-in module', () => {
      expect(bundle.builtins).toEqual([]);
    });

    it('reports bad text with the same messages: file, line, field, did-you-mean', () => {
      const text = SMALL.replace('workers: 4', 'wrokers: 4');
      const inNode = core.loadScenario(text, 'small.yaml');
      const inBundle = browser.loadScenario(text, 'small.yaml');
      expect(inNode.ok || inBundle.ok).toBe(false);
      if (inNode.ok || inBundle.ok) return;
      const message = core.formatIssues(inNode.issues);
      expect(message).toMatch(/small\.yaml:\d+/);
      expect(message).toMatch(/did you mean "workers"/i);
      expect(browser.formatIssues(inBundle.issues)).toBe(message);
    });

    it('simulates a small scenario to the summary, CSV and charts of the Node run', () => {
      const inNode = core.loadScenario(SMALL, 'small.yaml');
      const inBundle = browser.loadScenario(SMALL, 'small.yaml');
      if (!inNode.ok || !inBundle.ok) throw new Error('the small scenario does not parse');
      const a = core.simulate(inNode.value, { seed: 3 });
      const b = browser.simulate(inBundle.value, { seed: 3 });
      expect(JSON.stringify(b.summary, null, 2)).toBe(JSON.stringify(a.summary, null, 2));
      expect(browser.formatTimeseriesCsv(b.series)).toBe(core.formatTimeseriesCsv(a.series));
      expect(JSON.stringify(browser.buildCharts(b.series, inBundle.value))).toBe(JSON.stringify(core.buildCharts(a.series, inNode.value)));
      expect(browser.describeVerdict(b.summary.verdict, inBundle.value)).toBe(core.describeVerdict(a.summary.verdict, inNode.value));
      expect(browser.renderStructureMap(inBundle.value)).toBe(core.renderStructureMap(inNode.value));
    });

    it.skipIf(!hasChromium)(`runs in a page of headless Chromium (${CHROMIUM}) to the summary of the Node run`, async () => {
      const browserProcess = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu'],
      });
      try {
        const page = await browserProcess.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.addScriptTag({ content: bundle.code });
        const inPage = await page.evaluate((text) => {
          const m = (globalThis as unknown as { loopsim: typeof core }).loopsim;
          const r = m.loadScenario(text, 'small.yaml');
          return r.ok ? JSON.stringify(m.simulate(r.value, { seed: 3 }).summary, null, 2) : m.formatIssues(r.issues);
        }, SMALL);
        expect(errors).toEqual([]);
        const inNode = core.loadScenario(SMALL, 'small.yaml');
        if (!inNode.ok) throw new Error('the small scenario does not parse');
        expect(inPage).toBe(JSON.stringify(core.simulate(inNode.value, { seed: 3 }).summary, null, 2));
      } finally {
        await browserProcess.close();
      }
    });

    it('runs a comparison and a sweep in-process to the same compare.json and sweep.json', () => {
      const variants = (m: typeof core) => {
        const base = m.loadScenario(SMALL, 'small.yaml');
        const sets = m.parseOverrideArguments(['services.api.workers=4'], '--with');
        if (!base.ok || !sets.ok) throw new Error('bad variant');
        const other = m.parseScenarioWith(SMALL, 'small.yaml', sets.value);
        if (!other.ok) throw new Error('bad variant');
        const header = (label: string) => ({ label, dir: label, scenario: 'small', file: 'small.yaml', overrides: [] });
        return [
          { header: header('small'), scenario: base.value },
          { header: header('fewer-workers'), scenario: other.value },
        ];
      };
      const seeds = { from: 1, count: 2 };
      const a = core.runComparison(variants(core), seeds);
      const b = browser.runComparison(variants(browser), seeds);
      expect(browser.formatReplicationsJson(b.file)).toBe(core.formatReplicationsJson(a.file));

      const sweep = (m: typeof core) => {
        const axis = m.parseVary('services.db.workers=2,4');
        if (!axis.ok) throw new Error('bad axis');
        const r = m.runSweep({ text: SMALL, file: 'small.yaml', axes: [axis.value], seeds: { count: 1 } });
        if (!r.ok) throw new Error(m.formatIssues(r.issues));
        return m.formatSweepJson(r.value);
      };
      expect(sweep(browser)).toBe(sweep(core));
    });
  });
});
