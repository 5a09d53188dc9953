import { flush, handle, run } from '@oclif/core';

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
    await handle(error as Error);
  }
}
