import { homedir } from 'node:os';
import { join } from 'node:path';

/** Everything the local provider keeps lives under `$CARIBOU_HOME` (default `~/.caribou`). */
export function caribouHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CARIBOU_HOME && env.CARIBOU_HOME.trim() ? env.CARIBOU_HOME : join(homedir(), '.caribou');
}

export function localDatabasePath(home: string): string {
  return join(home, 'local.db');
}

export function localFunctionsDir(home: string): string {
  return join(home, 'functions');
}
