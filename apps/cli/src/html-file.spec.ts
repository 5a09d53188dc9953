import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeHtmlFile } from './html-file';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'caribou-html-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--html: the page is written whole, or refused in one line naming the flag and the fix', () => {
  it('writes the page, replacing an older one, and leaves no temporary file', () => {
    const file = join(dir, 'plan.html');
    writeFileSync(file, 'old page');
    expect(writeHtmlFile(file, '<html>new</html>', 'plan.html')).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('<html>new</html>');
    expect(readdirSync(dir)).toEqual(['plan.html']);
  });

  it('a directory that does not exist', () => {
    const file = join(dir, 'missing', 'plan.html');
    expect(() => writeHtmlFile(file, 'x', 'plan.html')).toThrow(
      `--html ${file} is in a directory that does not exist (${join(dir, 'missing')}); create it or choose another path`,
    );
  });

  it('a directory instead of a file: nothing in it changes', () => {
    expect(() => writeHtmlFile(dir, 'x', 'report.html')).toThrow(`--html ${dir} is a directory; give a file name in it, e.g. ${join(dir, 'report.html')}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a path under a file', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const file = join(dir, 'a-file', 'plan.html');
    expect(() => writeHtmlFile(file, 'x', 'plan.html')).toThrow(/^--html .*a-file\/plan\.html is in a directory that does not exist/);
  });
});
