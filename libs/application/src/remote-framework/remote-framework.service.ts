import { CaribouError } from '@caribou/domain-common';
import type { RemoteFramework, RemoteFrameworkDeployment, RemoteFrameworkPackage } from '@caribou/ports';
import { remoteCommandPayload } from './remote-commands';
import { parseRemoteEvent } from './remote-events';
import type { RemoteFrameworkTimers } from './timers';

/**
 * The remote framework seen from the CLI: deploy it (`deploy_remote_cli`), remove it with its
 * timers (`remove_remote_cli`, `teardown_framework`), hand it a command (`-r/--remote`).
 */
export class RemoteFrameworkService {
  constructor(
    private readonly remote: RemoteFramework,
    private readonly timers: RemoteFrameworkTimers,
  ) {}

  /** Name of the function and role the framework runs as. */
  get names(): { function: string; role: string } {
    return { function: this.remote.function, role: this.remote.role };
  }

  deploy(input: RemoteFrameworkPackage): Promise<RemoteFrameworkDeployment> {
    return this.remote.deploy(input);
  }

  /** Its timers first (they would invoke a missing function), then the function, its role and its API key parameters. */
  async remove(report: (line: string) => void): Promise<void> {
    await this.timers.remove(report);
    await this.remote.remove(report);
  }

  /**
   * `caribou <command> -r` (spec §1.3): checks the framework is deployed, then sends the command
   * to it asynchronously (fire-and-forget, as the reference). `command` is the CLI command
   * (data_collect, log_sync, manage_deployments, run_deployment_migrator or remove), `extra`
   * its keys (`collector`, `workflow_id`). The event is checked against the same schema the
   * remote handler parses it with, so the CLI never sends what the framework would refuse.
   */
  async runCommand(command: string, extra: Record<string, unknown>, log: (line: string) => void): Promise<void> {
    const payload = remoteCommandPayload(command, extra);
    const parsed = parseRemoteEvent(payload);
    if (!parsed.ok) throw new CaribouError(`caribou ${command} --remote: ${parsed.message}`);
    const { deployed, missing } = await this.remote.isDeployed();
    if (!deployed) {
      for (const resource of missing) log(`Missing Remote Framework ${resource}`);
      throw new CaribouError('The remote framework is not deployed. Deploy it with caribou deploy_remote_cli');
    }
    log(`Running ${command} on the remote framework CLI.`);
    await this.remote.invoke(payload, 'event');
  }
}
