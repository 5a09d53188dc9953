import { Errors, flush, handle, run } from '@oclif/core';

/** Options the reference accepts before the command name (`caribou -p dir deploy`). */
const GROUP_OPTIONS = new Set(['-p', '--workflow-dir', '--provider', '--debug']);

/**
 * oclif parses flags per command; the reference's group options (`--workflow-dir/-p`)
 * may come before the command. Move them after it so both spellings work.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    const [name] = arg.split('=', 1);
    if (!GROUP_OPTIONS.has(name!)) break;
    leading.push(arg);
    index += 1;
    if (name !== '--debug' && !arg.includes('=') && index < argv.length) {
      leading.push(argv[index]!);
      index += 1;
    }
  }
  if (leading.length === 0 || index >= argv.length) return [...argv];
  return [argv[index]!, ...leading, ...argv.slice(index + 1)];
}

export async function main(argv: readonly string[], binUrl: string): Promise<void> {
  try {
    await run(normalizeArgv(argv), binUrl);
    await flush();
  } catch (error) {
    const usage = error as Error & { oclif?: { exit?: number } };
    if (usage.oclif?.exit !== undefined && usage.oclif.exit !== 0 && !(error instanceof Errors.ExitError) && !argv.includes('--debug')) {
      // A usage error (a flag out of range, a missing argument) in one line, as every other bad input.
      const message = usage.message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
      process.stderr.write(`Error: ${message}\n`);
      process.exitCode = usage.oclif.exit;
      return;
    }
    await handle(error as Error);
  }
}
