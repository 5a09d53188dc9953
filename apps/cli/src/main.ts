import { Errors, flush, handle, run } from '@oclif/core';
import { closest, distance } from 'fastest-levenshtein';
import { writeErrorLine } from './error-line';
import { ArgvError, expandShortFlags } from './short-flags';
import { explainUnknownFlag, type FlagRegistry } from './unknown-flag';

/** Options the reference accepts before the command name (`caribou -p dir deploy`). */
const GROUP_OPTIONS = new Set(['-p', '--workflow-dir', '--provider', '--debug']);

/**
 * oclif parses flags per command; the reference's group options (`--workflow-dir/-p`)
 * may come before the command. Move them after it so both spellings work, and expand the
 * reference's multi-letter short flags (see REFERENCE_SHORT_FLAGS).
 */
export function normalizeArgv(original: readonly string[]): string[] {
  const argv = expandShortFlags(original);
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
  // One version string: `caribou --version` is `caribou version` (oclif's own prints a user agent).
  if (argv.length === 1 && argv[0] === '--version') return ['version'];
  if (leading.length === 0 || index >= argv.length) return [...argv];
  return [argv[index]!, ...leading, ...argv.slice(index + 1)];
}

/**
 * "command X not found" with the nearest command when one is close (a typo, `-` for `_`):
 * oclif's own plugin for this asks interactively, which a script cannot answer.
 */
async function suggestCommand(unknown: string): Promise<string> {
  const { COMMANDS } = await import('./commands');
  const names = Object.keys(COMMANDS);
  // oclif looks `serve extra` up as the command "serve:extra" when serve takes no argument.
  const [command, ...words] = unknown.split(':');
  if (words.length > 0 && names.includes(command!)) {
    return `caribou ${command} takes no argument ${JSON.stringify(words.join(' '))}; caribou ${command} --help shows its usage`;
  }
  const normalized = unknown.replaceAll('-', '_').toLowerCase();
  const nearest = closest(normalized, names);
  const close = distance(normalized, nearest) <= Math.max(2, Math.floor(nearest.length / 3));
  return close
    ? `caribou has no command "${unknown}"; did you mean "${nearest}"? (caribou --help lists every command)`
    : `caribou has no command "${unknown}"; caribou --help lists every command`;
}

/** Which flags each command has (its own and the global ones), for explaining a flag it lacks. */
async function flagRegistry(): Promise<FlagRegistry> {
  const { COMMANDS } = await import('./commands');
  return Object.fromEntries(
    Object.entries(COMMANDS).map(([id, command]) => [
      id,
      Object.entries({ ...command.baseFlags, ...command.flags }).map(([name, flag]) => ({ name, char: flag.char, hidden: flag.hidden })),
    ]),
  );
}

/** `caribou --help | head -1`: a reader that stops early is not an error. */
function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/**
 * A client library's promise nobody awaits (google-gax creating a Firestore stub without
 * credentials) would crash Node with its stack; end instead in the one line every other error
 * gets. Library warnings (gcp-metadata's lookup) are noise on stderr, except under --debug.
 */
function endStrayErrorsInOneLine(argv: readonly string[]): void {
  const debug = argv.includes('--debug') || process.env.CARIBOU_DEBUG === '1';
  if (!debug) process.removeAllListeners('warning');
  const end = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const firstLine = message.split('\n', 1)[0]!.trim();
    if (debug) process.stderr.write(`${error instanceof Error ? (error.stack ?? message) : message}\n`);
    if (/Could not load the default credentials/.test(message)) {
      writeErrorLine(argv, `No Google Cloud credentials (${firstLine}); run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file`);
      process.exit(1);
    }
    writeErrorLine(argv, debug ? firstLine : `${firstLine} (unexpected; run with --debug for the stack trace)`);
    process.exit(2);
  };
  process.on('unhandledRejection', end);
  process.on('uncaughtException', end);
}

export async function main(argv: readonly string[], binUrl: string): Promise<void> {
  exitQuietlyOnClosedStdout();
  endStrayErrorsInOneLine(argv);
  let normalized: string[];
  try {
    normalized = normalizeArgv(argv);
  } catch (error) {
    if (!(error instanceof ArgvError)) throw error;
    writeErrorLine(argv, error.message);
    process.exitCode = 2;
    return;
  }
  try {
    await run(normalized, binUrl);
    await flush();
  } catch (error) {
    const usage = error as Error & { oclif?: { exit?: number } };
    const notFound = /^command (\S+) not found\.?$/i.exec(usage.message);
    if (notFound && !argv.includes('--debug')) {
      writeErrorLine(argv, await suggestCommand(notFound[1]!));
      process.exitCode = 2;
      return;
    }
    const unknownFlag = /^Nonexistent flags?: (\S+?),?(?:\s|$)/.exec(usage.message);
    if (unknownFlag && normalized[0] && !argv.includes('--debug')) {
      writeErrorLine(argv, explainUnknownFlag(normalized[0], unknownFlag[1]!, argv, await flagRegistry()));
      process.exitCode = 2;
      return;
    }
    if (usage.oclif?.exit !== undefined && usage.oclif.exit !== 0 && !(error instanceof Errors.ExitError) && !argv.includes('--debug')) {
      // A usage error (a flag out of range, a missing argument) in one line, as every other bad input.
      const message = usage.message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
      writeErrorLine(argv, message);
      process.exitCode = usage.oclif.exit;
      return;
    }
    await handle(error as Error);
  }
}
