import type { RemoteFrameworkTimers } from '@caribou/adapter-aws';
import { CaribouCommand } from '../base-command';
import { AWS_SERVICES } from '../composition/tokens';

export default class RemoveAllTimers extends CaribouCommand {
  static override summary = 'Remove all six remote framework timers.';

  async run(): Promise<void> {
    await this.parse(RemoveAllTimers);
    await (await this.services('aws')).get<RemoteFrameworkTimers>(AWS_SERVICES.Timers).remove((line) => this.log(line));
  }
}
