import { CARIBOU_VERSION } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';

export default class Version extends CaribouCommand {
  static override summary = 'Print the Caribou version.';
  static override description = `Prints the version of the framework (the reference's numbering: ${CARIBOU_VERSION}).`;

  async run(): Promise<void> {
    await this.parse(Version);
    this.log(CARIBOU_VERSION);
  }
}
