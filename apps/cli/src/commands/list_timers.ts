import { Flags } from '@oclif/core';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class ListTimers extends CaribouCommand {
  static override summary = 'List the timers and their schedules.';
  static override description = [
    'Six timers run the framework: the three data collectors, the log syncer, the deployment manager and',
    'the deployment migrator. Schedules are in UTC. Local provider (default): the timers caribou serve runs;',
    '--provider aws: the EventBridge rules of the remote framework.',
  ].join(' ');
  static override flags = {
    json: Flags.boolean({ description: 'Print [{"name", "expression", "description"}] (expression null when not set up).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ListTimers);
    const timers = await (await this.services(flags.provider)).get(SERVICES.Timers).list();
    if (flags.json) return this.printJson(timers.map((timer) => ({ name: timer.name, expression: timer.expression ?? null, description: timer.description })));
    this.log('Available Timers:');
    for (const timer of timers) this.log(`  ${timer.name}: ${timer.description}`);
  }
}
