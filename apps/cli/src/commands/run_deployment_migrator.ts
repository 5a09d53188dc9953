import { Flags } from '@oclif/core';
import { describeAction, type MigrateDeploymentsService } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { snakeCaseKeys } from '../json-output';
import { SERVICES } from '../composition/tokens';

export default class RunDeploymentMigrator extends CaribouCommand {
  static override summary = 'Apply the staged plans: copy functions to their regions, publish the plans.';
  static override description = [
    'For every workflow with a staged plan (from manage_deployments): copies each function to every region',
    'a time key places it in, publishes the plan as the current deployment (runs follow it from then on),',
    'and deletes the staged plan. A copy no plan uses any more is kept until runs in flight can no longer reach',
    'it (the longest function timeout x 20 hops after the plan that used it was replaced), then a later run',
    'retires it. Each step is recorded as it completes, so an interrupted migration is finished by running the',
    'command again, without duplicate copies.',
  ].join(' ');
  static override flags = {
    // A flag with a letter first: oclif's help trims the indent of a first row without one, misaligning the columns.
    remote: Flags.boolean({ char: 'r', description: 'Run the migrator on the deployed remote framework (AWS).' }),
    workflow: Flags.string({ description: 'Migrate only this workflow id.' }),
    'dry-run': Flags.boolean({ description: 'Print the actions without applying them.' }),
    json: Flags.boolean({ description: 'Print the actions as JSON.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RunDeploymentMigrator);
    if (flags.remote) return this.runRemote('run_deployment_migrator', {});
    const reports = await (await this.services(flags.provider))
      .get<MigrateDeploymentsService>(SERVICES.Migrate)
      .migrate({ ...(flags.workflow ? { workflowId: flags.workflow } : {}), dryRun: flags['dry-run'] });
    if (flags.json) return this.printJson(snakeCaseKeys(reports));
    if (reports.length === 0) return this.log('No staged plans to migrate and no copies due for retirement');
    for (const report of reports) {
      this.log(
        report.applied
          ? `${report.workflowId}: migrated, ${report.actions.length} step(s) done:`
          : `${report.workflowId}: dry run, nothing changed; without --dry-run the migrator would:`,
      );
      for (const action of report.actions) this.log(`  ${describeAction(action)}`);
    }
  }
}
