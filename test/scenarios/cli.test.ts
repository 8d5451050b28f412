/**
 * The library's two commands: `loopsim list [dir]` (a table built from the
 * files) and `loopsim run --all <dir>` (every scenario, then an offline
 * index page), on small throwaway folders so they stay fast.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../sim/cli/io.js';
import { firstSentence, formatScenarioMarkdown, listCommand, readScenarioRows } from '../../sim/cli/list.js';
import { main } from '../../sim/cli/main.js';

const LIBRARY = join(import.meta.dirname, '..', '..', 'scenarios');

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (t) => void (out += t), err: (t) => void (err += t) }, out: () => out, err: () => err };
}

/** A tiny scenario: 2 s of slightly higher latency on a service at half load; `expectVerdict` is what it claims. */
function tiny(name: string, expectVerdict: string): string {
  return `# yaml-language-server: $schema=./schema.json
name: ${name}
description: |
  A small service at half load. It gets slower for a moment.

  Nothing else happens.
duration: 20s
warmup: 2s
clients:
  users: { target: api, arrival: { kind: poisson, rate: 50 }, timeout: 1s }
services:
  api: { workers: 2, serviceTime: { dist: exponential, mean: 20ms } }
faults:
  - { kind: latency, target: api, at: 5s, for: 2s, add: 5ms }
expect:
  - { verdict: ${expectVerdict} }
`;
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loopsim-library-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('firstSentence', () => {
  it('stops at the first full stop followed by a new sentence', () => {
    expect(firstSentence('A cache (e.g. memcached) holds 1.5 s of data.\n  At t = 90 s it is flushed.')).toBe(
      'A cache (e.g. memcached) holds 1.5 s of data.',
    );
    expect(firstSentence('  No full stop at all  ')).toBe('No full stop at all');
    expect(firstSentence('')).toBe('');
  });
});

describe('loopsim list', () => {
  it('lists the library from its files, each broken scenario right before its fix', () => {
    const rows = readScenarioRows(LIBRARY);
    const names = rows.map((r) => r.name);
    expect(names.length).toBeGreaterThanOrEqual(14);
    for (const r of rows) {
      expect(r.error).toBeUndefined();
      expect(r.story.length).toBeGreaterThan(20);
      expect(r.faults.length).toBeGreaterThan(0);
      if (r.name.endsWith('-fixed')) expect(names[names.indexOf(r.name) - 1]).toBe(r.name.slice(0, -'-fixed'.length));
    }
    const storm = rows.find((r) => r.name === 'retry-storm');
    expect(storm?.expects).toBe('metastable');
    expect(storm?.faults).toEqual(['latency +200ms on gateway, 60–80 s']);
    expect(rows.find((r) => r.name === 'retry-storm-fixed')?.expects).toBe('recovered within 30s');
    expect(formatScenarioMarkdown(rows).split('\n')[2]).toMatch(/^\| `autoscaler-overshoot` \| A web tier/);
  });

  it('prints the table and exits 0; an invalid file is listed with its problem and exits 2', async () => {
    const cap = capture();
    expect(await main(['list', LIBRARY], cap.io)).toBe(0);
    expect(cap.out()).toMatch(/^scenario +expects +faults\n/);
    expect(cap.out()).toContain('cache-stampede-fixed');

    const dir = folder({ 'a.yaml': tiny('a', 'recovered'), 'b.yaml': 'name: b\nduration: -1\n' });
    const bad = capture();
    expect(listCommand(dir, {}, bad.io)).toBe(2);
    expect(bad.out()).toMatch(/\nb\.yaml +- +✖ /);
    const empty = capture();
    expect(listCommand(folder({}), {}, empty.io)).toBe(2);
    expect(empty.err()).toContain('No scenario files');
  });
});

describe('loopsim run --all', () => {
  it('runs every scenario in name order and writes an offline index linking each report', async () => {
    const dir = folder({ 'b.yaml': tiny('b', 'recovered'), 'a.yaml': tiny('a', 'metastable'), 'notes.txt': 'not a scenario' });
    const out = mkdtempSync(join(tmpdir(), 'loopsim-all-'));
    const cap = capture();
    // a expects the wrong verdict on purpose: exit 1, and the index says which expectation failed.
    expect(await main(['run', '--all', dir, '--no-report', '--out', out], cap.io)).toBe(1);
    expect(cap.out()).toMatch(/^✖ a +unaffected +0\/1 expectations\n✔ b +unaffected +1\/1 expectations\nindex: /);
    expect(existsSync(join(out, 'a', 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'b', 'summary.json'))).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<a href="a/summary.json">a</a>');
    expect(html).toContain('0/1 met');
    expect(html).toContain('verdict is metastable');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/https?:\/\/|<script|src=/);
    expect(html.indexOf('>a</a>')).toBeLessThan(html.indexOf('>b</a>'));

    // The same folder and seeds give the same page, byte for byte.
    const again = mkdtempSync(join(tmpdir(), 'loopsim-all-'));
    await main(['run', '--all', dir, '--no-report', '--out', again], capture().io);
    expect(readFileSync(join(again, 'index.html'), 'utf8')).toBe(html);
  });

  it('keeps going past an invalid file, lists it in the index, and exits 2', async () => {
    const dir = folder({ 'a.yaml': tiny('a', 'recovered'), 'b.yaml': 'name: b\nduration: 10s\n' });
    const out = mkdtempSync(join(tmpdir(), 'loopsim-all-'));
    const cap = capture();
    expect(await main(['run', '--all', dir, '--no-report', '--out', out], cap.io)).toBe(2);
    expect(cap.err()).not.toBe('');
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('did not run');
    expect(html).toContain('b.yaml');
  });

  it('refuses the second of two files with the same name, as --all does, and runs the first', async () => {
    const dir = folder({ 'a.yaml': tiny('same', 'recovered'), 'b.yaml': tiny('same', 'recovered') });
    const out = mkdtempSync(join(tmpdir(), 'loopsim-same-'));
    const cap = capture();
    expect(await main(['run', join(dir, 'a.yaml'), join(dir, 'b.yaml'), '--no-report', '--out', out], cap.io)).toBe(2);
    expect(cap.err()).toContain(
      `✖ ${join(dir, 'b.yaml')} is named "same", like ${join(dir, 'a.yaml')}: both would write into the same folder.`,
    );
    expect(cap.out().match(/outputs: /g)).toHaveLength(1);
    expect(readdirSync(out)).toEqual(['same']);
  });

  it('refuses --all mixed with files, and run with neither', async () => {
    const dir = folder({ 'a.yaml': tiny('a', 'recovered') });
    const mixed = capture();
    expect(await main(['run', join(dir, 'a.yaml'), '--all', dir, '--no-report'], mixed.io)).toBe(2);
    expect(mixed.err()).toContain('--all <dir> alone');
    const neither = capture();
    expect(await main(['run'], neither.io)).toBe(2);
  });
});
