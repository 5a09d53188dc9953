import { CaribouError } from '@caribou/domain-common';
import type { RemoteFramework, RemoteFrameworkDeployment, RemoteFrameworkPackage } from '@caribou/ports';
import { remoteCommandPayload } from './remote-commands';
import type { RemoteFrameworkLedger } from './remote-ledger';
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
    private readonly ledger: RemoteFrameworkLedger,
  ) {}

  /** Name of the function and role the framework runs as. */
  get names(): { function: string; role: string } {
    return { function: this.remote.function, role: this.remote.role };
  }

  /**
   * Deploys (or updates) the framework, each resource on its ledger before it is created; rules
   * set up before rules were recorded are adopted onto it, so removal needs no names.
   */
  async deploy(input: RemoteFrameworkPackage): Promise<RemoteFrameworkDeployment> {
    await this.ledger.prepare();
    await this.timers.adopt();
    const deployment = await this.remote.deploy(input, async (resource) => {
      await this.ledger.record(resource, 'deploy_remote_cli');
    });
    await this.ledger.markCreated();
    return deployment;
  }

  /**
   * Deletes exactly what its ledger lists: timers first (they would invoke a missing function),
   * then the function, log group, repository, role (with its policy) and API key parameters.
   * Without a ledger (deployed before one was kept) it removes them by name.
   * `reportAbsent: false` leaves out the timers that were not there (teardown lists only what it removed).
   */
  async remove(report: (line: string) => void, options: { reportAbsent?: boolean } = {}): Promise<void> {
    if ((await this.ledger.entries()) === undefined) {
      await this.timers.remove(report, undefined, options);
      await this.remote.remove(report);
      return;
    }
    await this.timers.remove(report, undefined, options);
    await this.ledger.remove((resource) => resource.kind !== 'rule', (resource) => this.remote.removeResource(resource), report, 'remove_remote_cli');
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
