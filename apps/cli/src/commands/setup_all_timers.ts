import { CaribouError } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class SetupAllTimers extends CaribouCommand {
  static override summary = 'Create or update all six remote framework timers with their default schedules.';
  static override description = 'Overwrites custom schedules. A timer that cannot be set up is reported and the others go on. Needs the deployed remote framework.';

  async run(): Promise<void> {
    await this.parse(SetupAllTimers);
    const result = await (await this.services('aws')).get(SERVICES.RemoteFrameworkTimers).setup((line) => this.log(line));
    // The reference only prints this; a script must be able to see it failed.
    if (!result.deployed) throw new CaribouError('The remote framework is not deployed; deploy it first with caribou deploy_remote_cli');
    if (result.failed.length > 0) throw new CaribouError(`${result.failed.length} timer(s) were not set up: ${result.failed.join(', ')}; run the command again`);
  }
}
