import { closest, distance } from 'fastest-levenshtein';

/**
 * The reference's short flags of two and three letters (click allows them; oclif's short flags
 * are one character, and would read `-prc` as `-p rc`). Each becomes its long form.
 */
export const REFERENCE_SHORT_FLAGS: Readonly<Record<string, string>> = {
  '-se': '--schedule_expression',
  '-prc': '--provider_collector',
  '-cac': '--carbon_collector',
  '-pec': '--performance_collector',
  '-los': '--log_syncer',
  '-dma': '--deployment_manager',
  '-dmi': '--deployment_migrator',
};

/** A command line refused before oclif sees it; main() prints it in one line and exits 2. */
export class ArgvError extends Error {}

/**
 * `-prc` → `--provider_collector` (and `-prc=x`); any other single-dash run of letters (`-pdir`,
 * `-prx`) is refused, so no flag is ever read as another flag with a glued value.
 */
export function expandShortFlags(argv: readonly string[]): string[] {
  const expanded: string[] = [];
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') return [...expanded, ...argv.slice(index)];
    const match = /^(-[A-Za-z][A-Za-z0-9_]+)(=.*)?$/.exec(arg);
    if (!match) {
      expanded.push(arg);
      continue;
    }
    const long = REFERENCE_SHORT_FLAGS[match[1]!];
    if (long) {
      expanded.push(`${long}${match[2] ?? ''}`);
      continue;
    }
    const known = Object.keys(REFERENCE_SHORT_FLAGS);
    const nearest = closest(match[1]!, known);
    const hint = distance(match[1]!, nearest) <= 2 ? `did you mean ${nearest}? ` : '';
    throw new ArgvError(
      `Unknown flag ${match[1]}: ${hint}short flags are one letter with the value after a space (-p DIR, not -pDIR); the longer ones are ${known.join(', ')}`,
    );
  }
  return expanded;
}
