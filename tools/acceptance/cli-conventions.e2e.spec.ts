import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';

/** `caribou --help | head -1`: the CLI's stdout closes after the first line it writes. */
function helpIntoClosedPipe(): Promise<{ code: number | null; stderr: string; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/run.js'), '--help'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let firstLine = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.stdout.once('data', (chunk) => {
      firstLine = String(chunk).split('\n')[0]!;
      // What `head -1` does: read one line, then close the pipe while the writer still writes.
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, firstLine }));
  });
}

describe('CLI conventions a shell user relies on', () => {
  it('-h is --help, for the CLI and for a command', async () => {
    const [short, long] = await Promise.all([runCli(['deploy', '-h']), runCli(['deploy', '--help'])]);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('USAGE');
    expect(short.stdout).toBe(long.stdout);
    const top = await runCli(['-h']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('COMMANDS');
  }, 60_000);

  it('a reader that closes stdout early (caribou --help | head -1) ends the CLI with exit 0 and nothing on stderr', async () => {
    const result = await helpIntoClosedPipe();
    expect(result.firstLine).not.toBe('');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('caribou version and caribou --version print the same one version, the CLI package’s', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string };
    const [command, flag] = await Promise.all([runCli(['version']), runCli(['--version'])]);
    expect(command.code, command.stderr).toBe(0);
    expect(flag.code, flag.stderr).toBe(0);
    expect(command.stdout).toBe(`${version}\n`);
    expect(flag.stdout).toBe(command.stdout);
  }, 60_000);
});
