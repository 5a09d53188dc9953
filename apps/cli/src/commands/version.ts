import { CARIBOU_VERSION } from '@caribou/domain-common';
import { CaribouCommand } from '../base-command';

export default class Version extends CaribouCommand {
  static override summary = 'Print the version of this CLI (the same as caribou --version).';
  static override description = `The version in the CLI's package.json. The remote framework reports the reference's framework numbering (${CARIBOU_VERSION}) on its own version endpoint.`;

  async run(): Promise<void> {
    await this.parse(Version);
    this.log(this.config.version);
  }
}
