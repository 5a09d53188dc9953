/**
 * Prints the help of every command as JSON (`{"deploy": "…", …}`), formatted exactly as
 * `caribou <command> --help` formats it, in one process: a test reads all of them without
 * starting the CLI once per command. Run with `node --import tsx apps/cli/src/testing/print-help.ts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, Help } from '@oclif/core';

const config = await Config.load(join(dirname(fileURLToPath(import.meta.url)), '../..'));
/** oclif's help, writing into a list instead of stdout. */
class CapturedHelp extends Help {
  readonly lines: string[] = [];
  protected override log(...args: string[]): void {
    this.lines.push(args.join(' '));
  }
}

const texts: Record<string, string> = {};
for (const id of [...config.commandIDs].sort()) {
  const help = new CapturedHelp(config, config.pjson.oclif.helpOptions ?? {});
  await help.showCommandHelp(config.findCommand(id, { must: true }));
  texts[id] = `${help.lines.join('\n')}\n`;
}
process.stdout.write(JSON.stringify(texts));
