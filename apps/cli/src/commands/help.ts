import { Args, Command, Help } from '@oclif/core';

/** `caribou help [COMMAND]`: the same text as `--help`, for those who type it the other way round. */
export default class HelpCommand extends Command {
  static override summary = 'Show help for caribou or for one command.';
  static override strict = false;
  static override args = { command: Args.string({ required: false, description: 'The command to explain.' }) };

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    await new Help(this.config, { all: false }).showHelp(argv as string[]);
  }
}
