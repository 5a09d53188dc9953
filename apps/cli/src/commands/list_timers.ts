import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class ListTimers extends CaribouCommand {
  static override summary = 'List the remote framework timers and their schedules.';
  static override description = 'Six timers trigger the remote framework: the three data collectors, the log syncer, the deployment manager and the deployment migrator. Schedules are in UTC.';

  async run(): Promise<void> {
    await this.parse(ListTimers);
    const timers = await (await this.services('aws')).get(SERVICES.RemoteFrameworkTimers).list();
    this.log('Available Timers:');
    for (const timer of timers) this.log(`  ${timer.name}: ${timer.description}`);
  }
}
