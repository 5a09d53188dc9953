import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class RemoveRemoteCli extends CaribouCommand {
  static override summary = 'Remove the remote framework and everything its ledger row lists.';
  static override description =
    'Removes its timers, the caribou_cli function, its role, its API key parameters and its log group. Each part is removed only if it exists, so an interrupted removal can be run again.';

  async run(): Promise<void> {
    await this.parse(RemoveRemoteCli);
    const remote = (await this.services('aws')).get(SERVICES.RemoteFramework);
    this.log('Removing Remote framework');
    await remote.remove((line) => this.log(line));
    this.log('Remote framework removed');
  }
}
