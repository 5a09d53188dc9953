import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from '@caribou/cli/testing';

/**
 * Issue 25: help text was wrapped twice (descriptions with hard line breaks wrapped again at
 * the terminal width: a full line, then a stub of a few words) and its FLAGS columns did not
 * line up. Every command's --help, printed to a pipe (not a TTY: 80 columns), is checked.
 */
const WIDTH = 80;
/** Lines oclif wraps inside an indented block can end a few columns short of the full width. */
const SLACK = 6;

const indentOf = (line: string) => line.length - line.trimStart().length;
/** Lines that start something new rather than continue the line above: a flag, an example, oclif's `<options: …>`. */
const startsItem = (line: string) => /^[-$<]/.test(line.trimStart());

/** Sections of a help text: a title line in capitals, then its indented body. */
const sections = (text: string): Array<{ title: string; body: string[] }> =>
  text.split(/\n(?=[A-Z][A-Z ]+\n)/).map((section) => {
    const [title, ...body] = section.split('\n');
    return { title: title ?? '', body };
  });

/**
 * Continuation lines that follow a line with room left for their first word: a second wrap
 * left a stub there. In lists (commands, flags, arguments) a row at the section's indentation
 * starts a new item.
 */
function raggedLines(text: string, width = WIDTH): string[] {
  const ragged: string[] = [];
  for (const { title, body } of sections(text)) {
    const list = /COMMANDS|FLAGS|ARGUMENTS/.test(title);
    for (let i = 0; i + 1 < body.length; i++) {
      const [line, next] = [body[i]!, body[i + 1]!];
      if (!line.trim() || !next.trim() || startsItem(next) || indentOf(line) !== indentOf(next) || (list && indentOf(next) === 2)) continue;
      const firstWord = next.trim().split(/\s/)[0]!;
      if (line.trimEnd().length + 1 + firstWord.length <= width - SLACK) ragged.push(`${line.trimEnd()}⏎${next.trim()}`);
    }
  }
  return ragged;
}

/**
 * Sections whose rows are `  -f, --flag=<value>  description` (flags without a letter indented
 * to line up with those that have one): every description starts in one column, and lines
 * that continue a description start there too.
 */
function misalignedFlagRows(text: string): string[] {
  const problems: string[] = [];
  for (const { title, body } of sections(text)) {
    if (!/FLAGS|ARGUMENTS/.test(title)) continue;
    const flagColumns = new Set<number>();
    const descriptionColumns = new Set<number>();
    let column: number | undefined;
    for (const line of body) {
      if (!line.trim()) continue;
      const row = title.includes('FLAGS') ? /^( +)(-\S*(?: --\S+)?)( {2,})\S/.exec(line) : /^( {2})(\S+)( {2,})\S/.exec(line);
      if (row && (title.includes('FLAGS') ? row[1]!.length <= 6 : true)) {
        // `-p, --flag` starts at column 2; `--flag` alone at column 6, where the other long names start.
        flagColumns.add(row[1]!.length + (row[2]!.startsWith('--') ? 0 : 4));
        column = row[1]!.length + row[2]!.length + row[3]!.length;
        descriptionColumns.add(column);
      } else if (column !== undefined && indentOf(line) !== column) {
        problems.push(`${title}: a description continues at column ${indentOf(line)}, not ${column}: ${line.trim()}`);
      }
    }
    if (flagColumns.size > 1) problems.push(`${title}: long flag names start in columns ${[...flagColumns].join(', ')}`);
    if (descriptionColumns.size > 1) problems.push(`${title}: descriptions start in columns ${[...descriptionColumns].join(', ')}`);
  }
  return problems;
}

async function helpOf(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await runCli([...args, '--help'], { env });
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe('caribou --help and every command’s --help, to a pipe', () => {
  it('the checks find a ragged second wrap and misaligned columns', () => {
    expect(raggedLines('DESCRIPTION\n  Loads the app and creates one function per workflow function in the home\n  region and\n  then writes the placement decision.')).toEqual([
      '  region and⏎then writes the placement decision.',
    ]);
    expect(raggedLines('COMMANDS\n  list  List the workflows.\n  run   Run a workflow.')).toEqual([]);
    expect(misalignedFlagRows('FLAGS\n  -r, --remote  Remote.\n      --json    Print JSON.\n')).toEqual([]);
    expect(misalignedFlagRows('FLAGS\n  --workflow=<value>  Sync only this workflow id.\n      --json              Print JSON.\n  -r, --remote            Remote.\n')).toEqual([
      'FLAGS: long flag names start in columns 2, 6',
      'FLAGS: descriptions start in columns 22, 26',
    ]);
    expect(misalignedFlagRows('FLAGS\n  --json  Print JSON, a long\n            description.\n')).toEqual([
      'FLAGS: a description continues at column 12, not 10: description.',
    ]);
  });

  it('wraps once to 80 columns, with aligned flag columns', async () => {
    const top = await helpOf([]);
    const commands = [...top.stdout.split('COMMANDS\n')[1]!.matchAll(/^ {2}([a-z_]+) /gm)].map((m) => m[1]!);
    // Every command's help from one process, formatted as --help formats it (checked on deploy).
    const printed = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/cli/src/testing/print-help.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(printed.status, printed.stderr).toBe(0);
    const texts = JSON.parse(printed.stdout) as Record<string, string>;
    expect(Object.keys(texts)).toEqual([...commands].sort());
    expect((await helpOf(['deploy'])).stdout).toBe(texts.deploy);
    const problems = ([['caribou', top.stdout], ...Object.entries(texts)] as Array<[string, string]>).flatMap(([command, text]) => [
      // An example command cannot be wrapped.
      ...text.split('\n').filter((line) => line.length > WIDTH && !line.trimStart().startsWith('$ ')).map((line) => `${command}: over ${WIDTH} columns: ${line}`),
      ...raggedLines(text).map((lines) => `${command}: wrapped twice: ${lines}`),
      ...misalignedFlagRows(text).map((problem) => `${command}: ${problem}`),
    ]);
    expect(problems).toEqual([]);
  }, 300_000);

  it('follows the width it is given (OCLIF_COLUMNS, as a terminal’s) and wraps once there too', async () => {
    const wide = await helpOf(['deploy'], { OCLIF_COLUMNS: '120' });
    const lines = wide.stdout.split('\n');
    expect(lines.filter((line) => line.length > 120)).toEqual([]);
    expect(lines.some((line) => line.length > 100)).toBe(true);
    expect(raggedLines(wide.stdout, 120)).toEqual([]);
  }, 60_000);
});
