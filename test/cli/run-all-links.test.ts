/**
 * `loopsim run --all` over a folder with links: a link that leads nowhere is
 * skipped with a warning naming it (it used to make the whole folder
 * unreadable), and a link out of the folder is followed and named in a note.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAllCommand } from '../../sim/cli/run-all.js';
import { captureIo, tempDir } from '../sweep/helpers.js';

const scenario = (name: string): string =>
  [`name: ${name}`, 'duration: 5s', 'clients:', '  c: { target: api, arrival: { kind: poisson, rate: 10 } }', 'services:', '  api: { workers: 2, serviceTime: { dist: constant, value: 1ms } }', ''].join('\n');

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
