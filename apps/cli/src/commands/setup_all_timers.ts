import { CaribouError } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class SetupAllTimers extends CaribouCommand {
  static override summary = 'Create or update all six timers with their default schedules.';
  static override description = [
    'Overwrites custom schedules. A timer that cannot be set up is reported and the others go on.',
    'On the local provider (default) the timers are kept in CARIBOU_HOME and `caribou serve` runs them;',
    'with --provider aws they are EventBridge rules, which need the deployed remote framework.',
  ].join('\n');

  async run(): Promise<void> {
    const { flags } = await this.parse(SetupAllTimers);
    const container = await this.services(flags.provider);
    const result = await container.get(SERVICES.Timers).setup((line) => this.log(line));
    // The reference only prints this; a script must be able to see it failed.
    if (!result.deployed) throw new CaribouError('The remote framework is not deployed; deploy it first with caribou deploy_remote_cli');
    if (result.failed.length > 0) throw new CaribouError(`${result.failed.length} timer(s) were not set up: ${result.failed.join(', ')}; run the command again`);
    if (container.provider === 'local') this.log('The timers run while caribou serve runs (see docs/local-provider.md)');
  }
}
