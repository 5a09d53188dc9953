import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class RemoveAllTimers extends CaribouCommand {
  static override summary = 'Remove all six timers (local: serve stops running them; aws: EventBridge rules).';

  async run(): Promise<void> {
    const { flags } = await this.parse(RemoveAllTimers);
    await (await this.services(flags.provider)).get(SERVICES.Timers).remove((line) => this.log(line));
  }
}
