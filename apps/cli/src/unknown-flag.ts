import { closest, distance } from 'fastest-levenshtein';
import { REFERENCE_SHORT_FLAGS } from './short-flags';

export interface FlagSpelling {
  name: string;
  char?: string | undefined;
  hidden?: boolean | undefined;
}

/** Every command's flags (its own and the global ones), by command id. */
export type FlagRegistry = Readonly<Record<string, readonly FlagSpelling[]>>;

const spelling = (flag: FlagSpelling) => (flag.char ? `-${flag.char}, --${flag.name}` : `--${flag.name}`);
const matches = (flag: FlagSpelling, given: string) => (given.startsWith('--') ? flag.name === given.slice(2) : flag.char === given.slice(1));

/**
 * The one line for a flag the command does not have (oclif says only "Nonexistent flag"): the
 * reference's short form it was typed as, which other commands have it and under which long
 * name, or the nearest flag of this command. `given` is the flag as oclif saw it, after the
 * reference's multi-letter short flags were expanded (`-prc` → `--provider_collector`);
 * `typed` is the command line as the user wrote it.
 */
export function explainUnknownFlag(command: string, given: string, typed: readonly string[], registry: FlagRegistry): string {
  const short = Object.entries(REFERENCE_SHORT_FLAGS).find(([abbreviation, long]) => long === given && typed.some((arg) => arg.split('=')[0] === abbreviation))?.[0];
  const shown = short ? `${short} (${given})` : given;
  const owners = Object.entries(registry)
    .filter(([id]) => id !== command)
    .flatMap(([id, flags]) => flags.filter((flag) => !flag.hidden && matches(flag, given)).map((flag) => ({ id, flag })));
  if (owners.length > 0) {
    const named = owners.slice(0, 3).map(({ id, flag }) => `caribou ${id} (${spelling(flag)})`);
    const where = `${named.join(', ')}${owners.length > 3 ? ` and ${owners.length - 3} more` : ''}`;
    return `caribou ${command} has no flag ${shown}; ${owners.length === 1 ? 'it belongs to' : 'these have it'}: ${where}. caribou ${command} --help lists its flags`;
  }
  const own = (registry[command] ?? []).filter((flag) => !flag.hidden).map((flag) => `--${flag.name}`);
  const nearest = given.startsWith('--') && own.length > 0 ? closest(given, own) : undefined;
  const hint = nearest && distance(given, nearest) <= 2 ? `; did you mean ${nearest}?` : '';
  return `caribou ${command} has no flag ${shown}${hint} (caribou ${command} --help lists its flags)`;
}
