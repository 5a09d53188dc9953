import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the fault suite counts. A bad input is refused cleanly when the command (or service)
 * ends with one line naming the field and leaves the store as it was; a kill recovers cleanly
 * when the store passes its integrity check and the next command completes; a run is lost
 * when it started and is neither in a summary nor reported as unfinished, duplicated when a
 * summary holds it twice.
 */
export interface FaultFigures {
  inputsTried: number;
  badInputs: number;
  cleanRefusals: number;
  kills: number;
  cleanRecoveries: number;
  runsStarted: number;
  runsLost: number;
  runsDuplicated: number;
  /** The first few inputs that were not refused cleanly, for the failure message. */
  unclean: string[];
}

export function emptyFigures(): FaultFigures {
  return { inputsTried: 0, badInputs: 0, cleanRefusals: 0, kills: 0, cleanRecoveries: 0, runsStarted: 0, runsLost: 0, runsDuplicated: 0, unclean: [] };
}

export function addFigures(into: FaultFigures, from: FaultFigures): FaultFigures {
  for (const key of ['inputsTried', 'badInputs', 'cleanRefusals', 'kills', 'cleanRecoveries', 'runsStarted', 'runsLost', 'runsDuplicated'] as const) {
    into[key] += from[key];
  }
  into.unclean.push(...from.unclean.slice(0, Math.max(0, 5 - into.unclean.length)));
  return into;
}

/** Records one bad input: refused cleanly or not (with what it was, for the report). */
export function recordRefusal(figures: FaultFigures, clean: boolean, description: () => string): void {
  figures.badInputs += 1;
  if (clean) figures.cleanRefusals += 1;
  else if (figures.unclean.length < 5) figures.unclean.push(description());
}

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`);

/** The line the fault suite and `npm run bench` print. */
export function formatFigures(name: string, f: FaultFigures): string {
  return (
    `[faults] ${name}: inputs tried ${f.inputsTried}, clean refusals ${f.cleanRefusals}/${f.badInputs} (${percent(f.cleanRefusals, f.badInputs)}), ` +
    `kills ${f.kills}, clean recoveries ${f.cleanRecoveries}/${f.kills}, runs started ${f.runsStarted}, runs lost ${f.runsLost}, runs duplicated ${f.runsDuplicated}`
  );
}

/** Is `message` one clean line: no line breaks, no stack frame, something named. */
export function isCleanMessage(message: string): boolean {
  return message.trim().length > 0 && !message.includes('\n') && !/\n\s+at |^\s+at /.test(message);
}

/** The lines of a command's stderr that report an error: not blank, not a progress step (`›`, `✔`, `✖ title (2.0s)`), not a warning (`!`, `Warning:`). */
export function errorLinesOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !/^[›✔✖!] /.test(line) && !line.startsWith('Warning:'));
}

/** Where the fault suite leaves its latest figures for `npm run bench` (a cache, not part of the repository). */
const FIGURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/caribou-faults');

export function saveFigures(name: string, figures: FaultFigures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`), JSON.stringify({ name, at: new Date().toISOString(), figures }));
}

/** The figures the fault suite saved last, per campaign. */
export function savedFigures(): Array<{ name: string; at: string; figures: FaultFigures }> {
  try {
    return readdirSync(FIGURES_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => JSON.parse(readFileSync(join(FIGURES_DIR, file), 'utf8')) as { name: string; at: string; figures: FaultFigures });
  } catch {
    return [];
  }
}
