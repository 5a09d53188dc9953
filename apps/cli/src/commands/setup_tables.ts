import type { FrameworkService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { SERVICES } from '../composition/tokens';

export default class SetupTables extends CaribouCommand {
  static override summary = "Create the framework's tables (done automatically by the first deploy).";
  static override description = 'Creates every framework table that does not exist yet, in the system region (DynamoDB on aws, the local database on local).';

  async run(): Promise<void> {
    const { flags } = await this.parse(SetupTables);
    const tables = await (await this.services(flags.provider)).get<FrameworkService>(SERVICES.Framework).setupTables();
    this.log(`Framework tables ready: ${tables.join(', ')}`);
  }
}
