import { execFileSync } from 'node:child_process';

const run = (args: string[]): Buffer => {
  try {
    return execFileSync('unzip', args, { maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('these tests read zips with Info-ZIP `unzip`: install it (apt-get install unzip)');
    throw error;
  }
};

/**
 * Test support: reads a zip with Info-ZIP `unzip`, a reader independent of the writer.
 * `unzip -t` checks every entry's CRC first and fails on any error.
 */
export function unzipEntries(zipPath: string): Record<string, Buffer> {
  const check = run(['-t', zipPath]).toString('utf8');
  if (!check.includes('No errors detected')) throw new Error(`unzip -t ${zipPath}:\n${check}`);
  const names = run(['-Z1', zipPath]).toString('utf8').split('\n').filter(Boolean);
  return Object.fromEntries(names.map((name) => [name, run(['-p', zipPath, name])]));
}

/** `zipinfo`'s one line per entry: mode, host system, size, method and timestamp. */
export function zipListing(zipPath: string): string[] {
  return run(['-Z', '-s', zipPath]).toString('utf8').split('\n').filter((line) => /^[-d]/.test(line));
}
