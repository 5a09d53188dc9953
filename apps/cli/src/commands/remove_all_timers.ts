import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class RemoveAllTimers extends CaribouCommand {
  static override summary = 'Remove all six remote framework timers.';

  async run(): Promise<void> {
    await this.parse(RemoveAllTimers);
    await (await this.services('aws')).get(SERVICES.RemoteFrameworkTimers).remove((line) => this.log(line));
  }
}
