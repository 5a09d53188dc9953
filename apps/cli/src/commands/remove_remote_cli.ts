import type { LambdaRemoteFramework, RemoteFrameworkTimers } from '@caribou/adapter-aws';
import { TOKENS } from '@caribou/ports';
import { CaribouCommand } from '../base-command';
import { AWS_SERVICES } from '../composition/tokens';

export default class RemoveRemoteCli extends CaribouCommand {
  static override summary = 'Remove the remote framework: its timers, the caribou_cli function and its role.';
  static override description = 'Each part is removed only if it exists, so an interrupted removal can be run again. CloudWatch logs are kept.';

  async run(): Promise<void> {
    await this.parse(RemoveRemoteCli);
    const container = (await this.services('aws'));
    const report = (line: string) => this.log(line);
    this.log('Removing Remote framework');
    await container.get<RemoteFrameworkTimers>(AWS_SERVICES.Timers).remove(report);
    await container.get<LambdaRemoteFramework>(TOKENS.RemoteFramework).remove(report);
    this.log('Remote framework removed');
  }
}
