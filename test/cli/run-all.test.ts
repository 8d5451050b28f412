/**
 * `loopsim run --all` over a folder with links: a link that leads nowhere is
 * skipped with a warning naming it (it used to make the whole folder
 * unreadable), and a link out of the folder is followed and named in a note.
 * A run that a guard stops keeps its outputs up to the stop, marked
 * incomplete, and the index says so.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAllCommand } from '../../sim/cli/run-all.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

const scenario = (name: string, duration = '5s', rate = 10): string =>
  [
    `name: ${name}`,
    `duration: ${duration}`,
    'clients:',
    `  c: { target: api, arrival: { kind: poisson, rate: ${rate} } }`,
    'services:',
    '  api: { workers: 2, serviceTime: { dist: constant, value: 1ms } }',
    '',
  ].join('\n');

describe('run --all and links in the folder', () => {
  it('skips a dangling link with a warning, follows a link out of the folder with a note', async () => {
    const root = tempDir('loopsim-links-');
    const dir = join(root, 'scenarios');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(dir);
    mkdirSync(elsewhere);
    writeFileSync(join(dir, 'a.yaml'), scenario('a'));
    writeFileSync(join(elsewhere, 'b.yaml'), scenario('b'));
    symlinkSync(join(elsewhere, 'b.yaml'), join(dir, 'b.yaml'));
    symlinkSync(join(root, 'gone.yaml'), join(dir, 'broken.yaml'));
    symlinkSync('a.yaml', join(dir, 'c.yaml'));
    const out = join(root, 'out');
    const cap = captureIo();
    const code = await runAllCommand(dir, { out, noReport: true, quiet: true }, cap.io);
    expect(cap.err()).toBe(
      `warning: skipped ${join(dir, 'broken.yaml')}: a link to ${join(root, 'gone.yaml')}, which does not exist.\n` +
        `note: ${join(dir, 'b.yaml')} is a link out of ${dir}, to ${join(elsewhere, 'b.yaml')}; followed.\n`,
    );
    // c.yaml links to a.yaml inside the folder: read without a note, then refused as a second scenario named "a".
    expect(cap.out()).toMatch(/same name as a\.yaml/);
    expect(code).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['a', 'b', 'index.html']);
  });
});

describe('run --all and a run a guard stops', () => {
  it('writes that run up to the stop, marked incomplete, and the index says so; exit 2', async () => {
    const dir = tempDir('loopsim-guard-all-');
    writeFileSync(join(dir, 'a-short.yaml'), scenario('short'));
    writeFileSync(join(dir, 'b-long.yaml'), scenario('long', '100s', 1000));
    const out = join(dir, 'out');
    const cap = captureIo();
    const code = await runAllCommand(dir, { out, quiet: true, maxEvents: 5000 }, cap.io);
    expect(code).toBe(2);
    expect(cap.out()).toMatch(
      /^✖ long +run stopped: the run passed --max-events 5000 at t=[\d.]+ s; raise the limit or shorten the run; the run up to t=[\d.,]+ s is in .*long, marked incomplete$/m,
    );
    const summary = JSON.parse(readFileSync(join(out, 'long', 'summary.json'), 'utf8')) as {
      incomplete?: { reason: string; stoppedAt: number };
    };
    expect(summary.incomplete?.reason).toMatch(/^the run passed --max-events 5000/);
    expect(readdirSync(join(out, 'long'))).toContain('report.html');
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="long/report.html"');
    expect(index).toMatch(
      /Incomplete: stopped at t=2\.\d+ s<\/span> <span class="verdict v-\w+">\w+<\/span><span class="file">the run passed --max-events 5000 at t=/,
    );
    expect(summary.incomplete?.stoppedAt).toBeGreaterThan(2);
    expect(index).toContain('href="short/report.html"');
  });
});

describe('run --all and a fault that changed nothing', () => {
  it('says unaffected on the index and the terminal, and the recovery time for a run that did recover', async () => {
    const dir = tempDir('loopsim-unaffected-all-');
    for (const f of ['fault-on-idle-service.yaml', 'goodput-collapse.yaml']) {
      writeFileSync(join(dir, f), readFileSync(new URL(`../fixtures/diagnosis/${f}`, import.meta.url), 'utf8'));
    }
    const out = join(dir, 'out');
    const cap = captureIo();
    await runAllCommand(dir, { out, noReport: true, quiet: true }, cap.io);
    expect(cap.out()).toMatch(/^. \S+ +unaffected +\d+\/\d+ expectations$/m);
    expect(cap.out()).toMatch(/^. \S+ +recovered after 0 s +\d+\/\d+ expectations$/m);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<span class="verdict v-recovered">Unaffected</span>');
    expect(index).toContain('<span class="verdict v-recovered">Recovered after 0 s</span>');
  });
});
